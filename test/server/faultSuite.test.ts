import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, type MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { CodeLens, PublishDiagnosticsParams, WorkspaceSymbol } from 'vscode-languageserver-protocol';
import type { RouteManifest } from '../../server/analysis/model';
import { scanWorkspace } from '../../server/analysis/scan';
import { ClientCommands, type ManifestResult, ManifestRequest, ServerStatusNotification, type ServerStatusParams } from '../../server/protocol';
import {
  allProblems,
  binaryRouteCase,
  checkExpected,
  chmodRestricts,
  deepSyntaxCases,
  floodEvents,
  GOOD_ROUTE_FILES,
  GOOD_ROUTES,
  type HostileCase,
  hugeBasePathCase,
  laterLoops,
  LONG_MISS_ROUTE,
  LONG_ROUTE,
  materialize,
  routeMethods,
  Scratch,
  SECRET_ROUTE,
  staticCases,
  templateCallCase,
  THROWING_EDIT,
  tooLargeCase,
  unprivilegedUser,
  unreadableFolderCase,
  withGoodApp,
  writeTree,
} from '../faults/hostileCases';
import { startTestSession } from './lspClient';

/** A language server with a client attached: in this process, or the bundle in a child process. */
interface Harness {
  client: MessageConnection;
  notifications: ReadonlyArray<{ method: string; params: unknown }>;
  dispose(): void;
}

const CLIENT_COMMANDS = [ClientCommands.sendRequest, ClientCommands.revealReason, ClientCommands.showCallers];
const FILE_CHANGE = { created: 1, changed: 2, deleted: 3 } as const;

async function initialize(client: MessageConnection, roots: string[]): Promise<void> {
  const uris = roots.map((root) => pathToFileURL(root).toString());
  await client.sendRequest('initialize', {
    processId: null,
    rootUri: uris[0],
    workspaceFolders: uris.map((uri, i) => ({ uri, name: `folder${i}` })),
    capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
    initializationOptions: { clientCommands: CLIENT_COMMANDS, settings: {} },
  });
  client.sendNotification('initialized', {});
}

async function startInProcess(roots: string[]): Promise<Harness> {
  const session = startTestSession({ debounceMs: 0 });
  await initialize(session.client, roots);
  await session.waitFor<ServerStatusParams>(ServerStatusNotification.method, (s) => s.state === 'ready', 25_000);
  return { client: session.client, notifications: session.notifications, dispose: () => session.dispose() };
}

/** dist/server.js as an editor starts it, run as `user`: permissions then apply to it even when the tests run as root. */
async function startBundleAs(roots: string[], user: { uid: number; gid: number }): Promise<Harness> {
  const bundle = path.resolve(__dirname, '../../../dist/server.js');
  assert.ok(fs.existsSync(bundle), `${bundle} is missing: run node esbuild.mjs --tests first`);
  const child = spawn(process.execPath, [bundle, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], cwd: path.dirname(roots[0]), ...user });
  const client = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const notifications: Array<{ method: string; params: unknown }> = [];
  client.onNotification((method, params) => void notifications.push({ method, params }));
  client.onRequest(() => null);
  client.listen();
  const harness = {
    client,
    notifications,
    dispose: () => {
      client.dispose();
      child.kill();
    },
  };
  try {
    await initialize(client, roots);
    await until(() => notifications.some((n) => n.method === ServerStatusNotification.method && (n.params as ServerStatusParams).state === 'ready') || undefined, () => 'the spawned server to be ready', 25_000);
  } catch (error) {
    harness.dispose();
    throw error;
  }
  return harness;
}

/** Polls `probe` until it gives a value; the server promises no moment, only that it gets there. */
async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: () => string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function manifestOf(harness: Harness, folder = 0): Promise<RouteManifest> {
  const result = await harness.client.sendRequest<ManifestResult>(ManifestRequest.method, {});
  return result.folders[folder].manifest;
}

/** A cold scan of the disk as it is now, through JSON as the server's answers are. */
function freshScan(root: string): RouteManifest {
  return JSON.parse(JSON.stringify(scanWorkspace(root))) as RouteManifest;
}

/** Waits until the server's manifest equals a fresh scan of the disk; on timeout, says what differs. */
async function untilFresh(harness: Harness, root: string, what: string, each?: (manifest: RouteManifest) => void): Promise<RouteManifest> {
  const fresh = freshScan(root);
  let last: RouteManifest | undefined;
  try {
    return await until(
      async () => {
        last = await manifestOf(harness);
        each?.(last);
        return JSON.stringify(last) === JSON.stringify(fresh) ? last : undefined;
      },
      () => what,
    );
  } catch (error) {
    if (last) assert.deepEqual(last, fresh, `${what}: the manifest differs from a fresh scan`);
    throw error;
  }
}

const uriOf = (root: string, relative: string) => pathToFileURL(path.join(root, relative)).toString();
const openDocument = (harness: Harness, uri: string, text: string, version = 1) =>
  harness.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version, text } });
const changeDocument = (harness: Harness, uri: string, text: string, version: number) =>
  harness.client.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
const sendFileEvents = (harness: Harness, changes: Array<{ uri: string; type: number }>) => harness.client.sendNotification('workspace/didChangeWatchedFiles', { changes });

function describeProblems(manifest: RouteManifest): string {
  return allProblems(manifest)
    .map((p) => `${p.id} ${p.file ?? '-'}: ${p.message.slice(0, 200)}`)
    .join('\n');
}

describe('fault suite: the language server over hostile workspaces', function () {
  this.timeout(30_000);
  let scratch: Scratch | undefined;
  let harness: Harness | undefined;
  afterEach(() => {
    harness?.dispose();
    harness = undefined;
    scratch?.dispose();
    scratch = undefined;
  });

  for (const hostile of staticCases()) {
    it(`${hostile.name}: keeps every good route, names the bad file, and answers as a fresh scan does`, async () => {
      const made = materialize(hostile);
      scratch = made.scratch;
      harness = await startInProcess([made.root]);
      const manifest = await manifestOf(harness);
      checkExpected(manifest, hostile, 'language server');
      assert.deepEqual(manifest, freshScan(made.root), 'the same manifest as a fresh scan');
      const symbols = await harness.client.sendRequest<WorkspaceSymbol[]>('workspace/symbol', { query: 'post users' });
      assert.ok(
        symbols.some((s) => s.name === 'POST /api/users'),
        symbols.map((s) => s.name).join(' | '),
      );
    });
  }

  it('shows each problem of a bad file as a diagnostic on that file', async () => {
    const cases: HostileCase[] = [...deepSyntaxCases().slice(0, 2), tooLargeCase(), binaryRouteCase(), hugeBasePathCase()];
    const made = materialize({
      name: 'file problems',
      files: Object.assign({}, ...cases.map((c) => c.files)),
      routes: {},
      problems: [],
    });
    scratch = made.scratch;
    harness = await startInProcess([made.root]);
    const published = new Map<string, string[]>();
    const expected = cases.flatMap((c) => c.problems);
    // Diagnostics go out with the manifest; the last list sent for a file is what the editor shows.
    await until(
      () => {
        for (const n of harness!.notifications) {
          if (n.method !== 'textDocument/publishDiagnostics') continue;
          const params = n.params as PublishDiagnosticsParams;
          published.set(params.uri, params.diagnostics.map((d) => String(d.code)));
        }
        return expected.every((p) => published.get(uriOf(made.root, p.file))?.includes(p.id)) || undefined;
      },
      () => {
        const missing = expected.filter((p) => !published.get(uriOf(made.root, p.file))?.includes(p.id));
        return `diagnostics for ${missing.map((p) => `${p.id} on ${p.file}`).join(', ')} (published: ${JSON.stringify([...published].map(([uri, codes]) => [uri.slice(uri.lastIndexOf('/app/') + 1), codes]))})`;
      },
      5_000,
    );
  });

  it('reports symbolic-link loops created while it runs at the link, and lists no route through them', async () => {
    const loops = laterLoops();
    const made = materialize({ name: 'later loops', files: loops.files, routes: loops.routes, problems: [] });
    scratch = made.scratch;
    harness = await startInProcess([made.root]);
    const links = loops.create(made.root);
    sendFileEvents(
      harness,
      links.map((link) => ({ uri: uriOf(made.root, link), type: FILE_CHANGE.created })),
    );
    let last: RouteManifest | undefined;
    const manifest = await until(
      async () => {
        last = await manifestOf(harness!);
        return loops.problems.every((p) => allProblems(last!).some((q) => q.id === p.id && q.file === p.file)) ? last : undefined;
      },
      () => `symlink-loop problems on ${links.join(', ')}; the manifest has:\n${last ? describeProblems(last) : '-'}`,
    );
    checkExpected(manifest, loops, 'after the links were created');
    assert.deepEqual(manifest, freshScan(made.root), 'the same manifest as a fresh scan');
  });

  it('gets back to the manifest it had when an edit that makes the analysis give up is undone', async () => {
    const handlers = 'export async function GET() { return Response.json({}); }\nexport async function PUT() { return Response.json({}); }\n';
    const made = materialize({
      name: 'edit and undo',
      files: withGoodApp({ 'lib/handlers.ts': handlers, 'app/api/legacy/route.ts': "export * from '../../../lib/handlers';\n" }),
      routes: {},
      problems: [],
    });
    scratch = made.scratch;
    harness = await startInProcess([made.root]);
    const before = await manifestOf(harness);
    assert.deepEqual(before, freshScan(made.root));
    const usersFile = 'app/api/users/route.ts';
    const usersText = GOOD_ROUTE_FILES[usersFile] as string;
    const users = uriOf(made.root, usersFile);
    openDocument(harness, users, usersText);
    changeDocument(harness, users, THROWING_EDIT, 2);
    const broken = await until(
      async () => {
        const current = await manifestOf(harness!);
        return allProblems(current).some((p) => p.id === 'too-deep' && p.file === usersFile) ? current : undefined;
      },
      () => `a too-deep problem on ${usersFile}`,
    );
    checkExpected(broken, { routes: { ...GOOD_ROUTES, [usersFile]: [], 'app/api/legacy/route.ts': ['GET', 'PUT'] }, problems: [{ id: 'too-deep', file: usersFile }] }, 'during the deep edit');
    changeDocument(harness, users, usersText, 3);
    await untilFresh(harness, made.root, 'the manifest of before the edit, after the undo');

    // The same through a module a route re-exports: the route's methods come back with the module's text.
    const library = uriOf(made.root, 'lib/handlers.ts');
    openDocument(harness, library, handlers);
    changeDocument(harness, library, THROWING_EDIT, 2);
    await until(
      async () => {
        const current = await manifestOf(harness!);
        return JSON.stringify(current) !== JSON.stringify(before) ? current : undefined;
      },
      () => 'any change after the deep edit of lib/handlers.ts',
    );
    changeDocument(harness, library, handlers, 3);
    const after = await untilFresh(harness, made.root, 'the manifest of before the edit, after undoing lib/handlers.ts');
    assert.deepEqual(after, before);
  });

  for (const count of [135_000, 25_000]) {
    it(`stays responsive through ${count.toLocaleString('en-US')} file events in one notification, and ends with the disk's manifest`, async () => {
      const made = materialize({ name: 'flood', files: withGoodApp({ 'lib/db.ts': 'export const db = 1;\n' }), routes: {}, problems: [] });
      scratch = made.scratch;
      harness = await startInProcess([made.root]);
      // One real change among the noise: a new route, written before the events that report it.
      writeTree(made.root, { 'app/api/flooded/route.ts': 'export async function POST() { return new Response(null, { status: 201 }); }\n' });
      const events = floodEvents(made.root, count, [...Object.keys(GOOD_ROUTE_FILES), 'lib/db.ts']);
      events.splice(events.length >> 1, 0, { path: path.join(made.root, 'app/api/flooded/route.ts'), type: 'created' });
      sendFileEvents(
        harness,
        events.map((event) => ({ uri: pathToFileURL(event.path).toString(), type: FILE_CHANGE[event.type] })),
      );
      const symbols = await harness.client.sendRequest<WorkspaceSymbol[]>('workspace/symbol', { query: 'get users' });
      assert.ok(symbols.some((s) => s.name === 'GET /api/users'), 'workspace/symbol answers during the flood');
      await untilFresh(harness, made.root, 'the manifest of the disk after the flood', (manifest) => {
        const routes = routeMethods(manifest);
        for (const [file, methods] of Object.entries(GOOD_ROUTES)) assert.deepEqual(routes[file], methods, `${file} stays listed while the events are handled`);
      });
      const latest = await manifestOf(harness);
      assert.deepEqual(routeMethods(latest)['app/api/flooded/route.ts'], ['POST']);
    });
  }

  it('tells callers apart with six computed parts against 120-character folder names', async () => {
    const hostile = templateCallCase();
    const made = materialize(hostile);
    scratch = made.scratch;
    harness = await startInProcess([made.root]);
    const lensesOf = (file: string) => harness!.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uriOf(made.root, file) } });
    const callerLens = (lenses: CodeLens[]) => lenses.find((lens) => lens.command?.command === ClientCommands.showCallers);
    // Callers are indexed in the background after the manifest: the lens appears when they are.
    const lens = await until(
      async () => callerLens(await lensesOf(LONG_ROUTE)),
      () => `a callers lens on ${LONG_ROUTE}`,
    );
    assert.equal(lens.command!.title, '1 caller');
    assert.deepEqual(
      lens.command!.arguments![0].locations.map((l: { uri: string }) => l.uri),
      [uriOf(made.root, 'components/search.tsx')],
    );
    assert.equal(callerLens(await lensesOf(LONG_MISS_ROUTE)), undefined, 'a folder name without the trailing Z is not called');
    assert.equal(callerLens(await lensesOf('app/api/users/route.ts'))?.command?.title, '1 caller');
    checkExpected(await manifestOf(harness), hostile, 'language server');
  });

  it('reports a workspace folder that does not exist in its manifest and in a message, and serves the others', async () => {
    const made = materialize({ name: 'good', files: withGoodApp({}), routes: GOOD_ROUTES, problems: [] });
    scratch = made.scratch;
    const missing = path.join(scratch.dir(), 'gone');
    harness = await startInProcess([made.root, missing]);
    const result = await harness.client.sendRequest<ManifestResult>(ManifestRequest.method, {});
    checkExpected(result.folders[0].manifest, { routes: GOOD_ROUTES, problems: [] }, 'the folder that exists');
    const gone = result.folders[1].manifest;
    assert.deepEqual(gone.apps, []);
    assert.ok(
      gone.problems.some((p) => p.id === 'folder-missing'),
      `a folder-missing problem: ${describeProblems(gone)}`,
    );
    const told = await until(
      () => harness!.notifications.find((n) => (n.method === 'window/logMessage' || n.method === 'window/showMessage') && (n.params as { message: string }).message.includes(missing)),
      () => `a window/logMessage or window/showMessage naming ${missing}`,
      5_000,
    );
    assert.match((told.params as { message: string }).message, /does not exist/);
  });

  for (const event of ['changed', 'created'] as const) {
    it(`lists the routes of an unreadable folder once it is readable again and a ${event} event names it`, async function () {
      const user = chmodRestricts() ? undefined : unprivilegedUser();
      if (!chmodRestricts() && !user) this.skip();
      const hostile = unreadableFolderCase(true);
      const made = materialize(hostile);
      scratch = made.scratch;
      if (user) fs.chmodSync(made.root, 0o755);
      harness = user ? await startBundleAs([made.root], user) : await startInProcess([made.root]);
      checkExpected(await manifestOf(harness), hostile, 'while the folder is unreadable');
      fs.chmodSync(path.join(made.root, 'app/api/secret'), 0o755);
      sendFileEvents(harness, [{ uri: uriOf(made.root, 'app/api/secret'), type: FILE_CHANGE[event] }]);
      const manifest = await untilFresh(harness, made.root, 'the secret route, readable again');
      checkExpected(manifest, { routes: { ...GOOD_ROUTES, [SECRET_ROUTE]: ['PATCH'] }, problems: [] }, 'after the folder became readable');
      assert.ok(!allProblems(manifest).some((p) => p.id === 'unreadable-folder'), describeProblems(manifest));
    });
  }
});
