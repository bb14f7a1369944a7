import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { ClientCommands, ServerStatusNotification, type ServerStatusParams } from '../../server/protocol';
import { findMarkup } from '../unit/markdownMarkup';
import { lineContaining, makeTree, nextApp, removeTree } from '../unit/tempTree';
import { startTestSession, type TestSession } from './lspClient';

/** An import specifier that closes the hover's code span, starts a paragraph, and adds a command link and a beacon image. */
const PAYLOAD = 'x`\n\n[open](command:vscode.open?%5B%22file%3A%2F%2F%2Fetc%2Fpasswd%22%5D)![b](https://beacon.example/x.png)';
const ROUTE = `import { GET } from '${JSON.stringify(PAYLOAD).slice(1, -1)}';\nexport { GET };\nexport const revalidate = 60;\n`;

describe('language server: the hover of a route with a hostile import specifier', () => {
  let root: string;
  let session: TestSession;

  before(async () => {
    root = makeTree(nextApp({ 'app/api/imported/route.ts': ROUTE }));
    const rootUri = pathToFileURL(root).toString();
    session = startTestSession();
    const ready = session.waitFor<ServerStatusParams>(ServerStatusNotification.method, (s) => s.state === 'ready');
    await session.client.sendRequest('initialize', {
      processId: null,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'app' }],
      capabilities: {},
      initializationOptions: { clientCommands: [ClientCommands.sendRequest, ClientCommands.revealReason], settings: {} },
    });
    session.client.sendNotification('initialized', {});
    await ready;
  });

  after(() => {
    session.dispose();
    removeTree(root);
  });

  it('shows the reason that quotes the specifier, with no link, image or HTML', async () => {
    const uri = pathToFileURL(path.join(root, 'app/api/imported/route.ts')).toString();
    const line = lineContaining(ROUTE, 'export { GET }') - 1;
    const character = ROUTE.split('\n')[line].indexOf('GET') + 1;
    const hover = await session.client.sendRequest<Hover>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
    const contents = hover.contents as MarkupContent;
    assert.equal(contents.kind, 'markdown');
    assert.match(contents.value, /GET comes from/);
    const markup = findMarkup(contents.value);
    assert.deepEqual({ links: markup.links, images: markup.images, other: markup.other }, { links: [], images: [], other: [] }, contents.value);
    assert.ok(!contents.value.includes('\n\n'), `no paragraph break from the specifier:\n${contents.value}`);
  });
});
