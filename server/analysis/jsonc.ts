/**
 * Parses JSON with comments and trailing commas (tsconfig.json, jsconfig.json) in one linear pass, without
 * the TypeScript compiler: resolving `paths` must not cost a warm start the compiler's load. Returns
 * undefined for text that is not such JSON; the caller then asks TypeScript's own, more forgiving reader.
 */
export function parseJsonc(text: string): unknown {
  let out = '';
  let start = 0;
  /** Where the last comma outside strings is in `out`, while only whitespace and comments follow it. */
  let pendingComma = -1;
  /** The last character outside comments and whitespace: a comma right after `[`, `{` or `,` is no trailing comma. */
  let last = 0;
  const flush = (end: number) => {
    out += text.slice(start, end);
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      pendingComma = -1;
      last = ch;
      for (i++; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x5c /* \ */) i++;
        else if (c === 0x22) break;
      }
      continue;
    }
    if (ch === 0x2f /* / */ && (text.charCodeAt(i + 1) === 0x2f || text.charCodeAt(i + 1) === 0x2a)) {
      flush(i);
      const block = text.charCodeAt(i + 1) === 0x2a;
      const end = block ? text.indexOf('*/', i + 2) : text.indexOf('\n', i + 2);
      if (block && end === -1) return undefined;
      i = end === -1 ? text.length : block ? end + 1 : end - 1;
      start = i + 1;
      out += ' ';
      continue;
    }
    if (ch === 0x2c /* , */) {
      flush(i);
      pendingComma = last === 0x5b || last === 0x7b || last === 0x2c ? -1 : out.length;
      out += ',';
      start = i + 1;
      last = ch;
      continue;
    }
    if ((ch === 0x7d /* } */ || ch === 0x5d /* ] */) && pendingComma !== -1) {
      flush(i);
      out = out.slice(0, pendingComma) + out.slice(pendingComma + 1);
      start = i;
      pendingComma = -1;
      last = ch;
      continue;
    }
    if (ch !== 0x20 && ch !== 0x09 && ch !== 0x0a && ch !== 0x0d) {
      pendingComma = -1;
      last = ch;
    }
  }
  flush(text.length);
  try {
    return JSON.parse(out);
  } catch {
    return undefined;
  }
}
