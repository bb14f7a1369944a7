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
  resolveRequest,
} from '../../src/requests/buildRequest';

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

  describe('loopback', () => {
    it('knows localhost, 127.0.0.0/8 and ::1 as this machine', () => {
      for (const host of ['localhost', 'LOCALHOST', 'app.localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) {
        assert.equal(isLoopbackHost(host), true, host);
      }
    });

    it('asks for everything else', () => {
      for (const host of ['example.com', '10.0.0.1', '128.0.0.1', '127.0.0.256', 'localhost.example.com', '::2', '::', '192.168.1.2', '0.0.0.0']) {
        assert.equal(isLoopbackHost(host), false, host);
      }
      assert.equal(isLoopbackUrl('http://[::1]:3000/x'), true);
      assert.equal(isLoopbackUrl('https://api.example.com'), false);
      assert.equal(isLoopbackUrl('not a url'), false);
    });
  });
});
