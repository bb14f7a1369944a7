// `route-atlas openapi` on the command line: exit codes, stdout and -o, --yaml, and choosing an app.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { parse as parseYaml } from 'yaml';
import { runCli } from '../../server/cli';
import { makeTree, nextApp, removeTree } from './tempTree';

const repoRoot = path.resolve(__dirname, '../../..');
const sampleApp = path.join(repoRoot, 'test/sample-app');
const monorepo = path.join(repoRoot, 'test/fixtures/monorepo');

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const stdout: string[] = [];
  const stderr: string[] = [];
  out.on('data', (chunk) => stdout.push(String(chunk)));
  err.on('data', (chunk) => stderr.push(String(chunk)));
  const code = await runCli(['openapi', ...args], out, err);
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}

describe('route-atlas openapi (CLI)', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'route-atlas-openapi-'));
  });
  afterEach(() => removeTree(scratch));

  it('prints the JSON document on stdout and a summary on stderr, exit 0', async () => {
    const { code, stdout, stderr } = await run([sampleApp, '--no-cache']);
    assert.equal(code, 0, stderr);
    const document = JSON.parse(stdout);
    assert.equal(document.openapi, '3.1.0');
    assert.ok(document.paths['/api/users/{id}']);
    assert.match(stderr, /^route-atlas openapi: \.: 15 operations on 8 paths, 1 schemas/m);
  });

  it('writes the document to the file -o names, and YAML with --yaml or a .yaml name', async () => {
    const json = path.join(scratch, 'openapi.json');
    const first = await run([sampleApp, '-o', json]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, '');
    assert.match(first.stderr, /written to/);
    const document = JSON.parse(fs.readFileSync(json, 'utf8'));
    const yamlFile = path.join(scratch, 'openapi.yaml');
    assert.equal((await run([sampleApp, `--output=${yamlFile}`])).code, 0);
    assert.deepEqual(parseYaml(fs.readFileSync(yamlFile, 'utf8')), document);
    const piped = await run([sampleApp, '--yaml']);
    assert.equal(piped.code, 0);
    assert.deepEqual(parseYaml(piped.stdout), document);
  });

  it('asks for --app in a folder of several apps, listing them, and describes the one named', async () => {
    const several = await run([monorepo]);
    assert.equal(several.code, 2);
    assert.equal(several.stdout, '');
    assert.match(several.stderr, /apps\/admin/);
    assert.match(several.stderr, /apps\/web/);
    assert.match(several.stderr, /--app/);
    const unknown = await run([monorepo, '--app', 'apps/nope']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /No Next\.js app at apps\/nope\. The apps are: .*apps\/admin/);
    const chosen = await run([monorepo, '--app', 'apps/admin']);
    assert.equal(chosen.code, 0, chosen.stderr);
    assert.equal(JSON.parse(chosen.stdout)['x-route-atlas'].appRoot, 'apps/admin');
    assert.equal((await run([monorepo, '--app=./apps/web/'])).code, 0);
  });

  it('exits 2 on usage errors, a missing folder, a folder without an app and an unwritable output', async () => {
    for (const args of [['--frobnicate'], ['--app'], ['-o'], ['--next-version', '13'], [sampleApp, sampleApp]]) {
      const result = await run(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /Usage: route-atlas openapi/);
    }
    assert.equal((await run([path.join(scratch, 'missing')])).code, 2);
    const empty = await run([scratch]);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /No Next\.js app/);
    const unwritable = await run([sampleApp, '-o', path.join(scratch, 'no/such/dir/openapi.json')]);
    assert.equal(unwritable.code, 2);
    assert.match(unwritable.stderr, /cannot write .*ENOENT/);
    assert.equal((await run(['--help'])).code, 0);
  });

  it('prints workspace text in notes inert: a control character in a folder name cannot start a CI command', async () => {
    const root = makeTree(nextApp({ 'app/api/a\n::error::forged/route.ts': `import { Nope } from './missing';\nexport async function POST(req: Request) { Nope.parse(await req.json()); return Response.json({}); }\n` }));
    try {
      const { code, stderr } = await run([root, '--no-cache']);
      assert.equal(code, 0, stderr);
      assert.match(stderr, /note: .*Nope/);
      assert.doesNotMatch(stderr, /^::error::/m);
    } finally {
      removeTree(root);
    }
  });

  it('runs from the bundle (dist/cli.js), where its code loads with the CLI but works only when asked', function () {
    this.timeout(60_000);
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'dist/cli.js'), 'openapi', sampleApp, '--yaml', '--no-cache'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal((parseYaml(result.stdout) as { servers: unknown }).servers instanceof Array, true);
  });
});
