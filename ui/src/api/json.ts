/**
 * Properties arrive as the schema's JSON scalar, typed `unknown`: by the schema they are
 * objects (property name → value); anything else reads as no properties.
 */
export function jsonObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
