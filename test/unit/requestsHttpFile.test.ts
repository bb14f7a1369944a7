import * as assert from 'node:assert/strict';
import type { Route, RouteMethod } from '../../server/analysis/model';
import {
  environmentBaseUrl,
  formatHttpFile,
  httpRequestsForRoute,
  parseEnvironments,
  pathWithVariables,
  pickEnvironment,
  readEnvironmentFiles,
  variablesOf,
} from '../../server/requests/httpFile';
import { makeTree, removeTree } from './tempTree';

function route(url: string, methods: RouteMethod[], basePath = ''): Pick<Route, 'url' | 'publicPath' | 'methods'> {
  return { url, publicPath: basePath + url, methods };
}

const info = (extra: Partial<NonNullable<RouteMethod['request']>> = {}) => ({ query: [], headers: [], statuses: [], ...extra });

describe('requests: .http files', () => {
  it('writes params as {{variables}}, catch-alls included', () => {
    assert.equal(pathWithVariables('/shop/api/users/[id]/files/[...path]'), '/shop/api/users/{{id}}/files/{{path}}');
    assert.equal(pathWithVariables('/docs/[[...slug]]'), '/docs/{{slug}}');
  });

  it('writes one request per exported method with query, JSON body and auth variable', () => {
    const users = route(
      '/api/users/[id]',
      [
        { name: 'GET', request: info({ query: ['fields'], headers: ['authorization'] }) },
        { name: 'PUT', request: info({ body: { kind: 'json', fields: ['name', 'email'] } }) },
        { name: 'HEAD', implicit: true },
        { name: 'OPTIONS', implicit: true },
      ],
      '/shop',
    );
    const requests = httpRequestsForRoute(users);
    assert.deepEqual(
      requests.map((r) => r.name),
      ['GET /shop/api/users/[id]', 'PUT /shop/api/users/[id]'],
    );
    assert.deepEqual(variablesOf(requests), ['baseUrl', 'id', 'token']);
    const text = formatHttpFile(requests, { baseUrl: 'http://localhost:3000', id: '' }, 'Route Atlas: app web');
    assert.equal(
      text,
      [
        '# Route Atlas: app web',
        '',
        '@baseUrl = http://localhost:3000',
        '@id = ',
        '',
        '### GET /shop/api/users/[id]',
        'GET {{baseUrl}}/shop/api/users/{{id}}?fields=',
        'Authorization: Bearer {{token}}',
        '',
        '### PUT /shop/api/users/[id]',
        'PUT {{baseUrl}}/shop/api/users/{{id}}',
        'Content-Type: application/json',
        '',
        '{',
        '  "name": "",',
        '  "email": ""',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('can limit a route to one method', () => {
    const r = route('/api/x', [{ name: 'GET' }, { name: 'POST' }]);
    assert.deepEqual(
      httpRequestsForRoute(r, 'post').map((q) => q.method),
      ['POST'],
    );
  });

  describe('http-client.env.json', () => {
    let root: string | undefined;
    afterEach(() => {
      if (root) removeTree(root);
      root = undefined;
    });

    it('merges the private file over the public one, per environment', () => {
      root = makeTree({
        'apps/web/http-client.env.json': JSON.stringify({ dev: { baseUrl: 'http://localhost:4000', user: 'ada' }, prod: { baseUrl: 'https://example.com' } }),
        'apps/web/http-client.private.env.json': JSON.stringify({ dev: { token: 's3cret', port: 1 } }),
      });
      const files = readEnvironmentFiles([`${root}/apps/web`, root]);
      assert.ok(files);
      assert.deepEqual(files.environments.dev, { baseUrl: 'http://localhost:4000', user: 'ada', token: 's3cret', port: '1' });
      assert.deepEqual(pickEnvironment(files.environments), { name: 'dev', variables: files.environments.dev });
      assert.equal(pickEnvironment(files.environments, 'prod')?.name, 'prod');
    });

    it('looks in the app folder first, then the workspace folder, and reports files that do not parse', () => {
      root = makeTree({ 'http-client.env.json': '{ broken', 'http-client.private.env.json': JSON.stringify({ local: { host: 'http://127.0.0.1:3005/' } }) });
      const files = readEnvironmentFiles([`${root}/apps/none`, root]);
      assert.equal(files?.dir, root);
      assert.equal(files?.errors.length, 1);
      assert.equal(environmentBaseUrl(pickEnvironment(files!.environments)!.variables), 'http://127.0.0.1:3005');
      assert.equal(readEnvironmentFiles([`${root}/nothing`]), undefined);
    });

    it('picks no environment when several exist and none is a local one', () => {
      const environments = parseEnvironments(JSON.stringify({ staging: { baseUrl: 'https://s' }, prod: { baseUrl: 'https://p' }, bad: [1] }));
      assert.deepEqual(Object.keys(environments), ['staging', 'prod']);
      assert.equal(pickEnvironment(environments), undefined);
      assert.equal(environmentBaseUrl({ host: 'example.com' }), undefined);
    });
  });
});
