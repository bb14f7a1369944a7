// A small cookie jar, one per origin, so that a session that logs in once can call protected endpoints.
// Cookies are host-only (the Domain attribute is not honoured: a dev server is one origin) and live for the
// VS Code window; Path, Expires, Max-Age and Secure are. No vscode here: plain Node tests run it.

export interface StoredCookie {
  name: string;
  value: string;
  path: string;
  /** Milliseconds since the epoch; undefined for a session cookie. */
  expires?: number;
  secure: boolean;
}

/** The directory part of a request path, RFC 6265 5.1.4: the default Path of a cookie it sets. */
function defaultPath(pathname: string): string {
  if (!pathname.startsWith('/')) return '/';
  const last = pathname.lastIndexOf('/');
  return last <= 0 ? '/' : pathname.slice(0, last);
}

/** RFC 6265 5.1.4 path-match. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/** Parses one Set-Cookie header value; undefined when it has no `name=value`. */
export function parseSetCookie(header: string, requestUrl: URL, now = Date.now()): StoredCookie | undefined {
  const [pair, ...attributes] = header.split(';');
  const eq = pair.indexOf('=');
  if (eq <= 0) return undefined;
  const cookie: StoredCookie = { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), path: defaultPath(requestUrl.pathname), secure: false };
  let maxAge: number | undefined;
  for (const attribute of attributes) {
    const [rawKey, ...rest] = attribute.split('=');
    const key = rawKey.trim().toLowerCase();
    const value = rest.join('=').trim();
    if (key === 'path' && value.startsWith('/')) cookie.path = value;
    else if (key === 'secure') cookie.secure = true;
    else if (key === 'expires') {
      const time = Date.parse(value);
      if (!Number.isNaN(time)) cookie.expires = time;
    } else if (key === 'max-age' && /^-?\d+$/.test(value)) maxAge = Number(value);
  }
  // Max-Age wins over Expires (RFC 6265 5.3 step 3); zero or less deletes the cookie.
  if (maxAge !== undefined) cookie.expires = maxAge <= 0 ? 0 : now + maxAge * 1000;
  return cookie;
}

/** Cookies per origin (`http://localhost:3000`), each origin's set kept apart. */
export class CookieJar {
  private readonly byOrigin = new Map<string, StoredCookie[]>();

  /** Stores the cookies of a response's Set-Cookie headers (an expired one deletes its namesake). */
  store(url: string | URL, setCookieHeaders: readonly string[], now = Date.now()): void {
    const target = new URL(url);
    const cookies = this.byOrigin.get(target.origin) ?? [];
    for (const header of setCookieHeaders) {
      const cookie = parseSetCookie(header, target, now);
      if (!cookie) continue;
      const index = cookies.findIndex((c) => c.name === cookie.name && c.path === cookie.path);
      if (index >= 0) cookies.splice(index, 1);
      if (cookie.expires === undefined || cookie.expires > now) cookies.push(cookie);
    }
    this.byOrigin.set(target.origin, cookies);
  }

  /**
   * The Cookie header for a request, or undefined when no cookie applies. Longer paths first, as browsers
   * order them. A Secure cookie goes only over https, or to a loopback host (browsers treat those as
   * secure contexts, and dev servers run on plain http).
   */
  header(url: string | URL, now = Date.now()): string | undefined {
    const target = new URL(url);
    const secureContext = target.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(target.hostname);
    const cookies = (this.byOrigin.get(target.origin) ?? [])
      .filter((c) => (c.expires === undefined || c.expires > now) && pathMatches(target.pathname, c.path) && (!c.secure || secureContext))
      .sort((a, b) => b.path.length - a.path.length);
    return cookies.length === 0 ? undefined : cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  /** The cookies of an origin, for a "clear cookies" action and for tests. */
  cookies(origin: string): readonly StoredCookie[] {
    return this.byOrigin.get(new URL(origin).origin) ?? [];
  }

  clear(origin?: string): void {
    if (origin === undefined) this.byOrigin.clear();
    else this.byOrigin.delete(new URL(origin).origin);
  }
}
