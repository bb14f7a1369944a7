import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { extractEndpointCalls } from '../../server/analysis/endpointCalls';
import { Workspace } from '../../server/analysis/scan';
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
