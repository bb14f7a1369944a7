// JSON Schema values as the generator builds them, and the few operations on them that every library's
// conversion shares. Keys that come from the workspace (property names, component names) are set with
// `setKey`, so that a field named `__proto__` is a field and not the object's prototype.

export type JsonSchema = { [key: string]: unknown };

/** Sets an own, enumerable property, whatever its name. */
export function setKey(target: JsonSchema, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** An object whose keys come from the workspace, built with `setKey`. */
export function objectOf(entries: Iterable<readonly [string, unknown]>): JsonSchema {
  const result: JsonSchema = {};
  for (const [key, value] of entries) setKey(result, key, value);
  return result;
}

/** The own value of a key, never an inherited one. */
export function ownValue(target: JsonSchema, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(target, key) ? Object.getOwnPropertyDescriptor(target, key)!.value : undefined;
}

/** What a schema with a note says: anything goes, and why the generator could not say more. */
export function openSchema(note: string): JsonSchema {
  return { description: note, 'x-route-atlas-note': note };
}

/** The JSON type a schema has, when it has exactly one besides null. */
export function typeOf(schema: JsonSchema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const others = type.filter((t) => t !== 'null');
    return others.length === 1 && typeof others[0] === 'string' ? others[0] : undefined;
  }
  return undefined;
}

/** The schema that also allows null. */
export function withNull(schema: JsonSchema): JsonSchema {
  if (Object.keys(schema).every((key) => key === 'description' || key === 'x-route-atlas-note' || key === 'default')) return schema;
  const type = schema.type;
  if (typeof type === 'string' && schema.$ref === undefined && schema.const === undefined && schema.anyOf === undefined && schema.oneOf === undefined && schema.allOf === undefined) {
    const copy: JsonSchema = { ...schema, type: type === 'null' ? 'null' : [type, 'null'] };
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) copy.enum = [...schema.enum, null];
    return copy;
  }
  if (Array.isArray(type) && type.includes('null')) return schema;
  return { anyOf: [schema, { type: 'null' }] };
}

/** A schema of one of these (anyOf), without repeats; one alone is itself. */
export function anyOf(schemas: JsonSchema[]): JsonSchema {
  const seen = new Set<string>();
  const unique: JsonSchema[] = [];
  for (const schema of schemas) {
    const key = JSON.stringify(schema);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(schema);
  }
  return unique.length === 1 ? unique[0] : { anyOf: unique };
}

/** `{ type: 'string', enum }` and the like: the enum's type when all its values share one. */
export function enumSchema(values: ReadonlyArray<string | number | boolean | null>): JsonSchema {
  const types = new Set(values.map((value) => (value === null ? 'null' : typeof value)));
  if (types.size === 1) {
    const [only] = types;
    if (only === 'string' || only === 'boolean' || only === 'null') return { type: only, enum: [...values] };
    return { type: 'number', enum: [...values] };
  }
  return { enum: [...values] };
}

/** `{ type: 'string', const: 'x' }`: a literal value's schema. */
export function constSchema(value: string | number | boolean | null): JsonSchema {
  if (value === null) return { type: 'null' };
  return { type: typeof value === 'string' ? 'string' : typeof value === 'boolean' ? 'boolean' : 'number', const: value };
}
