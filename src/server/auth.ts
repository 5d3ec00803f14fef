/**
 * Bearer tokens for `codex-flow serve`. Tokens come from CODEX_FLOW_TOKENS (comma-separated, as
 * typed) or the config's `server.tokens` (each `sha256:<hex>`, so the config file never holds a
 * usable secret). Only the sha256 digests are kept in memory; a presented token is hashed and
 * compared with every digest by timingSafeEqual, all of them every time, so neither the answer's
 * time nor an early exit tells how much of a guess was right.
 *
 * @example
 * const tokens = serverTokens(process.env, config.server);
 * if (!tokens.accepts(request.headers.authorization)) reply.code(401);
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';

const DIGEST_PREFIX = 'sha256:';

export class ServerTokens {
  constructor(private readonly digests: readonly Buffer[]) {}

  /** Whether any token is set: without one, the server is open (and must stay on loopback). */
  get required(): boolean {
    return this.digests.length > 0;
  }

  /** Whether an `Authorization` header carries one of the tokens (always true when none is set). */
  accepts(header: string | undefined): boolean {
    if (!this.required) return true;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!match) return false;
    const presented = sha256(match[1]!);
    let found = false;
    for (const digest of this.digests) found = timingSafeEqual(presented, digest) || found;
    return found;
  }
}

/** The server's tokens from the environment and the config, with what was wrong in the setting. */
export function serverTokens(
  env: Record<string, string | undefined>,
  config: Record<string, unknown> | undefined,
): { tokens: ServerTokens; diagnostics: Diagnostic[] } {
  const digests: Buffer[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const token of (env.CODEX_FLOW_TOKENS ?? '').split(',')) if (token.trim()) digests.push(sha256(token.trim()));
  const listed = config?.tokens;
  if (listed !== undefined && !Array.isArray(listed))
    diagnostics.push(diagnostic('CF9511', 'server.tokens must be a list of sha256:<hex> digests'));
  for (const entry of Array.isArray(listed) ? listed : []) {
    const hex = typeof entry === 'string' && entry.startsWith(DIGEST_PREFIX) ? entry.slice(DIGEST_PREFIX.length) : '';
    if (/^[0-9a-f]{64}$/i.test(hex)) digests.push(Buffer.from(hex, 'hex'));
    else
      diagnostics.push(
        diagnostic(
          'CF9511',
          `server.tokens holds ${typeof entry === 'string' ? 'an entry' : 'a value'} that is not sha256:<64 hex digits> (a plain token does not belong in a config file)`,
          undefined,
          { hint: 'write sha256:$(printf %s "$TOKEN" | sha256sum | cut -c1-64), or set CODEX_FLOW_TOKENS' },
        ),
      );
  }
  return { tokens: new ServerTokens(digests), diagnostics };
}

/** The `sha256:<hex>` form of a token, as server.tokens lists it. */
export function tokenDigest(token: string): string {
  return `${DIGEST_PREFIX}${sha256(token).toString('hex')}`;
}

/** Whether `host` names only this machine: a loopback address or `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare.startsWith('::ffff:127.');
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
