import * as assert from 'node:assert/strict';
import {
  ParamError,
  buildUrl,
  catchAllSegments,
  checkJsonBody,
  fillPath,
  isLoopbackHost,
  isLoopbackUrl,
  jsonBodyTemplate,
  paramsOfPath,
  parseQueryInput,
  queryString,
  queryTemplate,
  basicAuthorization,
  resolveRequest,
  resolvesToLoopback,
} from '../../server/requests/buildRequest';

describe('requests: building a request', () => {
  describe('params', () => {
    it('lists the dynamic segments of a path with their kinds', () => {
      assert.deepEqual(paramsOfPath('/shop/api/[id]/files/[...path]'), [
        { name: 'id', kind: 'dynamic' },
        { name: 'path', kind: 'catchAll' },
      ]);
      assert.deepEqual(paramsOfPath('/docs/[[...slug]]'), [{ name: 'slug', kind: 'optionalCatchAll' }]);
      assert.deepEqual(paramsOfPath('/api/health'), []);
    });

    it('encodes a value so that it stays one segment: a/b cannot escape', () => {
      assert.equal(fillPath('/api/items/[id]', { id: 'a/b' }), '/api/items/a%2Fb');
      assert.equal(fillPath('/api/items/[id]', { id: 'x?y#z' }), '/api/items/x%3Fy%23z');
      assert.equal(fillPath('/api/items/[id]', { id: 'café 1' }), '/api/items/caf%C3%A9%201');
      assert.equal(new URL(buildUrl('http://localhost:3000', '/api/items/[id]', { id: 'a/b' })).pathname, '/api/items/a%2Fb');
    });

    it('refuses . and .., which URL parsers resolve even when escaped', () => {
      assert.throws(() => fillPath('/api/items/[id]', { id: '..' }), ParamError);
      assert.throws(() => fillPath('/api/files/[...path]', { path: ['a', '.'] }), /cannot be "\."/);
      // What the check guards against: fetch would request /api/secret.
      assert.equal(new URL('http://x/api/items/%2e%2e/secret').pathname, '/api/secret');
    });

    it('fills a catch-all with several segments, each encoded', () => {
      assert.equal(fillPath('/api/files/[...path]', { path: 'docs/intro/getting started' }), '/api/files/docs/intro/getting%20started');
      assert.equal(fillPath('/api/files/[...path]', { path: ['a/b', 'c'] }), '/api/files/a%2Fb/c');
      assert.equal(fillPath('/api/files/[...path]', { path: '/x/y/' }), '/api/files/x/y');
      assert.deepEqual(catchAllSegments(''), []);
    });

    it('drops an empty optional catch-all with its slash, and keeps the root', () => {
      assert.equal(fillPath('/api/docs/[[...slug]]', {}), '/api/docs');
      assert.equal(fillPath('/api/docs/[[...slug]]', { slug: '' }), '/api/docs');
      assert.equal(fillPath('/api/docs/[[...slug]]/', {}), '/api/docs/');
      assert.equal(fillPath('/[[...slug]]', {}), '/');
      assert.equal(fillPath('/api/docs/[[...slug]]', { slug: 'a/b' }), '/api/docs/a/b');
    });

    it('needs a value for [id] and at least one segment for [...slug]', () => {
      assert.throws(() => fillPath('/api/items/[id]', {}), /"id" has no value/);
      assert.throws(() => fillPath('/api/items/[id]', { id: '' }), /"id" is empty/);
      assert.throws(() => fillPath('/api/files/[...path]', { path: [] }), /catch-all/);
      assert.throws(() => fillPath('/api/files/[...path]', { path: 'a//b' }), /empty/);
    });
  });

  describe('URL and query', () => {
    it('puts basePath (in publicPath) below a base URL that may have a path of its own', () => {
      assert.equal(buildUrl('http://localhost:4000', '/shop/api/users/[id]', { id: '7' }), 'http://localhost:4000/shop/api/users/7');
      assert.equal(buildUrl('https://example.com/proxy/', '/api/x', {}), 'https://example.com/proxy/api/x');
    });

    it('pre-fills the query with the names the handler reads, and drops names left empty', () => {
      assert.equal(queryTemplate(['q', 'page']), 'q=&page=');
      assert.equal(queryTemplate(['q'], 'q=shoes'), 'q=shoes');
      assert.deepEqual(parseQueryInput('?q=shoes&page=&tag=a&tag=b'), [
        ['q', 'shoes'],
        ['tag', 'a'],
        ['tag', 'b'],
      ]);
    });

    it('encodes query values', () => {
      assert.equal(queryString([['q', 'a&b c']]), '?q=a%26b+c');
      assert.equal(queryString({ tag: ['x', 'y'], none: undefined }), '?tag=x&tag=y');
      assert.equal(queryString([]), '');
      assert.equal(buildUrl('http://localhost:3000', '/api/search', {}, { q: 'ä' }), 'http://localhost:3000/api/search?q=%C3%A4');
    });
  });

  describe('bodies', () => {
    it('writes a JSON template with the fields the handler reads', () => {
      assert.equal(jsonBodyTemplate(['name', 'email']), '{\n  "name": "",\n  "email": ""\n}');
      assert.equal(jsonBodyTemplate([]), '{}');
    });

    it('says where a body is not valid JSON', () => {
      const result = checkJsonBody('{\n  "name": "x",\n  oops\n}');
      assert.equal(result.ok, false);
      assert.match(!result.ok ? result.message : '', /line 3/);
      assert.deepEqual(checkJsonBody('{"a":1}'), { ok: true, value: { a: 1 } });
    });
  });

  describe('a fully specified request', () => {
    const target = { method: 'put', publicPath: '/api/items/[id]', baseUrl: 'http://localhost:3000' };

    it('sends an object body as JSON with its content type, and merges headers over the defaults', () => {
      const request = resolveRequest({ params: { id: '1' }, query: 'v=2', body: { title: 'x' }, headers: { 'X-Trace': 'on' } }, target, { 'x-trace': 'off', Accept: '*/*' });
      assert.deepEqual(request, {
        method: 'PUT',
        url: 'http://localhost:3000/api/items/1?v=2',
        headers: [
          ['X-Trace', 'on'],
          ['Accept', '*/*'],
          ['Content-Type', 'application/json'],
        ],
        body: '{"title":"x"}',
      });
    });

    it('keeps a string body as it is and refuses a body on GET', () => {
      assert.equal(resolveRequest({ params: { id: '1' }, body: 'plain', headers: { 'content-type': 'text/plain' } }, target).body, 'plain');
      assert.throws(() => resolveRequest({ params: { id: '1' }, body: {} }, { ...target, method: 'GET' }), /GET requests cannot carry a body/);
    });

    it('checks a string body meant as JSON before it is sent', () => {
      assert.throws(() => resolveRequest({ params: { id: '1' }, body: '{ "title": ' }, target), /not valid JSON at line 1/);
      assert.throws(() => resolveRequest({ params: { id: '1' }, body: 'nope', headers: { 'Content-Type': 'application/json' } }, target), /not valid JSON/);
      assert.deepEqual(resolveRequest({ params: { id: '1' }, body: '[1]' }, target).headers, [['Content-Type', 'application/json']]);
      assert.deepEqual(resolveRequest({ params: { id: '1' }, body: 'a=1' }, target).headers, []);
    });
  });

  describe('a base URL with a user name and password', () => {
    it('sends them as Basic authorization to that origin, never in the URL', () => {
      const request = resolveRequest({}, { method: 'GET', publicPath: '/api/x', baseUrl: 'http://ada:s%40cret@localhost:3000/prefix' });
      assert.equal(request.url, 'http://localhost:3000/prefix/api/x');
      assert.deepEqual(request.headers, []);
      assert.deepEqual(basicAuthorization('http://ada:s%40cret@localhost:3000/prefix'), {
        origin: 'http://localhost:3000',
        value: `Basic ${Buffer.from('ada:s@cret').toString('base64')}`,
      });
      assert.equal(basicAuthorization('http://localhost:3000'), undefined);
      assert.equal(basicAuthorization('not a url'), undefined);
    });
  });

  describe('loopback', () => {
    it('knows localhost, 127.0.0.0/8 in every form the URL parser reads, ::1 and ::ffff:127.x as this machine', () => {
      for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '127.1', '0x7f.0.0.1', '2130706433', '127.0.0.1.', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '[::ffff:7f00:1]']) {
        assert.equal(isLoopbackHost(host), true, host);
      }
      assert.equal(isLoopbackUrl('http://[::ffff:127.0.0.1]:3000/x'), true);
      assert.equal(isLoopbackUrl('http://127.1:3000/x'), true);
    });

    it('asks for everything else, *.localhost and localhost. included until they are resolved', () => {
      for (const host of ['example.com', '10.0.0.1', '128.0.0.1', '127.0.0.256', 'localhost.example.com', '::2', '::', '192.168.1.2', '0.0.0.0', 'app.localhost', 'localhost.', 'foo.localhost.', '::ffff:10.0.0.1']) {
        assert.equal(isLoopbackHost(host), false, host);
      }
      assert.equal(isLoopbackUrl('http://[::1]:3000/x'), true);
      assert.equal(isLoopbackUrl('https://api.example.com'), false);
      assert.equal(isLoopbackUrl('http://foo.localhost:3000/'), false);
      assert.equal(isLoopbackUrl('not a url'), false);
    });

    it('takes *.localhost and localhost. as this machine only when every address they resolve to is loopback', async () => {
      const asked: string[] = [];
      const resolvingTo = (...addresses: string[]) => async (hostname: string) => {
        asked.push(hostname);
        return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
      };
      assert.equal(await resolvesToLoopback('http://foo.localhost:3000/', { lookup: resolvingTo('127.0.0.1', '::1') }), true);
      assert.equal(await resolvesToLoopback('http://localhost.:3000/', { lookup: resolvingTo('127.0.0.1') }), true);
      assert.equal(await resolvesToLoopback('http://foo.localhost:3000/', { lookup: resolvingTo('127.0.0.1', '10.0.0.5') }), false);
      assert.equal(await resolvesToLoopback('http://foo.localhost:3000/', { lookup: resolvingTo() }), false);
      assert.deepEqual(asked, ['foo.localhost', 'localhost.', 'foo.localhost', 'foo.localhost']);
      const failing = async () => {
        throw Object.assign(new Error('getaddrinfo ENOTFOUND foo.localhost'), { code: 'ENOTFOUND' });
      };
      assert.equal(await resolvesToLoopback('http://foo.localhost:3000/', { lookup: failing }), false);
      const started = Date.now();
      assert.equal(await resolvesToLoopback('http://slow.localhost/', { lookup: () => new Promise(() => undefined), timeoutMs: 50 }), false);
      assert.ok(Date.now() - started < 1000, `gave up after ${Date.now() - started} ms`);
      // Literal addresses need no resolver, and other names are not resolved at all: they ask.
      asked.length = 0;
      assert.equal(await resolvesToLoopback('http://127.0.0.1:3000/', { lookup: resolvingTo('10.0.0.1') }), true);
      assert.equal(await resolvesToLoopback('http://dev.example.com/', { lookup: resolvingTo('127.0.0.1') }), false);
      assert.deepEqual(asked, []);
    });
  });
});
