import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type FileHost, nodeFileHost } from '../../server/analysis/host';
import type { RouteManifest } from '../../server/analysis/model';
import { scanWorkspace, Workspace } from '../../server/analysis/scan';
import { makeTree, removeTree, writeFiles } from './tempTree';

const GET = 'export async function GET() {\n  return Response.json({ ok: true });\n}\n';
const POST = 'export async function POST() {\n  return Response.json({ ok: true });\n}\n';

/** Each app as `root: url file methods` lines: what a person reads in the table. */
function summary(manifest: RouteManifest): string[] {
  return manifest.apps.flatMap((app) =>
    app.routes.map((route) => `${app.root}: ${route.url} ${route.file} ${route.methods.filter((m) => !m.implicit).map((m) => m.name).join(',')}`),
  );
}

/** The disk, with every folder listed in one order: a walk must not depend on the order the system lists. */
function orderedHost(order: 'ascending' | 'descending'): FileHost {
  return {
    ...nodeFileHost,
    readDirectory: (dir) => nodeFileHost.readDirectory(dir).sort((a, b) => (a.name < b.name ? -1 : 1) * (order === 'ascending' ? 1 : -1)),
  };
}

describe('nested projects', () => {
  let root: string;
  afterEach(() => removeTree(root));

  it('takes the Next.js version and the bundler of a project launched by a parent package from that package', () => {
    root = makeTree({
      'pkg/package.json': JSON.stringify({ name: 'pkg', scripts: { build: 'next build app --turbopack' }, dependencies: { next: '15.5.0' } }),
      'pkg/app/app/api/chat/route.ts': POST,
    });
    const [app] = scanWorkspace(root).apps;
    assert.equal(app.root, 'pkg/app');
    assert.deepEqual([app.nextVersion.version, app.nextVersion.source, app.nextVersion.file, app.bundler], ['15.5.0', 'package.json', 'pkg/package.json', 'turbopack']);
    assert.deepEqual(summary(scanWorkspace(root)), ['pkg/app: /api/chat pkg/app/app/api/chat/route.ts POST']);
  });

  it('follows a script into a folder the walk met before the script (`next dev ../web`)', () => {
    root = makeTree({
      'a-web/app/api/hello/route.ts': GET,
      'z-tools/package.json': JSON.stringify({ name: 'tools', scripts: { web: 'next dev ../a-web -p 3001' } }),
    });
    for (const order of ['ascending', 'descending'] as const) {
      assert.deepEqual(summary(scanWorkspace(root, { host: orderedHost(order) })), ['a-web: /api/hello a-web/app/api/hello/route.ts GET'], order);
    }
  });

  it('keeps each nested project whole through edits, and agrees with a cold scan after each', () => {
    root = makeTree({
      'package.json': JSON.stringify({ name: 'site', dependencies: { next: '15.5.0' } }),
      'app/api/real/route.ts': GET,
      'app/playground/demo/next.config.js': 'module.exports = {};\n',
      'app/playground/demo/app/api/inner/route.ts': GET,
    });
    const workspace = new Workspace(root);
    workspace.scan();
    const step = (changes: Parameters<Workspace['applyChanges']>[0], expected: string[]) => {
      const updated = summary(workspace.applyChanges(changes));
      assert.deepEqual(updated, expected);
      assert.deepEqual(summary(scanWorkspace(root)), expected, 'a cold scan lists the same');
    };

    // A route created in the nested project is its own, at its own URL.
    writeFiles(root, { 'app/playground/demo/app/api/new/route.ts': POST });
    step([{ path: path.join(root, 'app/playground/demo/app/api/new/route.ts'), type: 'created' }], [
      '.: /api/real app/api/real/route.ts GET',
      'app/playground/demo: /api/inner app/playground/demo/app/api/inner/route.ts GET',
      'app/playground/demo: /api/new app/playground/demo/app/api/new/route.ts POST',
    ]);

    // A whole project copied into the app dir, of which the watcher reports only the top folder.
    writeFiles(root, { 'app/tools/mini/package.json': JSON.stringify({ scripts: { dev: 'next dev' } }), 'app/tools/mini/src/app/api/ping/route.ts': GET });
    step([{ path: path.join(root, 'app/tools'), type: 'created' }], [
      '.: /api/real app/api/real/route.ts GET',
      'app/playground/demo: /api/inner app/playground/demo/app/api/inner/route.ts GET',
      'app/playground/demo: /api/new app/playground/demo/app/api/new/route.ts POST',
      'app/tools/mini: /api/ping app/tools/mini/src/app/api/ping/route.ts GET',
    ]);

    // Without its next.config the folder is no project: its files are the outer app's again.
    fs.rmSync(path.join(root, 'app/playground/demo/next.config.js'));
    step([{ path: path.join(root, 'app/playground/demo/next.config.js'), type: 'deleted' }], [
      '.: /api/real app/api/real/route.ts GET',
      '.: /playground/demo/app/api/inner app/playground/demo/app/api/inner/route.ts GET',
      '.: /playground/demo/app/api/new app/playground/demo/app/api/new/route.ts POST',
      'app/tools/mini: /api/ping app/tools/mini/src/app/api/ping/route.ts GET',
    ]);
  });

  it('lists a folder whose app dir is a project only as that project, and says why a no-app-dir folder has no routes', () => {
    root = makeTree({
      'pkg/package.json': JSON.stringify({ name: 'pkg', dependencies: { next: '15.5.0' } }),
      'pkg/app/package.json': JSON.stringify({ name: 'inner', scripts: { dev: 'next dev' } }),
      'pkg/app/app/api/chat/route.ts': POST,
      'lonely/next.config.mjs': 'export default {};\n',
    });
    const manifest = scanWorkspace(root);
    assert.deepEqual(summary(manifest), ['pkg/app: /api/chat pkg/app/app/api/chat/route.ts POST']);
    assert.deepEqual(manifest.problems.map((p) => [p.id, p.file]), [['no-app-dir', 'lonely/next.config.mjs']]);
  });
});

describe('folders reached through a symbolic link', () => {
  let root: string;
  afterEach(() => removeTree(root));

  const monorepo = () => {
    root = makeTree({
      'showcase/shell-docs/package.json': JSON.stringify({ name: 'shell-docs', dependencies: { next: '15.5.0' } }),
      'showcase/shell-docs/app/api/search/route.ts': GET,
    });
    fs.symlinkSync('showcase/shell-docs', path.join(root, 'docs'));
    return root;
  };

  it('names a project reached through a link by its real path, once, whatever order the walk meets the spellings in', () => {
    monorepo();
    for (const order of ['ascending', 'descending'] as const) {
      const manifest = scanWorkspace(root, { host: orderedHost(order) });
      assert.deepEqual(manifest.apps.map((app) => app.root), ['showcase/shell-docs'], order);
      assert.deepEqual(summary(manifest), ['showcase/shell-docs: /api/search showcase/shell-docs/app/api/search/route.ts GET'], order);
    }
  });

  it('updates the route from events and editor text under either spelling', () => {
    monorepo();
    const workspace = new Workspace(root);
    workspace.scan();
    const viaLink = path.join(root, 'docs/app/api/search/route.ts');
    const real = path.join(root, 'showcase/shell-docs/app/api/search/route.ts');

    // Editor text for a document opened through the link.
    let manifest = workspace.applyChanges([{ path: viaLink, type: 'changed', text: GET + POST }]);
    assert.deepEqual(summary(manifest), ['showcase/shell-docs: /api/search showcase/shell-docs/app/api/search/route.ts GET,POST']);
    assert.equal(workspace.knowsFile(viaLink), true);
    assert.equal(workspace.hasText(viaLink, GET + POST), true);
    assert.equal(workspace.affects(viaLink, 'changed'), true);

    // The document closed: the disk again, reported through the link.
    manifest = workspace.applyChanges([{ path: viaLink, type: 'changed' }]);
    assert.deepEqual(summary(manifest), ['showcase/shell-docs: /api/search showcase/shell-docs/app/api/search/route.ts GET']);

    // The file saved with a POST, the watcher reporting the real path.
    fs.writeFileSync(real, POST);
    manifest = workspace.applyChanges([{ path: real, type: 'changed' }]);
    assert.deepEqual(summary(manifest), ['showcase/shell-docs: /api/search showcase/shell-docs/app/api/search/route.ts POST']);

    // Created and deleted through the link.
    writeFiles(root, { 'docs/app/api/new/route.ts': GET });
    manifest = workspace.applyChanges([{ path: path.join(root, 'docs/app/api/new/route.ts'), type: 'created' }]);
    assert.deepEqual(summary(manifest), [
      'showcase/shell-docs: /api/new showcase/shell-docs/app/api/new/route.ts GET',
      'showcase/shell-docs: /api/search showcase/shell-docs/app/api/search/route.ts POST',
    ]);
    assert.deepEqual(summary(scanWorkspace(root)), summary(manifest), 'a cold scan lists the same');
    fs.rmSync(path.join(root, 'docs/app/api/new'), { recursive: true });
    manifest = workspace.applyChanges([{ path: path.join(root, 'docs/app/api/new'), type: 'deleted' }]);
    assert.deepEqual(summary(manifest), ['showcase/shell-docs: /api/search showcase/shell-docs/app/api/search/route.ts POST']);
  });

  it('lists a folder reached twice in one app dir once, at its real path, in either order', () => {
    root = makeTree({
      'package.json': JSON.stringify({ name: 'app', dependencies: { next: '15.5.0' } }),
      'app/api/v2/users/route.ts': GET,
      'app/api/v2/users/page.tsx': 'export default function Users() { return null; }\n',
    });
    fs.symlinkSync('v2', path.join(root, 'app/api/v1'));
    for (const order of ['ascending', 'descending'] as const) {
      const manifest = scanWorkspace(root, { host: orderedHost(order) });
      assert.deepEqual(summary(manifest), ['.: /api/v2/users app/api/v2/users/route.ts GET'], order);
      assert.deepEqual(manifest.apps[0].pages.map((p) => `${p.url} ${p.file}`), ['/api/v2/users app/api/v2/users/page.tsx'], order);
    }
  });

  it('names a route under a link out of the app dir by its real file and its URL by the link, and follows both spellings', () => {
    root = makeTree({
      'package.json': JSON.stringify({ name: 'app', dependencies: { next: '15.5.0' } }),
      'app/api/own/route.ts': GET,
      'lib/shared-routes/health/route.ts': GET,
    });
    fs.symlinkSync('../../lib/shared-routes', path.join(root, 'app/api/shared'));
    const workspace = new Workspace(root);
    const expected = ['.: /api/own app/api/own/route.ts GET', '.: /api/shared/health lib/shared-routes/health/route.ts GET'];
    assert.deepEqual(summary(workspace.scan()), expected);

    fs.writeFileSync(path.join(root, 'lib/shared-routes/health/route.ts'), POST);
    // A watcher reports the real file; its event must not be dropped as outside every app dir.
    assert.equal(workspace.affects(path.join(root, 'lib/shared-routes/health/route.ts'), 'changed'), true);
    assert.equal(workspace.affects(path.join(root, 'lib/shared-routes/status'), 'created'), true);
    let manifest = workspace.applyChanges([{ path: path.join(root, 'lib/shared-routes/health/route.ts'), type: 'changed' }]);
    assert.equal(summary(manifest)[1], '.: /api/shared/health lib/shared-routes/health/route.ts POST');
    manifest = workspace.applyChanges([{ path: path.join(root, 'app/api/shared/health/route.ts'), type: 'changed', text: GET }]);
    assert.equal(summary(manifest)[1], '.: /api/shared/health lib/shared-routes/health/route.ts GET');

    writeFiles(root, { 'lib/shared-routes/status/route.ts': GET });
    manifest = workspace.applyChanges([{ path: path.join(root, 'lib/shared-routes/status/route.ts'), type: 'created' }]);
    assert.deepEqual(summary(manifest), [...expected, '.: /api/shared/status lib/shared-routes/status/route.ts GET']);
    fs.rmSync(path.join(root, 'lib/shared-routes/status'), { recursive: true });
    manifest = workspace.applyChanges([{ path: path.join(root, 'app/api/shared/status'), type: 'deleted' }]);
    assert.deepEqual(summary(manifest), expected);
  });

  it('checks a link created while the workspace is open as the cold scan does', () => {
    root = makeTree({
      'package.json': JSON.stringify({ name: 'app', dependencies: { next: '15.5.0' } }),
      'app/api/own/route.ts': GET,
      'lib/shared-routes/health/route.ts': GET,
    });
    const workspace = new Workspace(root);
    workspace.scan();
    fs.symlinkSync('../../lib/shared-routes', path.join(root, 'app/api/shared'));
    const manifest = workspace.applyChanges([{ path: path.join(root, 'app/api/shared'), type: 'created' }]);
    assert.deepEqual(summary(manifest), ['.: /api/own app/api/own/route.ts GET', '.: /api/shared/health lib/shared-routes/health/route.ts GET']);
    fs.symlinkSync('..', path.join(root, 'app/api/loop'));
    const looped = workspace.applyChanges([{ path: path.join(root, 'app/api/loop'), type: 'created' }]);
    assert.deepEqual(looped.apps[0].problems.map((p) => [p.id, p.file]), [['symlink-loop', 'app/api/loop']]);
  });
});
