/**
 * Small builders for the plain JSON Schemas of the config sections (sections.ts). Plain objects,
 * not TypeBox: they load in no time and a library caller's check (check-plain.ts) needs them
 * synchronously. `hint` is an annotation read by check-section.ts: the words a person needs when
 * the value is refused, where the schema keyword alone ("must match pattern …") would not say it.
 */

export type Schema = Record<string, unknown>;

/** A closed mapping: every key outside `properties` is reported as unknown, with the closest known one. */
export function mapping(properties: Record<string, Schema | true>, extra: Schema = {}): Schema {
  return { type: 'object', properties, additionalProperties: false, ...extra };
}

/** `schema`, or YAML's empty value (`key:` with nothing after it), which the subsystem reads as "the default". */
export function orNull(schema: Schema): Schema {
  if (Array.isArray(schema.enum)) return { ...schema, enum: [...(schema.enum as unknown[]), null] };
  const type = schema.type;
  if (type === undefined) return schema;
  return { ...schema, type: [...(Array.isArray(type) ? type : [type]), 'null'] };
}

export const number = (minimum: number, maximum: number, hint?: string): Schema => ({
  type: 'number',
  minimum,
  maximum,
  ...(hint ? { hint } : {}),
});

export const integer = (minimum: number, maximum: number, hint?: string): Schema => ({
  type: 'integer',
  minimum,
  maximum,
  ...(hint ? { hint } : {}),
});

export const oneOf = (values: readonly string[]): Schema => ({ enum: [...values] });

export const text: Schema = { type: 'string', minLength: 1 };

export const texts: Schema = { type: 'array', items: { type: 'string', minLength: 1 } };
