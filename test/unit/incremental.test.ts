import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RouteManifest } from '../../server/analysis/model';
import { Workspace } from '../../server/analysis/scan';
import { makeTree, nextApp, removeTree, writeFiles } from './tempTree';

function methodsOf(manifest: RouteManifest, url: string): string[] | undefined {
  const route = manifest.apps[0]?.routes.find((r) => r.url === url);
  return route?.methods.filter((m) => !m.implicit).map((m) => m.name);
}

describe('Workspace.applyChanges', () => {
  let root: string;
  afterEach(() => removeTree(root));

  it('updates methods from unsaved editor text, then falls back to disk', () => {
    root = makeTree(nextApp({ 'app/api/users/route.ts': 'export async function GET() { return Response.json([]); }\n' }));
    const workspace = new Workspace(root);
    assert.deepEqual(methodsOf(workspace.scan(), '/api/users'), ['GET']);
    const file = path.join(root, 'app/api/users/route.ts');
    const edited = 'export async function GET() { return Response.json([]); }\nexport async function POST() { return new Response(null, { status: 201 }); }\n';
    assert.deepEqual(methodsOf(workspace.applyChanges([{ path: file, type: 'changed', text: edited }]), '/api/users'), ['GET', 'POST']);
    // The editor closed without saving: the disk text is the truth again.
    assert.deepEqual(methodsOf(workspace.applyChanges([{ path: file, type: 'changed' }]), '/api/users'), ['GET']);
  });

  it('adds and removes route files and whole folders', () => {
    root = makeTree(nextApp({ 'app/a/route.ts': 'export const GET = () => new Response("a");\n' }));
    const workspace = new Workspace(root);
    workspace.scan();
    writeFiles(root, { 'app/(admin)/b/[id]/route.ts': 'export const DELETE = () => new Response(null);\n' });
    let manifest = workspace.applyChanges([{ path: path.join(root, 'app/(admin)'), type: 'created' }]);
    assert.deepEqual(manifest.apps[0].routes.map((r) => r.url), ['/a', '/b/[id]']);
    assert.deepEqual(manifest.apps[0].routes[1].params, [{ name: 'id', kind: 'dynamic' }]);
    fs.rmSync(path.join(root, 'app/a'), { recursive: true });
    manifest = workspace.applyChanges([{ path: path.join(root, 'app/a'), type: 'deleted' }]);
    assert.deepEqual(manifest.apps[0].routes.map((r) => r.url), ['/b/[id]']);
  });

  it('re-links a route when a module it re-exports changes', () => {
    root = makeTree(
      nextApp({
        'tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '@/*': ['./*'] } } }),
        'lib/handlers.ts': 'export async function GET() { return Response.json({}); }\n',
        'app/api/x/route.ts': "export * from '@/lib/handlers';\n",
      }),
    );
    const workspace = new Workspace(root);
    assert.deepEqual(methodsOf(workspace.scan(), '/api/x'), ['GET']);
    const lib = path.join(root, 'lib/handlers.ts');
    const text = 'export async function GET() { return Response.json({}); }\nexport const PATCH = GET;\n';
    assert.deepEqual(methodsOf(workspace.applyChanges([{ path: lib, type: 'changed', text }]), '/api/x'), ['GET', 'PATCH']);
  });

  it('resolves an export * once the missing module is created', () => {
    root = makeTree(nextApp({ 'app/api/x/route.ts': "export * from '../../../lib/later';\n" }));
    const workspace = new Workspace(root);
    let manifest = workspace.scan();
    assert.deepEqual(methodsOf(manifest, '/api/x'), []);
    assert.ok(manifest.apps[0].problems.some((p) => p.id === 'unresolved-export-star'));
    writeFiles(root, { 'lib/later.ts': 'export const POST = async () => new Response(null);\n' });
    manifest = workspace.applyChanges([{ path: path.join(root, 'lib/later.ts'), type: 'created' }]);
    assert.deepEqual(methodsOf(manifest, '/api/x'), ['POST']);
    assert.ok(!manifest.apps[0].problems.some((p) => p.id === 'unresolved-export-star'));
  });

  it('rescans when next.config changes basePath', () => {
    root = makeTree(nextApp({ 'next.config.js': 'module.exports = {};\n', 'app/x/route.ts': 'export const GET = () => new Response("");\n' }));
    const workspace = new Workspace(root);
    assert.equal(workspace.scan().apps[0].routes[0].publicPath, '/x');
    const config = path.join(root, 'next.config.js');
    const manifest = workspace.applyChanges([{ path: config, type: 'changed', text: "module.exports = { basePath: '/docs' };\n" }]);
    assert.equal(manifest.apps[0].routes[0].publicPath, '/docs/x');
  });
});
