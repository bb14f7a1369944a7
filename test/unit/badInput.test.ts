import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RouteManifest } from '../../server/analysis/model';
import { scanWorkspace } from '../../server/analysis/scan';
import { makeTree, nextApp, removeTree } from './tempTree';

const GOOD_ROUTE = 'export async function GET() { return Response.json({ ok: true }); }\n';

function routeUrls(manifest: RouteManifest): string[] {
  return manifest.apps.flatMap((app) => app.routes.map((r) => r.url)).sort();
}

function allProblems(manifest: RouteManifest) {
  return [...manifest.problems, ...manifest.apps.flatMap((a) => a.problems)];
}

describe('bad input never empties the manifest', () => {
  let root: string;
  afterEach(() => removeTree(root));

  it('reports a syntax error with its location and keeps the exports before it', () => {
    root = makeTree(
      nextApp({
        'app/good/route.ts': GOOD_ROUTE,
        'app/broken/route.ts': 'export async function GET() { return Response.json({}); }\nexport const POST = async () => {\n  return new Response(\n',
      }),
    );
    const manifest = scanWorkspace(root);
    assert.deepEqual(routeUrls(manifest), ['/broken', '/good']);
    const broken = manifest.apps[0].routes.find((r) => r.url === '/broken')!;
    assert.ok(broken.methods.some((m) => m.name === 'GET' && !m.implicit), 'GET before the error is kept');
    const problem = allProblems(manifest).find((p) => p.id === 'syntax-error');
    assert.ok(problem, 'a syntax-error problem');
    assert.equal(problem.file, 'app/broken/route.ts');
    assert.equal(problem.severity, 'error');
    assert.ok(problem.span && problem.span.line >= 3);
  });

  it('tells a huge route file is too large from its size, without reading it (a 1 GB sparse file)', () => {
    root = makeTree(nextApp({ 'app/good/route.ts': GOOD_ROUTE, 'app/huge/route.ts': '', 'app/many/route.ts': GOOD_ROUTE }));
    fs.truncateSync(path.join(root, 'app/huge/route.ts'), 1024 ** 3);
    // Enough route files that a reader thread reads ahead too: neither it nor the parser may read the file.
    for (let i = 0; i < 250; i++) {
      fs.mkdirSync(path.join(root, 'app', 'many', `r${i}`));
      fs.writeFileSync(path.join(root, 'app', 'many', `r${i}`, 'route.ts'), GOOD_ROUTE);
    }
    const before = process.memoryUsage().rss;
    const manifest = scanWorkspace(root);
    const grown = (process.memoryUsage().rss - before) / 1024 ** 2;
    assert.ok(grown < 256, `memory grew by ${grown.toFixed(0)} MB`);
    assert.deepEqual(routeUrls(manifest).filter((url) => !url.startsWith('/many/')), ['/good', '/huge', '/many']);
    assert.equal(routeUrls(manifest).length, 253);
    const problem = allProblems(manifest).find((p) => p.id === 'file-too-large');
    assert.equal(problem?.file, 'app/huge/route.ts');
    assert.match(problem!.message, /1024\.0 MB/);
  });

  it('lists an empty route file with a no-methods problem', () => {
    root = makeTree(nextApp({ 'app/empty/route.ts': '', 'app/good/route.ts': GOOD_ROUTE }));
    const manifest = scanWorkspace(root);
    assert.deepEqual(routeUrls(manifest), ['/empty', '/good']);
    const empty = manifest.apps[0].routes.find((r) => r.url === '/empty')!;
    assert.deepEqual(empty.methods.filter((m) => !m.implicit), []);
    assert.ok(allProblems(manifest).some((p) => p.id === 'no-methods' && p.file === 'app/empty/route.ts'));
  });

  it('does not parse a 5 MB file but keeps its route and says why', () => {
    const huge = 'export const GET = () => new Response("x");\n' + '// padding\n'.repeat(500_000);
    root = makeTree(nextApp({ 'app/huge/route.ts': huge, 'app/good/route.ts': GOOD_ROUTE }));
    assert.ok(huge.length > 5_000_000);
    const manifest = scanWorkspace(root);
    assert.deepEqual(routeUrls(manifest), ['/good', '/huge']);
    const problem = allProblems(manifest).find((p) => p.id === 'file-too-large');
    assert.equal(problem?.file, 'app/huge/route.ts');
    assert.match(problem!.message, /5\.\d MB/);
    assert.ok(!allProblems(manifest).some((p) => p.id === 'no-methods' && p.file === 'app/huge/route.ts'));
  });

  it('reports a binary file named route.ts', () => {
    const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0x00]);
    root = makeTree(nextApp({ 'app/bin/route.ts': binary, 'app/good/route.ts': GOOD_ROUTE }));
    const manifest = scanWorkspace(root);
    assert.deepEqual(routeUrls(manifest), ['/bin', '/good']);
    assert.ok(allProblems(manifest).some((p) => p.id === 'binary-file' && p.file === 'app/bin/route.ts'));
  });

  it('survives a symlink loop inside the app dir and outside it', () => {
    root = makeTree(nextApp({ 'app/good/route.ts': GOOD_ROUTE, 'app/nested/deeper/route.ts': GOOD_ROUTE }));
    fs.symlinkSync(path.join(root, 'app', 'nested'), path.join(root, 'app', 'nested', 'deeper', 'loop'));
    fs.mkdirSync(path.join(root, 'tools'));
    fs.symlinkSync(root, path.join(root, 'tools', 'up'));
    const manifest = scanWorkspace(root);
    assert.deepEqual(routeUrls(manifest), ['/good', '/nested/deeper']);
    const loops = allProblems(manifest).filter((p) => p.id === 'symlink-loop');
    assert.deepEqual(loops.map((p) => p.file).sort(), ['app/nested/deeper/loop', 'tools/up']);
  });

  it('reports an unreadable folder and keeps the rest', function () {
    if (process.getuid?.() === 0) {
      // root reads every folder whatever its mode, so simulate the failure through the host instead.
      root = makeTree(nextApp({ 'app/good/route.ts': GOOD_ROUTE, 'app/secret/route.ts': GOOD_ROUTE }));
      const secret = path.join(root, 'app', 'secret');
      const fsHost = require('../../server/analysis/host').nodeFileHost;
      const host = {
        ...fsHost,
        readDirectory: (dir: string) => {
          if (dir === secret) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
          return fsHost.readDirectory(dir);
        },
      };
      const manifest = scanWorkspace(root, { host });
      assert.deepEqual(routeUrls(manifest), ['/good']);
      const problem = allProblems(manifest).find((p) => p.id === 'unreadable-folder');
      assert.equal(problem?.file, 'app/secret');
      assert.match(problem!.message, /EACCES/);
      return;
    }
    root = makeTree(nextApp({ 'app/good/route.ts': GOOD_ROUTE, 'app/secret/route.ts': GOOD_ROUTE }));
    fs.chmodSync(path.join(root, 'app', 'secret'), 0o000);
    try {
      const manifest = scanWorkspace(root);
      assert.deepEqual(routeUrls(manifest), ['/good']);
      assert.ok(allProblems(manifest).some((p) => p.id === 'unreadable-folder' && p.file === 'app/secret'));
    } finally {
      fs.chmodSync(path.join(root, 'app', 'secret'), 0o755);
    }
  });

  it('says so when a Next.js folder has no app dir, and finds nothing else', () => {
    root = makeTree({ 'next.config.js': 'module.exports = {};\n', 'pages/index.tsx': 'export default function P() { return null; }\n' });
    const manifest = scanWorkspace(root);
    assert.deepEqual(manifest.apps, []);
    assert.ok(manifest.problems.some((p) => p.id === 'no-app-dir' && p.file === 'next.config.js'));
  });

  it('reads a next.config with a syntax error as defaults instead of failing', () => {
    root = makeTree(nextApp({ 'next.config.js': 'module.exports = { basePath: "/x", \n', 'app/good/route.ts': GOOD_ROUTE }));
    const manifest = scanWorkspace(root);
    assert.deepEqual(routeUrls(manifest), ['/good']);
  });
});

describe('the cold scan worker', () => {
  it('falls back to one thread when the worker cannot start, and the process survives', () => {
    const parallel = require('../../server/analysis/parallelSummaries') as typeof import('../../server/analysis/parallelSummaries');
    const files: Record<string, string> = {};
    for (let i = 0; i < parallel.PARALLEL_THRESHOLD + 10; i++) files[`app/r${i}/route.ts`] = `export async function GET() { return Response.json({ i: ${i} }); }\n`;
    const root = makeTree(nextApp(files));
    try {
      parallel.setSummaryWorkerEntry(path.join(root, 'no-such-worker.js'));
      const manifest = scanWorkspace(root);
      assert.equal(manifest.apps[0].routes.length, parallel.PARALLEL_THRESHOLD + 10);
      assert.ok(manifest.apps[0].routes.every((r) => r.methods.some((m) => m.name === 'GET' && !m.implicit)));
    } finally {
      parallel.setSummaryWorkerEntry(path.join(__dirname, '../../server/analysis/summaryWorker.js'));
      removeTree(root);
    }
  });
});
