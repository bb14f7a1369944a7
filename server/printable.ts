// Workspace text as the command line, CI logs and agents are given it. Folder names, import specifiers and
// the messages that quote them carry whatever a repository holds, and a terminal or log viewer acts on some
// characters instead of showing them: a line feed starts a line of its own (where `::error::` is a GitHub
// Actions command), ESC and C1's CSI (U+009B) rewrite the screen, the line and paragraph separators break
// lines in some viewers, and the bidi overrides and isolates reorder the text after them and so can hide it.
// Every output that prints workspace text escapes them here, one way.

const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** UNPRINTABLE without CR and LF, for formats that escape line breaks in their own way. */
const UNPRINTABLE_BUT_LINE_BREAKS = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The characters of UNPRINTABLE that JSON.stringify leaves raw (it escapes the C0 controls itself). */
const RAW_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeCharacter(char: string): string {
  return SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Text with each unprintable character written as a visible escape, `\n` or `\u001b`: always one line. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escapeCharacter);
}

/** As printable, but CR and LF are left for the caller's format to escape (GitHub's `%0A`). */
export function printableButLineBreaks(text: string): string {
  return text.replace(UNPRINTABLE_BUT_LINE_BREAKS, escapeCharacter);
}

/**
 * A value as two-space indented JSON whose text is printable too: the characters JSON.stringify leaves raw are
 * written as `\u` escapes. Outside strings JSON text is ASCII, so they stand only inside strings, where the
 * escape is the same value once parsed.
 */
export function printableJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(RAW_IN_JSON, escapeCharacter);
}
