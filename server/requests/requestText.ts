// Request text for the clipboard: URLs, cURL and fetch. Pure functions over manifest data, so plain Node
// tests can run them; nothing here imports vscode.
//
// Dynamic segments become `{name}` placeholders: `[id]` → `{id}`, `[...slug]` and `[[...slug]]` → `{...slug}`.
// Braces are what OpenAPI paths and URI templates use, they cannot be mistaken for a real folder name the
// way `[id]` can, and unlike `:id` they never read as a port or a scheme. A placeholder is meant to be
// replaced by hand; the cURL text turns off curl's URL globbing so that braces and brackets pass through.
import type { HandlerRequestInfo, Route } from '../analysis/model';

/** Used until the send-request module detects the dev server's address. */
export const DEFAULT_BASE_URL = 'http://localhost:3000';

/** What a copied request consists of, before it is written as cURL or fetch. */
export interface RequestDraft {
  method: string;
  url: string;
  headers: Array<[name: string, value: string]>;
  body?: RequestBodyDraft;
}

export type RequestBodyDraft =
  | { kind: 'json'; fields: string[] }
  | { kind: 'formData'; fields: string[] }
  | { kind: 'text' }
  /** A concrete body, sent as is (a request that was really sent, for "Copy as cURL" in the response view). */
  | { kind: 'raw'; text: string };

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A URL pattern or public path with its dynamic segments written as `{name}` placeholders. */
export function toUrlTemplate(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      const optionalCatchAll = /^\[\[\.\.\.(.+)\]\]$/.exec(segment);
      if (optionalCatchAll) return `{...${optionalCatchAll[1]}}`;
      const catchAll = /^\[\.\.\.(.+)\]$/.exec(segment);
      if (catchAll) return `{...${catchAll[1]}}`;
      const dynamic = /^\[(.+)\]$/.exec(segment);
      if (dynamic) return `{${dynamic[1]}}`;
      return encodePathSegment(segment);
    })
    .join('/');
}

/**
 * Percent-encodes what may not appear raw in a path segment (spaces, quotes, non-ASCII), leaving valid
 * `%XX` escapes and the characters RFC 3986 allows in a segment alone.
 */
export function encodePathSegment(segment: string): string {
  return segment.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@%]/gu, (char) => encodeURIComponent(char));
}

/** Joins a base URL (which may carry a path of its own) and a path that starts with `/`. */
export function joinUrl(baseUrl: string, path: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return path.startsWith('/') ? base + path : `${base}/${path}`;
}

/** The URL a client requests for a route: base URL, basePath and the route's path, with placeholders. */
export function routeUrl(route: Pick<Route, 'publicPath'>, baseUrl = DEFAULT_BASE_URL): string {
  return joinUrl(baseUrl, toUrlTemplate(route.publicPath));
}

/**
 * The request a person would start from: the method, the URL with placeholders and, when the handler reads
 * a body, a body with the fields it reads left empty. GET and HEAD never get a body (fetch rejects one).
 */
export function draftRequest(route: Pick<Route, 'publicPath' | 'methods'>, method: string, baseUrl = DEFAULT_BASE_URL): RequestDraft {
  const upperMethod = method.toUpperCase();
  const draft: RequestDraft = { method: upperMethod, url: routeUrl(route, baseUrl), headers: [] };
  const info: HandlerRequestInfo | undefined = route.methods.find((m) => m.name === upperMethod)?.request;
  if (info?.body && METHODS_WITH_BODY.has(upperMethod)) {
    switch (info.body.kind) {
      case 'json':
        draft.headers.push(['Content-Type', 'application/json']);
        draft.body = { kind: 'json', fields: [...info.body.fields] };
        break;
      case 'formData':
        // Both curl -F and fetch with FormData write the multipart Content-Type with its boundary themselves.
        draft.body = { kind: 'formData', fields: [...info.body.fields] };
        break;
      case 'text':
        draft.headers.push(['Content-Type', 'text/plain']);
        draft.body = { kind: 'text' };
        break;
    }
  }
  return draft;
}

/** The JSON text of a body with every field an empty string. */
export function jsonBodyText(fields: readonly string[]): string {
  return JSON.stringify(Object.fromEntries(fields.map((field) => [field, ''])));
}

/** Quotes one argument for a POSIX shell (bash, zsh, sh): single quotes, with `'` written as `'\''`. */
export function quoteForShell(argument: string): string {
  return `'${argument.replace(/'/g, `'\\''`)}'`;
}

/**
 * A cURL command line for a POSIX shell. Short commands stay on one line; longer ones put each option on
 * its own line, continued with a backslash, as browsers' "Copy as cURL (bash)" does.
 */
export function formatCurl(draft: RequestDraft): string {
  const options: string[] = [];
  const hasBody = draft.body !== undefined;
  if (draft.method === 'HEAD') options.push('--head');
  // curl infers POST from --data and -F; -X would only repeat it.
  else if (draft.method !== 'GET' && !(draft.method === 'POST' && hasBody)) options.push(`-X ${draft.method}`);
  if (/[{}[\]]/.test(draft.url)) options.push('--globoff');
  for (const [name, value] of draft.headers) options.push(`-H ${quoteForShell(`${name}: ${value}`)}`);
  switch (draft.body?.kind) {
    case 'json':
      options.push(`--data-raw ${quoteForShell(jsonBodyText(draft.body.fields))}`);
      break;
    case 'formData':
      for (const field of draft.body.fields) options.push(`-F ${quoteForShell(`${field}=`)}`);
      break;
    case 'text':
      options.push(`--data-raw ${quoteForShell('')}`);
      break;
    case 'raw':
      options.push(`--data-raw ${quoteForShell(draft.body.text)}`);
      break;
  }
  const head = `curl ${quoteForShell(draft.url)}`;
  if (options.length <= 1) return [head, ...options].join(' ');
  return [head, ...options].join(' \\\n  ');
}

/** A JavaScript string literal (double quotes, everything escaped that needs it). */
function jsString(text: string): string {
  return JSON.stringify(text);
}

function jsPropertyName(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : jsString(name);
}

/** A `fetch` call to paste into an ES module or an async function. */
export function formatFetch(draft: RequestDraft): string {
  const lines: string[] = [];
  const init: string[] = [];
  if (draft.method !== 'GET') init.push(`method: ${jsString(draft.method)}`);
  if (draft.headers.length > 0) {
    init.push(`headers: { ${draft.headers.map(([name, value]) => `${jsPropertyName(name)}: ${jsString(value)}`).join(', ')} }`);
  }
  switch (draft.body?.kind) {
    case 'json': {
      const fields = draft.body.fields.map((field) => `${jsPropertyName(field)}: ""`).join(', ');
      init.push(`body: JSON.stringify(${fields ? `{ ${fields} }` : '{}'})`);
      break;
    }
    case 'formData':
      lines.push('const body = new FormData();');
      for (const field of draft.body.fields) lines.push(`body.append(${jsString(field)}, "");`);
      init.push('body');
      break;
    case 'text':
      init.push('body: ""');
      break;
    case 'raw':
      init.push(`body: ${jsString(draft.body.text)}`);
      break;
  }
  const call = init.length === 0 ? `fetch(${jsString(draft.url)})` : `fetch(${jsString(draft.url)}, {\n${init.map((entry) => `  ${entry},\n`).join('')}})`;
  lines.push(`const response = await ${call};`);
  return lines.join('\n');
}
