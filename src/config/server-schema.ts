/**
 * The JSON Schema of the `server:` section (`codex-flow serve`, docs/serve.md): only `tokens`, each
 * a sha256 digest so the file never holds a usable secret. As strict as serverTokens
 * (src/server/auth.ts): a file that passes here gets no CF9511 from it.
 */
import { mapping, orNull, type Schema } from './schema-helpers.js';

export const ServerConfigSchema: Schema = orNull(
  mapping({
    tokens: {
      type: 'array',
      items: {
        type: 'string',
        pattern: '^sha256:[0-9a-fA-F]{64}$',
        hint: 'write sha256:$(printf %s "$TOKEN" | sha256sum | cut -c1-64) (a plain token does not belong in a config file), or set CODEX_FLOW_TOKENS',
      },
      hint: 'list sha256:<64 hex digits> digests: `tokens: [sha256:…]`',
    },
  }),
);
