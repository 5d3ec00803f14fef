/**
 * The JSON Schema of the config file's `compiler:` section (its TS type is CompilerConfig in
 * src/config/config.ts). A module of its own because TypeBox is hundreds of module files: only a
 * config file with a compiler section pays for it, never a bare `codex-flow route`.
 */
import { Type } from 'typebox';

const Strings = Type.Array(Type.String({ minLength: 1 }));

/** The `compiler:` section of codex-flow.config.yaml, checked before it is used. */
export const CompilerConfigSchema = Type.Object(
  {
    src: Type.Optional(Type.String({ minLength: 1 })),
    out: Type.Optional(Type.String({ minLength: 1 })),
    exclude: Type.Optional(Strings),
    skip_folders: Type.Optional(Strings),
    defaults: Type.Optional(
      Type.Object(
        {
          tools: Type.Optional(Strings),
          model: Type.Optional(Type.String({ minLength: 1 })),
          domain: Type.Optional(Type.String({ pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' })),
        },
        { additionalProperties: false },
      ),
    ),
    models: Type.Optional(Strings),
  },
  { additionalProperties: false },
);
