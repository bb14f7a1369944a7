import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RouteManifest } from '../../server/analysis/model';
import { runCli } from '../../server/cli';
import { runInProcess } from './inProcess';
import {
  binaryRouteCase,
  checkExpected,
  deepSyntaxCases,
  type HostileCase,
  hugeBasePathCase,
  linkCycleCase,
  linksOutsideCase,
  materialize,
  Scratch,
  selfLinkCase,
  staticCases,
  templateCallCase,
  tooLargeCase,
  unprivilegedUser,
  unreadableFolderCase,
  wildcardExportsCase,
} from '../faults/hostileCases';

const repoRoot = path.resolve(__dirname, '../../..');
const bundle = path.join(repoRoot, 'dist/cli.js');

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI in this process: `runCli` is `main` with the guard that turns an internal error into one line. */
const runCliInProcess = (args: string[]): CliRun => runInProcess(runCli, args);

function runBundle(args: string[], user?: { uid: number; gid: number }): CliRun {
  assert.ok(fs.existsSync(bundle), `${bundle} is missing: run node esbuild.mjs --tests first`);
  const result = spawnSync(process.execPath, [bundle, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 25_000, ...user });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Exit 0, no stack trace, and the manifest on stdout. */
function manifestFrom(run: CliRun, how: string): RouteManifest {
  assertNoStackTrace(run, how);
  assert.equal(run.code, 0, `${how} exits 0; stderr:\n${run.stderr}`);
  return JSON.parse(run.stdout) as RouteManifest;
}

function assertNoStackTrace(run: CliRun, how: string): void {
  assert.doesNotMatch(run.stderr, /^\s+at .+/m, `${how} printed a stack trace:\n${run.stderr}`);
  assert.doesNotMatch(run.stdout, /^\s+at .+\(.+:\d+:\d+\)$/m, `${how} printed a stack trace on stdout`);
}

/** One workspace holding several cases at once (their files, links and expectations side by side). */
function combine(name: string, cases: HostileCase[]): HostileCase {
  return {
    name,
    files: Object.assign({}, ...cases.map((c) => c.files)),
    setup: (root, scratch) => {
      for (const c of cases) c.setup?.(root, scratch);
    },
    routes: Object.assign({}, ...cases.map((c) => c.routes)),
    problems: cases.flatMap((c) => c.problems),
    check: (manifest) => {
      for (const c of cases) c.check?.(manifest);
    },
  };
}

describe('fault suite: the CLI over hostile workspaces', function () {
  this.timeout(30_000);
  let scratch: Scratch | undefined;
  afterEach(() => {
    scratch?.dispose();
    scratch = undefined;
  });

  for (const hostile of staticCases()) {
    it(`${hostile.name}: keeps every good route and names the bad file (--json, then the table from the parse cache)`, () => {
      const made = materialize(hostile);
      scratch = made.scratch;
      const manifest = manifestFrom(runCliInProcess([made.root, '--json']), 'route-atlas --json');
      checkExpected(manifest, hostile, 'route-atlas --json');
      const table = runCliInProcess([made.root]);
      assertNoStackTrace(table, 'route-atlas');
      assert.equal(table.code, 0, table.stderr);
      for (const file of Object.keys(hostile.routes)) assert.ok(table.stdout.includes(`${file}:`), `the table lists ${file}`);
    });
  }

  it('the bundle (node dist/cli.js --json) over one workspace that holds most cases at once', () => {
    const everything = combine('most cases at once', [
      ...deepSyntaxCases(),
      selfLinkCase(),
      linkCycleCase(),
      linksOutsideCase(),
      wildcardExportsCase(),
      hugeBasePathCase(),
      templateCallCase(),
      tooLargeCase(),
      binaryRouteCase(),
    ]);
    const made = materialize(everything);
    scratch = made.scratch;
    checkExpected(manifestFrom(runBundle([made.root, '--json']), 'node dist/cli.js --json'), everything, 'node dist/cli.js --json');
    // The second run reads its parse cache, which now holds what the hostile files came to.
    checkExpected(manifestFrom(runBundle([made.root, '--json']), 'node dist/cli.js --json, warm'), everything, 'node dist/cli.js --json, warm');
  });

  it('reports a folder it cannot read when run by a user the mode 000 applies to', function () {
    const user = unprivilegedUser();
    const hostile = unreadableFolderCase(true);
    if (user) {
      // As root a mode of 000 stops nothing: the bundle runs as `nobody` instead, over a tree it may read.
      const made = materialize(hostile);
      scratch = made.scratch;
      fs.chmodSync(made.root, 0o755);
      checkExpected(manifestFrom(runBundle([made.root, '--json'], user), 'node dist/cli.js --json as nobody'), hostile, 'node dist/cli.js --json as nobody');
      return;
    }
    if (process.getuid?.() === 0) this.skip();
    const made = materialize(hostile);
    scratch = made.scratch;
    checkExpected(manifestFrom(runBundle([made.root, '--json']), 'node dist/cli.js --json'), hostile, 'node dist/cli.js --json');
  });

  it('says that a folder does not exist, in one line, with exit code 2', () => {
    scratch = new Scratch();
    const missing = path.join(scratch.dir(), 'gone');
    for (const run of [runCliInProcess([missing, '--json']), runBundle([missing, '--json'])]) {
      assertNoStackTrace(run, 'route-atlas on a missing folder');
      assert.equal(run.code, 2, run.stderr);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.ok(run.stderr.includes(missing), run.stderr);
      assert.match(run.stderr, /does not exist/, `the message says the folder does not exist: ${run.stderr}`);
    }
  });

  it('says that a file is not a folder, in one line, with exit code 2', () => {
    scratch = new Scratch();
    const file = path.join(scratch.dir({ 'route.ts': 'export const GET = () => new Response();\n' }), 'route.ts');
    const run = runBundle([file, '--json']);
    assertNoStackTrace(run, 'route-atlas on a file');
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /is not a folder/);
  });

  it('ends with one line and exit code 2 when stdout is closed under it, never a stack trace', async () => {
    // More JSON than a pipe holds, for a reader that has gone away (`route-atlas dir --json | head -c 1`).
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`app/api/r${i}/route.ts`] = `export async function GET() { return Response.json({ i: ${i} }); }\n`;
    const made = materialize({ name: 'many routes', files: { 'package.json': JSON.stringify({ dependencies: { next: '15.5.0' } }), ...files }, routes: {}, problems: [] });
    scratch = made.scratch;
    const child = spawn(process.execPath, [bundle, made.root, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)));
    assertNoStackTrace({ code, stdout: '', stderr }, 'route-atlas with its stdout closed');
    const lines = stderr.trim().split('\n');
    assert.equal(code, 2, stderr);
    assert.ok(lines.length <= 2, `at most the summary line and one error line:\n${stderr}`);
    assert.match(lines[lines.length - 1], /^route-atlas: the output was closed before all of it was written \(EPIPE\)$/);
  });
});
