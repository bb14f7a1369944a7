import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource, createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { CodeAction, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { DidChangeManifestNotification, type ManifestResult, ManifestRequest, RescanRequest, ServerStatusNotification, type ServerStatusParams } from '../../server/protocol';
import type { ServerOptions } from '../../server/lsp/server';
import { makeTree, nextApp, removeTree, writeFiles } from '../unit/tempTree';
import { startTestSession, type TestSession } from './lspClient';

const GET_ROUTE = 'export async function GET() {\n  return Response.json({ ok: true });\n}\n';
const WITH_POST = GET_ROUTE + '\nexport async function POST(request: Request) {\n  const { name } = await request.json();\n  return Response.json({ name });\n}\n';

/** An app with `count` route files, big enough that its scan takes a while. */
function bigApp(count: number): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer> = {};
  for (let i = 0; i < count; i++) files[`app/api/r${i}/[id]/route.ts`] = `import { cookies } from 'next/headers';\nexport async function GET(request: Request) {\n  const q = new URL(request.url).searchParams.get('q${i}');\n  return Response.json({ q, c: (await cookies()).get('x') });\n}\nexport const POST = GET;\n`;
  return nextApp(files);
}

interface Started {
  session: TestSession;
  uris: string[];
}

async function start(roots: string[], options?: ServerOptions, waitReady = true, capabilities: object = {}, cacheDir?: string): Promise<Started> {
  const session = startTestSession(options);
  const uris = roots.map((root) => pathToFileURL(root).toString());
  const ready = session.waitFor<ServerStatusParams>(ServerStatusNotification.method, (s) => s.state === 'ready', 60_000);
  await session.client.sendRequest('initialize', {
    processId: null,
    rootUri: uris[0],
    workspaceFolders: uris.map((uri, i) => ({ uri, name: `f${i}` })),
    capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } }, ...capabilities },
    initializationOptions: { clientCommands: [], settings: {}, cacheDir },
  });
  session.client.sendNotification('initialized', {});
  if (waitReady) await ready;
  return { session, uris };
}

const manifestOf = (session: TestSession) => session.client.sendRequest<ManifestResult>(ManifestRequest.method, {});
const methodsOf = (result: ManifestResult, url: string) =>
  result.folders
    .flatMap((f) => f.manifest.apps.flatMap((a) => a.routes))
    .find((r) => r.url === url)
    ?.methods.filter((m) => !m.implicit)
    .map((m) => m.name);

/** Polls the manifest until `predicate` holds; the server promises no exact moment, only that it gets there. */
async function eventually(session: TestSession, predicate: (result: ManifestResult) => boolean, what: string, timeoutMs = 20_000): Promise<ManifestResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await manifestOf(session);
    if (predicate(result)) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(result.folders.map((f) => f.manifest.apps.map((a) => a.routes.map((r) => r.url))))}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the language server main loop (in process)', function () {
  this.timeout(90_000);
  const roots: string[] = [];
  let session: TestSession | undefined;
  afterEach(() => {
    session?.dispose();
    session = undefined;
    for (const root of roots.splice(0)) removeTree(root);
  });
  const tree = (files: Record<string, string | Buffer>) => {
    const root = makeTree(files);
    roots.push(root);
    return root;
  };

  it('answers requests while the first scan of a large app runs, and shows apps as they are scanned', async () => {
    const apps: Record<string, string | Buffer> = {};
    for (const name of ['a', 'b', 'c', 'd']) for (const [file, text] of Object.entries(bigApp(400))) apps[`apps/${name}/${file}`] = text;
    const root = tree(apps);
    ({ session } = await start([root], { debounceMs: 0 }, false));
    let answeredWhileScanning = 0;
    let ready = false;
    void session.waitFor<ServerStatusParams>(ServerStatusNotification.method, (s) => s.state === 'ready', 60_000).then(() => (ready = true));
    const partialAppCounts = new Set<number>();
    while (!ready) {
      const symbols = await session.client.sendRequest<unknown[]>('workspace/symbol', { query: 'r1' });
      assert.ok(Array.isArray(symbols));
      const manifest = await manifestOf(session);
      if (!ready) {
        answeredWhileScanning++;
        partialAppCounts.add(manifest.folders[0].manifest.apps.length);
        // Until its first scan is over a folder says so: the view must not say "no app" for an app still to come.
        if (!ready) assert.equal(manifest.folders[0].scanning, true);
      }
    }
    assert.ok(answeredWhileScanning >= 5, `only ${answeredWhileScanning} requests were answered during the scan`);
    // The first scan posts the apps it has so far: the tree grows instead of appearing at the end.
    assert.ok([...partialAppCounts].some((n) => n > 0 && n < 4), `apps seen during the scan: ${[...partialAppCounts].join(', ')}`);
    const result = await manifestOf(session);
    assert.equal(result.folders[0].manifest.apps.length, 4);
    assert.equal(result.folders[0].scanning, undefined);
  });

  it('answers cancelled requests with RequestCancelled instead of the manifest, and the next one at once', async () => {
    const root = tree(nextApp({ 'app/api/a/route.ts': GET_ROUTE }));
    ({ session } = await start([root]));
    const outcomes: Array<Promise<string>> = [];
    for (let i = 0; i < 15; i++) {
      const source = new CancellationTokenSource();
      const request = session.client.sendRequest<ManifestResult>(ManifestRequest.method, {}, source.token);
      source.cancel();
      outcomes.push(request.then(() => 'answered', (error: { code?: number }) => `error ${error.code}`));
    }
    const last = await manifestOf(session);
    assert.deepEqual(methodsOf(last, '/api/a'), ['GET']);
    const results = await Promise.all(outcomes);
    assert.ok(results.every((r) => r === 'error -32800'), results.join(', '));
  });

  it('stops a cancelled rescan and answers it with RequestCancelled; the manifest shown stays', async () => {
    const root = tree(bigApp(1500));
    ({ session } = await start([root]));
    const source = new CancellationTokenSource();
    const rescan = session.client.sendRequest<ManifestResult>(RescanRequest.method, {}, source.token).then(
      () => 'answered',
      (error: { code?: number }) => `error ${error.code}`,
    );
    await session.waitFor<ServerStatusParams>(ServerStatusNotification.method, (s) => s.state === 'scanning', 10_000, false);
    source.cancel();
    assert.equal(await rescan, 'error -32800');
    const result = await manifestOf(session);
    assert.equal(result.folders[0].manifest.apps[0].routes.length, 1500);
    const status = await session.waitFor<ServerStatusParams>(ServerStatusNotification.method, (s) => s.state === 'ready', 10_000);
    assert.equal(status.routes, 1500);
  });

  it('keeps the unsaved text of open documents across a rescan and a change of Next.js version', async () => {
    const root = tree(nextApp({ 'app/api/a/route.ts': GET_ROUTE }));
    ({ session } = await start([root]));
    const uri = pathToFileURL(path.join(root, 'app/api/a/route.ts')).toString();
    session.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: WITH_POST } });
    await eventually(session, (r) => methodsOf(r, '/api/a')?.includes('POST') === true, 'the unsaved POST');
    const rescanned = await session.client.sendRequest<ManifestResult>(RescanRequest.method, {});
    assert.deepEqual(methodsOf(rescanned, '/api/a'), ['GET', 'POST']);
    session.client.sendNotification('workspace/didChangeConfiguration', { settings: { routeAtlas: { nextVersion: '14' } } });
    const as14 = await eventually(session, (r) => r.folders[0].manifest.apps[0]?.nextVersion.major === 14, 'the rescan as Next.js 14');
    assert.deepEqual(methodsOf(as14, '/api/a'), ['GET', 'POST']);
  });

  it('keeps the text of documents opened while the server starts, in every folder of a multi-root workspace', async () => {
    const first = tree(nextApp({ 'app/api/a/route.ts': GET_ROUTE }));
    const second = tree(nextApp({ 'app/api/b/route.ts': GET_ROUTE }));
    // A client that answers the progress request late must not matter either.
    ({ session } = await start([first, second], { debounceMs: 0 }, false, { window: { workDoneProgress: true } }));
    for (const [root, route] of [[first, 'a'], [second, 'b']]) {
      const uri = pathToFileURL(path.join(root, `app/api/${route}/route.ts`)).toString();
      session.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: WITH_POST } });
    }
    await session.waitFor<ServerStatusParams>(ServerStatusNotification.method, (s) => s.state === 'ready', 30_000);
    const result = await eventually(session, (r) => methodsOf(r, '/api/a')?.length === 2 && methodsOf(r, '/api/b')?.length === 2, 'both unsaved POSTs');
    assert.deepEqual(methodsOf(result, '/api/a'), ['GET', 'POST']);
    assert.deepEqual(methodsOf(result, '/api/b'), ['GET', 'POST']);
  });

  it('gives a nested workspace folder its own apps: listed once, diagnostics once, the outer manifest current', async () => {
    const outer = tree({
      ...nextApp({ 'app/api/outer/route.ts': GET_ROUTE }),
      ...Object.fromEntries(Object.entries(nextApp({ 'app/api/inner/route.ts': 'export function get() { return new Response(); }\n' })).map(([f, t]) => [`packages/inner/${f}`, t])),
    });
    const inner = path.join(outer, 'packages', 'inner');
    ({ session } = await start([outer, inner]));
    const result = await manifestOf(session);
    const appsByFolder = result.folders.map((f) => f.manifest.apps.map((a) => a.routes.map((r) => r.url)));
    assert.deepEqual(appsByFolder, [[['/api/outer']], [['/api/inner']]]);
    const innerRoute = pathToFileURL(path.join(inner, 'app/api/inner/route.ts')).toString();
    await session.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === innerRoute && p.diagnostics.length > 0);
    const published = session.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as PublishDiagnosticsParams).uri === innerRoute);
    const last = published[published.length - 1].params as PublishDiagnosticsParams;
    assert.equal(last.diagnostics.filter((d) => d.code === 'lowercase-method').length, 1, 'one diagnostic, not one per folder');
    // A new route in the nested folder reaches it, and the outer folder stays as it is.
    writeFiles(inner, { 'app/api/second/route.ts': GET_ROUTE });
    session.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(inner, 'app/api/second/route.ts')).toString(), type: 1 }] });
    const after = await eventually(session, (r) => methodsOf(r, '/api/second') !== undefined, 'the new nested route');
    assert.deepEqual(after.folders.map((f) => f.manifest.apps.map((a) => a.routes.map((r) => r.url))), [[['/api/outer']], [['/api/inner', '/api/second']]]);
  });

  it('starts warm from the parse cache the client names: a second session parses nothing', async () => {
    const root = tree(nextApp({ 'app/api/a/route.ts': GET_ROUTE, 'app/api/b/route.ts': WITH_POST }));
    const cacheDir = tree({});
    const logs = (s: TestSession) => s.notifications.filter((n) => n.method === 'window/logMessage').map((n) => (n.params as { message: string }).message);
    ({ session } = await start([root], { debounceMs: 0 }, true, {}, cacheDir));
    const first = session;
    await eventually(first, () => logs(first).some((m) => m.startsWith('Saved ')), 'the cache written');
    const cold = await manifestOf(first);
    first.dispose();
    ({ session } = await start([root], { debounceMs: 0 }, true, {}, cacheDir));
    const second = session;
    await eventually(second, () => logs(second).some((m) => m.startsWith('Scanned ')), 'the scan logged');
    assert.ok(logs(second).some((m) => /2 routes from the cache, 0 linked, 0 files parsed/.test(m)), logs(second).join('\n'));
    assert.deepEqual((await manifestOf(second)).folders[0].manifest, cold.folders[0].manifest);
  });

  it('counts problems in its status as the Problems panel shows them: after severity settings, caller hints included', async () => {
    const root = tree(
      nextApp({
        'app/about/page.tsx': 'export default function About() { return null; }\n',
        'app/about/route.ts': GET_ROUTE,
        'app/api/todos/route.ts': "export async function POST(request: Request) {\n  return Response.json(await request.json(), { status: 201 });\n}\n",
        'app/todos/add.tsx': "'use client';\nexport function Add() {\n  return <button onClick={() => fetch('/api/todos', { method: 'POST', body: '{}' })}>Add</button>;\n}\n",
      }),
    );
    ({ session } = await start([root]));
    const published = () => {
      const latest = new Map<string, number>();
      for (const n of session!.notifications) if (n.method === 'textDocument/publishDiagnostics') latest.set((n.params as PublishDiagnosticsParams).uri, (n.params as PublishDiagnosticsParams).diagnostics.length);
      return [...latest.values()].reduce((a, b) => a + b, 0);
    };
    const hint = () => session!.notifications.some((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as PublishDiagnosticsParams).diagnostics.some((d) => d.code === 'server-action-candidate'));
    await eventually(session, () => hint(), 'the server-action hint published');
    const agreeing = await session.waitFor<ServerStatusParams>(ServerStatusNotification.method, (s) => s.state === 'ready' && s.problems === published() && published() >= 2, 10_000);
    assert.ok(agreeing.problems! >= 2);
    // An ignored check leaves both counts together.
    session.client.sendNotification('workspace/didChangeConfiguration', { settings: { routeAtlas: { lint: { 'server-action-candidate': 'ignore' } } } });
    await session.waitFor<ServerStatusParams>(ServerStatusNotification.method, (s) => s.state === 'ready' && s.problems === agreeing.problems! - 1, 10_000, false);
  });

  it('refuses a second initialize', async () => {
    const root = tree(nextApp({ 'app/api/a/route.ts': GET_ROUTE }));
    ({ session } = await start([root]));
    await assert.rejects(session.client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} }), /already initialized/);
    assert.deepEqual(methodsOf(await manifestOf(session), '/api/a'), ['GET']);
  });

  it('builds quick fixes from its own problems, never from the data a client sends back', async () => {
    const root = tree(nextApp({ 'app/api/time/route.ts': "export const dynamic = 'force-static';\nexport function GET() { return Response.json({ now: Date.now() }); }\n" }, '14.2.35'));
    ({ session } = await start([root]));
    const uri = pathToFileURL(path.join(root, 'app/api/time/route.ts')).toString();
    const published = await session.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'frozen-time-varying'));
    const trap = published.diagnostics.find((d) => d.code === 'frozen-time-varying')!;
    const forged: Diagnostic = { ...trap, data: { root: '/', fix: { title: 'Pwn', edits: [{ file: 'etc/passwd', span: { line: 1, column: 1, endLine: 1, endColumn: 1 }, newText: 'x' }] } } };
    const actions = await session.client.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: trap.range, context: { diagnostics: [forged] } });
    assert.equal(actions.length, 1);
    assert.deepEqual(Object.keys(actions[0].edit!.changes!), [uri]);
    const unknown: Diagnostic = { ...trap, message: 'something else', data: forged.data };
    assert.deepEqual(await session.client.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: trap.range, context: { diagnostics: [unknown] } }), []);
  });

  it('sends no manifest change for events that change nothing', async () => {
    const root = tree(nextApp({ 'app/api/a/route.ts': GET_ROUTE }));
    ({ session } = await start([root]));
    const before = session.notifications.filter((n) => n.method === DidChangeManifestNotification.method).length;
    writeFiles(root, { 'notes/readme.md': '# hello\n', 'public/logo.svg': '<svg/>' });
    session.client.sendNotification('workspace/didChangeWatchedFiles', {
      changes: ['notes/readme.md', 'public/logo.svg', 'node_modules/x/index.js'].map((file) => ({ uri: pathToFileURL(path.join(root, file)).toString(), type: 1 })),
    });
    // An edit after them is applied, so by then the events before it were handled (or dropped).
    writeFiles(root, { 'app/api/a/route.ts': WITH_POST });
    session.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(root, 'app/api/a/route.ts')).toString(), type: 2 }] });
    await eventually(session, (r) => methodsOf(r, '/api/a')?.includes('POST') === true, 'the POST');
    const after = session.notifications.filter((n) => n.method === DidChangeManifestNotification.method).length;
    assert.equal(after - before, 1, 'one manifest change: the route edit');
  });

  it('updates the manifest while keystrokes keep coming, not only once they stop', async () => {
    const root = tree(nextApp({ 'app/api/a/route.ts': GET_ROUTE }));
    ({ session } = await start([root], {}));
    const uri = pathToFileURL(path.join(root, 'app/api/a/route.ts')).toString();
    session.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: GET_ROUTE } });
    let seenDuringTyping = false;
    // Two seconds of keystrokes 40 ms apart, each one adding a character to a comment; halfway, a POST appears.
    for (let i = 0; i < 50; i++) {
      const text = (i >= 10 ? WITH_POST : GET_ROUTE) + '// ' + 'x'.repeat(i) + '\n';
      session.client.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [{ text }] });
      await new Promise((resolve) => setTimeout(resolve, 40));
      if (i > 10 && i < 49 && methodsOf(await manifestOf(session), '/api/a')?.includes('POST')) seenDuringTyping = true;
    }
    assert.ok(seenDuringTyping, 'the POST reached the manifest while typing went on');
  });

  it('stops an analysis that hangs, skips the file it hung on, and analyzes everything else', async () => {
    const root = tree(
      nextApp({
        'app/api/good/route.ts': GET_ROUTE,
        'app/api/stuck/route.ts': "import { handler } from '../../../lib/hangs';\nexport const GET = handler;\n",
        'lib/hangs.ts': 'export function handler() { return new Response(); }\n',
      }),
    );
    ({ session } = await start([root], { debounceMs: 0, engine: { stallMs: 600, stallOn: 'hangs.ts' } }, false));
    const result = await eventually(session, (r) => r.folders[0].manifest.problems.some((p) => p.id === 'analysis-stopped'), 'the analysis-stopped problem', 30_000);
    const problem = result.folders[0].manifest.problems.find((p) => p.id === 'analysis-stopped')!;
    assert.equal(problem.file, 'lib/hangs.ts');
    assert.match(problem.message, /took over 1 s without progress/);
    assert.deepEqual(methodsOf(result, '/api/good'), ['GET']);
    assert.ok(methodsOf(result, '/api/stuck') !== undefined, 'the route that imports the file is still listed');
    const errors = session.notifications.filter((n) => n.method === 'window/logMessage' && (n.params as { type: number }).type === 1).map((n) => (n.params as { message: string }).message);
    assert.ok(errors.some((m) => m.includes('hangs.ts')), errors.join('\n'));
    await session.waitFor<ServerStatusParams>(ServerStatusNotification.method, (s) => s.state === 'ready', 30_000);
  });
});

describe('the language server process', function () {
  this.timeout(60_000);
  const server = path.resolve(__dirname, '../../../dist/server.js');
  let root: string | undefined;
  afterEach(() => {
    if (root) removeTree(root);
    root = undefined;
  });

  /** The real server over stdio, as an editor starts it. */
  function spawnServer() {
    const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, exited };
  }

  it('exits at once on shutdown and exit in the middle of a large first scan', async () => {
    root = makeTree(bigApp(3000));
    const { child, exited } = spawnServer();
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const states: string[] = [];
    connection.onNotification(ServerStatusNotification.method, (status: ServerStatusParams) => {
      states.push(status.state);
    });
    connection.onRequest(() => null);
    connection.listen();
    const uri = pathToFileURL(root).toString();
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: uri, workspaceFolders: [{ uri, name: 'big' }], capabilities: {} });
    connection.sendNotification('initialized', {});
    while (!states.includes('scanning')) await new Promise((resolve) => setTimeout(resolve, 10));
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    assert.equal(await exited, 0);
    assert.ok(!states.includes('ready'), `the process exited before its scan ended (states: ${states.join(', ')})`);
    connection.dispose();
  });

  it('exits when the client sends a message it cannot frame, instead of staying up deaf', async () => {
    const { child, exited } = spawnServer();
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdin.write('Content-Type: nonsense\r\n\r\n{}');
    assert.equal(await exited, 1);
    assert.match(stderr, /unreadable message/);
  });
});
