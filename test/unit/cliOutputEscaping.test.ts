import * as assert from 'node:assert/strict';
import { main } from '../../server/cli';
import { makeTree, nextApp, removeTree } from './tempTree';
import { runInProcess } from './inProcess';

/** Characters a terminal or a CI log acts on, or that hide text: C0 (but the line feed that ends a line), DEL, C1, line and paragraph separators, bidi overrides and isolates. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

const run = (args: string[]) => runInProcess(main, args);

// Folder names that forge a GitHub Actions log command, clear the screen, or reverse the text after them.
const FORGED = 'a\n::error::forged';
const CLEAR = '\u001b[2J';
const REVERSED = 'b\u202etxt.exe\u2028c';
const DEFAULT_EXPORT = 'export default function handler() {\n  return new Response(null);\n}\n';

describe('route-atlas CLI output with control characters in workspace names', () => {
  let root: string;
  before(() => {
    root = makeTree(
      nextApp({
        // A default export makes a problem whose message quotes the file name, for --check.
        [`app/${FORGED}/route.ts`]: DEFAULT_EXPORT,
        [`app/${CLEAR}/route.ts`]: 'export async function GET() {\n  return Response.json({});\n}\n',
        [`app/${REVERSED}/route.ts`]: DEFAULT_EXPORT,
      }),
    );
  });
  after(() => removeTree(root));

  function assertNothingRaw(text: string): void {
    const raw = RAW_CONTROL.exec(text);
    assert.equal(raw, null, `a raw U+${raw?.[0].codePointAt(0)!.toString(16).padStart(4, '0')} in:\n${text}`);
    for (const line of text.split('\n')) assert.doesNotMatch(line, /^\s*::/, `a line that starts a log command: ${line}`);
  }

  it('shows them escaped in the table', () => {
    const { stdout } = run([root, '--no-cache']);
    assertNothingRaw(stdout);
    assert.ok(stdout.includes('/a\\n::error::forged'), stdout);
    assert.ok(stdout.includes('/\\u001b[2J'), stdout);
    assert.ok(stdout.includes('b\\u202etxt.exe\\u2028c'), stdout);
  });

  it('shows them escaped in --check, one problem per line', () => {
    const { code, stdout } = run([root, '--check', '--no-cache']);
    assert.equal(code, 1);
    assertNothingRaw(stdout);
    // Each default export is an error (default-export-only) and a warning (no-methods).
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines.length, 4, stdout);
    assert.ok(lines.some((line) => /^app\/a\\n::error::forged\/route\.ts:1:\d+ error default-export-only /.test(line)), stdout);
  });

  it('keeps --json the same data, with the characters JSON.stringify leaves raw written as \\u escapes', () => {
    const { stdout } = run([root, '--json', '--no-cache']);
    assertNothingRaw(stdout);
    const manifest = JSON.parse(stdout) as { apps: Array<{ routes: Array<{ url: string }> }> };
    assert.deepEqual(manifest.apps[0].routes.map((r) => r.url).sort(), [`/${CLEAR}`, `/${FORGED}`, `/${REVERSED}`].sort());
  });
});
