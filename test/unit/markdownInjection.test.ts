import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RouteManifest } from '../../server/analysis/model';
import { scanWorkspace } from '../../server/analysis/scan';
import { hoverMarkdown } from '../../server/lsp/present';
import { markdownCode, markdownCommandLink, markdownMessage, markdownText } from '../../server/markdownText';
import { ClientCommands } from '../../server/protocol';
import { buildEndpointTree, type EndpointNode } from '../../src/endpointTree';
import { appTooltipMarkdown, endpointTooltipMarkdown, methodTooltipMarkdown } from '../../src/tooltipMarkdown';
import { commandArguments, findMarkup } from './markdownMarkup';
import { makeTree, nextApp, removeTree } from './tempTree';

/** What a hostile repository puts into an import specifier: a code span closer, a blank line, a command link and a beacon. */
const PAYLOAD = 'x`\n\n[open](command:vscode.open?%5B%22file%3A%2F%2F%2Fetc%2Fpasswd%22%5D)![b](https://beacon.example/x.png)';
/** The same with the one command the tooltip trusts, which would open any file. */
const REVEAL_PAYLOAD = `y\`\n\n[open](command:${ClientCommands.revealReason}?${encodeURIComponent(JSON.stringify([{ uri: 'file:///etc/passwd', line: 0, column: 0 }]))})![b](https://beacon.example/y.png)`;

/** Source text for a string literal holding `text` (TypeScript reads `\n` back as a line break). */
const literal = (text: string) => JSON.stringify(text).replace(/'/g, "\\'").slice(1, -1);

const fileUri = (root: string, file: string) => pathToFileURL(path.join(root, file)).toString();

/** Asserts that markdown renders no image, HTML or autolink, and links only to revealReason with `allowedFiles`. */
function assertInert(markdown: string, allowedFiles: string[] = []): void {
  const markup = findMarkup(markdown);
  assert.deepEqual(markup.images, [], markdown);
  assert.deepEqual(markup.other, [], markdown);
  for (const target of markup.links) {
    const args = commandArguments(target, ClientCommands.revealReason);
    assert.ok(args, `a link other than revealReason: ${target}\n${markdown}`);
    const uri = (args[0] as { uri: string }).uri;
    assert.ok(allowedFiles.includes(uri), `revealReason for ${uri}\n${markdown}`);
  }
  for (const code of markup.code) assert.doesNotMatch(code, /[\n\r]/, 'a code span on one line');
  assert.ok(!markdown.includes('\n\n[open]') && !markdown.includes('x`\n'), `the blank line of the payload is gone:\n${markdown}`);
}

describe('markdown from workspace text', () => {
  it('escapes plain text so that it shows as written and starts no markup', () => {
    for (const text of [PAYLOAD, REVEAL_PAYLOAD, '<img src=https://beacon.example/x.png>', 'see https://beacon.example and www.example.com', '$(zap) **bold** _it_ # h', '[ref]: https://x.example']) {
      const markdown = markdownText(text);
      assertInert(markdown);
      assert.doesNotMatch(markdown, /\n/);
      // Dropping the escapes gives the text back (line breaks as spaces).
      assert.equal(markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1'), text.replace(/\r\n|[\n\r]/g, ' '));
    }
  });

  it('fences code with more backticks than any run inside, and keeps it on one line', () => {
    assert.equal(markdownCode('cookies()'), '`cookies()`');
    assert.equal(markdownCode('a `b` c'), '``a `b` c``');
    assert.equal(markdownCode('`x``'), '``` `x`` ```');
    assert.equal(markdownCode('a\n\nb'), '`a  b`');
    const markup = findMarkup(`see ${markdownCode(PAYLOAD)} here`);
    assert.deepEqual(markup.links, []);
    assert.deepEqual(markup.images, []);
    assert.deepEqual(markup.code, [PAYLOAD.replace(/\n/g, ' ')]);
  });

  it('keeps code spans of a message as code and everything else as text, whatever backticks the quotes hold', () => {
    assert.equal(markdownMessage('`revalidate = 0` renders the route on every request.'), '`revalidate = 0` renders the route on every request\\.');
    for (const message of [
      `\`export * from '${PAYLOAD}'\` could not be resolved.`,
      `GET comes from '${REVEAL_PAYLOAD}', outside the workspace`,
      // Two quotes that touch once cut at their backticks: their fences must stay apart.
      `\`a\`\`b${PAYLOAD}\``,
      '``',
      '`unclosed [x](command:y)',
    ]) {
      assertInert(markdownMessage(message));
    }
  });

  it('builds command links from arguments, with parentheses from file names encoded', () => {
    const args = [{ uri: 'file:///w/a)![b](https:/x.png', line: 1, column: 2 }];
    const link = markdownCommandLink('a)b.ts:2', ClientCommands.revealReason, args);
    const markup = findMarkup(link);
    assert.equal(markup.links.length, 1);
    assert.deepEqual(commandArguments(markup.links[0], ClientCommands.revealReason), args);
    assert.deepEqual(markup.images, []);
  });
});

describe('a hostile import specifier in tooltips and hovers', () => {
  let root: string;
  let manifest: RouteManifest;
  before(() => {
    root = makeTree(
      nextApp({
        'package.json': JSON.stringify({ name: PAYLOAD, dependencies: { next: '15.5.0' } }),
        // Next.js 15 caches a GET only when asked; revalidate makes the verdict depend on the imported handler.
        'app/api/imported/route.ts': `import { GET } from '${literal(PAYLOAD)}';\nexport { GET };\nexport const revalidate = 60;\n`,
        'app/api/star/route.ts': `export * from '${literal(REVEAL_PAYLOAD)}';\nexport async function POST() {\n  return new Response(null);\n}\n`,
        [`app/api/${'`'}[b](https:x)${'`'}/route.ts`]: 'export async function GET() {\n  return Response.json({});\n}\n',
      }),
    );
    manifest = scanWorkspace(root);
  });
  after(() => removeTree(root));

  const endpoints = (): EndpointNode[] => buildEndpointTree([{ uri: pathToFileURL(root).toString(), manifest }]).endpoints;

  const endpoint = (url: string) => endpoints().find((e) => e.route.url === url)!;

  it('carries the payload into the reason and the problem (the premise of the tests below)', () => {
    assert.match(endpoint('/api/imported').route.caching!.reasons[0].message, /\[open\]\(command:vscode\.open/);
    assert.ok(endpoint('/api/star').problems.some((p) => p.message.includes(`command:${ClientCommands.revealReason}`)));
  });

  it('renders the tree tooltips inert: no image, and links only to the reasons and handlers Route Atlas found', () => {
    const routeFile = (url: string) => fileUri(root, endpoint(url).route.file);
    for (const node of endpoints()) {
      assertInert(endpointTooltipMarkdown(node, fileUri), [fileUri(root, node.route.file)]);
      for (const method of node.methods) assertInert(methodTooltipMarkdown(method, fileUri), [fileUri(root, node.route.file)]);
    }
    const imported = endpointTooltipMarkdown(endpoint('/api/imported'), fileUri);
    // The reason is still there, and still links to where GET is exported.
    assert.match(imported, /GET comes from/);
    assert.equal(findMarkup(imported).links.length, 1);
    assert.deepEqual(commandArguments(findMarkup(imported).links[0], ClientCommands.revealReason), [{ uri: routeFile('/api/imported'), line: 1, column: 9 }]);
    // With two apps the view shows an app row, labelled with the name in package.json.
    const app = buildEndpointTree([{ uri: 'file:///a', manifest }, { uri: 'file:///b', manifest }]).roots.find((n) => n.type === 'app');
    assert.ok(app && app.type === 'app');
    assertInert(appTooltipMarkdown(app));
  });

  it('renders the hover inert: no link or image at all', () => {
    for (const node of endpoints()) {
      for (const method of node.route.methods) {
        const markdown = hoverMarkdown(node.route, method);
        assertInert(markdown);
        assert.deepEqual(findMarkup(markdown).links, [], markdown);
      }
    }
    const get = endpoint('/api/imported').route.methods.find((m) => m.name === 'GET')!;
    assert.match(hoverMarkdown(endpoint('/api/imported').route, get), /GET comes from/);
  });
});
