// The watcher and the live workspace behind `route-atlas mcp`, in this process: what the server does when
// watching gets hard (too many folders, links), without a server around it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileChange } from '../../server/analysis/scan';
import { LiveWorkspace } from '../../server/commands/mcpSession';
import { TreeWatcher } from '../../server/commands/mcpWatch';
import { makeTree, nextApp, removeTree, writeFiles } from './tempTree';

const GET = 'export function GET() {\n  return Response.json({});\n}\n';

/** Polls until `probe` is true; fails after `timeoutMs`. */
async function eventually(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('route-atlas mcp: watching', () => {
  let root: string;
  const logs: string[] = [];
  let session: LiveWorkspace | undefined;
  let watcher: TreeWatcher | undefined;
  afterEach(() => {
    session?.close();
    watcher?.close();
    session = watcher = undefined;
    logs.length = 0;
    removeTree(root);
  });

  async function urls(live: LiveWorkspace): Promise<string[]> {
    const context = await live.context();
    return context.folders[0].manifest.apps.flatMap((app) => app.routes.map((route) => route.url));
  }

  it('watches one folder per folder, skips node_modules and .git, and reports a change below a link at the link too', async () => {
    root = makeTree(nextApp({ 'app/api/a/route.ts': GET, 'shared/handlers/route.ts': GET, 'node_modules/x/y/z.js': '', '.git/objects/aa/bb': '' }));
    fs.symlinkSync(path.join(root, 'shared/handlers'), path.join(root, 'app/api/linked'));
    const seen: Array<[string, FileChange['type']]> = [];
    watcher = new TreeWatcher(root, { skip: new Set(['node_modules', '.git']), onChange: (abs, type) => seen.push([path.relative(root, abs), type]), onTrouble: (m) => logs.push(m) });
    watcher.start();
    // root, app, app/api, app/api/a, shared, shared/handlers
    assert.equal(watcher.watchedFolders, 6);
    fs.appendFileSync(path.join(root, 'shared/handlers/route.ts'), '// edited\n');
    await eventually('the edit, at the file and through the link', () => seen.some(([file]) => file === 'app/api/linked/route.ts'));
    assert.ok(seen.some(([file, type]) => file === 'shared/handlers/route.ts' && type === 'changed'));
    assert.deepEqual(logs, []);
  });

  it('follows an edit seen through a symbolic link into the route it gives', async () => {
    root = makeTree(nextApp({ 'app/api/a/route.ts': GET, 'shared/handlers/route.ts': GET }));
    fs.symlinkSync(path.join(root, 'shared/handlers'), path.join(root, 'app/api/linked'));
    session = new LiveWorkspace(root, { log: (m) => logs.push(m) });
    session.start();
    const methodsOfLinked = async () => (await session!.context()).folders[0].manifest.apps[0].routes.find((r) => r.url === '/api/linked')?.methods.filter((m) => !m.implicit).map((m) => m.name);
    assert.deepEqual(await methodsOfLinked(), ['GET']);
    fs.appendFileSync(path.join(root, 'shared/handlers/route.ts'), 'export function POST() {\n  return new Response(null);\n}\n');
    await eventually('POST through the link', async () => (await methodsOfLinked())?.join() === 'GET,POST');
  });

  it('rescans on each call when there are more folders than it watches, and says so once', async () => {
    root = makeTree(nextApp({ 'app/api/a/route.ts': GET, 'app/api/b/route.ts': GET }));
    session = new LiveWorkspace(root, { log: (m) => logs.push(m), maxWatchedFolders: 2 });
    session.start();
    assert.deepEqual(await urls(session), ['/api/a', '/api/b']);
    assert.equal(logs.filter((m) => m.includes('folders: the rest are not watched')).length, 1);
    // Below the watched folders: no event comes, but the next call rescans and sees it at once.
    writeFiles(root, { 'app/api/a/deeper/route.ts': GET });
    assert.deepEqual(await urls(session), ['/api/a', '/api/a/deeper', '/api/b']);
  });

  it('applies events on a call without waiting for the debounce, and only the ones that matter', async () => {
    root = makeTree(nextApp({ 'app/api/a/route.ts': GET }));
    session = new LiveWorkspace(root, { log: (m) => logs.push(m), debounceMs: 60_000 });
    session.start();
    assert.deepEqual(await urls(session), ['/api/a']);
    writeFiles(root, { 'app/api/b/route.ts': GET, 'notes.txt': 'not code' });
    await eventually('the new route, with a debounce of a minute', async () => (await urls(session!)).includes('/api/b'));
    assert.ok(logs.some((m) => /^Updated \d+ file\(s\) in /.test(m)));
  });
});
