// The language server's requests for the editor's reach beyond the tree: an OpenAPI document built by the
// analysis thread from the workspace (unsaved text included), and the agent tools answered from the manifests.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { languageModelTools } from '../../server/agent/languageModelTools';
import { AgentToolRequest, type AgentToolResponse, OpenApiRequest, type OpenApiResponse } from '../../server/protocol';
import { makeTree, nextApp, removeTree } from '../unit/tempTree';
import { initializeFolder, startTestSession, type TestSession } from './lspClient';

const USER_ROUTE = "export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {\n  const { id } = await params;\n  return Response.json({ id });\n}\n";

async function start(root: string): Promise<{ session: TestSession; uri: string }> {
  const session = startTestSession();
  const uri = pathToFileURL(root).toString();
  await initializeFolder(session, uri);
  return { session, uri };
}

const openApi = (session: TestSession, folder: string, app?: string) => session.client.sendRequest<OpenApiResponse>(OpenApiRequest.method, { folder, app });
const tool = (session: TestSession, name: string, args: unknown) => session.client.sendRequest<AgentToolResponse>(AgentToolRequest.method, { name, arguments: args });

describe('OpenAPI and agent tools from the language server', () => {
  let root = '';
  let session: TestSession | undefined;
  afterEach(() => {
    session?.dispose();
    session = undefined;
    if (root) removeTree(root);
  });

  it('builds the OpenAPI document of the app, with the editor\'s unsaved text', async () => {
    root = makeTree(nextApp({ 'app/api/users/[id]/route.ts': USER_ROUTE }));
    const started = await start(root);
    session = started.session;
    const first = await openApi(session, started.uri);
    assert.ok('document' in first, JSON.stringify(first));
    assert.equal(first.document.openapi, '3.1.0');
    const paths = first.document.paths as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(paths['/api/users/{id}']), ['get']);

    const file = path.join(root, 'app/api/users/[id]/route.ts');
    const fileUri = pathToFileURL(file).toString();
    const edited = USER_ROUTE + "\nexport async function DELETE() {\n  return new Response(null, { status: 204 });\n}\n";
    session.client.sendNotification('textDocument/didOpen', { textDocument: { uri: fileUri, languageId: 'typescript', version: 1, text: USER_ROUTE } });
    session.client.sendNotification('textDocument/didChange', { textDocument: { uri: fileUri, version: 2 }, contentChanges: [{ text: edited }] });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const answer = await openApi(session, started.uri);
      const operations = 'document' in answer ? Object.keys((answer.document.paths as Record<string, Record<string, unknown>>)['/api/users/{id}']) : [];
      if (operations.includes('delete')) {
        assert.deepEqual(operations, ['get', 'delete']);
        break;
      }
      assert.ok(Date.now() < deadline, `the unsaved DELETE never reached the document: ${JSON.stringify(operations)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(fs.readFileSync(file, 'utf8'), USER_ROUTE, 'the file on disk is untouched');
  });

  it('asks which app of a monorepo, naming them, and describes the one chosen', async () => {
    root = makeTree({
      ...Object.fromEntries(Object.entries(nextApp({ 'app/api/a/route.ts': USER_ROUTE })).map(([k, v]) => [`apps/web/${k}`, v])),
      ...Object.fromEntries(Object.entries(nextApp({ 'app/api/b/route.ts': USER_ROUTE })).map(([k, v]) => [`apps/admin/${k}`, v])),
    });
    const started = await start(root);
    session = started.session;
    const unclear = await openApi(session, started.uri);
    assert.ok('error' in unclear);
    assert.deepEqual([...unclear.appRoots].sort(), ['apps/admin', 'apps/web']);
    const chosen = await openApi(session, started.uri, 'apps/admin');
    assert.ok('document' in chosen);
    assert.deepEqual(Object.keys(chosen.document.paths as object), ['/api/b']);
    const unknown = await openApi(session, 'file:///nowhere');
    assert.ok('error' in unknown && /not a workspace folder/.test(unknown.error));
  });

  it('runs the agent tools over the manifests it holds', async () => {
    root = makeTree(nextApp({ 'app/api/users/[id]/route.ts': USER_ROUTE, 'app/api/health/route.ts': 'export const get = () => Response.json({});\n' }));
    const started = await start(root);
    session = started.session;
    const listed = await tool(session, 'list_endpoints', { url: '/api/users/**' });
    assert.equal(listed.isError, undefined, listed.text);
    assert.match(listed.text, /\/api\/users\/\[id\]/);
    assert.doesNotMatch(listed.text, /\/api\/health/);
    const endpoints = (listed.structured as { endpoints: Array<{ url: string }> }).endpoints.map((e) => e.url);
    assert.deepEqual(endpoints, ['/api/users/[id]']);
    const checked = await tool(session, 'check', {});
    assert.match(checked.text, /lowercase-method/);
    const wrong = await tool(session, 'list_endpoints', { colour: 'red' });
    assert.equal(wrong.isError, true);
    assert.match(wrong.text, /colour/);
    assert.equal((await tool(session, 'no_such_tool', {})).isError, true);
  });

  it('declares in package.json exactly the language model tools the server runs', () => {
    const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
    assert.deepEqual(manifest.contributes.languageModelTools, languageModelTools());
  });
});
