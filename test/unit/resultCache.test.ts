// The CLI's result cache (server/commands/resultCache.ts): `--json` output served again only when every
// question the analysis asked of the disk gets the same answer. Each test changes one kind of input and holds
// the output to a scan without any cache; a seeded series of random changes does the same at every step.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../server/cli';
import { runInProcess } from './inProcess';
import { makeTree, nextApp, removeTree, writeFiles } from './tempTree';

const ROUTE = "import { loadUser } from '@/lib/users';\nexport async function GET() {\n  return Response.json(await loadUser());\n}\n";

function app(): Record<string, string | Buffer> {
  return nextApp(
    {
      'next.config.js': "module.exports = { basePath: '/shop' };\n",
      'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } }\n',
      'app/api/users/route.ts': ROUTE,
      'app/api/health/route.ts': 'export const revalidate = 60;\nexport function GET() { return Response.json({ ok: true }); }\n',
      'lib/users.ts': "import { cookies } from 'next/headers';\nexport async function loadUser() { return (await cookies()).get('u'); }\n",
    },
    '14.2.35',
  );
}

const run = (args: string[]) => runInProcess(main, args);

const SERVED = /output from the result cache/;

describe('the result cache of --json', () => {
  let root: string;
  let cacheDir: string;
  /** --json through both caches, and whether the result cache served it. */
  const cached = (extra: string[] = []) => {
    const result = run([root, '--json', ...extra]);
    assert.equal(result.code, 0, result.stderr);
    return { json: result.stdout, served: SERVED.test(result.stderr) };
  };
  /** The truth: a scan that reads no cache at all. */
  const fresh = (extra: string[] = []) => run([root, '--json', '--no-cache', ...extra]).stdout;
  /** Serves, then after `change` neither serves a stale output nor fails to serve once nothing changes again. */
  const afterChange = (change: () => void) => {
    assert.equal(cached().served, true, 'served before the change');
    change();
    const next = cached();
    assert.equal(next.served, false, 'a changed input is not served from the cache');
    assert.equal(next.json, fresh(), 'the output after the change is a fresh scan');
    const again = cached();
    assert.deepEqual([again.served, again.json], [true, next.json], 'and is kept for the next run');
  };

  beforeEach(() => {
    root = makeTree(app());
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'route-atlas-result-'));
    process.env.ROUTE_ATLAS_CACHE_DIR = cacheDir;
    const first = cached();
    assert.equal(first.served, false);
    assert.equal(first.json, fresh());
  });
  afterEach(() => {
    delete process.env.ROUTE_ATLAS_CACHE_DIR;
    removeTree(root);
    removeTree(cacheDir);
  });

  it('serves an unchanged tree, byte for byte what a fresh scan prints', () => {
    const second = cached();
    assert.equal(second.served, true);
    assert.equal(second.json, fresh());
  });

  it('sees a route file changed to the same size within the same second', () => {
    const file = path.join(root, 'app/api/users/route.ts');
    const { mtime } = fs.statSync(file);
    afterChange(() => {
      fs.writeFileSync(file, ROUTE.replace('GET', 'PUT'));
      fs.utimesSync(file, mtime, mtime);
    });
    assert.match(fresh(), /"PUT"/);
  });

  it('sees a module a route imports change, go, and a file that now wins its resolution', () => {
    afterChange(() => writeFiles(root, { 'lib/users.ts': 'export async function loadUser() { return { id: 1 }; }\n' }));
    afterChange(() => fs.rmSync(path.join(root, 'lib/users.ts')));
    afterChange(() => writeFiles(root, { 'lib/users/index.ts': "import { headers } from 'next/headers';\nexport async function loadUser() { return (await headers()).get('x'); }\n" }));
  });

  it('sees new and deleted route folders, and files that were absent when it ran', () => {
    afterChange(() => writeFiles(root, { 'app/api/new/route.ts': 'export function POST() { return new Response(null); }\n' }));
    afterChange(() => fs.rmSync(path.join(root, 'app/api/health'), { recursive: true }));
    // No src/app and no installed next when it ran: both answers were "not there".
    afterChange(() => writeFiles(root, { 'node_modules/next/package.json': JSON.stringify({ name: 'next', version: '16.1.0' }) }));
  });

  it('sees configuration change: next.config, tsconfig paths, the next range', () => {
    afterChange(() => writeFiles(root, { 'next.config.js': "module.exports = { basePath: '/store' };\n" }));
    afterChange(() => writeFiles(root, { 'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"] } } }\n' }));
    afterChange(() => writeFiles(root, { 'package.json': JSON.stringify({ name: 'app', dependencies: { next: '15.5.0' } }) }));
  });

  it('sees a symbolic link point elsewhere', function () {
    writeFiles(root, { 'shared/a/handlers.ts': 'export function GET() { return new Response("a"); }\n', 'shared/b/handlers.ts': 'export function GET() { return new Response("b"); }\nexport function DELETE() { return new Response(null); }\n' });
    fs.symlinkSync('a', path.join(root, 'shared/current'));
    writeFiles(root, { 'app/api/linked/route.ts': "export * from '../../../shared/current/handlers';\n" });
    cached();
    afterChange(() => {
      fs.rmSync(path.join(root, 'shared/current'));
      fs.symlinkSync('b', path.join(root, 'shared/current'));
    });
    assert.match(fresh(), /"DELETE"/);
  });

  it('keeps one result per set of options', () => {
    const as14 = cached(['--next-version', '16']);
    assert.equal(as14.served, false, 'other options are another result');
    assert.equal(as14.json, fresh(['--next-version', '16']));
    assert.equal(cached(['--next-version', '16']).served, true);
    assert.equal(cached().served, true, 'the first result is still there');
    const filtered = cached(['--method', 'GET', '--url', '/api/health']);
    assert.equal(filtered.json, fresh(['--method', 'GET', '--url', '/api/health']));
  });

  it('never serves a result it did not sign', () => {
    const [file] = fs.readdirSync(cacheDir).filter((name) => name.startsWith('result-'));
    const data = fs.readFileSync(path.join(cacheDir, file));
    // A planted file: the same content with the output swapped for a manifest without routes.
    const tampered = Buffer.from(data);
    tampered[tampered.length - 10] ^= 1;
    fs.writeFileSync(path.join(cacheDir, file), tampered);
    const next = cached();
    assert.equal(next.served, false);
    assert.equal(next.json, fresh());
  });

  it('matches a fresh scan after each of 60 random changes (seeded)', function () {
    this.timeout(120_000);
    let seed = 20261203;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
    for (let step = 0; step < 60; step++) {
      const name = `r${random(6)}`;
      const file = path.join(root, `app/api/${name}/route.ts`);
      switch (random(5)) {
        case 0:
        case 1:
          writeFiles(root, { [`app/api/${name}/route.ts`]: `export function ${methods[random(5)]}() { return new Response(null); }\n` });
          break;
        case 2:
          if (fs.existsSync(file)) fs.rmSync(path.dirname(file), { recursive: true });
          break;
        case 3:
          writeFiles(root, { 'lib/users.ts': random(2) ? "import { cookies } from 'next/headers';\nexport async function loadUser() { return (await cookies()).get('u'); }\n" : 'export async function loadUser() { return 1; }\n' });
          break;
        default:
          // Nothing changes: the next run must be served.
          break;
      }
      const result = cached();
      assert.equal(result.json, fresh(), `step ${step}`);
    }
  });
});
