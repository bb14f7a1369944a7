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

  it('keeps route order and app-wide conflicts exactly as a cold scan finds them, through creates, edits and deletes', () => {
    const handler = (method: string) => `export async function ${method}() { return Response.json({}); }\n`;
    root = makeTree(
      nextApp(
        {
          'app/page.tsx': 'export default function Home() { return null; }\n',
          'app/(a)/x/route.ts': handler('GET'),
          'app/shop/[id]/route.ts': handler('GET'),
          'app/shop/[slug]/reviews/page.tsx': 'export default function Reviews() { return null; }\n',
          'app/docs/[...rest]/route.ts': handler('GET'),
          'app/api/static/route.ts': handler('GET'),
        },
        '16.0.0',
      ),
    );
    const workspace = new Workspace(root);
    const cold = () => new Workspace(root).scan().apps[0];
    const problemIds = (app: RouteManifest['apps'][number]) => app.problems.map((p) => `${p.id} ${p.file}`).sort();
    let app = workspace.scan().apps[0];
    assert.ok(problemIds(app).includes('slug-name-conflict app/shop/[id]/route.ts'));

    const steps: Array<{ name: string; files?: Record<string, string>; remove?: string; change: string; type: 'created' | 'changed' | 'deleted'; text?: string }> = [
      { name: 'a second route at /x in another group', files: { 'app/(b)/x/route.ts': handler('POST') }, change: 'app/(b)/x/route.ts', type: 'created' },
      { name: 'a page at /x', files: { 'app/x/page.tsx': 'export default function X() { return null; }\n' }, change: 'app/x/page.tsx', type: 'created' },
      { name: 'the conflicting route moves its method down', change: 'app/shop/[id]/route.ts', type: 'changed', text: '\n\n' + handler('GET') },
      { name: 'an optional catch-all beside the catch-all', files: { 'app/docs/[[...all]]/route.ts': handler('GET') }, change: 'app/docs/[[...all]]/route.ts', type: 'created' },
      { name: 'an optional catch-all at the root, beside the root page', files: { 'app/[[...slug]]/route.ts': handler('GET') }, change: 'app/[[...slug]]', type: 'created' },
      { name: 'one of the duplicate groups goes', remove: 'app/(a)', change: 'app/(a)', type: 'deleted' },
      { name: 'the page at /x goes', remove: 'app/x/page.tsx', change: 'app/x/page.tsx', type: 'deleted' },
      { name: 'the slug route renames its param', remove: 'app/shop/[id]', files: { 'app/shop/[slug]/route.ts': handler('GET') }, change: 'app/shop', type: 'created' },
    ];
    for (const step of steps) {
      if (step.remove) fs.rmSync(path.join(root, step.remove), { recursive: true });
      if (step.files) writeFiles(root, step.files);
      if (step.remove && step.files) workspace.applyChanges([{ path: path.join(root, step.remove), type: 'deleted' }]);
      app = workspace.applyChanges([{ path: path.join(root, step.change), type: step.type, text: step.text }]).apps[0];
      if (step.text !== undefined) fs.writeFileSync(path.join(root, step.change), step.text);
      assert.deepEqual(app, cold(), `after: ${step.name}`);
    }
    // The steps made and cleared real conflicts, so the comparison above compared something.
    assert.ok(problemIds(app).includes('optional-catchall-conflict app/[[...slug]]/route.ts'), problemIds(app).join('\n'));
    assert.ok(!problemIds(app).some((id) => id.startsWith('duplicate-route ') || id.startsWith('route-page-conflict') || id.startsWith('slug-name-conflict')), problemIds(app).join('\n'));
  });
});
