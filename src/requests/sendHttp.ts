// Sends one request with Node's fetch and collects everything the response view shows: each redirect hop,
// the cookies of the app's jar, stored credentials only for the origin they were stored for, the body as it
// streams in, and a failure kind a person can act on. No vscode here: plain Node tests run it against real
// local servers.
import { resolvesToLoopback } from '../../server/requests/buildRequest';
import type { CookieJar } from './cookieJar';
import { headersForAnotherOrigin, isCredentialName, withoutUserinfo } from '../../server/requests/credentials';

/** A request with every value filled in. */
export interface HttpRequest {
  method: string;
  url: string;
  headers: Array<[name: string, value: string]>;
  body?: string;
}

/** One redirect the client followed: the response that redirected and where to. */
export interface RedirectHop {
  status: number;
  url: string;
  location: string;
}

export interface HttpResponseData {
  /** The URL of the last response, after redirects. */
  url: string;
  status: number;
  statusText: string;
  headers: Array<[name: string, value: string]>;
  redirects: RedirectHop[];
  /** From sending to the end of the body, in milliseconds. */
  timeMs: number;
  /** From sending to the last response's headers. */
  headersMs: number;
  /** The body as received, up to `maxStoredBytes`. */
  body: Uint8Array;
  /** Bytes received in all (more than `body` holds when it was cut at `maxStoredBytes`). */
  bytes: number;
  /** True when the body was longer than `maxStoredBytes` and the rest was not read. */
  bodyCut: boolean;
  /** How many chunks the body arrived in. */
  chunks: number;
  /** A redirect that was not followed, so that this response is the redirect itself: where it pointed and why. */
  notFollowed?: { location: string; reason: string };
}

/**
 * What a person is asked before a redirect goes to another origin. A hop within one origin is not asked
 * about: it carries what the first request carried to the same place.
 */
export interface RedirectQuestion {
  status: number;
  /** The URL that answered with the redirect. */
  from: string;
  /** Where the redirect points. */
  to: string;
  /** The method the next request would use (307 and 308 keep it, 303 and a POST's 301/302 make it GET). */
  method: string;
  /** The bytes of request body the next request would carry to `to`: 0 when it carries none. */
  bodyBytes: number;
  /** Whether `to` is another machine, not only another port or scheme of this one. */
  leavesMachine: boolean;
  /** The headers that stay behind (only harmless ones go to another origin), credentials first. */
  droppedHeaders: string[];
}

export type RequestFailureKind = 'connectionRefused' | 'hostNotFound' | 'timeout' | 'cancelled' | 'tooManyRedirects' | 'invalidUrl' | 'network';

/** A request that got no (complete) response. `redirects` are the hops followed before it failed. */
export class RequestFailure extends Error {
  constructor(
    readonly kind: RequestFailureKind,
    message: string,
    readonly url: string,
    readonly redirects: RedirectHop[] = [],
    readonly timeMs = 0,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'RequestFailure';
  }
}

export interface SendOptions {
  /** How long to wait for the response headers, and then for each next piece of the body. */
  timeoutMs: number;
  /** Cancels the request (the progress notification's Cancel button). */
  signal?: AbortSignal;
  /** Cookies per origin; Set-Cookie of every hop is stored, and a Cookie header sent for every hop. */
  cookies?: CookieJar;
  /**
   * The Authorization value stored for an origin (a bearer token, or Basic from a base URL's user name and
   * password), if any. It is only ever sent to that exact origin, and never over a header given for the request.
   */
  authorizationFor?: (origin: string) => string | undefined;
  /**
   * Asked before a redirect goes to another origin; true follows it. Without it, such a redirect is not
   * followed. The wait for the answer does not count against `timeoutMs`.
   */
  confirmRedirect?: (question: RedirectQuestion) => Promise<boolean>;
  /** Whether a URL is this machine, for the question (default: resolvesToLoopback). */
  isThisMachine?: (url: string) => Promise<boolean>;
  /** Redirects followed at most (default 5); one more fails with `tooManyRedirects`. */
  maxRedirects?: number;
  /** Bytes of body kept (default 64 MiB); beyond it, reading stops and `bodyCut` is set. */
  maxStoredBytes?: number;
  /** Called with the final response's status and headers, before its body is read. */
  onHeaders?: (response: Pick<HttpResponseData, 'url' | 'status' | 'statusText' | 'headers' | 'redirects' | 'headersMs'>) => void;
  /** Called with each piece of the body as it arrives. */
  onChunk?: (chunk: Uint8Array, receivedBytes: number) => void;
}

export const DEFAULT_MAX_REDIRECTS = 5;
const DEFAULT_MAX_STORED_BYTES = 64 * 1024 * 1024;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function hasHeader(headers: Array<[string, string]>, name: string): boolean {
  return headers.some(([n]) => n.toLowerCase() === name);
}

function withoutHeaders(headers: Array<[string, string]>, names: string[]): Array<[string, string]> {
  return headers.filter(([n]) => !names.includes(n.toLowerCase()));
}

/** A URL without its query, for messages: they end up in the history and the log, where a query may hold a token. */
function withoutQuery(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.origin + parsed.pathname;
  } catch {
    return url;
  }
}

/** A Location as the response view may show it: without a password, and a long `data:` URL cut short. */
function shownLocation(location: string): string {
  const safe = withoutUserinfo(location);
  return safe.length > 200 ? `${safe.slice(0, 200)}…` : safe;
}

/** Why a redirect's target cannot be followed at all, whatever anyone answers; undefined when it can. */
function refusedTarget(location: string, next: URL | undefined): string | undefined {
  if (!next) return `Not followed: the redirect's Location (${shownLocation(location)}) is not a valid URL.`;
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    return `Not followed: the redirect points to a ${next.protocol} URL; Route Atlas follows only http and https redirects.`;
  }
  if (next.username || next.password) return `Not followed: the redirect's Location holds a user name and password, which Route Atlas does not send.`;
  return undefined;
}

/** Walks an error's `cause` chain (and AggregateError's errors) for a system error code. */
function errorCode(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== 'object' || depth > 5) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  if (Array.isArray(errors)) for (const inner of errors) {
    const found = errorCode(inner, depth + 1);
    if (found) return found;
  }
  return errorCode(cause, depth + 1);
}

/**
 * The request a redirect leads to. 303, and 301/302 after a POST, continue as GET without a body, as browsers
 * do; 307 and 308 keep method and body. To another origin only harmless headers go (credentials.ts); the names
 * of the others, credentials first, are returned for the question asked before.
 */
function redirectedRequest(
  status: number,
  from: URL,
  to: URL,
  request: { method: string; body: string | undefined; headers: Array<[string, string]> },
): { method: string; body: string | undefined; headers: Array<[string, string]>; droppedHeaders: string[] } {
  let { method, body, headers } = request;
  if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
    if (method !== 'HEAD') method = 'GET';
    body = undefined;
    headers = withoutHeaders(headers, ['content-type', 'content-length']);
  }
  if (method === 'GET' || method === 'HEAD') body = undefined;
  if (to.origin === from.origin) return { method, body, headers, droppedHeaders: [] };
  const { kept, dropped } = headersForAnotherOrigin(headers, body !== undefined);
  return { method, body, headers: kept, droppedHeaders: [...dropped.filter(isCredentialName), ...dropped.filter((name) => !isCredentialName(name))] };
}

/**
 * Sends a request and follows up to five redirects itself (`redirect: 'manual'`), so that every hop is
 * recorded, gets the cookies of its own origin, and is checked before it goes: a redirect to anything but
 * http(s) is not followed, and one to another origin (another host, port or scheme) only after
 * `confirmRedirect` says yes, carrying only harmless headers. A redirect not followed is the response, with
 * `notFollowed` saying why. 301/302 after a POST and every 303 continue as GET without a body, as browsers do.
 */
export async function sendHttpRequest(request: HttpRequest, options: SendOptions): Promise<HttpResponseData> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const maxStored = options.maxStoredBytes ?? DEFAULT_MAX_STORED_BYTES;
  const redirects: RedirectHop[] = [];

  const controller = new AbortController();
  let abortReason: 'timeout' | 'cancelled' | undefined;
  let timer: NodeJS.Timeout | undefined;
  const armTimeout = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      abortReason = 'timeout';
      controller.abort();
    }, options.timeoutMs);
  };
  const onCancel = () => {
    abortReason ??= 'cancelled';
    controller.abort();
  };
  if (options.signal?.aborted) onCancel();
  options.signal?.addEventListener('abort', onCancel, { once: true });

  const fail = (error: unknown, url: string): RequestFailure => {
    if (error instanceof RequestFailure) return error;
    const where = withoutQuery(url);
    if (abortReason === 'timeout') return new RequestFailure('timeout', `No response from ${where} within ${options.timeoutMs} ms.`, url, redirects, elapsed());
    if (abortReason === 'cancelled') return new RequestFailure('cancelled', 'The request was cancelled.', url, redirects, elapsed());
    const code = errorCode(error);
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'ECONNREFUSED') return new RequestFailure('connectionRefused', `Connection refused by ${new URL(url).host}.`, url, redirects, elapsed(), code);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new RequestFailure('hostNotFound', `Host ${new URL(url).hostname} not found.`, url, redirects, elapsed(), code);
    const detail = code && !message.includes(code) ? `${message} (${code})` : message;
    return new RequestFailure('network', detail === 'fetch failed' ? `The request to ${where} failed.` : detail, url, redirects, elapsed(), code);
  };

  let method = request.method.toUpperCase();
  let body = request.body;
  let headers = request.headers;
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    throw new RequestFailure('invalidUrl', `Not a valid URL: ${request.url}`, request.url);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RequestFailure('invalidUrl', `Only http and https URLs can be sent: ${request.url}`, request.url);

  try {
    for (;;) {
      const hopHeaders = new Headers();
      for (const [name, value] of headers) hopHeaders.append(name, value);
      const cookie = options.cookies?.header(url);
      if (cookie && !hopHeaders.has('cookie')) hopHeaders.set('cookie', cookie);
      const authorization = options.authorizationFor?.(url.origin);
      if (authorization && !hopHeaders.has('authorization')) hopHeaders.set('authorization', authorization);

      armTimeout();
      const response = await fetch(url, {
        method,
        headers: hopHeaders,
        body: method === 'GET' || method === 'HEAD' ? undefined : body,
        redirect: 'manual',
        signal: controller.signal,
      });
      options.cookies?.store(url, response.headers.getSetCookie());
      const location = response.headers.get('location');
      let notFollowed: HttpResponseData['notFollowed'];
      if (REDIRECT_STATUSES.has(response.status) && location) {
        let next: URL | undefined;
        try {
          next = new URL(location, url);
        } catch {
          // Said in the refusal below.
        }
        const refusal = refusedTarget(location, next);
        if (refusal !== undefined) notFollowed = { location: shownLocation(next?.href ?? location), reason: refusal };
        else if (next) {
          if (redirects.length >= maxRedirects) {
            redirects.push({ status: response.status, url: url.href, location: next.href });
            await response.arrayBuffer().catch(() => undefined);
            throw new RequestFailure('tooManyRedirects', `More than ${maxRedirects} redirects; the last one pointed to ${withoutQuery(next.href)}.`, url.href, redirects, elapsed());
          }
          const hop = redirectedRequest(response.status, url, next, { method, body, headers });
          if (next.origin !== url.origin) {
            const question: RedirectQuestion = {
              status: response.status,
              from: url.href,
              to: next.href,
              method: hop.method,
              bodyBytes: hop.body === undefined ? 0 : Buffer.byteLength(hop.body),
              leavesMachine: !(await (options.isThisMachine ?? resolvesToLoopback)(next.href)),
              droppedHeaders: hop.droppedHeaders,
            };
            // A person may take longer than the timeout to answer; the clock starts again with the next hop.
            clearTimeout(timer);
            if (!(options.confirmRedirect && (await options.confirmRedirect(question)))) {
              notFollowed = {
                location: shownLocation(next.href),
                reason: options.confirmRedirect
                  ? `Not followed: you chose not to send ${hop.method} on to ${next.origin}.`
                  : `Not followed: the redirect leads to another origin (${next.origin}), and nobody could be asked.`,
              };
              // This response is the one shown, so the clock runs again while its body is read.
              armTimeout();
            }
          }
          if (!notFollowed) {
            redirects.push({ status: response.status, url: url.href, location: next.href });
            // The redirect's own body is not wanted; reading it to the end frees the connection.
            await response.arrayBuffer().catch(() => undefined);
            ({ method, body, headers } = hop);
            url = next;
            continue;
          }
        }
      }

      const responseHeaders: Array<[string, string]> = [];
      response.headers.forEach((value, name) => {
        if (name !== 'set-cookie') responseHeaders.push([name, value]);
      });
      for (const value of response.headers.getSetCookie()) responseHeaders.push(['set-cookie', value]);
      const headersMs = elapsed();
      options.onHeaders?.({ url: url.href, status: response.status, statusText: response.statusText, headers: responseHeaders, redirects, headersMs });

      const pieces: Uint8Array[] = [];
      let stored = 0;
      let bytes = 0;
      let chunks = 0;
      let bodyCut = false;
      if (response.body) {
        const reader = response.body.getReader();
        for (;;) {
          armTimeout();
          const { done, value } = await reader.read();
          if (done) break;
          chunks++;
          bytes += value.byteLength;
          options.onChunk?.(value, bytes);
          if (stored + value.byteLength > maxStored) {
            pieces.push(value.subarray(0, maxStored - stored));
            stored = maxStored;
            bodyCut = true;
            await reader.cancel().catch(() => undefined);
            break;
          }
          pieces.push(value);
          stored += value.byteLength;
        }
      }
      const all = new Uint8Array(stored);
      let offset = 0;
      for (const piece of pieces) {
        all.set(piece, offset);
        offset += piece.byteLength;
      }
      return { url: url.href, status: response.status, statusText: response.statusText, headers: responseHeaders, redirects, timeMs: elapsed(), headersMs, body: all, bytes, bodyCut, chunks, ...(notFollowed ? { notFollowed } : {}) };
    }
  } catch (error) {
    throw fail(error, url.href);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCancel);
  }
}

/** Whether a request's headers already name a header (case-insensitive), e.g. an explicit Authorization. */
export function requestHasHeader(request: HttpRequest, name: string): boolean {
  return hasHeader(request.headers, name.toLowerCase());
}
