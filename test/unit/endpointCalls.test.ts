import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { bestRoute, extractEndpointCalls } from '../../server/analysis/endpointCalls';
import type { HttpMethod, Route } from '../../server/analysis/model';
import { Workspace } from '../../server/analysis/scan';
import { bruteForce } from './routeRankOracle';
import { lineContaining, makeTree, nextApp, removeTree } from './tempTree';

describe('calls from the app to its own endpoints', () => {
  it('reads literal, concatenated and template URLs with their methods', () => {
    const text = [
      "const a = await fetch('/api/users');",
      "await fetch('/api/users/' + id, { method: 'DELETE' });",
      'await fetch(`/api/users/${id}/posts?page=${page}`, { method: "post" });',
      "await axios.put(`${process.env.NEXT_PUBLIC_URL}/api/users/${id}`, body);",
      "const { data } = useSWR('/api/me');",
      "await fetch('https://example.com/v1/things');",
      'await fetch(url);',
    ].join('\n');
    const calls = extractEndpointCalls('/x/a.tsx', text).map((c) => [c.method, c.text, c.span.line]);
    assert.deepEqual(calls, [
      ['GET', '/api/users', 1],
      ['DELETE', '/api/users/${…}', 2],
      ['POST', '/api/users/${…}/posts', 3],
      ['PUT', '/api/users/${…}', 4],
      ['GET', '/api/me', 5],
      ['GET', '/v1/things', 6],
    ]);
  });

  it('indexes callers per route and method, preferring static segments over dynamic ones', () => {
    const client = "'use client';\nexport function Save({ id }: { id: string }) {\n  return <button onClick={() => fetch(`/api/users/${id}`, { method: 'PATCH' })} />;\n}\n";
    const server = "export async function load() {\n  await fetch('/api/users/me');\n  return fetch('http://localhost:3000/api/users/42');\n}\n";
    const root = makeTree(
      nextApp({
        'app/api/users/[id]/route.ts': 'export async function GET() { return Response.json({}); }\nexport async function PATCH() { return Response.json({}); }\n',
        'app/api/users/me/route.ts': 'export async function GET() { return Response.json({}); }\n',
        'app/users/save.tsx': client,
        'lib/load.ts': server,
      }),
    );
    try {
      const workspace = new Workspace(root);
      workspace.scan();
      const report = workspace.callerReport();
      const byId = report.callers.get('app/api/users/[id]/route.ts')!;
      assert.deepEqual(byId.get('PATCH')!.map((c) => [c.file, c.span.line, c.clientComponent]), [['app/users/save.tsx', lineContaining(client, 'PATCH'), true]]);
      assert.deepEqual(byId.get('GET')!.map((c) => c.file), ['lib/load.ts']);
      assert.deepEqual(report.callers.get('app/api/users/me/route.ts')!.get('GET')!.map((c) => c.span.line), [lineContaining(server, "'/api/users/me'")]);
      const hint = report.problems.find((p) => p.id === 'server-action-candidate');
      assert.equal(hint?.file, 'app/api/users/[id]/route.ts');
      assert.match(hint!.message, /PATCH \/api\/users\/\[id\] is only called from this app's client components/);
      const target = workspace.routeAt(path.join(root, 'lib/load.ts'), server, lineContaining(server, "'/api/users/me'"), 18);
      assert.equal(target?.route.url, '/api/users/me');
    } finally {
      removeTree(root);
    }
  });
});

describe('matching a call to the route it reaches', () => {
  const route = (url: string, methods: HttpMethod[], file = `app${url}/route.ts`): Route => ({
    url,
    publicPath: url,
    file,
    appRoot: '.',
    kind: 'route',
    methods: methods.map((name) => ({ name, kind: 'function' }) as unknown as Route['methods'][number]),
    params: [],
    segmentConfig: {},
    otherExports: [],
  });
  const routes = [
    route('/', ['GET']),
    route('/api/users', ['GET', 'POST']),
    route('/api/users/me', ['GET']),
    route('/api/users/[id]', ['GET', 'PATCH', 'DELETE']),
    route('/api/users/[id]/posts', ['GET', 'POST']),
    route('/api/users/[id]/posts/[postId]', ['GET']),
    route('/api/files/[...path]', ['GET', 'PUT']),
    route('/api/docs/[[...slug]]', ['GET']),
    route('/api/report-2024', ['GET']),
    route('/api/report-2025', ['GET']),
    route('/api/[tenant]/settings', ['GET', 'PUT']),
    route('/api/[tenant]/settings', ['GET'], 'app/(b)/api/[tenant]/settings/route.ts'),
    route('/feed.xml', ['GET']),
  ];

  it('finds the same route as ranking every route would, for every kind of segment and method', () => {
    const urls = [
      "'/'", "'/api/users'", "'/api/users/me'", "'/api/users/42'", '`/api/users/${id}`', '`/api/users/${id}/posts`', '`/api/users/${a}/posts/${b}`',
      "'/api/users/me/posts'", "'/api/files/a/b/c'", "'/api/files'", '`/api/files/${p}`', "'/api/docs'", "'/api/docs/x/y'", '`/api/report-${year}`',
      "'/api/report-2024'", '`/api/${t}/settings`', "'/api/acme/settings'", "'/api/users/me/settings'", "'/feed.xml'", '`/${page}`', "'/nothing/here'",
      "'/base/api/users'", '`/base/api/users/${id}`', '`/api/${x}`', "'/api/users/'",
    ];
    let compared = 0;
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      const text = urls.map((url) => `fetch(${url}, { method: '${method}' });`).join('\n');
      for (const call of extractEndpointCalls('/x/calls.ts', text)) {
        for (const basePath of ['', '/base']) {
          assert.equal(bestRoute(call, routes, basePath), bruteForce(call, routes, basePath), `${method} ${call.text} (basePath '${basePath}')`);
          compared++;
        }
      }
    }
    assert.equal(compared, urls.length * 5 * 2);
    const users = extractEndpointCalls('/x/a.ts', "fetch('/api/users/me');\nfetch(`/api/users/${id}`, { method: 'DELETE' });");
    assert.equal(bestRoute(users[0], routes, '')?.url, '/api/users/me');
    assert.equal(bestRoute(users[1], routes, '')?.url, '/api/users/[id]');
  });
});
