// What counts as a credential in a request, in one place: the history never stores one, and a redirect
// never carries one to another origin. No vscode here: plain Node tests run it.

/**
 * A header or query parameter name that carries a credential: `Authorization`, `Proxy-Authorization`,
 * `Cookie`, `X-Api-Key`, `X-Auth-Token`, `X-Access-Token`, `Api-Key`, `X-CSRF-Token`, and any other name
 * containing one of these parts. Matching parts rather than a fixed list catches the custom ones
 * (`X-Tenant-Secret`, `X-Session-Id`); a name caught by mistake (`X-Author`) only stays out of the history.
 */
const CREDENTIAL_NAME_PARTS = /auth|token|secret|key|session|passw|csrf|xsrf|cookie|credential|signature/i;

export function isCredentialName(name: string): boolean {
  return CREDENTIAL_NAME_PARTS.test(name);
}

/**
 * The headers a redirect carries to another origin: those that say what the client accepts and is, none that
 * could identify or authorize it. Content-Type goes too when the body is replayed (307/308), since the
 * body means nothing without it. Everything else, custom headers included, stays with the origin it was
 * meant for; the origin's own cookies and stored token come from the jar and the secret store instead.
 */
const HEADERS_FOR_ANOTHER_ORIGIN = new Set(['accept', 'accept-language', 'accept-encoding', 'user-agent', 'cache-control', 'pragma']);

/** Splits headers into those a hop to another origin carries and the names of those it leaves behind. */
export function headersForAnotherOrigin(headers: ReadonlyArray<[string, string]>, replaysBody: boolean): { kept: Array<[string, string]>; dropped: string[] } {
  const kept: Array<[string, string]> = [];
  const dropped: string[] = [];
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (HEADERS_FOR_ANOTHER_ORIGIN.has(lower) || (replaysBody && lower === 'content-type')) kept.push([name, value]);
    else dropped.push(name);
  }
  return { kept, dropped };
}

/**
 * A URL without its user name and password (`http://ada:pw@host/x` → `http://host/x`), or a message with
 * every URL in it so cut. The rest stays as written; text that holds no such URL comes back unchanged.
 */
export function withoutUserinfo(text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    // Not one URL: a message, or a URL no parser takes.
  }
  if (url) {
    if (!url.username && !url.password) return text;
    // They end at the last `@` before the path, which a password may contain too.
    const cut = text.replace(/^(\s*[a-z][a-z0-9+.-]*:\/*)[^/?#\\]*@/i, '$1');
    try {
      const check = new URL(cut);
      if (!check.username && !check.password) return cut;
    } catch {
      // Cut wrongly: the parser's own spelling below is safe.
    }
    url.username = '';
    url.password = '';
    return url.href;
  }
  // Everything between a scheme and the last `@` before a space goes: a piece of path may go with it, but no
  // password stays behind.
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s]*@/gi, '$1');
}
