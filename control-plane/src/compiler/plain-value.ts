/**
 * Reading a parsed document before it is validated: interpolation and linking need a
 * few fields of values whose shape the schema has not confirmed yet. Own keys only, so
 * a key like `constructor` never reaches Object.prototype.
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value[key]` when value is a map that has the key, else undefined. */
export function field(value: unknown, key: string): unknown {
  return isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}
