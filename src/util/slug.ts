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
