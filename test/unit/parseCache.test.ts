import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { deserialize, serialize } from 'node:v8';
import { main } from '../../server/cli';
import { type CacheFile, ParseCache } from '../../server/analysis/parseCache';
import { scanWorkspace, Workspace } from '../../server/analysis/scan';
import { makeTree, nextApp, removeTree, writeFiles } from './tempTree';

const GET_ROUTE = "import { loadUser } from '../../../lib/users';\nexport async function GET() {\n  return Response.json(await loadUser());\n}\n";
// The same length as GET_ROUTE, exporting POST instead: a change that size and mtime cannot see.
const POST_ROUTE = GET_ROUTE.replace('GET', 'PUT');

function app(): Record<string, string> {
  return nextApp({
    'next.config.js': "module.exports = { basePath: '/shop' };\n",
    'app/api/users/route.ts': GET_ROUTE,
    'app/api/health/route.ts': 'export const revalidate = 60;\nexport function GET() { return Response.json({ ok: true }); }\n',
    'app/api/broken/route.ts': 'export function GET( {\n',
    'tsconfig.json': '{\n  // paths as create-next-app writes them\n  "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"], }, },\n}\n',
    'app/api/alias/route.ts': "export { GET } from '@/lib/handlers';\n",
    'lib/handlers.ts': 'export async function GET() { return new Response(null); }\n',
    'lib/users.ts': "import { cookies } from 'next/headers';\nexport async function loadUser() { return (await cookies()).get('u'); }\n",
  }, '14.2.35') as Record<string, string>;
}

describe('the parse cache', () => {
  let root: string;
  let cacheDir: string;
  beforeEach(() => {
    root = makeTree(app());
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'route-atlas-cache-'));
  });
  afterEach(() => {
    removeTree(root);
    removeTree(cacheDir);
  });
  const open = () => ParseCache.open(ParseCache.fileFor(cacheDir, root), root);

  it('gives the manifest of a cold scan from cached parse results, parsing nothing', () => {
    const cold = open();
    const first = scanWorkspace(root, { cache: cold });
    assert.equal(cold.stats.hits, 0);
    assert.ok(cold.save());
    const warm = open();
    assert.ok(warm.stats.loaded >= 5, `loaded ${warm.stats.loaded}`);
    const second = scanWorkspace(root, { cache: warm });
    assert.equal(warm.stats.misses, 0);
    assert.deepEqual(second, first);
    assert.deepEqual(second, scanWorkspace(root));
  });

  it('links nothing on a warm start, and links again what a change reaches: a file, a new file that moves an import, the app', () => {
    writeFiles(root, {
      'lib/helper/index.ts': 'export async function GET() { return new Response(); }\n',
      'app/api/helped/route.ts': "export * from '../../../lib/helper';\n",
    });
    const first = new Workspace(root, { cache: open() });
    const cold = first.scan();
    (first as unknown as { options: { cache: ParseCache } }).options.cache.save();
    const warm = new Workspace(root, { cache: open() });
    assert.deepEqual(warm.scan(), cold);
    assert.deepEqual(warm.linkStats, { linked: 0, fromCache: cold.apps[0].routes.length });
    warm.applyChanges([]);
    (warm as unknown as { options: { cache: ParseCache } }).options.cache.save();
    // lib/helper.ts now wins over lib/helper/index.ts for '../../../lib/helper': the import moves.
    writeFiles(root, { 'lib/helper.ts': 'export async function GET() { return new Response(); }\nexport const DELETE = GET;\n' });
    const moved = new Workspace(root, { cache: open() });
    const manifest = moved.scan();
    const helped = manifest.apps[0].routes.find((r) => r.url === '/api/helped')!;
    assert.deepEqual(helped.methods.filter((m) => !m.implicit).map((m) => m.name), ['GET', 'DELETE']);
    assert.equal(moved.linkStats.linked, 1, 'only the route whose import moved is linked again');
    assert.deepEqual(manifest, scanWorkspace(root));
  });

  it('does not load the TypeScript compiler when every file comes from the cache', () => {
    const cache = open();
    scanWorkspace(root, { cache });
    cache.save();
    // A process of its own: this one has loaded the compiler long ago.
    const out = path.resolve(__dirname, '../../server/analysis');
    const script = `
      const { ParseCache } = require(${JSON.stringify(path.join(out, 'parseCache.js'))});
      const { scanWorkspace } = require(${JSON.stringify(path.join(out, 'scan.js'))});
      const bindings = require(${JSON.stringify(path.join(out, 'typescriptBindings.js'))});
      const cache = ParseCache.open(ParseCache.fileFor(${JSON.stringify(cacheDir)}, ${JSON.stringify(root)}), ${JSON.stringify(root)});
      const manifest = scanWorkspace(${JSON.stringify(root)}, { cache });
      const alias = manifest.apps[0].routes.find((r) => r.url === '/api/alias');
      console.log(JSON.stringify({ loaded: bindings.isTypeScriptLoaded(), misses: cache.stats.misses, alias: alias.methods.map((m) => m.name) }));`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { loaded: false, misses: 0, alias: ['GET', 'HEAD', 'OPTIONS'] });
  });

  it('sees a file changed to the same size within the same mtime: entries are keyed by content', () => {
    const file = path.join(root, 'app/api/users/route.ts');
    // Whole seconds, so that the file's times can be set back exactly.
    fs.utimesSync(file, 1_700_000_000, 1_700_000_000);
    const cache = open();
    scanWorkspace(root, { cache });
    cache.save();
    const before = fs.statSync(file);
    fs.writeFileSync(file, POST_ROUTE);
    fs.utimesSync(file, 1_700_000_000, 1_700_000_000);
    const after = fs.statSync(file);
    assert.equal(after.size, before.size);
    assert.equal(after.mtimeMs, before.mtimeMs);
    const manifest = scanWorkspace(root, { cache: open() });
    const users = manifest.apps[0].routes.find((r) => r.url === '/api/users')!;
    assert.deepEqual(users.methods.filter((m) => !m.implicit).map((m) => m.name), ['PUT']);
  });

  it('follows a changed imported module and a changed next.config', () => {
    const cache = open();
    const first = scanWorkspace(root, { cache });
    assert.match(JSON.stringify(first.apps[0].routes.find((r) => r.url === '/api/users')!.caching), /cookies/);
    cache.save();
    writeFiles(root, { 'lib/users.ts': 'export async function loadUser() { return null; }\n', 'next.config.js': "module.exports = { basePath: '/store' };\n" });
    const manifest = scanWorkspace(root, { cache: open() });
    assert.deepEqual(manifest.apps[0].routes.map((r) => r.publicPath).filter((p) => p.startsWith('/store')).length, 4);
    const users = manifest.apps[0].routes.find((r) => r.url === '/api/users')!;
    assert.equal(users.caching?.kind, 'static', 'cookies() is gone from the module');
    assert.deepEqual(manifest, scanWorkspace(root));
  });

  it('starts empty from a corrupt cache file, or one written by another build, and replaces it', () => {
    const file = ParseCache.fileFor(cacheDir, root);
    fs.writeFileSync(file, 'not a cache');
    const corrupt = ParseCache.open(file, root);
    assert.equal(corrupt.stats.loaded, 0);
    assert.deepEqual(scanWorkspace(root, { cache: corrupt }), scanWorkspace(root));
    assert.ok(corrupt.save());
    assert.ok(ParseCache.open(file, root).stats.loaded > 0);
    // A cache is for one root only: another root's file of the same name is not read.
    assert.equal(ParseCache.open(file, root + '-other').stats.loaded, 0);
  });

  it('ignores entries planted by anyone without the signing key: a cache in the repository cannot hide an endpoint', () => {
    const cache = open();
    scanWorkspace(root, { cache });
    cache.save();
    const file = ParseCache.fileFor(cacheDir, root);
    // What a pull request could commit: the same entries, the users route's linked result without its methods.
    const data = deserialize(fs.readFileSync(file).subarray(32)) as CacheFile;
    const key = [...data.entries.keys()].find((k) => k.startsWith('linked\0') && k.endsWith(path.join('api', 'users', 'route.ts')))!;
    const { chunk, index } = data.entries.get(key)!;
    const { offset, size, count } = data.chunks[chunk];
    const values = deserialize(data.blob.subarray(offset, offset + size)) as Array<{ linked: { route: { methods: unknown[] } } }>;
    values[index].linked.route.methods = [];
    const forged = serialize(values);
    data.chunks[chunk] = { offset: data.blob.length, size: forged.length, count };
    data.blob = Buffer.concat([data.blob, forged]);
    fs.writeFileSync(file, Buffer.concat([Buffer.alloc(32), serialize(data)]));
    const planted = open();
    assert.equal(planted.stats.loaded, 0, 'an unsigned file is not read');
    const manifest = scanWorkspace(root, { cache: planted });
    assert.deepEqual(manifest.apps[0].routes.find((r) => r.url === '/api/users')!.methods.filter((m) => !m.implicit).map((m) => m.name), ['GET']);
    // A single byte changed after signing is refused too.
    planted.save();
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 10] ^= 1;
    fs.writeFileSync(file, bytes);
    assert.equal(open().stats.loaded, 0);
  });

  it('drops the entries of files that are gone when it saves', () => {
    const cache = open();
    scanWorkspace(root, { cache });
    cache.save();
    const before = open().stats.loaded;
    fs.rmSync(path.join(root, 'app/api/health'), { recursive: true });
    const next = open();
    scanWorkspace(root, { cache: next });
    next.save();
    // Its summary and its linked route.
    assert.equal(open().stats.loaded, before - 2);
  });

  describe('in the CLI', () => {
    const run = (args: string[]) => {
      const out = new PassThrough();
      const err = new PassThrough();
      const errText: string[] = [];
      err.on('data', (c) => errText.push(String(c)));
      out.resume();
      const code = main(args, out, err);
      return { code, stderr: errText.join('') };
    };
    const defaultDir = () => path.join(root, 'node_modules', '.cache', 'route-atlas');

    it('keeps the cache in node_modules/.cache/route-atlas, and says how much came from it', () => {
      // The table, not --json, whose whole output has a cache of its own (resultCache.test.ts).
      const first = run([root]);
      assert.equal(first.code, 0);
      assert.match(first.stderr, /; 0 of \d+ from the parse cache, [1-9]\d* files parsed/);
      assert.equal(fs.readdirSync(defaultDir()).length, 1);
      const second = run([root]);
      assert.match(second.stderr, /; (\d+) of \1 from the parse cache, 0 files parsed/);
    });

    it('neither reads nor writes a cache with --no-cache', () => {
      const { code, stderr } = run([root, '--no-cache']);
      assert.equal(code, 0);
      assert.doesNotMatch(stderr, /parse cache/);
      assert.ok(!fs.existsSync(defaultDir()));
    });

    it('moves the cache where ROUTE_ATLAS_CACHE_DIR says', () => {
      process.env.ROUTE_ATLAS_CACHE_DIR = cacheDir;
      try {
        run([root]);
      } finally {
        delete process.env.ROUTE_ATLAS_CACHE_DIR;
      }
      assert.ok(fs.existsSync(ParseCache.fileFor(cacheDir, root)));
      assert.ok(!fs.existsSync(defaultDir()));
    });
  });
});
