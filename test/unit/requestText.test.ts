import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { Route, RouteMethod } from '../../server/analysis/model';
import {
  DEFAULT_BASE_URL,
  draftRequest,
  encodePathSegment,
  formatCurl,
  formatFetch,
  joinUrl,
  quoteForShell,
  routeUrl,
  toUrlTemplate,
} from '../../server/requests/requestText';

function route(publicPath: string, methods: RouteMethod[]): Pick<Route, 'publicPath' | 'methods'> {
  return { publicPath, methods };
}

const noRequestData = { query: [], headers: [], statuses: [] };

/** What a POSIX shell makes of a command line: each argument as the program receives it. */
function shellArguments(commandLine: string): string[] {
  const script = `set -- ${commandLine.replace(/^curl /, '')}\nfor a in "$@"; do printf '%s\\0' "$a"; done`;
  return execFileSync('sh', ['-c', script], { encoding: 'utf8' }).split('\0').slice(0, -1);
}

describe('request text', () => {
  describe('URL templates', () => {
    it('writes dynamic segments as {name} placeholders', () => {
      assert.equal(toUrlTemplate('/api/users/[id]'), '/api/users/{id}');
      assert.equal(toUrlTemplate('/docs/[...slug]'), '/docs/{...slug}');
      assert.equal(toUrlTemplate('/shop/[[...path]]'), '/shop/{...path}');
      assert.equal(toUrlTemplate('/a/[b]/c/[d]'), '/a/{b}/c/{d}');
    });

    it('keeps the root and a trailing slash', () => {
      assert.equal(toUrlTemplate('/'), '/');
      assert.equal(toUrlTemplate('/api/items/'), '/api/items/');
    });

    it('percent-encodes what may not stand raw in a path and leaves escapes alone', () => {
      assert.equal(encodePathSegment('café menu'), 'caf%C3%A9%20menu');
      assert.equal(encodePathSegment('a%20b'), 'a%20b');
      assert.equal(encodePathSegment('100%'), '100%25');
      assert.equal(encodePathSegment('sitemap.xml'), 'sitemap.xml');
    });

    it('joins the base URL and the public path (basePath included) with one slash', () => {
      assert.equal(joinUrl('http://localhost:3000/', '/docs/api'), 'http://localhost:3000/docs/api');
      assert.equal(joinUrl('https://example.com/prefix', '/api'), 'https://example.com/prefix/api');
      assert.equal(routeUrl({ publicPath: '/docs/api/search/[term]' }), `${DEFAULT_BASE_URL}/docs/api/search/{term}`);
    });
  });

  describe('cURL', () => {
    it('writes a GET as the bare URL in single quotes', () => {
      const draft = draftRequest(route('/api/health', [{ name: 'GET', request: noRequestData }]), 'GET');
      assert.equal(formatCurl(draft), `curl '${DEFAULT_BASE_URL}/api/health'`);
    });

    it('turns globbing off when the URL has placeholders, so curl sends the braces', () => {
      const draft = draftRequest(route('/api/users/[id]', [{ name: 'DELETE' }]), 'delete');
      assert.equal(formatCurl(draft), `curl '${DEFAULT_BASE_URL}/api/users/{id}' \\\n  -X DELETE \\\n  --globoff`);
    });

    it('uses --head for HEAD, which -X HEAD would leave waiting for a body', () => {
      assert.equal(formatCurl({ method: 'HEAD', url: 'http://x/a', headers: [] }), `curl 'http://x/a' --head`);
    });

    it('sends a JSON body with the fields the handler reads, and lets --data imply POST', () => {
      const post: RouteMethod = { name: 'POST', request: { ...noRequestData, body: { kind: 'json', fields: ['name', 'email'] } } };
      const text = formatCurl(draftRequest(route('/api/users', [post]), 'POST'));
      assert.equal(text, `curl '${DEFAULT_BASE_URL}/api/users' \\\n  -H 'Content-Type: application/json' \\\n  --data-raw '{"name":"","email":""}'`);
      assert.ok(!text.includes('-X'));
    });

    it('keeps -X for PUT with a body and writes form fields with -F', () => {
      const put: RouteMethod = { name: 'PUT', request: { ...noRequestData, body: { kind: 'formData', fields: ['file', 'title'] } } };
      assert.equal(formatCurl(draftRequest(route('/upload', [put]), 'PUT')), `curl '${DEFAULT_BASE_URL}/upload' \\\n  -X PUT \\\n  -F 'file=' \\\n  -F 'title='`);
    });

    it('never sends a body with GET, even when the handler reads one', () => {
      const get: RouteMethod = { name: 'GET', request: { ...noRequestData, body: { kind: 'json', fields: ['q'] } } };
      const draft = draftRequest(route('/api/search', [get]), 'GET');
      assert.equal(draft.body, undefined);
      assert.deepEqual(draft.headers, []);
    });

    it('quotes single quotes, dollars and backticks so that a POSIX shell passes them through unchanged', () => {
      const awkward = `it's $HOME and \`id\` and "x" and \\n`;
      assert.equal(quoteForShell("it's"), `'it'\\''s'`);
      const line = formatCurl({ method: 'POST', url: `http://x/${awkward}`, headers: [['X-Note', awkward]], body: { kind: 'text' } });
      assert.deepEqual(shellArguments(line), [`http://x/${awkward}`, '-H', `X-Note: ${awkward}`, '--data-raw', '']);
    });
  });

  describe('fetch', () => {
    it('writes a GET as a bare call', () => {
      const draft = draftRequest(route('/api/users/[id]', [{ name: 'GET' }]), 'GET');
      assert.equal(formatFetch(draft), `const response = await fetch("${DEFAULT_BASE_URL}/api/users/{id}");`);
    });

    it('writes method, headers and a JSON body built with JSON.stringify', () => {
      const patch: RouteMethod = { name: 'PATCH', request: { ...noRequestData, body: { kind: 'json', fields: ['name', 'first-name'] } } };
      assert.equal(
        formatFetch(draftRequest(route('/api/users/[id]', [patch]), 'PATCH')),
        [
          `const response = await fetch("${DEFAULT_BASE_URL}/api/users/{id}", {`,
          '  method: "PATCH",',
          '  headers: { "Content-Type": "application/json" },',
          '  body: JSON.stringify({ name: "", "first-name": "" }),',
          '});',
        ].join('\n'),
      );
    });

    it('builds a FormData body field by field', () => {
      const post: RouteMethod = { name: 'POST', request: { ...noRequestData, body: { kind: 'formData', fields: ['avatar'] } } };
      assert.equal(
        formatFetch(draftRequest(route('/api/avatar', [post]), 'POST', 'http://127.0.0.1:4000')),
        ['const body = new FormData();', 'body.append("avatar", "");', 'const response = await fetch("http://127.0.0.1:4000/api/avatar", {', '  method: "POST",', '  body,', '});'].join('\n'),
      );
    });

    it('escapes quotes and backslashes in string literals', () => {
      const text = formatFetch({ method: 'GET', url: 'http://x/a"b\\c', headers: [] });
      assert.equal(text, 'const response = await fetch("http://x/a\\"b\\\\c");');
    });
  });
});
