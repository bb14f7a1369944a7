// The JSON Schema subset the agent tools declare their arguments and results in, and a validator for it.
// The schemas are plain JSON because two hosts pass them on unchanged: the MCP server (tools/list) and
// VS Code, which reads a tool's input schema from package.json. The validator checks arguments before a
// tool runs; it walks the value only as deep as the schema goes, and each step is bounded by a limit the
// schema sets (maxLength, maxItems, maxProperties), so hostile arguments cost little.

export type JsonSchemaType = 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array';

export interface JsonSchema {
  type?: JsonSchemaType;
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  /** `false` rejects unknown names; a schema checks every other property against it. */
  additionalProperties?: boolean | JsonSchema;
  maxProperties?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  enum?: ReadonlyArray<string | number>;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  default?: unknown;
}

export type Validation = { ok: true; value: Record<string, unknown> } | { ok: false; errors: string[] };

/** At most this many errors are reported: enough to fix a call, never a wall of text. */
const MAX_ERRORS = 8;

/**
 * Checks tool arguments against an object schema and returns them with defaults filled in (a new object;
 * the input is not changed). Errors name the argument and what it must be; unknown arguments are named
 * together with the ones the tool takes.
 */
export function validateArguments(schema: JsonSchema, value: unknown): Validation {
  const errors: string[] = [];
  const checked = check(schema, value === undefined ? {} : value, '', errors);
  if (errors.length > 0) return { ok: false, errors: errors.slice(0, MAX_ERRORS) };
  return { ok: true, value: checked as Record<string, unknown> };
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** An argument's name as a message writes it: `method[2]`, `params.id`, or `the arguments` for the whole. */
function label(path: string): string {
  return path === '' ? 'the arguments' : `"${path}"`;
}

function check(schema: JsonSchema, value: unknown, path: string, errors: string[]): unknown {
  if (errors.length >= MAX_ERRORS) return value;
  switch (schema.type) {
    case 'object':
      return checkObject(schema, value, path, errors);
    case 'array': {
      if (!Array.isArray(value)) {
        // Models often give one value where a list is asked for ("method": "POST"); it means a list of one.
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return check(schema, [value], path, errors);
        errors.push(`${label(path)} must be an array, got ${describeValue(value)}.`);
        return value;
      }
      if (schema.maxItems !== undefined && value.length > schema.maxItems) {
        errors.push(`${label(path)} has ${value.length} items; at most ${schema.maxItems} are allowed.`);
        return value;
      }
      if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${label(path)} needs at least ${schema.minItems} item(s).`);
      return schema.items ? value.map((item, i) => check(schema.items!, item, `${path}[${i}]`, errors)) : value;
    }
    case 'string':
      if (typeof value !== 'string') errors.push(`${label(path)} must be a string, got ${describeValue(value)}.`);
      else if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push(`${label(path)} is ${value.length} characters long; at most ${schema.maxLength} are allowed.`);
      else if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(`${label(path)} must be at least ${schema.minLength} character(s) long.`);
      else checkEnum(schema, value, path, errors);
      return value;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value) || (schema.type === 'integer' && !Number.isInteger(value))) {
        errors.push(`${label(path)} must be ${schema.type === 'integer' ? 'an integer' : 'a number'}, got ${describeValue(value)}.`);
      } else if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${label(path)} must be at least ${schema.minimum}, got ${value}.`);
      else if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${label(path)} must be at most ${schema.maximum}, got ${value}.`);
      else checkEnum(schema, value, path, errors);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(`${label(path)} must be true or false, got ${describeValue(value)}.`);
      return value;
    default:
      return value;
  }
}

function checkEnum(schema: JsonSchema, value: string | number, path: string, errors: string[]): void {
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${label(path)} must be one of ${schema.enum.join(', ')}; got ${describeValue(value)}.`);
}

function checkObject(schema: JsonSchema, value: unknown, path: string, errors: string[]): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    errors.push(`${label(path)} must be an object, got ${describeValue(value)}.`);
    return value;
  }
  const properties = schema.properties ?? {};
  const keys = Object.keys(value);
  if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) {
    errors.push(`${label(path)} has ${keys.length} entries; at most ${schema.maxProperties} are allowed.`);
    return value;
  }
  const out: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const key of keys) {
    const child = path === '' ? key : `${path}.${key}`;
    const item = (value as Record<string, unknown>)[key];
    if (Object.hasOwn(properties, key)) out[key] = check(properties[key], item, child, errors);
    else if (typeof schema.additionalProperties === 'object') out[key] = check(schema.additionalProperties, item, child, errors);
    else if (schema.additionalProperties === false) {
      unknown.push(key);
      // The names are for the message: a flood of them says nothing more than the first few.
      if (unknown.length > MAX_ERRORS) break;
    } else out[key] = item;
  }
  if (unknown.length > 0) {
    const names = unknown.slice(0, 5).map((name) => JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name));
    const known = Object.keys(properties);
    const where = path === '' ? '' : ` in ${label(path)}`;
    errors.push(
      `Unknown argument${unknown.length === 1 ? '' : 's'}${where}: ${names.join(', ')}${unknown.length > 5 ? ', …' : ''}. ${
        known.length > 0 ? `The arguments${where} are: ${known.join(', ')}.` : 'No arguments are taken here.'
      }`,
    );
  }
  for (const name of schema.required ?? []) {
    if (!Object.hasOwn(value, name)) errors.push(`${label(path === '' ? name : `${path}.${name}`)} is required.`);
  }
  for (const [name, property] of Object.entries(properties)) {
    if (!Object.hasOwn(out, name) && property.default !== undefined) out[name] = property.default;
  }
  return out;
}
