import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { main, runCli } from '../../server/cli';
import { globMatches } from '../../server/urlGlob';
import { makeTree, nextApp, removeTree } from './tempTree';
import { PassThrough } from 'node:stream';
import { runInProcess } from './inProcess';

const repoRoot = path.resolve(__dirname, '../../..');
const sampleApp = path.join(repoRoot, 'test/sample-app');

const run = (args: string[]) => runInProcess(main, args);

describe('route-atlas CLI', () => {
  it('prints a table with URL, methods, params, caching and file:line', () => {
    const { code, stdout } = run([sampleApp]);
    assert.equal(code, 0);
    assert.match(stdout, /URL\s+METHODS\s+PARAMS\s+GET CACHING\s+FILE/);
    assert.match(stdout, /\/api\/users\/\[id\]\s+GET,PUT,DELETE\s+id\s+dynamic \(has PUT\)\s+app\/api\/users\/\[id\]\/route\.ts:5/);
    assert.match(stdout, /\/api\/health\s+GET\s+isr 60s/);
  });

  it('prints only the manifest JSON with --json, logs on stderr', () => {
    const { code, stdout, stderr } = run([sampleApp, '--json']);
    assert.equal(code, 0);
    const manifest = JSON.parse(stdout);
    assert.equal(manifest.manifestVersion, '1.0');
    assert.equal(manifest.apps[0].routes.length, 9);
    assert.match(stderr, /9 routes/);
  });

  it('honours --next-version and --cache-components', () => {
    const manifest = JSON.parse(run([sampleApp, '--json', '--next-version', '14']).stdout);
    const health = manifest.apps[0].routes.find((r: { url: string }) => r.url === '/api/health');
    assert.equal(manifest.apps[0].nextVersion.major, 14);
    assert.deepEqual({ kind: health.caching.kind, revalidate: health.caching.revalidate }, { kind: 'isr', revalidate: 60 });
    const cc = JSON.parse(run([sampleApp, '--json', '--next-version', '16', '--cache-components']).stdout);
    assert.equal(cc.apps[0].routes.find((r: { url: string }) => r.url === '/api/health').caching.kind, 'error');
  });

  it('exits 1 with --check when a problem fails the build, and prints file:line:col severity id', () => {
    const root = makeTree(nextApp({ 'app/x/route.ts': "export const dynamic = 'force-dynamik';\nexport function GET() { return new Response(''); }\n" }));
    try {
      const { code, stdout } = run([root, '--check']);
      assert.equal(code, 1);
      assert.match(stdout, /^app\/x\/route\.ts:1:\d+ error invalid-segment-config Invalid segment configuration options detected for "\/x"/m);
    } finally {
      removeTree(root);
    }
    assert.equal(run([sampleApp, '--check']).code, 0);
  });

  it('rejects unknown flags and missing folders with exit 2', () => {
    assert.equal(run(['--frobnicate']).code, 2);
    assert.equal(run(['--next-version', '13']).code, 2);
    const missing = run(['/definitely/not/here']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /does not exist/);
  });

  it('`npm run scan -- <dir> --json` prints exactly the JSON on stdout', function () {
    this.timeout(60_000);
    const result = spawnSync('npm', ['run', 'scan', '--', sampleApp, '--json'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const manifest = JSON.parse(result.stdout);
    assert.equal(manifest.apps[0].name, 'sample-shop');
  });

  it('ends an internal error with one line and exit code 2, never a stack trace', () => {
    const out = new PassThrough();
    out.write = () => {
      throw new TypeError("Cannot read properties of undefined (reading 'routes')\n    at formatTable (dist/cli.js:1:1)");
    };
    const err = new PassThrough();
    const lines: string[] = [];
    err.on('data', (c) => lines.push(String(c)));
    const code = runCli([sampleApp, '--json'], out, err);
    assert.equal(code, 2);
    const text = lines.join('');
    assert.match(text, /^route-atlas: .*routes in \d+ ms[^\n]*\nroute-atlas: internal error: Cannot read properties of undefined \(reading 'routes'\) \(this is a bug in Route Atlas; ROUTE_ATLAS_DEBUG=1 shows where\)\n$/);
    assert.doesNotMatch(text, /\bat /);
  });

  it('says so in one line when its output is closed early, not as a bug', () => {
    const out = new PassThrough();
    out.write = () => {
      throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    };
    const err = new PassThrough();
    const lines: string[] = [];
    err.on('data', (c) => lines.push(String(c)));
    assert.equal(runCli([sampleApp, '--json'], out, err), 2);
    assert.match(lines.join(''), /\nroute-atlas: the output was closed before all of it was written \(EPIPE\)\n$/);
  });
});

describe('route-atlas CLI: filters and a table that fits', () => {
  let root: string;
  afterEach(() => removeTree(root));

  const runWith = (args: string[], tty?: { columns: number }) => {
    const out = Object.assign(new PassThrough(), tty ? { isTTY: true, columns: tty.columns } : {});
    const err = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c) => chunks.push(String(c)));
    err.resume();
    const code = main(args, out, err);
    return { code, stdout: chunks.join('') };
  };

  it('keeps the routes --method, --url and --cache name, and fits the table to the terminal', () => {
    const handler = (methods: string[]) => methods.map((m) => `export async function ${m}() { return new Response(null); }`).join('\n') + '\n';
    root = makeTree(
      nextApp({
        'app/api/users/route.ts': handler(['GET', 'POST']),
        'app/api/users/[id]/route.ts': handler(['GET', 'DELETE']),
        'app/api/very/long/folder/names/that/make/a/wide/table/[...path]/route.ts': handler(['GET']),
        'app/api/docs/[[...slug]]/route.ts': "export const revalidate = 60;\n" + handler(['GET']),
        'app/api/webhook/route.ts': handler(['POST']),
        'app/api/stats/route.ts': 'export const revalidate = 60;\n' + handler(['GET']),
      }),
    );
    const urls = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('  /')).map((line) => line.trim().split(/\s+/)[0]);
    assert.deepEqual(urls(runWith([root, '--method', 'DELETE']).stdout), ['/api/users/[id]']);
    assert.deepEqual(urls(runWith([root, '--url', '/api/users/*']).stdout), ['/api/users/[id]']);
    assert.deepEqual(urls(runWith([root, '--url=/api/users/**']).stdout), ['/api/users/[id]']);
    assert.deepEqual(urls(runWith([root, '--cache', 'isr']).stdout), ['/api/stats']);
    assert.deepEqual(urls(runWith([root, '--cache', 'none']).stdout), ['/api/webhook']);
    const json = JSON.parse(runWith([root, '--json', '--method', 'POST']).stdout);
    assert.deepEqual(json.apps[0].routes.map((r: { url: string }) => r.url), ['/api/users', '/api/webhook']);

    const table = runWith([root]).stdout;
    // Params one way, a POST-only route's caching cell filled.
    assert.match(table, /\/api\/docs\/\[\[\.\.\.slug\]\]\s+GET\s+\.\.\.slug\?\s+dynamic/);
    assert.match(table, /\/api\/stats\s+GET\s+isr 60s/);
    assert.match(table, /\/api\/very\/long\/.*\s+GET\s+\.\.\.path\s+dynamic/);
    assert.match(table, /\/api\/webhook\s+POST\s+per request \(no GET\)/);
    const narrow = runWith([root], { columns: 100 }).stdout;
    const rows = narrow.split('\n').filter((line) => line.startsWith('  /') || line.startsWith('  URL'));
    assert.ok(rows.length === 7 && rows.every((line) => line.length <= 100), rows.map((l) => `${l.length}: ${l}`).join('\n'));
    assert.ok(table.split('\n').some((line) => line.length > 100), 'a pipe gets the whole table');
    const compact = runWith([root, '--compact']).stdout;
    assert.doesNotMatch(compact, /FILE|PARAMS|route\.ts/);
  });

  it('counts and lists the callers index hints as the editor does', () => {
    root = makeTree(
      nextApp({
        'app/api/todos/route.ts': 'export async function POST(request: Request) {\n  return Response.json(await request.json(), { status: 201 });\n}\n',
        'app/todos/add.tsx': "'use client';\nexport function Add() {\n  return <button onClick={() => fetch('/api/todos', { method: 'POST', body: '{}' })}>Add</button>;\n}\n",
      }),
    );
    const check = runWith([root, '--check']).stdout;
    assert.match(check, /app\/api\/todos\/route\.ts:1:\d+ info server-action-candidate /);
    assert.match(runWith([root]).stdout, /1 route, 1 info/);
  });
});

describe('globMatches', () => {
  it('matches * within a segment and ** across, in linear time on long stars', () => {
    assert.ok(globMatches('/api/users/**', '/api/users/[id]/posts'));
    assert.ok(!globMatches('/api/users/*', '/api/users/[id]/posts'));
    assert.ok(globMatches('/api/*/x', '/api/a/x'));
    assert.ok(!globMatches('/api/*/x', '/api/a/b/x'));
    assert.ok(globMatches('/api/users', '/api/users'));
    assert.ok(!globMatches('/api/users', '/api/users/1'));
    assert.ok(!globMatches('*'.repeat(200) + 'x', '/' + 'a'.repeat(2000)));
  });
});
