// A small YAML writer for JSON data: block mappings and sequences, and every string that could be read as
// anything but itself double-quoted with escapes. The CLI stays free of a YAML library, and since the
// strings come from the workspace (folder names, schema descriptions), nothing may depend on them looking
// harmless: a string is written plain only when it matches a narrow pattern that YAML 1.1 and 1.2 readers
// both take as a string.

/** How deep `toYaml` follows nested values; OpenAPI documents Route Atlas writes stay far below it. */
export const MAX_YAML_DEPTH = 500;

/** Words YAML 1.1 or 1.2 readers turn into booleans or null when written plain. */
const RESERVED_WORDS = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n', 'null', 'nan', 'inf']);

/** Letters first, then letters, digits and `_./-`, and not ending in `.` or `-`: never a number, date, key indicator or comment. */
const PLAIN_SAFE = /^[A-Za-z_][A-Za-z0-9_./-]*$/;

/** The YAML text of a JSON value (objects, arrays, strings, finite numbers, booleans, null), ending in a newline. */
export function toYaml(value: unknown): string {
  if (!isNonEmptyCollection(value)) return scalarOrEmpty(value) + '\n';
  const lines: string[] = [];
  writeBlock(value, 0, lines, new Set());
  return lines.join('\n') + '\n';
}

function isNonEmptyCollection(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  return Array.isArray(value) ? value.length > 0 : Object.values(value).some((item) => item !== undefined);
}

/** A scalar, or `[]` / `{}` for an empty collection: what fits on the line of its key or dash. */
function scalarOrEmpty(value: unknown): string {
  if (value !== null && typeof value === 'object') return Array.isArray(value) ? '[]' : '{}';
  return scalarText(value);
}

/**
 * Appends the entries of a non-empty mapping or sequence, each starting at column `indent`. A nested
 * collection in a sequence item starts on the dash's line (`- key: value`, `- - item`): its block is
 * written two columns in, and its first line's indentation becomes the dash.
 */
function writeBlock(value: object, indent: number, lines: string[], path: Set<object>): void {
  if (path.size >= MAX_YAML_DEPTH) throw new Error(`toYaml: nested more than ${MAX_YAML_DEPTH} levels deep`);
  if (path.has(value)) throw new Error('toYaml: the value refers to itself');
  path.add(value);
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    for (const item of value) {
      if (!isNonEmptyCollection(item)) {
        lines.push(`${pad}- ${scalarOrEmpty(item)}`);
        continue;
      }
      const first = lines.length;
      writeBlock(item, indent + 2, lines, path);
      lines[first] = `${pad}- ${lines[first].slice(indent + 2)}`;
    }
  } else {
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      if (!isNonEmptyCollection(item)) {
        lines.push(`${pad}${keyText(key)}: ${scalarOrEmpty(item)}`);
        continue;
      }
      lines.push(`${pad}${keyText(key)}:`);
      writeBlock(item, indent + 2, lines, path);
    }
  }
  path.delete(value);
}

function keyText(key: string): string {
  return isPlainSafe(key) ? key : quoted(key);
}

function scalarText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'string') return isPlainSafe(value) ? value : quoted(value);
  throw new Error(`toYaml: cannot write a ${typeof value}`);
}

function isPlainSafe(text: string): boolean {
  return text.length <= 200 && PLAIN_SAFE.test(text) && !/[.-]$/.test(text) && !RESERVED_WORDS.has(text.toLowerCase());
}

const SHORT_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\0': '\\0' };

/**
 * A double-quoted YAML scalar. Printable ASCII and printable non-ASCII stay as they are; control characters
 * (C0, DEL, C1), the line and paragraph separators, the byte order mark, bidi controls, U+FFFE/U+FFFF and
 * unpaired surrogates are written as escapes, so the text is one line of printable characters that shows
 * what it holds.
 */
function quoted(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    const code = text.charCodeAt(i);
    const short = SHORT_ESCAPES[char];
    if (short) out += short;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) {
      out += char + text[++i];
    } else if (needsEscape(code)) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return out + '"';
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function needsEscape(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0xd800 && code <= 0xdfff) ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0xfeff ||
    code === 0xfffe ||
    code === 0xffff
  );
}
