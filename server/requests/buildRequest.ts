// A concrete request from a route and the values a person gave: the path with its params filled in, the
// query string, the JSON body template, and whether the host is this machine. Pure functions over
// manifest data, but for one question to the resolver; nothing here imports vscode, so plain Node tests run them.
import * as dns from 'node:dns/promises';
import type { ParamKind, RouteParam } from '../analysis/model';

/** The values for a route's dynamic segments: a string for `[id]`, segments for `[...slug]` and `[[...slug]]`. */
export type ParamValues = Record<string, string | string[] | undefined>;

/** A param value that cannot be sent as given; the message says which param and why. */
export class ParamError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
    this.name = 'ParamError';
  }
}

const SEGMENT = /^\[(\[)?(\.\.\.)?([^\]]+)\]?\]$/;

/** The dynamic segments of a URL pattern or public path, in order (`/a/[id]/[...rest]`). */
export function paramsOfPath(path: string): RouteParam[] {
  const params: RouteParam[] = [];
  for (const segment of path.split('/')) {
    const match = SEGMENT.exec(segment);
    if (!match) continue;
    const kind: ParamKind = match[1] ? 'optionalCatchAll' : match[2] ? 'catchAll' : 'dynamic';
    params.push({ name: match[3], kind });
  }
  return params;
}

/**
 * The segments a catch-all value stands for. A string is split on `/` (what a person types into one input
 * box: `docs/intro`), without the slashes at either end; an array is taken as the segments themselves, so
 * an element may hold a `/` that is then encoded.
 */
export function catchAllSegments(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  const trimmed = value.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

/**
 * One path segment's value, percent-encoded so that it stays one segment: `a/b` becomes `a%2Fb`, `?` and
 * `#` cannot start a query or a fragment. `.` and `..` are refused: URL parsers (fetch's too) resolve them,
 * escaped or not (`%2e%2e`), so they would climb out of the route.
 */
export function encodeParamSegment(param: string, value: string): string {
  if (value === '') throw new ParamError(param, `"${param}" is empty: a segment needs a value.`);
  if (value === '.' || value === '..') throw new ParamError(param, `"${param}" cannot be "${value}": URLs resolve it to another path.`);
  return encodeURIComponent(value);
}

/**
 * A public path (`/docs/api/files/[...path]`) with every dynamic segment replaced by its encoded value.
 * A missing or empty `[id]` or `[...slug]` is an error; an empty `[[...slug]]` drops its segment, and its
 * slash, as Next.js matches `/api/docs` for `/api/docs/[[...slug]]`.
 */
export function fillPath(path: string, values: ParamValues): string {
  const out: string[] = [];
  const segments = path.split('/');
  segments.forEach((segment, index) => {
    const match = SEGMENT.exec(segment);
    if (!match) {
      out.push(segment);
      return;
    }
    const name = match[3];
    const value = values[name];
    if (match[1] || match[2]) {
      const parts = catchAllSegments(value);
      if (parts.length === 0) {
        if (!match[1]) throw new ParamError(name, `"${name}" is a catch-all: give at least one segment (a/b/c).`);
        // The last segment of `/x/[[...slug]]` drops out with its slash; the root (`/[[...slug]]`) keeps "/".
        if (index === segments.length - 1 && out.length === 1 && out[0] === '') out.push('');
        return;
      }
      out.push(parts.map((part) => encodeParamSegment(name, part)).join('/'));
      return;
    }
    if (Array.isArray(value)) throw new ParamError(name, `"${name}" is a single segment: give one value, not a list.`);
    if (value === undefined) throw new ParamError(name, `"${name}" has no value.`);
    out.push(encodeParamSegment(name, value));
  });
  return out.join('/');
}

/** Query pairs in order; a name may repeat (`tag=a&tag=b`). */
export type QueryPairs = Array<[name: string, value: string]>;

/** The query as one editable line, pre-filled with the names a handler reads: `q=&page=`. */
export function queryTemplate(names: readonly string[], remembered?: string): string {
  if (remembered !== undefined) return remembered;
  return names.map((name) => `${encodeURIComponent(name)}=`).join('&');
}

/**
 * Parses what a person typed as the query (`q=shoes&page=2`, with or without a leading `?`). Names left
 * without a value are dropped: a handler tells `?q=` (an empty string) from no `q` at all, and the
 * pre-filled template should not send the first when the person filled in nothing.
 */
export function parseQueryInput(text: string): QueryPairs {
  const params = new URLSearchParams(text.trim().replace(/^\?/, ''));
  return [...params].filter(([, value]) => value !== '');
}

/** The query string for pairs or a name → value record, with its `?`, or '' when there is nothing to send. */
export function queryString(query: QueryPairs | Record<string, string | string[] | undefined>): string {
  const pairs: QueryPairs = Array.isArray(query)
    ? query
    : Object.entries(query).flatMap(([name, value]) => (value === undefined ? [] : Array.isArray(value) ? value.map((v): [string, string] => [name, v]) : [[name, value]]));
  if (pairs.length === 0) return '';
  return `?${new URLSearchParams(pairs).toString()}`;
}

/** A base URL, a public path with its params, and a query, as one URL. */
export function buildUrl(baseUrl: string, publicPath: string, params: ParamValues, query: QueryPairs | Record<string, string | string[] | undefined> = []): string {
  const path = fillPath(publicPath, params);
  const base = new URL(baseUrl);
  // The base URL may carry a path of its own (a proxy prefix); the route's path goes below it.
  const prefix = base.pathname.replace(/\/+$/, '');
  return `${base.origin}${prefix}${path}${queryString(query)}`;
}

/** A JSON body to fill in: every field the handler reads, as an empty string, one per line. */
export function jsonBodyTemplate(fields: readonly string[]): string {
  return JSON.stringify(Object.fromEntries(fields.map((field) => [field, ''])), null, 2);
}

/** Where the JSON in a body is broken, as a message that names the line and column. */
export function checkJsonBody(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // V8 names the offset ("at position 22"), except when the text ends too early.
    const position = /position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : /end of JSON/i.test(message) ? text.length : undefined;
    if (offset !== undefined) {
      const before = text.slice(0, offset).split('\n');
      return { ok: false, message: `The body is not valid JSON at line ${before.length}, column ${before[before.length - 1].length + 1}: ${message}` };
    }
    return { ok: false, message: `The body is not valid JSON: ${message}` };
  }
}

/**
 * Whether a host is this machine by its name alone: `localhost`, 127.0.0.0/8 in any form the URL parser reads
 * (`127.1`, `0x7f.0.0.1`, `2130706433`), `::1` and the IPv4-mapped `::ffff:127.x`. `*.localhost` and
 * `localhost.` are not: a resolver may send them anywhere (resolvesToLoopback asks it).
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  let hostname: string;
  try {
    // The URL parser turns every spelling of an address into one: 127.1 → 127.0.0.1, [::ffff:127.0.0.1] → [::ffff:7f00:1].
    hostname = new URL(`http://${bare.includes(':') ? `[${bare}]` : bare}/`).hostname;
  } catch {
    return false;
  }
  return hostname === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(hostname);
}

/** Whether a URL points at this machine by its host's name alone (see isLoopbackHost). */
export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** Every address a host name resolves to, as `dns.lookup(name, { all: true })` gives them. */
export type LookupAll = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const lookupAll: LookupAll = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** `localhost.` and `*.localhost(.)`: names that usually resolve to this machine, but only a resolver can say. */
const LOCALHOST_NAMES = /^(?:localhost\.|(?:[a-z0-9-]+\.)+localhost\.?)$/;

/**
 * Whether a URL points at this machine: a literal loopback host (isLoopbackHost), or a `localhost.` or
 * `*.localhost` name whose every address is loopback, asked of the resolver with a short deadline. Any other
 * name is not resolved: it is not this machine, so the request asks first. A resolver that fails or is slow
 * means "not this machine" too.
 */
export async function resolvesToLoopback(url: string, options: { lookup?: LookupAll; timeoutMs?: number } = {}): Promise<boolean> {
  let hostname: string;
  try {
    hostname = new URL(url).hostname;
  } catch {
    return false;
  }
  if (isLoopbackHost(hostname)) return true;
  if (!LOCALHOST_NAMES.test(hostname)) return false;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), options.timeoutMs ?? 500)));
  try {
    const addresses = await Promise.race([(options.lookup ?? lookupAll)(hostname), deadline]);
    return !!addresses && addresses.length > 0 && addresses.every(({ address }) => isLoopbackHost(address));
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The `Authorization: Basic` value for the user name and password of a base URL (`http://ada:pw@staging`,
 * as REST Client and JetBrains' HTTP client send them), with the origin it belongs to. The URL of a request
 * never holds them: fetch refuses such URLs, and they would end up in the history and the response view.
 */
export function basicAuthorization(baseUrl: string): { origin: string; value: string } | undefined {
  try {
    const url = new URL(baseUrl);
    if (!url.username && !url.password) return undefined;
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    return { origin: url.origin, value: `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}` };
  } catch {
    return undefined;
  }
}

/**
 * A fully specified request, as the command's second argument takes it (tests and the history use it, so
 * no prompt is shown): param values, the query (a record, pairs or a `q=1&page=2` string), a body (a string
 * is sent as is, anything else as JSON) and extra headers.
 */
export interface RequestInput {
  /**
   * The request editor's path and query (`/api/x?a=1`, sent to the base URL) or an absolute http(s) URL;
   * when given, params and query are not used.
   */
  url?: string;
  params?: ParamValues;
  query?: Record<string, string | string[] | undefined> | QueryPairs | string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A request ready for sendHttpRequest. */
export interface ResolvedRequest {
  method: string;
  url: string;
  headers: Array<[name: string, value: string]>;
  body?: string;
}

/**
 * Turns an input into a concrete request against a base URL. Headers come from `defaults` (the
 * routeAtlas.request.headers setting) overridden by the input's own. A JSON body gets
 * `Content-Type: application/json` unless a content type is given, and a string body meant as JSON must
 * parse; GET and HEAD cannot carry a body.
 */
/** The URL a request editor names: a path goes to the base URL (keeping a path the base URL has), a full URL stays. */
function typedUrl(typed: string, baseUrl: string): string {
  if (typed.startsWith('/')) return new URL(baseUrl.replace(/\/+$/, '') + typed).toString();
  let url: URL;
  try {
    url = new URL(typed);
  } catch {
    throw new ParamError('url', `"${typed}" is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ParamError('url', `Only http and https URLs can be sent, not ${url.protocol}`);
  // A password in the URL would end up in the history and the response view: it belongs in a header.
  if (url.username || url.password) throw new ParamError('url', 'Write credentials as an Authorization header, not in the URL.');
  return url.toString();
}

export function resolveRequest(
  input: RequestInput,
  target: { method: string; publicPath: string; baseUrl: string },
  defaults: Record<string, string> = {},
): ResolvedRequest {
  const method = target.method.toUpperCase();
  const query = typeof input.query === 'string' ? parseQueryInput(input.query) : (input.query ?? []);
  const url = input.url !== undefined ? typedUrl(input.url, target.baseUrl) : buildUrl(target.baseUrl, target.publicPath, input.params ?? {}, query);
  const merged = new Map<string, [string, string]>();
  for (const [name, value] of [...Object.entries(defaults), ...Object.entries(input.headers ?? {})]) merged.set(name.toLowerCase(), [name, value]);
  let body: string | undefined;
  if (input.body !== undefined && input.body !== null) {
    if (method === 'GET' || method === 'HEAD') throw new ParamError('body', `${method} requests cannot carry a body.`);
    body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
    const contentType = merged.get('content-type')?.[1];
    if (typeof input.body === 'string') {
      // A string meant as JSON (so declared, or looking like it) must parse: sending broken JSON only
      // moves the error to the handler, where it is harder to read.
      const meantAsJson = contentType ? /json/i.test(contentType) : /^\s*[[{]/.test(input.body);
      const check = meantAsJson ? checkJsonBody(input.body) : undefined;
      if (check && !check.ok) throw new ParamError('body', check.message);
      if (!contentType && check?.ok) merged.set('content-type', ['Content-Type', 'application/json']);
    } else if (!contentType) merged.set('content-type', ['Content-Type', 'application/json']);
  }
  return { method, url, headers: [...merged.values()], body };
}
