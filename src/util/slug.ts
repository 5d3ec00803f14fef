import { createHash } from 'node:crypto';

/**
 * Agent ids are slugs of the brief's `name:`: lower-case ASCII letters and digits separated by
 * single dashes. Accents are folded (é → e); every other run of characters becomes one dash.
 *
 * @example slugify('Backend Architect / API') === 'backend-architect-api'
 */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Hex digits of the name's hash in a derived id: 40 bits, so two names of one fleet do not collide in practice. */
const DERIVED_ID_HEX = 10;

/**
 * An id for a name with nothing `slugify` keeps (only CJK characters or emoji): `agent-` and a
 * hash of the name, NFC-normalized, so it is stable across machines and never empty.
 *
 * @example derivedId('数据分析师') // 'agent-' + 10 hex digits
 */
export function derivedId(name: string): string {
  return `agent-${createHash('sha256').update(name.normalize('NFC')).digest('hex').slice(0, DERIVED_ID_HEX)}`;
}
