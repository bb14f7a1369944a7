import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { main, runCli } from '../../server/cli';
import { makeTree, nextApp, removeTree } from './tempTree';

const repoRoot = path.resolve(__dirname, '../../..');
const sampleApp = path.join(repoRoot, 'test/sample-app');

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: string[] = [];
  const errChunks: string[] = [];
  out.on('data', (c) => chunks.push(String(c)));
  err.on('data', (c) => errChunks.push(String(c)));
  const code = main(args, out, err);
  return { code, stdout: chunks.join(''), stderr: errChunks.join('') };
}

describe('route-atlas CLI', () => {
  it('prints a table with URL, methods, params, caching and file:line', () => {
    const { code, stdout } = run([sampleApp]);
    assert.equal(code, 0);
    assert.match(stdout, /URL\s+METHODS\s+PARAMS\s+GET CACHING\s+FILE/);
    assert.match(stdout, /\/api\/users\/\[id\]\s+GET,PUT,DELETE\s+id\s+dynamic\s+app\/api\/users\/\[id\]\/route\.ts:5/);
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
