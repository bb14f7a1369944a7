// The request editor's text: one HTTP request as a person edits it before sending, in the shape of an
// .http file (REST Client, JetBrains HTTP Client) so that nothing in it is new to learn:
//
//   # comments
//   POST /api/users/42?notify=1        (a path is sent to the app's base URL; a full URL as it is)
//   Content-Type: application/json
//
//   { "name": "" }
//
// Parsing is one pass over the lines; nothing in it depends on the size of a line beyond reading it.

export interface RequestDocument {
  method: string;
  /** A path with its query (`/api/x?a=1`), or an absolute http(s) URL. */
  target: string;
  headers: Array<[name: string, value: string]>;
  /** The text after the blank line, without the line breaks that end it; absent when there is none. */
  body?: string;
}

export type ParsedRequestDocument = { ok: true; request: RequestDocument } | { ok: false; line: number; message: string };

/** RFC 9110 token characters: what a method and a header name may consist of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HTTP_VERSION = /^HTTP\/\d(\.\d)?$/;

function isComment(line: string): boolean {
  const trimmed = line.trimStart();
  return trimmed.startsWith('#') || trimmed.startsWith('//');
}

/** Writes a request as the request editor shows it: the comment lines, then the request, headers and body. */
export function formatRequestDocument(request: RequestDocument, comments: readonly string[] = []): string {
  const lines = comments.map((comment) => `# ${comment.replace(/[\r\n]+/g, ' ')}`);
  lines.push(`${request.method} ${request.target}`);
  for (const [name, value] of request.headers) lines.push(`${name}: ${value.replace(/[\r\n]+/g, ' ')}`);
  lines.push('');
  if (request.body !== undefined) lines.push(request.body);
  return lines.join('\n') + (request.body !== undefined ? '\n' : '');
}

/**
 * Reads the request editor's text. Comment lines (`#`, `//`) and blank lines before the request line are
 * skipped, as are comment lines among the headers; the body is everything after the first blank line,
 * as typed. Errors name the 1-based line they are on.
 */
export function parseRequestDocument(text: string): ParsedRequestDocument {
  const lines = text.split(/\r?\n/);
  let index = 0;
  while (index < lines.length && (lines[index].trim() === '' || isComment(lines[index]))) index++;
  if (index === lines.length) return { ok: false, line: 1, message: 'There is no request line: write the method and the path, as in `POST /api/users`.' };

  const requestLine = lines[index].trim().split(/\s+/);
  const lineNumber = index + 1;
  if (requestLine.length < 2 || requestLine.length > 3 || (requestLine.length === 3 && !HTTP_VERSION.test(requestLine[2]))) {
    return { ok: false, line: lineNumber, message: 'The request line is the method, then the path or URL, as in `POST /api/users`.' };
  }
  const [method, target] = requestLine;
  if (!TOKEN.test(method)) return { ok: false, line: lineNumber, message: `"${method}" is not an HTTP method.` };
  if (!target.startsWith('/') && !/^https?:\/\//i.test(target)) {
    return { ok: false, line: lineNumber, message: 'The path must start with "/", or be a full http:// or https:// URL.' };
  }
  if (/^https?:\/\//i.test(target)) {
    try {
      new URL(target);
    } catch {
      return { ok: false, line: lineNumber, message: `"${target}" is not a valid URL.` };
    }
  }

  const headers: Array<[string, string]> = [];
  index++;
  for (; index < lines.length && lines[index].trim() !== ''; index++) {
    const line = lines[index];
    if (isComment(line)) continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!TOKEN.test(name)) return { ok: false, line: index + 1, message: 'A header is a name, a colon and a value, as in `Content-Type: application/json`; leave a blank line before the body.' };
    headers.push([name, line.slice(colon + 1).trim()]);
  }
  const rest = lines.slice(index + 1).join('\n').trimEnd();
  return { ok: true, request: { method: method.toUpperCase(), target, headers, body: rest === '' ? undefined : rest } };
}
