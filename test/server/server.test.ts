import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CodeLens, Diagnostic, Hover, PublishDiagnosticsParams, WorkspaceSymbol } from 'vscode-languageserver-protocol';
import {
  applyManifestChanges,
  ClientCommands,
  DidChangeManifestNotification,
  type ManifestResult,
  ManifestRequest,
  RescanRequest,
  ServerStatusNotification,
  type ServerStatusParams,
} from '../../server/protocol';
import { lineContaining, makeTree, nextApp, removeTree, writeFiles } from '../unit/tempTree';
import { startTestSession, type TestSession } from './lspClient';

const USERS_ROUTE = `import { cookies } from 'next/headers';

export async function GET() {
  const theme = (await cookies()).get('theme');
  return Response.json({ theme });
}
`;

const LIB_API = "export async function loadUsers() {\n  const response = await fetch('/api/users');\n  return response.json();\n}\n";

describe('language server (in process, over streams)', () => {
  let root: string;
  let session: TestSession;
  let rootUri: string;
  const uriOf = (relative: string) => pathToFileURL(path.join(root, relative)).toString();

  beforeEach(async () => {
    root = makeTree(
      nextApp(
        {
          'app/api/users/route.ts': USERS_ROUTE,
          'app/about/page.tsx': 'export default function About() { return null; }\n',
          'app/about/route.ts': 'export function GET() { return new Response("about"); }\n',
          'app/api/time/route.ts': "export const dynamic = 'force-static';\nexport function GET() { return Response.json({ now: Date.now() }); }\n",
          'lib/api.ts': LIB_API,
          'app/api/legacy/route.ts': "export * from '../../../lib/handlers';\n",
          'lib/handlers.ts': 'export async function GET() {\n  return Response.json({ legacy: true });\n}\n',
        },
        '14.2.35',
      ),
    );
    rootUri = pathToFileURL(root).toString();
    session = startTestSession();
    const ready = session.waitFor<ServerStatusParams>(ServerStatusNotification.method, (s) => s.state === 'ready');
    await session.client.sendRequest('initialize', {
      processId: null,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'app' }],
      capabilities: { window: { workDoneProgress: false }, workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
      initializationOptions: { clientCommands: [ClientCommands.sendRequest, ClientCommands.revealReason, ClientCommands.showCallers], settings: {} },
    });
    session.client.sendNotification('initialized', {});
    await ready;
  });

  afterEach(() => {
    session.dispose();
    removeTree(root);
  });

  it('reports scanning then ready with totals', () => {
    const states = session.statuses.map((s) => s.state);
    assert.ok(states.indexOf('scanning') < states.indexOf('ready'));
    const ready = session.statuses.find((s) => s.state === 'ready')!;
    assert.equal(ready.apps, 1);
    assert.equal(ready.routes, 4);
  });

  it('answers routeAtlas/manifest with every route', async () => {
    const result = await session.client.sendRequest<ManifestResult>(ManifestRequest.method, {});
    const urls = result.folders[0].manifest.apps[0].routes.map((r) => r.url);
    assert.deepEqual(urls, ['/about', '/api/legacy', '/api/time', '/api/users']);
  });

  it('follows an unsaved edit: a new POST appears in the manifest and the lenses', async () => {
    const uri = uriOf('app/api/users/route.ts');
    session.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: USERS_ROUTE } });
    const edited = USERS_ROUTE + '\nexport async function POST(request: Request) {\n  const { name } = await request.json();\n  return Response.json({ name }, { status: 201 });\n}\n';
    let changed = session.waitFor(DidChangeManifestNotification.method, () => true, 10_000, false);
    session.client.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: edited }] });
    // The didOpen may announce a manifest change of its own before the edit's debounce has run, so
    // look again after each later change until the lenses show the edit (or the time is up).
    let lenses: CodeLens[] = [];
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
      await changed.catch(() => undefined);
      lenses = await session.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      if (lenses.some((l) => l.command?.title === 'Send POST /api/users')) break;
      changed = session.waitFor(DidChangeManifestNotification.method, () => true, 250, false);
    }
    const titles = lenses.map((l) => l.command?.title);
    assert.ok(titles.includes('Send GET /api/users'), titles.join(' | '));
    assert.ok(titles.includes('Send POST /api/users'), titles.join(' | '));
    const post = lenses.find((l) => l.command?.title === 'Send POST /api/users')!;
    assert.equal(post.range.start.line, lineContaining(edited, 'export async function POST') - 1);
    assert.deepEqual(post.command!.arguments![0], { uri, url: '/api/users', method: 'POST', appRoot: '.' });
  });

  it('shows the caching verdict lens with its reason, and a hover', async () => {
    const uri = uriOf('app/api/users/route.ts');
    const lenses = await session.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const caching = lenses.find((l) => l.command?.title.startsWith('Dynamic'));
    assert.ok(caching, lenses.map((l) => l.command?.title).join(' | '));
    assert.match(caching.command!.title, /cookies\(\)/);
    assert.equal(caching.command!.command, ClientCommands.revealReason);
    assert.equal(caching.command!.arguments![0].line, lineContaining(USERS_ROUTE, 'await cookies()') - 1);
    const line = lineContaining(USERS_ROUTE, 'export async function GET') - 1;
    const hover = await session.client.sendRequest<Hover>('textDocument/hover', { textDocument: { uri }, position: { line, character: 23 } });
    assert.match(JSON.stringify(hover.contents), /Caching: Dynamic/);
  });

  it('publishes a route/page conflict with the page as related information', async () => {
    const published = await waitForDiagnostics(session, uriOf('app/about/route.ts'), (d) => d.some((x) => x.code === 'route-page-conflict'));
    const conflict = published.find((d) => d.code === 'route-page-conflict')!;
    assert.equal(conflict.severity, 1);
    assert.equal(conflict.relatedInformation?.[0].location.uri, uriOf('app/about/page.tsx'));
  });

  it('takes each check\'s severity from routeAtlas.lint settings', async () => {
    const uri = uriOf('app/about/route.ts');
    await waitForDiagnostics(session, uri, (d) => d.some((x) => x.code === 'route-page-conflict'));
    session.client.sendNotification('workspace/didChangeConfiguration', {
      settings: { routeAtlas: { lint: { 'route-page-conflict': 'ignore', 'frozen-time-varying': 'error' } } },
    });
    await session.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length === 0, 10_000, false);
    const time = await waitForDiagnostics(session, uriOf('app/api/time/route.ts'), (d) => d.some((x) => x.code === 'frozen-time-varying' && x.severity === 1));
    assert.ok(time.length > 0);
  });

  it('offers the quick fix of a caching trap as a workspace edit', async () => {
    const uri = uriOf('app/api/time/route.ts');
    const diagnostics = await waitForDiagnostics(session, uri, (d) => d.some((x) => x.code === 'frozen-time-varying'));
    const trap = diagnostics.find((d) => d.code === 'frozen-time-varying')!;
    const actions = await session.client.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: trap.range, context: { diagnostics: [trap] } });
    assert.equal(actions[0].title, "Change to dynamic = 'force-dynamic'");
    assert.equal(actions[0].edit!.changes![uri][0].newText, "'force-dynamic'");
  });

  it('counts callers from the app code in a lens, and jumps from a URL string to its handler', async () => {
    const uri = uriOf('app/api/users/route.ts');
    const deadline = Date.now() + 10_000;
    let callersLens: CodeLens | undefined;
    while (!callersLens && Date.now() < deadline) {
      const lenses = await session.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      callersLens = lenses.find((l) => l.command?.title === '1 caller');
      if (!callersLens) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(callersLens, 'a "1 caller" lens');
    assert.equal(callersLens.command!.arguments![0].locations[0].uri, uriOf('lib/api.ts'));
    const libUri = uriOf('lib/api.ts');
    session.client.sendNotification('textDocument/didOpen', { textDocument: { uri: libUri, languageId: 'typescript', version: 1, text: LIB_API } });
    const line = lineContaining(LIB_API, "fetch('/api/users')") - 1;
    const character = LIB_API.split('\n')[line].indexOf('/api/users') + 2;
    const targets = await session.client.sendRequest<Array<{ uri: string; range: { start: { line: number } } }>>('textDocument/definition', { textDocument: { uri: libUri }, position: { line, character } });
    assert.equal(targets[0].uri, uri);
    assert.equal(targets[0].range.start.line, lineContaining(USERS_ROUTE, 'export async function GET') - 1);
  });

  it('asks the client to watch app dirs, config files and exactly the modules routes depend on', () => {
    const registrations = session.requests
      .filter((r) => r.method === 'client/registerCapability')
      .flatMap((r) => (r.params as { registrations: Array<{ registerOptions: { watchers: Array<{ globPattern: string }> } }> }).registrations)
      .flatMap((r) => r.registerOptions.watchers.map((w) => w.globPattern));
    assert.ok(registrations.includes('**/app/**'), registrations.join(' | '));
    const everything = session.requests
      .filter((r) => r.method === 'client/registerCapability')
      .flatMap((r) => (r.params as { registrations: Array<{ registerOptions: { watchers: Array<{ globPattern: string; kind?: number }> } }> }).registrations)
      .flatMap((r) => r.registerOptions.watchers)
      .find((w) => w.globPattern === '**/*');
    assert.equal(everything?.kind, 1 | 4, 'creations and deletions anywhere, for apps that arrive as one folder');
    assert.ok(registrations.some((g) => g.endsWith('/lib/handlers.ts')), registrations.join(' | '));
    assert.ok(!registrations.some((g) => g.endsWith('/lib/api.ts')), 'a module no route depends on is not watched');
  });

  it('re-links a route when a module it re-exports changes on disk', async () => {
    writeFiles(root, { 'lib/handlers.ts': 'export async function GET() {\n  return Response.json({});\n}\nexport const DELETE = GET;\n' });
    const changed = session.waitFor(DidChangeManifestNotification.method, () => true, 10_000, false);
    session.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('lib/handlers.ts'), type: 2 }] });
    await changed;
    const result = await session.client.sendRequest<ManifestResult>(ManifestRequest.method, {});
    const legacy = result.folders[0].manifest.apps[0].routes.find((r) => r.url === '/api/legacy');
    assert.deepEqual(legacy?.methods.filter((m) => !m.implicit).map((m) => m.name), ['GET', 'DELETE']);
  });

  it('learns about a route file from the editor when no watcher event came', async () => {
    writeFiles(root, { 'app/api/fresh/route.ts': '' });
    const uri = uriOf('app/api/fresh/route.ts');
    const changed = session.waitFor(DidChangeManifestNotification.method, () => true, 10_000, false);
    const text = 'export async function PUT() {\n  return new Response(null, { status: 204 });\n}\n';
    session.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
    await changed;
    const result = await session.client.sendRequest<ManifestResult>(ManifestRequest.method, {});
    const fresh = result.folders[0].manifest.apps[0].routes.find((r) => r.url === '/api/fresh');
    assert.deepEqual(fresh?.methods.filter((m) => !m.implicit).map((m) => m.name), ['PUT']);
  });

  it('finds endpoints as workspace symbols', async () => {
    const symbols = await session.client.sendRequest<WorkspaceSymbol[]>('workspace/symbol', { query: 'get users' });
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['GET /api/users'],
    );
  });

  it('adds a route when a new folder is created on disk', async () => {
    writeFiles(root, { 'app/api/orders/[id]/route.ts': 'export async function DELETE() { return new Response(null, { status: 204 }); }\n' });
    const changed = session.waitFor(DidChangeManifestNotification.method, () => true, 10_000, false);
    session.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('app/api/orders'), type: 1 }] });
    await changed;
    const result = await session.client.sendRequest<ManifestResult>(ManifestRequest.method, {});
    assert.ok(result.folders[0].manifest.apps[0].routes.some((r) => r.url === '/api/orders/[id]'));
  });

  it('finds a new app from the creation of its top folder alone, and drops it when that folder goes', async () => {
    writeFiles(root, { 'admin/next.config.js': 'module.exports = {};\n', 'admin/app/api/echo/route.ts': 'export async function POST() { return new Response(null); }\n' });
    let changed = session.waitFor(DidChangeManifestNotification.method, () => true, 10_000, false);
    session.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('admin'), type: 1 }] });
    await changed;
    let result = await session.client.sendRequest<ManifestResult>(ManifestRequest.method, {});
    assert.deepEqual(
      result.folders[0].manifest.apps.map((app) => app.root),
      ['.', 'admin'],
    );
    removeTree(path.join(root, 'admin'));
    changed = session.waitFor(DidChangeManifestNotification.method, () => true, 10_000, false);
    session.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('admin'), type: 3 }] });
    await changed;
    result = await session.client.sendRequest<ManifestResult>(ManifestRequest.method, {});
    assert.deepEqual(
      result.folders[0].manifest.apps.map((app) => app.root),
      ['.'],
    );
  });

  it('sends diagnostics again only for the files whose diagnostics changed', async () => {
    await waitForDiagnostics(session, uriOf('app/about/route.ts'), (d) => d.some((x) => x.code === 'route-page-conflict'));
    const time = uriOf('app/api/time/route.ts');
    await waitForDiagnostics(session, time, (d) => d.some((x) => x.code === 'frozen-time-varying'));
    const sentSince = (count: number) =>
      session.notifications
        .slice(count)
        .filter((n) => n.method === 'textDocument/publishDiagnostics')
        .map((n) => (n.params as PublishDiagnosticsParams).uri);
    const open = async (relative: string, text: string) => {
      const changed = session.waitFor(DidChangeManifestNotification.method, () => true, 10_000, false);
      session.client.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(relative), languageId: 'typescript', version: 1, text } });
      await changed;
    };
    // A new method changes no file's diagnostics: none are sent.
    let before = session.notifications.length;
    await open('app/api/users/route.ts', USERS_ROUTE + 'export async function POST() { return new Response(null, { status: 201 }); }\n');
    assert.deepEqual(sentSince(before), []);
    // Making the time route dynamic clears its frozen-time problem, and only its diagnostics are sent.
    before = session.notifications.length;
    await open('app/api/time/route.ts', "export const dynamic = 'force-dynamic';\nexport function GET() { return Response.json({ now: Date.now() }); }\n");
    await waitForDiagnostics(session, time, (d) => d.length === 0);
    assert.deepEqual(sentSince(before), [time]);
  });

  it('answers a manifest request that names the shown version with the changed routes only', async () => {
    const held = await session.client.sendRequest<ManifestResult>(ManifestRequest.method, {});
    assert.equal(held.changes, undefined, 'a request without a version gets everything');
    const unchanged = await session.client.sendRequest<ManifestResult>(ManifestRequest.method, { since: held.version });
    // Nothing changed: the app is marked unchanged, with nothing else to read.
    assert.deepEqual(unchanged.changes, {
      since: held.version,
      folders: [{ uri: rootUri, apps: [{ changed: [], removed: [], problems: [], pages: [], unchanged: true }] }],
    });
    assert.deepEqual(applyManifestChanges(held, unchanged), held);
    // The app stays the very object the client holds, so that the next comparison with it is instant.
    assert.equal(applyManifestChanges(held, unchanged)!.folders[0].manifest.apps[0], held.folders[0].manifest.apps[0]);

    // An edit changes one route; a new route and a deleted one change the order too.
    let changed = session.waitFor(DidChangeManifestNotification.method, () => true, 10_000, false);
    session.client.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uriOf('app/api/time/route.ts'), languageId: 'typescript', version: 1, text: 'export function GET() { return Response.json({ now: Date.now() }); }\n' },
    });
    await changed;
    const edit = await session.client.sendRequest<ManifestResult>(ManifestRequest.method, { since: held.version });
    assert.deepEqual(edit.folders[0].manifest.apps[0].routes, []);
    const [timeChanges] = edit.changes!.folders[0].apps;
    assert.deepEqual(timeChanges.changed.map((r) => r.url), ['/api/time']);
    assert.deepEqual([timeChanges.removed, timeChanges.order], [[], undefined]);
    const whole = await session.client.sendRequest<ManifestResult>(ManifestRequest.method, {});
    assert.deepEqual(applyManifestChanges(held, edit), whole);

    writeFiles(root, { 'app/api/books/route.ts': 'export const POST = async () => new Response(null, { status: 201 });\n' });
    removeTree(path.join(root, 'app', 'about', 'route.ts'));
    changed = session.waitFor(DidChangeManifestNotification.method, () => true, 10_000, false);
    session.client.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: uriOf('app/api/books/route.ts'), type: 1 },
        { uri: uriOf('app/about/route.ts'), type: 3 },
      ],
    });
    await changed;
    const moved = await session.client.sendRequest<ManifestResult>(ManifestRequest.method, { since: whole.version });
    const [bookChanges] = moved.changes!.folders[0].apps;
    assert.ok(bookChanges.changed.some((r) => r.url === '/api/books'));
    assert.deepEqual(bookChanges.removed, ['app/about/route.ts']);
    assert.deepEqual(bookChanges.order, ['app/api/books/route.ts', 'app/api/legacy/route.ts', 'app/api/time/route.ts', 'app/api/users/route.ts']);
    const latest = await session.client.sendRequest<ManifestResult>(ManifestRequest.method, {});
    assert.deepEqual(applyManifestChanges(whole, moved), latest);

    // A version the server did not answer last gets everything; applied to the wrong version, changes do not fit.
    const stale = await session.client.sendRequest<ManifestResult>(ManifestRequest.method, { since: held.version });
    assert.equal(stale.changes, undefined);
    assert.equal(applyManifestChanges(held, moved), undefined);
  });

  it('rescans from disk on routeAtlas/rescan, when no file event came at all', async () => {
    writeFiles(root, { 'docs/package.json': JSON.stringify({ dependencies: { next: '16.0.0' } }), 'docs/src/app/search/route.ts': 'export const GET = () => Response.json([]);\n' });
    writeFiles(root, { 'app/api/users/route.ts': USERS_ROUTE + 'export async function DELETE() { return new Response(null, { status: 204 }); }\n' });
    const result = await session.client.sendRequest<ManifestResult>(RescanRequest.method, {});
    const [main, docs] = result.folders[0].manifest.apps;
    assert.equal(docs?.root, 'docs');
    assert.deepEqual(docs.routes.map((r) => r.url), ['/search']);
    const users = main.routes.find((r) => r.url === '/api/users');
    assert.deepEqual(users?.methods.filter((m) => !m.implicit).map((m) => m.name), ['GET', 'DELETE']);
    const latest = await session.client.sendRequest<ManifestResult>(ManifestRequest.method, {});
    assert.equal(latest.version, result.version, 'the answer is the manifest the server now holds');
  });
});

function waitForDiagnostics(session: TestSession, uri: string, predicate: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
  return session.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri && predicate(p.diagnostics)).then((p) => p.diagnostics);
}
