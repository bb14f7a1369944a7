// "Send request" in a real VS Code against a real Next.js server. The fixture app test/vscode/next-app is
// built once per content (into the Route Atlas cache, with the oracle's Next.js 15 install as its
// node_modules) and served with `next start` on a free port for this suite. Its sources are also copied
// into the workspace, with that port in the `dev` script, so the extension finds the routes in its
// manifest and the base URL by its own detection, as it would in a person's project.
import * as assert from 'assert';
import { type ChildProcess, spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { LastResponse as ControllerResponse } from '../../../src/requests/requestController';
import { until } from './poll';

const EXTENSION_ID = 'route-atlas.route-atlas';
const NEXT_VERSION = '15.5.29';
/** out/test/vscode/suite → the repository. */
const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const FIXTURE = path.join(REPO, 'test', 'vscode', 'next-app');
const APP_ROOT = 'send-app';
const HTML_BODY = '<script>alert(1)</script><img src=x onerror=alert(2)>';

/** The controller's record of the last response, plus what the view reported it drew. */
type LastResponse = ControllerResponse & {
  /** What the response view reported it drew, once it has. */
  rendered?: { id: number; bodyText: string; tags: string[] };
};

interface RequestInput {
  params?: Record<string, string | string[]>;
  query?: Record<string, string> | string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** HOME points into the harness's run folder here; the cache belongs to the real user. */
function cacheDir(): string {
  return process.env.ROUTE_ATLAS_CACHE || path.join(os.userInfo().homedir, '.cache', 'route-atlas');
}

function listFiles(dir: string, base = dir): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.name === 'node_modules' || entry.name === '.next') return [];
      return entry.isDirectory() ? listFiles(full, base) : [path.relative(base, full)];
    })
    .sort();
}

function fixtureHash(): string {
  const hash = crypto.createHash('sha256').update(NEXT_VERSION);
  for (const file of listFiles(FIXTURE)) hash.update(file).update(fs.readFileSync(path.join(FIXTURE, file)));
  return hash.digest('hex').slice(0, 16);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A plain HTTP server on 127.0.0.1 that records every request it gets. */
async function listen(handler: (request: http.IncomingMessage, response: http.ServerResponse) => void) {
  const seen: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      seen.push({ method: request.method, url: request.url, headers: request.headers, body });
      handler(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  const close = () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  return { origin, seen, close };
}

/**
 * Answers the modal questions of the requests `run` sends: the extension reads this variable in its test
 * mode only (see requestController.ts), since a test cannot click a modal dialog.
 */
async function answeringQuestions<T>(answer: 'accept' | 'decline', run: () => Promise<T>): Promise<T> {
  process.env.ROUTE_ATLAS_TEST_CONFIRM = answer;
  try {
    return await run();
  } finally {
    delete process.env.ROUTE_ATLAS_TEST_CONFIRM;
  }
}

function nextEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0', NO_COLOR: '1' };
  // The extension host's own settings must not leak into Next's processes.
  for (const name of ['NODE_OPTIONS', 'ELECTRON_RUN_AS_NODE', 'VSCODE_IPC_HOOK', 'NODE_ENV']) delete env[name];
  return env;
}

/** The oracle's Next.js install, made by its installer when missing (15-20 s). */
function ensureNextInstall(): string {
  const dir = path.join(cacheDir(), 'oracle', `next-${NEXT_VERSION}`);
  if (!fs.existsSync(path.join(dir, 'oracle-install.json'))) {
    const result = spawnSync(process.execPath, [path.join(REPO, 'test', 'oracle', 'run.mjs'), '--install-only', '--targets', '15'], {
      env: { ...nextEnv(), ROUTE_ATLAS_CACHE: cacheDir() },
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (!fs.existsSync(path.join(dir, 'oracle-install.json'))) throw new Error(`could not install Next.js ${NEXT_VERSION}: ${result.stderr || result.stdout}`);
  }
  return dir;
}

/** `next build` of the fixture, once per fixture content: later runs start in about two seconds. */
async function ensureBuild(): Promise<string> {
  const install = ensureNextInstall();
  const dir = path.join(cacheDir(), 'send-request-app', fixtureHash());
  const stamp = path.join(dir, '.route-atlas-built');
  if (fs.existsSync(stamp)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(FIXTURE, dir, { recursive: true });
  fs.symlinkSync(path.join(install, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const child = spawn(process.execPath, [path.join(dir, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], { cwd: dir, env: nextEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`next build of the fixture failed (exit ${code}):\n${output.slice(-3000)}`);
  fs.writeFileSync(stamp, new Date().toISOString());
  return dir;
}

function workspaceFolder(): string {
  return vscode.workspace.workspaceFolders![0].uri.fsPath;
}

function routeUri(relative: string): string {
  return vscode.Uri.file(path.join(workspaceFolder(), APP_ROOT, 'app', ...relative.split('/'), 'route.ts')).toString();
}

/** Runs the command as a CodeLens would, with a fully specified request so that nothing is asked. */
async function send(routeDir: string, method: string, input: RequestInput = {}, url = `/${routeDir}`): Promise<LastResponse> {
  const args = { uri: routeUri(routeDir), url, method, appRoot: APP_ROOT };
  const result = await vscode.commands.executeCommand<LastResponse | undefined>('routeAtlas.sendRequest', args, input);
  assert.ok(result, `no result for ${method} ${url}`);
  const { rendered: _, ...last } = (await vscode.commands.executeCommand<LastResponse>('routeAtlas.internal.lastResponse')) ?? {};
  assert.deepStrictEqual(last, result, 'routeAtlas.internal.lastResponse returns what the command returned');
  return result;
}

/** What the webview (rendered by the workbench's Chromium) reports it shows for the last response. */
async function rendered(): Promise<NonNullable<LastResponse['rendered']>> {
  return until('the response view to draw the response', async () => (await vscode.commands.executeCommand<LastResponse>('routeAtlas.internal.lastResponse'))?.rendered, 20_000, 50);
}

function json(response: LastResponse): any {
  assert.strictEqual(response.error, undefined, `request failed: ${response.error?.message}`);
  return JSON.parse(response.bodyText);
}

async function withSetting<T>(key: string, value: unknown, run: () => Promise<T>): Promise<T> {
  const config = vscode.workspace.getConfiguration('routeAtlas');
  await config.update(key, value, vscode.ConfigurationTarget.Workspace);
  try {
    return await run();
  } finally {
    await config.update(key, undefined, vscode.ConfigurationTarget.Workspace);
  }
}

describe('send request against a real Next.js server', function () {
  let server: ChildProcess | undefined;
  let serverOutput = '';
  let port = 0;
  let api: { treeRows(): Array<{ label: string; description?: string }> };

  before(async function () {
    this.timeout(240_000);
    api = await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    const started = Date.now();
    const buildDir = await ensureBuild();
    const built = Date.now();
    port = await freePort();
    server = spawn(process.execPath, [path.join(buildDir, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', String(port)], {
      cwd: buildDir,
      env: nextEnv(),
      // Its own process group, so that `after` stops next and every worker it started.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (d) => (serverOutput += d));
    server.stderr?.on('data', (d) => (serverOutput += d));
    await until(
      `next start on port ${port}`,
      async () => {
        if (server?.exitCode !== null) throw new Error(`next start exited with ${server?.exitCode}: ${serverOutput}`);
        const response = await fetch(`http://localhost:${port}/api/echo`).catch(() => undefined);
        return response?.ok;
      },
      60_000,
      100,
    );
    const ready = Date.now();

    // The app's sources in the workspace, with the server's port where people write it: the dev script.
    const appDir = path.join(workspaceFolder(), APP_ROOT);
    fs.cpSync(FIXTURE, appDir, { recursive: true });
    const packageJson = JSON.parse(fs.readFileSync(path.join(appDir, 'package.json'), 'utf8'));
    packageJson.scripts.dev = `next dev -p ${port}`;
    fs.writeFileSync(path.join(appDir, 'package.json'), JSON.stringify(packageJson, null, 2));
    // The new app folder reaches the server through the file watcher. This suite is about sending, so when
    // the watcher is late (the features suite holds it to account), Refresh Endpoints rescans the disk.
    let rescans = 0;
    await until(
      'the send-app endpoints in the tree',
      async () => {
        const rows = api.treeRows();
        if (rows.some((r) => r.label === 'echo') && rows.some((r) => r.label === '[id]' && /PUT/.test(r.description ?? ''))) return true;
        if (Date.now() - ready > 10_000) {
          rescans++;
          await vscode.commands.executeCommand('routeAtlas.refresh');
        }
        return undefined;
      },
      60_000,
      500,
    );
    console.log(`[send] next build ${built - started} ms (0 when cached), next start ready ${ready - built} ms, endpoints in the tree ${Date.now() - ready} ms (${rescans ? `after ${rescans} rescan(s): the watcher was late` : 'from the watcher'})`);
  });

  after(async function () {
    if (!server?.pid || server.exitCode !== null) return;
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-server!.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
  });

  it('sends a GET with its query to the port of the dev script', async () => {
    const response = await send('api/echo', 'GET', { query: { q: 'red shoes', page: '2' } });
    assert.strictEqual(response.status, 200);
    assert.strictEqual(response.baseUrl, `http://localhost:${port}`);
    assert.match(response.baseUrlSource, /dev script in send-app\/package\.json/);
    assert.strictEqual(response.url, `http://localhost:${port}/api/echo?q=red+shoes&page=2`);
    assert.deepStrictEqual(json(response).query, { q: 'red shoes', page: '2' });
    assert.ok((response.timeMs ?? -1) >= 0);
  });

  it('sends POST, PUT, PATCH and DELETE with a JSON body', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const body = { name: `Ada ${method}`, email: 'ada@example.com' };
      const echoed = json(await send('api/echo', method, { body }));
      assert.deepStrictEqual([echoed.method, echoed.body, echoed.contentType], [method, body, 'application/json'], method);
    }
  });

  it('runs the command of the Send lens, with the arguments the server put there', async () => {
    const uri = vscode.Uri.parse(routeUri('api/items/[id]'));
    await vscode.window.showTextDocument(uri);
    const lens = await until('a "Send PUT /api/items/[id]" lens', async () => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
      return lenses.find((l) => l.command?.title === 'Send PUT /api/items/[id]');
    });
    const result = await vscode.commands.executeCommand<LastResponse>(lens.command!.command, ...(lens.command!.arguments ?? []), { params: { id: '42' }, body: { title: 'Hello' } });
    assert.deepStrictEqual(json(result), { id: '42', title: 'Hello' });
  });

  it('writes a request with a body in the request editor and sends it from there, headers and all, never asking to save', async () => {
    const args = { uri: routeUri('api/items/[id]'), url: '/api/items/[id]', method: 'PUT', appRoot: APP_ROOT };
    const uriText = await vscode.commands.executeCommand<string>('routeAtlas.editRequest', args, { params: { id: '7' } });
    assert.ok(uriText, 'the command returns the request editor it opened');
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uriText)!;
    assert.ok(document, 'the request editor is open');
    assert.strictEqual(document.languageId, 'route-atlas-request');
    const lines = document.getText().split('\n');
    assert.ok(lines.includes('PUT /api/items/7'), `the request line has the param filled in:\n${document.getText()}`);
    assert.ok(lines.includes('Content-Type: application/json'), 'a JSON body is declared');
    assert.match(document.getText(), /"title": ""/, 'the body template has the field the handler reads');

    const lens = await until('a Send lens in the request editor', async () => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ?? [];
      return lenses.find((l) => l.command?.title.startsWith('$(play) Send PUT /api/items/7'));
    });

    // A person types: the path, a header and the body change; the document is saved at every edit.
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((edit) => edit.replace(new vscode.Range(0, 0, document.lineCount, 0), '# edited\nPUT /api/items/8\nContent-Type: application/json\nX-Trace: t-1\n\n{ "title": "From the editor" }\n'));
    await until('the request editor to be saved after the edit', async () => !document.isDirty || undefined);
    const result = await vscode.commands.executeCommand<LastResponse>(lens.command!.command, ...(lens.command!.arguments ?? []));
    assert.strictEqual(result.url, `http://localhost:${port}/api/items/8`);
    assert.deepStrictEqual(json(result), { id: '8', title: 'From the editor' });

    // Headers written there are sent: the echo route shows them.
    const echo = await vscode.commands.executeCommand<string>('routeAtlas.editRequest', { ...args, uri: routeUri('api/echo'), url: '/api/echo', method: 'POST' }, {});
    const echoDocument = vscode.workspace.textDocuments.find((d) => d.uri.toString() === echo)!;
    const echoEditor = await vscode.window.showTextDocument(echoDocument);
    await echoEditor.edit((edit) => edit.replace(new vscode.Range(0, 0, echoDocument.lineCount, 0), 'POST /api/echo?from=editor\nContent-Type: text/plain\nAuthorization: Bearer typed\n\nplain words\n'));
    const echoed = json((await vscode.commands.executeCommand<LastResponse>('routeAtlas.sendRequestDocument', echo))!);
    assert.deepStrictEqual([echoed.method, echoed.query, echoed.contentType, echoed.authorization, echoed.body], ['POST', { from: 'editor' }, 'text/plain', 'Bearer typed', 'plain words']);

    // A mistake names its line and puts the cursor there; nothing is sent.
    await echoEditor.edit((edit) => edit.replace(new vscode.Range(0, 0, echoDocument.lineCount, 0), 'POST /api/echo\nnot a header\n\n{}\n'));
    const before = await vscode.commands.executeCommand<LastResponse>('routeAtlas.internal.lastResponse');
    assert.strictEqual(await vscode.commands.executeCommand('routeAtlas.sendRequestDocument', echo), undefined);
    assert.strictEqual(echoEditor.selection.start.line, 1, 'the cursor is on the line of the mistake');
    assert.strictEqual((await vscode.commands.executeCommand<LastResponse>('routeAtlas.internal.lastResponse'))?.id, before?.id, 'nothing was sent');

    // Closing never asks where to save (a dialog would hold this command until the test times out).
    for (const uri of [uriText, echo]) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)!;
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
    const open = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === 'route-atlas-request');
    assert.deepStrictEqual(open.map((t) => t.label), [], 'both request editors closed');

    // The next Send of PUT offers what was sent last: the same headers and body, per method.
    await vscode.commands.executeCommand('routeAtlas.editRequest', args, { params: { id: '9' } });
    const again = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uriText && !d.isClosed)!;
    assert.match(again.getText(), /^PUT \/api\/items\/9$/m);
    assert.match(again.getText(), /^X-Trace: t-1$/m);
    assert.match(again.getText(), /"title": "From the editor"/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('keeps a/b inside its segment and fills a catch-all with several segments', async () => {
    const item = await send('api/items/[id]', 'GET', { params: { id: 'a/b' } });
    assert.strictEqual(item.url, `http://localhost:${port}/api/items/a%2Fb`);
    assert.deepStrictEqual(json(item), { id: 'a/b' });
    const files = await send('api/files/[...path]', 'GET', { params: { path: 'docs/intro/getting started' } });
    assert.deepStrictEqual(json(files), { path: ['docs', 'intro', 'getting started'] });
    const encoded = await send('api/files/[...path]', 'GET', { params: { path: ['a/b', 'c'] } });
    assert.deepStrictEqual(json(encoded), { path: ['a/b', 'c'] });
    const empty = await send('api/docs/[[...slug]]', 'GET', { params: {} });
    assert.strictEqual(empty.url, `http://localhost:${port}/api/docs`);
    assert.deepStrictEqual(json(empty), { slug: null });
  });

  it('keeps the cookies of a login for the next request', async () => {
    await vscode.commands.executeCommand('routeAtlas.clearCookies');
    const before = await send('api/me', 'GET');
    assert.strictEqual(before.status, 401);
    const login = await send('api/login', 'POST', { body: { user: 'ada' } });
    assert.match(login.headers['set-cookie'] ?? '', /^session=user-ada; Path=\//);
    const me = await send('api/me', 'GET');
    assert.deepStrictEqual([me.status, json(me)], [200, { user: 'ada' }]);
  });

  it('sends a stored token to its own origin only', async () => {
    const origin = `http://localhost:${port}`;
    await vscode.commands.executeCommand('routeAtlas.setAuthToken', origin, 'secret-token');
    try {
      assert.strictEqual(json(await send('api/echo', 'GET')).authorization, 'Bearer secret-token');
      // The same server under another name is another origin: the token stays home.
      const other = await withSetting('request.baseUrls', { [APP_ROOT]: `http://127.0.0.1:${port}` }, () => send('api/echo', 'GET'));
      assert.strictEqual(other.baseUrl, `http://127.0.0.1:${port}`);
      assert.match(other.baseUrlSource, /routeAtlas\.request\.baseUrls/);
      assert.strictEqual(json(other).authorization, null);
    } finally {
      await vscode.commands.executeCommand('routeAtlas.setAuthToken', origin, '');
    }
    assert.strictEqual(json(await send('api/echo', 'GET')).authorization, null);
  });

  it('follows redirects and shows each hop', async () => {
    const response = await send('api/redirect', 'GET', { query: { hops: '2' } });
    assert.strictEqual(response.status, 200);
    assert.deepStrictEqual(
      response.redirects.map((r) => [r.status, new URL(r.location).pathname + new URL(r.location).search]),
      [
        [302, '/api/redirect?hops=1'],
        [307, '/api/echo?from=redirect'],
      ],
    );
    assert.deepStrictEqual(json(response).query, { from: 'redirect' });
  });

  it('asks before a redirect to another port, and sends nothing there when declined', async () => {
    const second = await listen((_request, response) => response.end('{"landed":true}'));
    const first = await listen((_request, response) => response.writeHead(307, { Location: `${second.origin}/login` }).end());
    try {
      const login = () =>
        withSetting('request.baseUrls', { [APP_ROOT]: first.origin }, () =>
          withSetting('request.headers', { 'X-Api-Key': 'k-123', Accept: 'application/json' }, () => send('api/login', 'POST', { body: { user: 'ada', password: 'hunter2' } })),
        );
      const declined = await answeringQuestions('decline', login);
      assert.strictEqual(second.seen.length, 0, 'nothing reached the second port');
      assert.deepStrictEqual(
        declined.questions.map((q) => [q.message, q.answer]),
        [[`Follow the redirect from ${first.origin}/api/login to ${second.origin}/login?`, false]],
      );
      assert.match(declined.questions[0].detail, /request body \(35 bytes\) would be sent there too/);
      assert.match(declined.questions[0].detail, /These headers stay behind: X-Api-Key\./);
      assert.strictEqual(declined.status, 307);
      assert.deepStrictEqual(declined.redirects, []);
      assert.strictEqual(declined.explanation, `Not followed: you chose not to send POST on to ${second.origin}. It pointed to ${second.origin}/login.`);

      const accepted = await answeringQuestions('accept', login);
      assert.deepStrictEqual([accepted.status, json(accepted), accepted.questions.map((q) => q.answer)], [200, { landed: true }, [true]]);
      assert.deepStrictEqual(
        second.seen.map((r) => [r.method, r.url, r.body, r.headers['x-api-key'], r.headers.accept]),
        [['POST', '/login', '{"user":"ada","password":"hunter2"}', undefined, 'application/json']],
      );
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('sends the user name and password of a base URL as Basic authorization, and never shows or stores them', async () => {
    const base = `http://ada:s3cret@localhost:${port}`;
    const sent = await withSetting('request.baseUrls', { [APP_ROOT]: base }, () => send('api/echo', 'GET', { query: { q: 'basic' } }));
    assert.strictEqual(json(sent).authorization, `Basic ${Buffer.from('ada:s3cret').toString('base64')}`);
    const broken = await withSetting('request.baseUrls', { [APP_ROOT]: base }, () => send('api/echo', 'POST', { body: '{ "name": ' }));
    assert.strictEqual(broken.error?.kind, 'invalidRequest');
    for (const response of [sent, broken]) {
      assert.strictEqual(response.baseUrl, `http://localhost:${port}`);
      assert.ok(!JSON.stringify(response).includes('s3cret'), JSON.stringify(response));
    }
    assert.strictEqual(broken.url, `http://localhost:${port}/api/echo`);
  });

  it('keeps no request body in the history when routeAtlas.request.historyBodies is off', async () => {
    const config = vscode.workspace.getConfiguration('routeAtlas');
    await config.update('request.historyBodies', false, vscode.ConfigurationTarget.Global);
    try {
      const response = await send('api/echo', 'POST', { body: { password: 'hunter2' } });
      assert.deepStrictEqual(json(response).body, { password: 'hunter2' });
      assert.strictEqual(response.history[0].status, 200);
      assert.ok(!JSON.stringify(response.history).includes('hunter2'), JSON.stringify(response.history[0]));
    } finally {
      await config.update('request.historyBodies', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('shows a streamed response as it arrives', async () => {
    const response = await send('api/stream', 'GET');
    assert.strictEqual(response.bodyText, 'data: tick 1\n\ndata: tick 2\n\ndata: tick 3\n\n');
    assert.ok(response.chunks >= 3, `${response.chunks} chunks`);
    assert.ok(response.streamUpdates >= 2, `the view got ${response.streamUpdates} updates while the body streamed`);
    assert.ok(response.headersMs! + 500 <= response.timeMs!, `headers after ${response.headersMs} ms, the end after ${response.timeMs} ms`);
  });

  it('shows an HTML body as text, formatted: the page never holds it', async () => {
    const response = await send('api/html', 'GET');
    assert.strictEqual(response.bodyText, HTML_BODY);
    assert.strictEqual(response.bodyKind, 'text');
    const html = response.webviewHtml ?? '';
    assert.match(html, /default-src 'none'; style-src [^;]+; img-src data:; frame-src 'none'; script-src 'nonce-[A-Za-z0-9+/=]+';/);
    for (const fragment of ['alert(', 'onerror', '<img']) assert.ok(!html.includes(fragment), `the webview HTML contains ${fragment}`);
    // In the page itself, the markup is one text node in a <pre>, a tag per line: no element came from it.
    const shown = await rendered();
    assert.strictEqual(shown.bodyText, '<script>alert(1)</script>\n<img src=x onerror=alert(2)>');
    assert.deepStrictEqual(shown.tags, ['pre']);
  });

  it('draws JSON as a tree that folds', async () => {
    await send('api/items/[id]', 'GET', { params: { id: '7' } });
    const shown = await rendered();
    assert.deepStrictEqual([...shown.tags].sort(), ['details', 'div', 'span', 'summary']);
    assert.strictEqual(shown.bodyText, '{ 1 }"id": "7"');
  });

  it('caps a large body for display and keeps all of it, and summarizes an image', async () => {
    const big = await send('api/big', 'GET');
    assert.strictEqual(big.bodyText.length, 16 * 96 * 1024);
    assert.strictEqual(big.cut, true);
    const image = await send('api/image', 'GET');
    assert.deepStrictEqual([image.bodyKind, image.headers['content-type'], image.bodyText], ['image', 'image/png', '']);
    assert.ok(image.bytes > 60);
    const shown = await rendered();
    assert.strictEqual(shown.bodyText, `image/png, ${image.bytes} B`);
    assert.deepStrictEqual(shown.tags, ['p', 'img']);
  });

  it('says there is no server on a port nobody listens on, and keeps the request in the history', async () => {
    const unused = await freePort();
    const response = await withSetting('request.baseUrls', { [APP_ROOT]: `http://localhost:${unused}` }, () => send('api/echo', 'GET', { query: { q: 'lost?' } }));
    assert.strictEqual(response.error?.kind, 'connectionRefused');
    assert.strictEqual(response.error?.message, `No server on localhost:${unused}: start it with npm run dev?`);
    assert.strictEqual(response.history[0].url, `http://localhost:${unused}/api/echo?q=lost%3F`);
    assert.strictEqual(response.history[0].error, response.error?.message);
    assert.ok(response.history.some((h) => h.status === 200), 'earlier requests are still there');
  });

  it('explains a 404 and a 405', async () => {
    const missing = await send('api/echo', 'GET', {}, '/api/nowhere');
    assert.strictEqual(missing.status, 404);
    assert.match(missing.explanation ?? '', /^404 Not Found: no route at this URL/);
    const notExported = await send('api/items/[id]', 'PATCH', { params: { id: '1' }, body: { title: 'x' } });
    assert.strictEqual(notExported.status, 405);
    assert.strictEqual(notExported.explanation, '405 Method Not Allowed: the file does not export PATCH (it exports GET, PUT).');
  });

  it('gives up after routeAtlas.request.timeoutMs', async () => {
    const response = await withSetting('request.timeoutMs', 500, () => send('api/slow', 'GET', { query: { ms: '3000' } }));
    assert.strictEqual(response.error?.kind, 'timeout');
    assert.match(response.error?.message ?? '', /within 500 ms/);
    assert.ok((response.timeMs ?? 0) < 2500, `gave up after ${response.timeMs} ms`);
  });

  it('refuses a body that is not valid JSON, and keeps it in the history', async () => {
    const response = await send('api/echo', 'POST', { body: '{ "name": "Ada", ' });
    assert.strictEqual(response.error?.kind, 'invalidRequest');
    assert.match(response.error?.message ?? '', /not valid JSON at line 1/);
    assert.strictEqual(response.history[0].error, response.error?.message);
  });

  it('saves every endpoint of the app as an .http file', async () => {
    const file = vscode.Uri.file(path.join(workspaceFolder(), APP_ROOT, 'requests.http'));
    const saved = await vscode.commands.executeCommand<vscode.Uri>('routeAtlas.saveAsHttpFile', undefined, { appRoot: APP_ROOT, uri: file.toString() });
    assert.strictEqual(saved?.fsPath, file.fsPath);
    const text = Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8');
    assert.ok(text.includes(`@baseUrl = http://localhost:${port}\n`), text);
    assert.ok(text.includes('\n@id = 1\n'), 'param variables hold the values typed last');
    assert.ok(text.includes('### PUT /api/items/[id]\nPUT {{baseUrl}}/api/items/{{id}}\nContent-Type: application/json\n\n{\n  "title": ""\n}'), text);
    assert.ok(text.includes('### GET /api/echo\nGET {{baseUrl}}/api/echo?page=&q=\n'), text);
    assert.ok(text.includes('GET {{baseUrl}}/api/files/{{path}}'), text);
  });
});
