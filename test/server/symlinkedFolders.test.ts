import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CodeLens, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { ClientCommands, DidChangeManifestNotification, type ManifestResult, ManifestRequest } from '../../server/protocol';
import { makeTree, removeTree, writeFiles } from '../unit/tempTree';
import { initializeFolder, startTestSession, type TestSession } from './lspClient';

const GET = 'export async function GET() {\n  return Response.json({ ok: true });\n}\n';
const POST = 'export async function POST() {\n  return Response.json({ ok: true });\n}\n';
const DELETE = 'export async function DELETE() {\n  return new Response(null, { status: 204 });\n}\n';

/** A monorepo whose docs project is also reachable as `docs`, a link to `showcase/shell-docs`. */
describe('language server: a project reached through a symbolic link', () => {
  let root: string;
  let session: TestSession;
  const uriOf = (relative: string) => pathToFileURL(path.join(root, relative)).toString();
  const viaLink = 'docs/app/api/search/route.ts';
  const real = 'showcase/shell-docs/app/api/search/route.ts';

  /** `url file methods` of every route, once the manifest shows `expected` (or the time is up). */
  async function routesOnceTheyAre(expected: string[]): Promise<string[]> {
    let routes: string[] = [];
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
      const changed = session.waitFor(DidChangeManifestNotification.method, () => true, 250, false);
      const result = await session.client.sendRequest<ManifestResult>(ManifestRequest.method, {});
      routes = result.folders[0].manifest.apps.flatMap((app) =>
        app.routes.map((r) => `${app.root}: ${r.url} ${r.file} ${r.methods.filter((m) => !m.implicit).map((m) => m.name).join(',')}`),
      );
      if (JSON.stringify(routes) === JSON.stringify(expected)) break;
      await changed.catch(() => undefined);
    }
    return routes;
  }

  beforeEach(async () => {
    root = makeTree({
      'package.json': JSON.stringify({ name: 'monorepo', private: true }),
      'showcase/shell-docs/package.json': JSON.stringify({ name: 'shell-docs', dependencies: { next: '15.5.0' } }),
      [real]: GET,
    });
    fs.symlinkSync('showcase/shell-docs', path.join(root, 'docs'));
    const rootUri = pathToFileURL(root).toString();
    session = startTestSession();
    await initializeFolder(session, rootUri, {
      folderName: 'monorepo',
      capabilities: { window: { workDoneProgress: false }, workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
      clientCommands: [ClientCommands.sendRequest],
    });
  });

  afterEach(() => {
    session.dispose();
    removeTree(root);
  });

  it('lists the project once, under its real path', async () => {
    const expected = ['showcase/shell-docs: /api/search showcase/shell-docs/app/api/search/route.ts GET'];
    assert.deepEqual(await routesOnceTheyAre(expected), expected);
  });

  it('updates the route from watcher events for the link spelling and for the real spelling', async () => {
    fs.writeFileSync(path.join(root, real), POST);
    session.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(viaLink), type: 2 }] });
    const afterLink = [`showcase/shell-docs: /api/search ${real} POST`];
    assert.deepEqual(await routesOnceTheyAre(afterLink), afterLink);

    fs.writeFileSync(path.join(root, real), DELETE);
    session.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(real), type: 2 }] });
    const afterReal = [`showcase/shell-docs: /api/search ${real} DELETE`];
    assert.deepEqual(await routesOnceTheyAre(afterReal), afterReal);

    writeFiles(root, { 'docs/app/api/new/route.ts': GET });
    session.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('docs/app/api/new/route.ts'), type: 1 }] });
    const created = ['showcase/shell-docs: /api/new showcase/shell-docs/app/api/new/route.ts GET', `showcase/shell-docs: /api/search ${real} DELETE`];
    assert.deepEqual(await routesOnceTheyAre(created), created);

    fs.rmSync(path.join(root, 'showcase/shell-docs/app/api/new'), { recursive: true });
    session.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('docs/app/api/new'), type: 3 }] });
    assert.deepEqual(await routesOnceTheyAre(afterReal), afterReal);
  });

  it('follows the unsaved text of a document opened through the link, and the disk again once it is closed', async () => {
    const uri = uriOf(viaLink);
    session.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: GET } });
    session.client.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: GET + POST }] });
    const edited = [`showcase/shell-docs: /api/search ${real} GET,POST`];
    assert.deepEqual(await routesOnceTheyAre(edited), edited);

    session.client.sendNotification('textDocument/didClose', { textDocument: { uri } });
    const closed = [`showcase/shell-docs: /api/search ${real} GET`];
    assert.deepEqual(await routesOnceTheyAre(closed), closed);
  });

  it('shows lenses, diagnostics and quick fixes on a document opened under the link name', async () => {
    // A lowercase `get` is an error with a quick fix: it must show on the document the editor opened.
    fs.writeFileSync(path.join(root, real), GET + 'export async function get() {\n  return Response.json({});\n}\n');
    session.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(real), type: 2 }] });
    const withLowercase = [`showcase/shell-docs: /api/search ${real} GET`];
    assert.deepEqual(await routesOnceTheyAre(withLowercase), withLowercase);
    await session.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uriOf(real) && p.diagnostics.some((d) => d.code === 'lowercase-method'), 20_000);

    const uri = uriOf(viaLink);
    session.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: fs.readFileSync(path.join(root, real), 'utf8') } });
    const shown = await session.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length > 0, 20_000);
    assert.deepEqual(shown.diagnostics.map((d) => d.code), ['lowercase-method']);

    const lenses = await session.client.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.ok(lenses.some((lens) => lens.command?.title === 'Send GET /api/search'), JSON.stringify(lenses.map((l) => l.command?.title)));

    const actions = await session.client.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: shown.diagnostics[0].range, context: { diagnostics: shown.diagnostics } });
    assert.ok(actions.some((action) => /GET/.test(action.title)), JSON.stringify(actions.map((a) => a.title)));

    session.client.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await session.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length === 0, 20_000, false);
  });
});
