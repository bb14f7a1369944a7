import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Problem, RouteManifest } from '../../server/analysis/model';
import type { ModuleSummary } from '../../server/analysis/moduleSummary';
import { PARALLEL_THRESHOLD, SUMMARY_WORKER_MIN_CORES, SummaryWorker, summarizeInParallel } from '../../server/analysis/parallelSummaries';
import { FileReadAhead } from '../../server/analysis/readAhead';
import { scanWorkspace } from '../../server/analysis/scan';
import { makeTree, nextApp, removeTree } from './tempTree';

// The modules themselves, not the namespace copies an import makes: the tests swap two of their functions.
const nodeOs = require('node:os') as { availableParallelism: () => number };
const nodeFs = require('node:fs') as { readFileSync: unknown; openSync: unknown };

const MAX_FILE_BYTES = 4096;

/**
 * Route files in every form the summary handles, and every 50th one a file a read can go wrong on
 * (binary, too large, broken syntax): spread over the walk, most are read after the second thread started.
 */
function appWithRoutes(count: number): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer> = {
    'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
    'lib/auth.ts': 'export const withAuth = (h: any) => async (req: Request) => h(req);\n',
    'lib/users.ts': "import { cookies } from 'next/headers';\nexport async function GET() { (await cookies()).get('s'); return Response.json([]); }\n",
  };
  const forms = [
    (i: number) => `export async function GET(request: Request) { const q = new URL(request.url).searchParams.get('q'); return Response.json({ q, i: ${i} }); }\n`,
    (i: number) => `import { withAuth } from '@/lib/auth';\nexport const POST = withAuth(async (req: Request) => { const { name } = await req.json(); return Response.json({ name }, { status: 201 }); });\nexport const revalidate = ${i};\n`,
    () => `export { GET } from '@/lib/users';\nexport const dynamic = 'force-static';\n`,
    () => `const handler = async () => new Response(null, { status: 204 });\nexport { handler as GET, handler as DELETE };\n`,
  ];
  const bad: Record<number, string | Buffer> = {
    7: Buffer.from([0x65, 0x78, 0, 0, 1, 2, 3]),
    17: `export async function GET() { return Response.json(${JSON.stringify('x'.repeat(MAX_FILE_BYTES))}); }\n`,
    27: 'export async function GET() {\n  return Response.json({\n',
  };
  for (let i = 0; i < count; i++) files[`app/(group)/r${i}/[id]/route.ts`] = bad[i % 50] ?? forms[i % forms.length](i);
  return nextApp(files);
}

/** How many times each problem id occurs in the app's problems. */
function problemCounts(manifest: RouteManifest): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const problem of manifest.apps[0].problems) counts[problem.id] = (counts[problem.id] ?? 0) + 1;
  return counts;
}

/** Scans with `os.availableParallelism()` answering `cores`, and counts the route files this thread read. */
function scanWithCores(root: string, cores: number): { manifest: RouteManifest; routeReadsHere: number } {
  const realCores = nodeOs.availableParallelism;
  const realOpen = fs.openSync;
  let routeReadsHere = 0;
  nodeOs.availableParallelism = () => cores;
  // A route file is opened to be read (its size is checked on the open file first).
  nodeFs.openSync = (...args: Parameters<typeof fs.openSync>) => {
    if (String(args[0]).endsWith(`${path.sep}route.ts`)) routeReadsHere++;
    return realOpen(...args);
  };
  try {
    return { manifest: scanWorkspace(root, { maxFileBytes: MAX_FILE_BYTES }), routeReadsHere };
  } finally {
    nodeOs.availableParallelism = realCores;
    nodeFs.openSync = realOpen;
  }
}

function routeCount(manifest: RouteManifest): number {
  return manifest.apps.reduce((n, app) => n + app.routes.length, 0);
}

describe("the cold scan's second thread", function () {
  this.timeout(120_000);
  let root: string;
  afterEach(() => removeTree(root));

  it('reads route files ahead on two cores, and the manifest is the same as on one', () => {
    root = makeTree(appWithRoutes(600));
    const one = scanWithCores(root, 1);
    const two = scanWithCores(root, 2);
    assert.equal(routeCount(one.manifest), 600);
    assert.deepEqual(two.manifest, one.manifest);
    // On one core every route file is read here; on two, only those the walk found before the reader started.
    assert.equal(one.routeReadsHere, 600);
    assert.ok(two.routeReadsHere < 300, `${two.routeReadsHere} route files were read on the scanning thread`);
    const counts = problemCounts(two.manifest);
    for (const id of ['binary-file', 'file-too-large', 'syntax-error']) assert.equal(counts[id], 12, id);
  });

  it(`summarizes on a worker from ${SUMMARY_WORKER_MIN_CORES} cores, each file once, as this thread would`, async () => {
    root = makeTree(appWithRoutes(PARALLEL_THRESHOLD + 20));
    const jobs = fs
      .readdirSync(path.join(root, 'app'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('route.ts'))
      .map((file) => ({ abs: path.join(root, 'app', file), file: `app/${file}` }));
    const alone = new Map<string, ModuleSummary | Problem>();
    summarizeInParallel(jobs, MAX_FILE_BYTES, alone, undefined);
    const realCores = nodeOs.availableParallelism;
    nodeOs.availableParallelism = () => SUMMARY_WORKER_MIN_CORES;
    const worker = SummaryWorker.start();
    nodeOs.availableParallelism = realCores;
    assert.ok(worker);
    // Let the worker load the parser first, or this thread would be done before the worker starts.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const realRead = fs.readFileSync;
    let readsHere = 0;
    nodeFs.readFileSync = (...args: Parameters<typeof fs.readFileSync>) => {
      readsHere++;
      return realRead(...args);
    };
    const shared = new Map<string, ModuleSummary | Problem>();
    try {
      summarizeInParallel(jobs, MAX_FILE_BYTES, shared, worker);
    } finally {
      nodeFs.readFileSync = realRead;
    }
    assert.equal(shared.size, jobs.length);
    for (const job of jobs) assert.deepEqual(shared.get(job.abs), alone.get(job.abs), job.file);
    // The worker must have taken work; how much depends on how busy the machine is (a loaded CI machine gave it
    // 8% of the files once), so only "some" is held, as the message says.
    assert.ok(readsHere < jobs.length, `${readsHere} of ${jobs.length} files were read on this thread: the worker did none`);
  });
});

describe('FileReadAhead', () => {
  let root: string;
  afterEach(() => removeTree(root));

  it('hands over the files it was asked for, once, and leaves the rest to the caller', () => {
    root = makeTree({ 'a.ts': 'export const a = 1;\n', 'b.ts': 'é\n' });
    const realCores = nodeOs.availableParallelism;
    nodeOs.availableParallelism = () => 2;
    const reader = FileReadAhead.start();
    nodeOs.availableParallelism = realCores;
    assert.ok(reader);
    try {
      const missing = path.join(root, 'missing.ts');
      for (const name of ['a.ts', 'b.ts']) reader.request(path.join(root, name));
      reader.request(missing);
      assert.equal(reader.take(path.join(root, 'b.ts')), 'é\n');
      assert.equal(reader.take(path.join(root, 'a.ts')), 'export const a = 1;\n');
      assert.equal(reader.take(path.join(root, 'a.ts')), undefined, 'a text is handed over once');
      assert.equal(reader.take(missing), undefined, 'a file the reader could not read is read by the caller');
      assert.equal(reader.take(path.join(root, 'never-asked.ts')), undefined);
    } finally {
      reader.dispose();
    }
  });
});
