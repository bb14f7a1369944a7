import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type FileHost, nodeFileHost } from '../../server/analysis/host';
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

  // Watchers often report only the top folder of a tree that was copied in or removed in one go.
  describe('apps that arrive or leave as one folder event', () => {
    const urlsByApp = (manifest: RouteManifest) => Object.fromEntries(manifest.apps.map((app) => [app.root, app.routes.map((r) => r.url)]));
    const route = (method: string) => `export async function ${method}() { return Response.json({}); }\n`;

    it('finds a new app from the creation of its top folder alone', () => {
      root = makeTree({ 'apps/web/package.json': JSON.stringify({ dependencies: { next: '15.5.0' } }), 'apps/web/app/a/route.ts': route('GET') });
      const workspace = new Workspace(root);
      assert.deepEqual(urlsByApp(workspace.scan()), { 'apps/web': ['/a'] });
      writeFiles(root, { 'apps/admin/next.config.js': 'module.exports = {};\n', 'apps/admin/app/api/echo/route.ts': route('POST') });
      const manifest = workspace.applyChanges([{ path: path.join(root, 'apps/admin'), type: 'created' }]);
      assert.deepEqual(urlsByApp(manifest), { 'apps/admin': ['/api/echo'], 'apps/web': ['/a'] });
    });

    it('gives a folder with only a next.config its routes when app/ or src/ arrives', () => {
      root = makeTree({ 'next.config.mjs': 'export default {};\n' });
      const workspace = new Workspace(root);
      const before = workspace.scan();
      assert.deepEqual(urlsByApp(before), {});
      assert.ok(before.problems.some((p) => p.id === 'no-app-dir'));
      writeFiles(root, { 'src/app/health/route.ts': route('GET') });
      const manifest = workspace.applyChanges([{ path: path.join(root, 'src'), type: 'created' }]);
      assert.deepEqual(urlsByApp(manifest), { '.': ['/health'] });
      assert.ok(!manifest.problems.some((p) => p.id === 'no-app-dir'));
    });

    it('drops an app whose folder was deleted, and switches to src/app when app/ goes', () => {
      root = makeTree({
        'apps/web/package.json': JSON.stringify({ dependencies: { next: '15.5.0' } }),
        'apps/web/app/a/route.ts': route('GET'),
        'apps/web/src/app/b/route.ts': route('GET'),
        'apps/docs/next.config.js': 'module.exports = {};\n',
        'apps/docs/app/c/route.ts': route('GET'),
      });
      const workspace = new Workspace(root);
      assert.deepEqual(urlsByApp(workspace.scan()), { 'apps/docs': ['/c'], 'apps/web': ['/a'] });
      fs.rmSync(path.join(root, 'apps/docs'), { recursive: true });
      assert.deepEqual(urlsByApp(workspace.applyChanges([{ path: path.join(root, 'apps/docs'), type: 'deleted' }])), { 'apps/web': ['/a'] });
      fs.rmSync(path.join(root, 'apps/web/app'), { recursive: true });
      assert.deepEqual(urlsByApp(workspace.applyChanges([{ path: path.join(root, 'apps/web/app'), type: 'deleted' }])), { 'apps/web': ['/b'] });
    });

    it('tells which file events can change the manifest, so build output and logs cost nothing', () => {
      root = makeTree(nextApp({ 'app/x/route.ts': "export * from '../../lib/handlers';\n", 'lib/handlers.ts': route('GET'), 'lib/other.ts': '' }));
      const workspace = new Workspace(root);
      workspace.scan();
      const affects = (relative: string, type: 'created' | 'changed' | 'deleted') => workspace.affects(path.join(root, relative), type);
      fs.mkdirSync(path.join(root, 'packages/admin'), { recursive: true });
      fs.mkdirSync(path.join(root, 'node_modules/pkg'), { recursive: true });
      assert.deepEqual(
        {
          routeEdit: affects('app/x/route.ts', 'changed'),
          dependencyEdit: affects('lib/handlers.ts', 'changed'),
          otherModuleEdit: affects('lib/other.ts', 'changed'),
          configEdit: affects('next.config.js', 'changed'),
          newModule: affects('lib/new.ts', 'created'),
          newImage: affects('public/logo.png', 'created'),
          buildOutput: affects('.next/server/app/x/route.js', 'created'),
          dependencyInstall: affects('node_modules/pkg/index.js', 'created'),
          newFolder: affects('packages/admin', 'created'),
          newPackageFolder: affects('node_modules/pkg', 'created'),
          dependencyFolderGone: affects('lib', 'deleted'),
          logsGone: affects('logs', 'deleted'),
        },
        {
          routeEdit: true,
          dependencyEdit: true,
          otherModuleEdit: false,
          configEdit: true,
          newModule: true,
          newImage: false,
          buildOutput: false,
          dependencyInstall: false,
          newFolder: true,
          newPackageFolder: false,
          dependencyFolderGone: true,
          logsGone: false,
        },
      );
    });

    it('leaves the app set alone for folders that cannot hold an app', () => {
      root = makeTree(nextApp({ 'app/a/route.ts': route('GET') }));
      let discoveries = 0;
      const host: FileHost = {
        ...nodeFileHost,
        readDirectory: (dir) => {
          if (dir === root) discoveries++;
          return nodeFileHost.readDirectory(dir);
        },
      };
      const workspace = new Workspace(root, { host });
      workspace.scan();
      discoveries = 0;
      writeFiles(root, { 'lib/util/x.ts': 'export const x = 1;\n', 'node_modules/pkg/next.config.js': '', 'components/app/button.tsx': '' });
      for (const folder of ['lib', 'node_modules/pkg', 'components/app']) workspace.applyChanges([{ path: path.join(root, folder), type: 'created' }]);
      assert.equal(discoveries, 0, 'no rescan of the workspace root');
    });
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
