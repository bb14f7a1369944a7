import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { extractEndpointCalls } from '../../server/analysis/endpointCalls';
import { nodeFileHost } from '../../server/analysis/host';
import { MAX_SYNTAX_DEPTH } from '../../server/analysis/limits';
import type { HttpMethod, Problem, Route, RouteManifest } from '../../server/analysis/model';
import { type ModuleSummary, summarizeWithinLimits } from '../../server/analysis/moduleSummary';
import { PARALLEL_THRESHOLD, SUMMARY_WORKER_MIN_CORES, type SummaryJob, SummaryWorker } from '../../server/analysis/parallelSummaries';
import { scanWorkspace, Workspace } from '../../server/analysis/scan';
import { makeTree, nextApp, removeTree } from './tempTree';

// The module itself, not the namespace copy an import makes: the worker tests swap one of its functions.
const nodeOs = require('node:os') as { availableParallelism: () => number };

const GOOD_ROUTE = "export async function GET() { return Response.json({ ok: true }); }\nexport async function POST(request: Request) { const { name } = await request.json(); return Response.json({ name }, { status: 201 }); }\n";
const BAD_ROUTE = 'app/api/bad/route.ts';
const DEEP = 5000;
const MEGABYTE = 1024 * 1024;
/** The scale of the cases in the tests that hold them all. */
const SMALL = 1 / 32;

const scaled = (count: number, scale: number): number => Math.round(count * scale);
const repeat = (count: number, make: (i: number) => string, separator = '\n'): string => Array.from({ length: count }, (_, i) => make(i)).join(separator);
/** A GET handler whose body holds `expression`, so that every walk over handlers meets it. */
const handlerWith = (expression: string): string => `export async function GET() {\n  const value = ${expression};\n  return Response.json({ value });\n}\n`;

interface HostileCase {
  name: string;
  /**
   * The app's files besides the good route at app/api/good/route.ts; the hostile route is BAD_ROUTE unless
   * `route` says otherwise. Its long chains and lists are `scale` times the size the name says (the tests that
   * put every case in one app take them smaller: still far beyond every bound, and faster to parse).
   */
  files(scale: number): Record<string, string>;
  route?: string;
  /** The explicit methods the hostile route keeps, when the analysis copes with it within its bounds. */
  methods?: HttpMethod[];
  /** The problem the hostile route gets otherwise. */
  problem?: 'too-deep' | 'too-much-work';
}

const HOSTILE: HostileCase[] = [
  { name: `${DEEP} nested parentheses`, files: () => ({ [BAD_ROUTE]: handlerWith('('.repeat(DEEP) + '1' + ')'.repeat(DEEP)) }), problem: 'too-deep' },
  { name: `${DEEP} nested brackets`, files: () => ({ [BAD_ROUTE]: handlerWith('['.repeat(DEEP) + ']'.repeat(DEEP)) }), problem: 'too-deep' },
  { name: `${DEEP} nested object literals`, files: () => ({ [BAD_ROUTE]: handlerWith('{ a: '.repeat(DEEP) + '1' + ' }'.repeat(DEEP)) }), problem: 'too-deep' },
  { name: `${DEEP} nested arrow functions`, files: () => ({ [BAD_ROUTE]: `export const GET = ${'() => '.repeat(DEEP)}Response.json({});\n` }), problem: 'too-deep' },
  { name: `${DEEP} nested calls f(f(f(...)))`, files: () => ({ [BAD_ROUTE]: handlerWith('f('.repeat(DEEP) + ')'.repeat(DEEP)) }), problem: 'too-deep' },
  { name: `${DEEP} nested template literals`, files: () => ({ [BAD_ROUTE]: handlerWith('`${'.repeat(DEEP) + '1' + '}`'.repeat(DEEP)) }), problem: 'too-deep' },
  {
    name: `${DEEP} nested JSX elements`,
    route: 'app/api/bad/route.tsx',
    files: () => ({ 'app/api/bad/route.tsx': handlerWith('<a>'.repeat(DEEP) + '</a>'.repeat(DEEP)) }),
    problem: 'too-deep',
  },
  // The parser builds the chains below in loops, however long: only the analysis's own walks recurse.
  { name: 'a 1 MB sum 1+1+...', files: (scale) => ({ [BAD_ROUTE]: handlerWith('1+'.repeat(scaled(MEGABYTE / 2, scale)) + '1') }), methods: ['GET'] },
  { name: 'a 1 MB member chain a.b.c...', files: (scale) => ({ [BAD_ROUTE]: handlerWith('a' + '.b'.repeat(scaled(MEGABYTE / 2, scale))) }), problem: 'too-deep' },
  { name: 'a 1 MB call chain f()()()...', files: (scale) => ({ [BAD_ROUTE]: handlerWith('f' + '()'.repeat(scaled(MEGABYTE / 2, scale))) }), problem: 'too-deep' },
  { name: 'a 1 MB chain of non-null assertions x!!!...', files: (scale) => ({ [BAD_ROUTE]: handlerWith('x' + '!'.repeat(scaled(MEGABYTE, scale))) }), problem: 'too-deep' },
  { name: 'a 1 MB chain of database calls db.a().a()...', files: (scale) => ({ [BAD_ROUTE]: handlerWith('db' + '.a()'.repeat(scaled(MEGABYTE / 4, scale))) }), problem: 'too-deep' },
  {
    name: 'a 1 MB schema chain z.object({...}).strict().strict()...',
    files: (scale) => ({ [BAD_ROUTE]: `const Body = z.object({ name: z.string() })${'.strict()'.repeat(scaled(MEGABYTE / 9, scale))};\n${GOOD_ROUTE}` }),
    problem: 'too-deep',
  },
  {
    name: 'a destructuring pattern nested deeper than the bound',
    files: () => ({ [BAD_ROUTE]: `export const ${'{ a: '.repeat(MAX_SYNTAX_DEPTH + 100)}b${' }'.repeat(MAX_SYNTAX_DEPTH + 100)} = {};\n${GOOD_ROUTE}` }),
    problem: 'too-deep',
  },
  {
    name: 'a chain of 50,000 aliases',
    files: (scale) => ({ [BAD_ROUTE]: `const a0 = async () => Response.json({});\n${repeat(scaled(50_000, scale), (i) => `const a${i + 1} = a${i};`)}\nexport const GET = a${scaled(50_000, scale)};\n` }),
    methods: ['GET'],
  },
  {
    name: `${DEEP} nested wrappers w(w(w(...(handler))))`,
    files: () => ({ [BAD_ROUTE]: `const w = (h: any) => h;\nexport const GET = ${'w('.repeat(DEEP)}async () => Response.json({})${')'.repeat(DEEP)};\n` }),
    problem: 'too-deep',
  },
  {
    name: 'a chain of 50,000 wrapped constants',
    files: (scale) => ({ [BAD_ROUTE]: `const w = (h: any) => h;\nconst h0 = async () => Response.json({});\n${repeat(scaled(50_000, scale), (i) => `const h${i + 1} = w(h${i});`)}\nexport const GET = h${scaled(50_000, scale)};\n` }),
    methods: ['GET'],
  },
  {
    // Each wrapper wraps the one before twelve times over: followed naively, the names multiply as 12^8.
    name: 'wrappers of wrappers of wrappers',
    files: () => ({
      [BAD_ROUTE]: [
        'const w0 = (h: any) => h;',
        ...Array.from({ length: 8 }, (_, i) => `const w${i + 1} = ${`w${i}(`.repeat(12)}w${i}${')'.repeat(12)};`),
        `export const GET = ${'w8('.repeat(12)}async () => Response.json({})${')'.repeat(12)};`,
      ].join('\n'),
    }),
    methods: ['GET'],
  },
  {
    name: 'a body destructured into 100,000 names',
    files: (scale) => ({ [BAD_ROUTE]: `export async function POST(request: Request) {\n  const { ${repeat(scaled(100_000, scale), (i) => `f${i}`, ', ')} } = await request.json();\n  return Response.json({});\n}\n` }),
    methods: ['POST'],
  },
  {
    name: '50,000 exported constants that need folding',
    files: (scale) => ({ [BAD_ROUTE]: `${GOOD_ROUTE}const x = 1;\n${repeat(scaled(50_000, scale), (i) => `export const c${i} = x + ${i};`)}\n` }),
    methods: ['GET', 'POST'],
  },
  {
    name: '40,000 schemas, each extending the one before',
    files: (scale) => ({ [BAD_ROUTE]: `const s0 = z.object({ a: z.string() });\n${repeat(scaled(40_000, scale), (i) => `const s${i + 1} = s${i}.extend({ b${i}: 1 });`)}\nexport async function POST(request: Request) { const body = s${scaled(40_000, scale)}.parse(await request.json()); return Response.json(body); }\n` }),
    methods: ['POST'],
  },
];

/** The case's files with its hostile route in a folder of its own, `app/api/bad<index>/`, and where that route is. */
function caseFiles(hostile: HostileCase, index: number): { files: Record<string, string>; route: string } {
  const files: Record<string, string> = {};
  for (const [file, text] of Object.entries(hostile.files(SMALL))) files[file.replace('app/api/bad/', `app/api/bad${index}/`)] = text;
  return { files, route: (hostile.route ?? BAD_ROUTE).replace('app/api/bad/', `app/api/bad${index}/`) };
}

function allProblems(manifest: RouteManifest): Problem[] {
  return [...manifest.problems, ...manifest.apps.flatMap((app) => app.problems)];
}

function routeOf(manifest: RouteManifest, file: string): Route {
  const route = manifest.apps[0].routes.find((r) => r.file === file);
  assert.ok(route, `${file} is listed`);
  return route;
}

const explicitMethods = (route: Route): HttpMethod[] => route.methods.filter((m) => !m.implicit).map((m) => m.name);
const methodsOf = (summary: ModuleSummary): string[] => [...summary.exports.keys()].filter((name) => /^[A-Z]+$/.test(name));

/** The good route keeps its methods, and the hostile one has what the case says, whichever path scanned it. */
function checkManifest(manifest: RouteManifest, hostile: HostileCase, how: string): void {
  assert.deepEqual(explicitMethods(routeOf(manifest, 'app/api/good/route.ts')), ['GET', 'POST'], `${how}: the good route`);
  const file = hostile.route ?? BAD_ROUTE;
  const bad = routeOf(manifest, file);
  const problems = allProblems(manifest);
  assert.deepEqual(
    problems.filter((p) => p.id === 'internal-error'),
    [],
    `${how}: no internal errors`,
  );
  if (hostile.problem) {
    const problem = problems.find((p) => p.id === hostile.problem && p.file === file);
    assert.ok(problem, `${how}: ${file} has a ${hostile.problem} problem (${JSON.stringify(problems.map((p) => p.id))})`);
    assert.match(problem.message, /nested too deeply to analyze|more analysis than Route Atlas allows/);
    assert.deepEqual(explicitMethods(bad), [], `${how}: no methods are guessed`);
  } else {
    assert.deepEqual(explicitMethods(bad), hostile.methods, `${how}: the hostile route's methods`);
    assert.deepEqual(
      problems.filter((p) => p.file === file && p.id !== 'no-methods').map((p) => p.id).filter((id) => id === 'too-deep' || id === 'too-much-work' || id === 'syntax-error'),
      [],
      `${how}: no limit problem on an analyzable file`,
    );
  }
}

describe('deeply nested and hostile route files', function () {
  this.timeout(20_000);
  let root: string;
  afterEach(() => removeTree(root));

  for (const hostile of HOSTILE) {
    it(`${hostile.name}: one problem or the right methods, on every path, and the good route stays`, () => {
      root = makeTree(nextApp({ 'app/api/good/route.ts': GOOD_ROUTE, ...hostile.files(1) }));
      checkManifest(scanWorkspace(root), hostile, 'cold scan');
      checkManifest(new Workspace(root, { host: nodeFileHost }).scan(), hostile, 'workspace reading through a host');
    });
  }

  it('summarizes every hostile file on the worker thread, which goes on with the files after them', async () => {
    const cases = HOSTILE.map(caseFiles);
    root = makeTree(nextApp(Object.assign({ 'app/api/good/route.ts': GOOD_ROUTE }, ...cases.map((c) => c.files))));
    const jobs: SummaryJob[] = [...cases.map((c) => c.route), 'app/api/good/route.ts'].map((file) => ({ abs: path.join(root, file), file }));
    const results = await summarizeOnWorker(jobs);
    assert.equal(results.size, jobs.length, 'a result for every file, the good one after the bad ones included');
    HOSTILE.forEach((hostile, index) => {
      const result = results.get(jobs[index].abs)!;
      // The same result as on this thread.
      assert.deepEqual(result, summarizeWithinLimits(jobs[index].abs, Object.values(cases[index].files)[0], jobs[index].file, { routeFile: true }), hostile.name);
      if (hostile.problem) assert.equal((result as Problem).id, hostile.problem, hostile.name);
      else assert.deepEqual(methodsOf(result as ModuleSummary), hostile.methods, hostile.name);
    });
    assert.deepEqual(methodsOf(results.get(jobs[jobs.length - 1].abs) as ModuleSummary), ['GET', 'POST']);
  });

  it(`gives the same manifest with a worker thread as with one thread, hostile files among ${PARALLEL_THRESHOLD} routes`, () => {
    const cases = HOSTILE.map(caseFiles);
    const files: Record<string, string> = Object.assign({ 'app/api/good/route.ts': GOOD_ROUTE }, ...cases.map((c) => c.files));
    for (let i = 0; i < PARALLEL_THRESHOLD; i++) files[`app/r${i}/route.ts`] = `export async function GET() { return Response.json({ i: ${i} }); }\n`;
    root = makeTree(nextApp(files));
    const oneThread = scanWithCores(root, 1);
    const withWorker = scanWithCores(root, SUMMARY_WORKER_MIN_CORES);
    assert.deepEqual(withWorker, oneThread);
    HOSTILE.forEach((hostile, index) => checkManifest(withWorker, { ...hostile, route: cases[index].route }, `${hostile.name}, among many routes`));
  });
});

describe('hostile modules behind a route', function () {
  this.timeout(20_000);
  let root: string;
  afterEach(() => removeTree(root));

  const scans = (): Array<[string, RouteManifest]> => [
    ['cold scan', scanWorkspace(root)],
    ['workspace reading through a host', new Workspace(root, { host: nodeFileHost }).scan()],
  ];

  it('follows a chain of 100 modules that each re-export the next as far as its bound, and says where `export *` stops', () => {
    const files: Record<string, string> = {
      'app/api/good/route.ts': GOOD_ROUTE,
      'app/api/named/route.ts': "export { GET } from '@/lib/named1';\n",
      'app/api/star/route.ts': "export * from '@/lib/star1';\nexport async function PUT() { return new Response(null); }\n",
      'lib/named100.ts': 'export async function GET() { return Response.json({}); }\n',
      'lib/star100.ts': 'export async function DELETE() { return new Response(null); }\n',
      'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
    };
    for (let i = 1; i < 100; i++) {
      files[`lib/named${i}.ts`] = `export { GET } from './named${i + 1}';\n`;
      files[`lib/star${i}.ts`] = `export * from './star${i + 1}';\n`;
    }
    root = makeTree(nextApp(files));
    for (const [how, manifest] of scans()) {
      assert.deepEqual(explicitMethods(routeOf(manifest, 'app/api/good/route.ts')), ['GET', 'POST'], how);
      const named = routeOf(manifest, 'app/api/named/route.ts');
      assert.deepEqual(explicitMethods(named), ['GET'], `${how}: the re-exported name is listed`);
      assert.equal(named.caching?.kind, 'dynamic', `${how}: GET's code is beyond the bound, and Next.js 15 does not cache it anyway`);
      const star = routeOf(manifest, 'app/api/star/route.ts');
      assert.deepEqual(explicitMethods(star), ['PUT'], `${how}: what lies beyond the bound is not listed`);
      const problem = allProblems(manifest).find((p) => p.file === 'app/api/star/route.ts' && p.id === 'too-deep');
      assert.match(problem?.message ?? '', /re-exports of this `export \*` go on more than 16 modules deep/, how);
      assert.equal(problem?.span?.line, 1, how);
    }
  });

  it('lists the methods of routes whose re-exports and calls go round in cycles', () => {
    root = makeTree(
      nextApp({
        'app/api/good/route.ts': GOOD_ROUTE,
        'app/api/cycle/route.ts': "export * from '../../../lib/a';\nexport { POST } from '../../../lib/p1';\n",
        'lib/a.ts': "export * from './b';\nexport async function GET() { return Response.json({}); }\n",
        'lib/b.ts': "export * from './a';\nexport * from '../app/api/cycle/route';\n",
        'lib/p1.ts': "export { POST } from './p2';\n",
        'lib/p2.ts': "export { POST } from './p1';\n",
        'app/api/calls/route.ts': "import { ping } from '../../../lib/ping';\nexport const revalidate = 60;\nexport async function GET(request: Request) { await ping(request); return Response.json({}); }\n",
        'lib/ping.ts': "import { pong } from './pong';\nexport async function ping(request: Request) { return pong(request); }\n",
        'lib/pong.ts': "import { ping } from './ping';\nexport async function pong(request: Request) { request.headers.get('x'); return ping(request); }\n",
      }),
    );
    for (const [how, manifest] of scans()) {
      assert.deepEqual(explicitMethods(routeOf(manifest, 'app/api/cycle/route.ts')), ['GET', 'POST'], how);
      const calls = routeOf(manifest, 'app/api/calls/route.ts');
      assert.deepEqual(explicitMethods(calls), ['GET'], how);
      assert.equal(calls.caching?.kind, 'dynamic', `${how}: the header read in the cycle is found`);
    }
  });

  it('stops following a call chain that fans out across modules, and says the verdict is unknown', () => {
    // Each function calls the next 200 times; followed naively, the effects below multiply as 200^3 (calls are followed five deep).
    const files: Record<string, string> = {
      'app/api/good/route.ts': GOOD_ROUTE,
      'app/api/fan/route.ts': "import { f0 } from '../../../lib/f0';\nexport const revalidate = 60;\nexport async function GET(request: Request) { await f0(request); return Response.json({}); }\n",
      'lib/f5.ts': "import { f0 } from './f0';\nexport async function f5(request: Request) { request.headers.get('x'); return f0(request); }\n",
    };
    for (let i = 0; i < 5; i++) {
      files[`lib/f${i}.ts`] = `import { cookies } from 'next/headers';\nimport { f${i + 1} } from './f${i + 1}';\nexport async function f${i}(request: Request) {\n  await cookies();\n${repeat(200, () => `  await f${i + 1}(request);`)}\n}\n`;
    }
    root = makeTree(nextApp(files));
    for (const [how, manifest] of scans()) {
      const fan = routeOf(manifest, 'app/api/fan/route.ts');
      assert.deepEqual(explicitMethods(fan), ['GET'], how);
      assert.equal(fan.caching?.kind, 'unknown', how);
      assert.match(fan.caching!.reasons[0].message, /needs more work than Route Atlas allows for one route/, how);
      assert.deepEqual(explicitMethods(routeOf(manifest, 'app/api/good/route.ts')), ['GET', 'POST'], how);
    }
  });
});

describe('the callers index over hostile source files', function () {
  this.timeout(20_000);
  let root: string;
  afterEach(() => removeTree(root));

  it('skips a file too deep to parse or walk, and still finds the calls of the others', () => {
    const deepCall = `export async function load() { await fetch('/api/good'); return ${'('.repeat(DEEP)}1${')'.repeat(DEEP)}; }\n`;
    const longChain = `export async function load() { await fetch('/api/good'); return fetch(x${'!'.repeat(MEGABYTE)}); }\n`;
    const longSum = `export async function load() { return fetch('/api/good/' + ${'x + '.repeat(MEGABYTE / 4)}'', { method: 'POST' }); }\n`;
    root = makeTree(
      nextApp({
        'app/api/good/route.ts': GOOD_ROUTE,
        'app/api/good/[id]/route.ts': 'export async function POST() { return Response.json({}); }\n',
        'lib/deep.ts': deepCall,
        'lib/chain.ts': longChain,
        'lib/sum.ts': longSum,
        'lib/fine.ts': "export const load = () => fetch('/api/good');\n",
      }),
    );
    const workspace = new Workspace(root);
    workspace.scan();
    const report = workspace.callerReport();
    assert.deepEqual(report.callers.get('app/api/good/route.ts')?.get('GET')?.map((c) => c.file), ['lib/fine.ts']);
    assert.deepEqual(report.callers.get('app/api/good/[id]/route.ts')?.get('POST')?.map((c) => c.file), ['lib/sum.ts'], 'a long sum is read in a loop');
    assert.deepEqual(extractEndpointCalls(path.join(root, 'lib/deep.ts'), deepCall), []);
    const abs = path.join(root, 'lib/deep.ts');
    assert.equal(workspace.routeAt(abs, deepCall, 1, 50), undefined, 'go-to-handler in an open document too deep to parse');
    assert.equal(workspace.routeAt(path.join(root, 'lib/chain.ts'), longChain, 1, 50), undefined);
  });
});

/** Summaries of `jobs` made by a summary worker alone (this thread takes no chunk of them). */
async function summarizeOnWorker(jobs: readonly SummaryJob[]): Promise<Map<string, ModuleSummary | Problem>> {
  const realCores = nodeOs.availableParallelism;
  nodeOs.availableParallelism = () => SUMMARY_WORKER_MIN_CORES;
  const worker = SummaryWorker.start();
  nodeOs.availableParallelism = realCores;
  assert.ok(worker, 'a worker started');
  const results = new Map<string, ModuleSummary | Problem>();
  try {
    worker.send(jobs, 2 * MEGABYTE);
    // Fewer jobs than a chunk: the worker posts them in one message, then closes its end.
    await new Promise<void>((resolve) => {
      worker.port.on('message', (message: Array<[string, ModuleSummary | Problem]>) => {
        for (const [abs, summary] of message) results.set(abs, summary);
        resolve();
      });
    });
  } finally {
    worker.dispose();
  }
  return results;
}

function scanWithCores(root: string, cores: number): RouteManifest {
  const realCores = nodeOs.availableParallelism;
  nodeOs.availableParallelism = () => cores;
  try {
    return scanWorkspace(root);
  } finally {
    nodeOs.availableParallelism = realCores;
  }
}
