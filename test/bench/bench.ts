// The performance benchmark: cold scan against a parse-only floor, peak memory, and incremental updates,
// on synthetic apps of 100, 1,000 and 10,000 route files.
//
//   npm run bench                        (all sizes)
//   node out/test/bench/bench.js --sizes 100,1000 [--runs 3] [--seed 1] [--strict] [--regenerate]
//
// Every measurement runs in a fresh child process (this file, forked with `--child`), so heap,
// module caches and JIT state never leak from one measurement into the next. Per size: the floor
// and the scan each run `--runs` times (interleaved) and the median is reported; peak memory is the
// child's maxRSS. Update timings come from the scan children: after the cold scan each applies ~20
// single-file edits (adding a POST export to a route without one) and a few new route files.
// Output: a plain table on stdout (progress goes to stderr) and out/bench-results.json.
// Exit code is 0 whatever the numbers, unless --strict is given and a target is missed.
import { fork } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { commonOptions, optionValue } from './benchArgs';
import { ensureApp, GENERATOR_VERSION, type GeneratedMeta, readMeta } from './generate';

const BENCH_ROOT = join(os.tmpdir(), 'route-atlas-bench');
const RESULTS_FILE = resolve(__dirname, '../../bench-results.json');
const DEFAULT_SIZES = [100, 1000, 10000];
const TARGET_RATIO = 2;
const TARGET_SCAN_MS = 5000;
const TARGET_UPDATE_MS = 20;
const TARGET_SIZE = 10000;
const SKIPPED_DIRS = new Set(['node_modules', '.next', 'out', 'dist', '.git', '.turbo', '.vercel', 'coverage', '.svn', '.hg']);

// ---------------------------------------------------------------------------------------------
// What the analyzer looks like from here (required lazily: it may not exist yet).

/** The analyzer bundled as it ships (esbuild.mjs builds it with the tests; see analyzer.ts). */
const ANALYZER_BUNDLE = resolve(__dirname, '../../bench/analyzer.js');

interface ManifestLike {
  apps: Array<{ routes: Array<{ file: string; kind: string; url: string; methods: Array<{ name: string; implicit?: boolean; form?: string }> }>; problems: unknown[] }>;
  problems: unknown[];
}
interface WorkspaceLike {
  scan(): ManifestLike;
  applyChanges(changes: Array<{ path: string; type: 'created' | 'changed' | 'deleted'; text?: string }>): ManifestLike;
}
type WorkspaceCtor = new (root: string, options?: { nextVersion?: number; cacheComponents?: boolean }) => WorkspaceLike;

// ---------------------------------------------------------------------------------------------
// Results

interface FloorRun {
  mode: 'floor';
  ms: number;
  files: number;
  bytes: number;
  parsed: number;
  parseMs: number;
  /** CPU time (user + system, all threads) of the measured section: less sensitive to a busy machine. */
  cpuMs: number;
  listed: number;
  dirs: number;
  loadMs: number;
  maxRssMiB: number;
  /** 1-minute load average when the child started (other work on the machine makes timings noisy). */
  loadAvg?: number;
}

interface UpdateSample {
  file: string;
  ms: number;
  /** The manifest after the update shows the change (the POST, the new route). */
  ok: boolean;
  error?: string;
}

interface ScanCheck {
  routesFound: number;
  routesExpected: number;
  methodsFound: number;
  methodsExpected: number;
  /** Routes whose explicit methods are exactly the generated ones. */
  exactRoutes: number;
  formsFound: Record<string, number>;
  problems: number;
  apps: number;
  mismatches: Array<{ file: string; expected: string[]; found: string[] }>;
}

interface ScanRun {
  mode: 'scan';
  available: boolean;
  error?: string;
  loadMs?: number;
  ms?: number;
  cpuMs?: number;
  maxRssMiB?: number;
  maxRssAfterUpdatesMiB?: number;
  check?: ScanCheck;
  changed?: UpdateSample[];
  created?: UpdateSample[];
  loadAvg?: number;
}

type ChildResult = FloorRun | ScanRun | { mode: 'error'; error: string };

interface SizeResult {
  size: number;
  root: string;
  generated: boolean;
  generateMs: number;
  workload: { files: number; bytes: number; routes: number; pages: number; metadataFiles: number; libFiles: number; otherFiles: number; forms: Record<string, number>; profiles: Record<string, number> };
  floor: { runs: FloorRun[]; errors: string[]; medianMs?: number; medianCpuMs?: number; maxRssMiB?: number; files?: number; bytes?: number };
  scan: {
    available: boolean;
    error?: string;
    runs: ScanRun[];
    medianMs?: number;
    medianCpuMs?: number;
    maxRssMiB?: number;
    check?: ScanCheck;
    changed?: { samples: number; medianMs: number; p90Ms: number; maxMs: number; verified: number; errors: number };
    created?: { samples: number; medianMs: number; maxMs: number; verified: number; errors: number };
  };
  ratio?: number;
  /** The same ratio on CPU time. */
  cpuRatio?: number;
}

interface TargetRow {
  target: string;
  size: number;
  value: string;
  limit: string;
  result: 'PASS' | 'FAIL' | 'N/A' | 'SKIP';
  note?: string;
}

// ---------------------------------------------------------------------------------------------
// Helpers

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}

function maxRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
}

function fmtMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

function log(message: string): void {
  process.stderr.write(message + '\n');
}

function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}${error.stack ? '\n' + error.stack.split('\n').slice(1, 4).join('\n') : ''}`;
  return String(error);
}

function renderTable(headers: string[], rows: string[][], rightAlign: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (rightAlign[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------
// The update plan: which files change and where new routes appear (same in every child).

const POST_SNIPPET = `

export async function POST(request: Request) {
  const body = await request.json();
  return Response.json({ received: body }, { status: 201 });
}
`;

const CREATED_ROUTE = `import { NextResponse } from 'next/server';

export async function GET(request: Request) {
  const { searchParams } = new URL(request.url);
  return NextResponse.json({ q: searchParams.get('q') });
}

export async function POST(request: Request) {
  const body = await request.json();
  return NextResponse.json(body, { status: 201 });
}
`;

interface UpdatePlan {
  changed: Array<{ path: string; rel: string }>;
  created: Array<{ path: string; rel: string; dir: string }>;
}

function spread<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  return Array.from({ length: count }, (_, k) => items[Math.floor(((k + 0.5) * items.length) / count)]);
}

function planUpdates(root: string, meta: GeneratedMeta, changes = 20, creates = 5): UpdatePlan {
  const eligible = meta.routes.filter((r) => !r.methods.some((m) => m.name === 'POST'));
  const changed = spread(eligible, changes).map((r) => ({ path: join(root, r.file), rel: r.file }));
  const created = spread(
    meta.routes.filter((r) => !r.terminal),
    creates,
  ).map((r, k) => {
    const dir = `${dirname(r.file)}/bench-created-${k}`;
    return { path: join(root, dir, 'route.ts'), rel: `${dir}/route.ts`, dir: join(root, dir) };
  });
  return { changed, created };
}

/** Removes the folders a created-route measurement makes, in case a child died before cleaning up. */
function cleanupCreated(plan: UpdatePlan): void {
  for (const c of plan.created) rmSync(c.dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Child side

function routesOf(manifest: ManifestLike) {
  return manifest.apps.flatMap((a) => a.routes).filter((r) => r.kind === 'route');
}

function checkManifest(manifest: ManifestLike, meta: GeneratedMeta): ScanCheck {
  const routes = routesOf(manifest);
  const byFile = new Map(routes.map((r) => [r.file, r]));
  const formsFound: Record<string, number> = {};
  let methodsFound = 0;
  for (const r of routes) {
    for (const m of r.methods) {
      if (m.implicit) continue;
      methodsFound++;
      const form = m.form ?? '(none)';
      formsFound[form] = (formsFound[form] ?? 0) + 1;
    }
  }
  let exactRoutes = 0;
  const mismatches: ScanCheck['mismatches'] = [];
  for (const g of meta.routes) {
    const expected = g.methods.map((m) => m.name).sort();
    const found = (byFile.get(g.file)?.methods ?? []).filter((m) => !m.implicit).map((m) => m.name).sort();
    if (expected.join() === found.join()) exactRoutes++;
    else if (mismatches.length < 10) mismatches.push({ file: g.file, expected, found });
  }
  return {
    routesFound: routes.length,
    routesExpected: meta.routes.length,
    methodsFound,
    methodsExpected: meta.routes.reduce((n, r) => n + r.methods.length, 0),
    exactRoutes,
    formsFound,
    problems: manifest.problems.length + manifest.apps.reduce((n, a) => n + a.problems.length, 0),
    apps: manifest.apps.length,
    mismatches,
  };
}

function hasRoute(manifest: ManifestLike, rel: string, methods: string[]): boolean {
  const route = routesOf(manifest).find((r) => r.file === rel);
  return route !== undefined && methods.every((name) => route.methods.some((m) => m.name === name));
}

function runFloorChild(root: string): FloorRun {
  const t0 = performance.now();
  const { measureFloor } = require('./floor') as typeof import('./floor');
  const loadMs = performance.now() - t0;
  const cpu0 = process.cpuUsage();
  const result = measureFloor(root);
  const cpu = process.cpuUsage(cpu0);
  const rss = maxRssMiB();
  return { mode: 'floor', ms: result.ms, cpuMs: (cpu.user + cpu.system) / 1000, files: result.files, bytes: result.bytes, parsed: result.parsed, parseMs: result.parseMs, listed: result.listed, dirs: result.dirs, loadMs, maxRssMiB: rss };
}

function runScanChild(root: string): ScanRun {
  const t0 = performance.now();
  let Workspace: WorkspaceCtor;
  try {
    const mod = require(ANALYZER_BUNDLE) as { Workspace?: WorkspaceCtor; loadTypeScript?: () => void };
    if (typeof mod.Workspace !== 'function') return { mode: 'scan', available: false, error: `${ANALYZER_BUNDLE} has no Workspace export` };
    Workspace = mod.Workspace;
    // Module loading, which the floor does not count either: the compiler loads on the first parse otherwise.
    mod.loadTypeScript?.();
  } catch (error) {
    return { mode: 'scan', available: false, error: errorText(error) };
  }
  const loadMs = performance.now() - t0;

  let workspace: WorkspaceLike;
  let manifest: ManifestLike;
  const cpu0 = process.cpuUsage();
  const t1 = performance.now();
  try {
    workspace = new Workspace(root);
    manifest = workspace.scan();
  } catch (error) {
    return { mode: 'scan', available: true, loadMs, error: `scan threw: ${errorText(error)}`, maxRssMiB: maxRssMiB() };
  }
  const ms = performance.now() - t1;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const rss = maxRssMiB();

  // Everything below happens after the scan's time and memory were taken.
  const meta = readMeta(root);
  if (!meta) return { mode: 'scan', available: true, loadMs, ms, cpuMs, maxRssMiB: rss, error: 'workspace metadata missing' };
  const check = checkManifest(manifest, meta);
  const plan = planUpdates(root, meta);

  const changed: UpdateSample[] = [];
  for (const c of plan.changed) {
    const text = readFileSync(c.path, 'utf8') + POST_SNIPPET;
    const t = performance.now();
    try {
      manifest = workspace.applyChanges([{ path: c.path, type: 'changed', text }]);
      const elapsed = performance.now() - t;
      changed.push({ file: c.rel, ms: elapsed, ok: hasRoute(manifest, c.rel, ['POST']) });
    } catch (error) {
      changed.push({ file: c.rel, ms: performance.now() - t, ok: false, error: errorText(error) });
    }
  }

  const created: UpdateSample[] = [];
  try {
    for (const c of plan.created) {
      mkdirSync(c.dir, { recursive: true });
      writeFileSync(c.path, CREATED_ROUTE);
      const t = performance.now();
      try {
        manifest = workspace.applyChanges([{ path: c.path, type: 'created', text: CREATED_ROUTE }]);
        const elapsed = performance.now() - t;
        created.push({ file: c.rel, ms: elapsed, ok: hasRoute(manifest, c.rel, ['GET', 'POST']) });
      } catch (error) {
        created.push({ file: c.rel, ms: performance.now() - t, ok: false, error: errorText(error) });
      }
    }
  } finally {
    cleanupCreated(plan);
  }
  return { mode: 'scan', available: true, loadMs, ms, cpuMs, maxRssMiB: rss, maxRssAfterUpdatesMiB: maxRssMiB(), check, changed, created };
}

function childMain(args: string[]): void {
  const opts = Object.fromEntries(args.filter((a) => a.includes('=')).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
  let result: ChildResult;
  try {
    result = opts.mode === 'floor' ? runFloorChild(opts.root) : runScanChild(opts.root);
  } catch (error) {
    result = { mode: 'error', error: errorText(error) };
  }
  if (process.send) process.send(result, () => process.exit(0));
  else {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    process.exit(0);
  }
}

// ---------------------------------------------------------------------------------------------
// Parent side

function runChild(size: number, mode: 'floor' | 'scan', root: string, timeoutMs: number): Promise<ChildResult> {
  return new Promise((resolvePromise) => {
    let result: ChildResult | undefined;
    let stderrTail = '';
    const child = fork(__filename, ['--child', `size=${size}`, `mode=${mode}`, `root=${root}`], {
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    // Whatever the analyzer prints must not land in the table on stdout.
    child.stdout?.on('data', (d: Buffer) => process.stderr.write(d));
    child.stderr?.on('data', (d: Buffer) => {
      process.stderr.write(d);
      stderrTail = (stderrTail + d.toString()).slice(-2000);
    });
    const timer = setTimeout(() => {
      result ??= { mode: 'error', error: `timed out after ${timeoutMs / 1000} s` };
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('message', (message) => {
      result ??= message as ChildResult;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolvePromise(result ?? { mode: 'error', error: `child exited (${signal ?? code}) without a result${stderrTail ? ': ' + stderrTail.trim().split('\n').slice(-3).join(' | ') : ''}` });
    });
  });
}

function warmFileCache(root: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) visit(path);
      } else if (entry.isFile()) {
        bytes += readFileSync(path).length;
        files++;
      }
    }
  };
  visit(root);
  return { files, bytes };
}

interface Options {
  sizes: number[];
  runs: number;
  seed: number;
  strict: boolean;
  regenerate: boolean;
  timeoutMs: number;
}

function parseArgs(argv: string[]): Options {
  return { ...commonOptions(argv, DEFAULT_SIZES), timeoutMs: (Number(optionValue(argv, '--timeout') ?? 900) || 900) * 1000 };
}

async function measureSize(size: number, opts: Options): Promise<SizeResult> {
  const root = join(BENCH_ROOT, String(size));
  mkdirSync(BENCH_ROOT, { recursive: true });
  const { meta, generated, ms: generateMs } = ensureApp(root, size, opts.seed, opts.regenerate);
  log(`[${size}] ${generated ? `generated in ${(generateMs / 1000).toFixed(1)} s` : 'reusing generated app'}: ${root}`);
  const plan = planUpdates(root, meta);
  cleanupCreated(plan);
  warmFileCache(root); // throwaway read: every measurement starts with a warm OS file cache

  const result: SizeResult = {
    size,
    root,
    generated,
    generateMs,
    workload: {
      files: meta.totals.files,
      bytes: meta.totals.bytes,
      routes: meta.routes.length,
      pages: meta.pages.length,
      metadataFiles: meta.metadataFiles.length,
      libFiles: meta.libFiles.length,
      otherFiles: meta.otherFiles.length,
      forms: meta.stats.forms,
      profiles: meta.stats.profiles,
    },
    floor: { runs: [], errors: [] },
    scan: { available: true, runs: [] },
  };

  for (let run = 1; run <= opts.runs; run++) {
    let loadAvg = os.loadavg()[0];
    const floor = await runChild(size, 'floor', root, opts.timeoutMs);
    if (floor.mode === 'floor') {
      result.floor.runs.push({ ...floor, loadAvg });
      log(`[${size}] floor run ${run}: ${fmtMs(floor.ms)} ms (parse ${fmtMs(floor.parseMs)} ms, cpu ${fmtMs(floor.cpuMs)} ms), ${floor.files} files, ${floor.maxRssMiB.toFixed(0)} MiB, load ${loadAvg.toFixed(1)}`);
    } else {
      result.floor.errors.push(floor.mode === 'error' ? floor.error : 'unexpected result');
      log(`[${size}] floor run ${run} failed: ${floor.mode === 'error' ? floor.error : ''}`);
    }

    if (!result.scan.available) continue;
    loadAvg = os.loadavg()[0];
    const scan = await runChild(size, 'scan', root, opts.timeoutMs);
    cleanupCreated(plan);
    if (scan.mode === 'scan' && !scan.available) {
      result.scan.available = false;
      result.scan.error = scan.error;
      log(`[${size}] analyzer not available: ${scan.error?.split('\n')[0]}`);
      continue;
    }
    const run_: ScanRun = scan.mode === 'scan' ? { ...scan, loadAvg } : { mode: 'scan', available: true, loadAvg, error: scan.mode === 'error' ? scan.error : 'unexpected result' };
    result.scan.runs.push(run_);
    if (run_.ms !== undefined && !run_.error) {
      const changed = run_.changed ?? [];
      log(
        `[${size}] scan run ${run}: ${fmtMs(run_.ms)} ms (cpu ${fmtMs(run_.cpuMs)} ms), ${run_.maxRssMiB?.toFixed(0)} MiB, load ${loadAvg.toFixed(1)}, routes ${run_.check?.routesFound}/${run_.check?.routesExpected}, ` +
          `update median ${fmtMs(changed.length ? median(changed.map((s) => s.ms)) : undefined)} ms`,
      );
    } else log(`[${size}] scan run ${run} failed: ${run_.error?.split('\n')[0]}`);
  }

  const floors = result.floor.runs;
  if (floors.length > 0) {
    result.floor.medianMs = median(floors.map((r) => r.ms));
    result.floor.medianCpuMs = median(floors.map((r) => r.cpuMs));
    result.floor.maxRssMiB = median(floors.map((r) => r.maxRssMiB));
    result.floor.files = floors[0].files;
    result.floor.bytes = floors[0].bytes;
  }
  const scans = result.scan.runs.filter((r) => r.ms !== undefined && !r.error);
  if (scans.length > 0) {
    result.scan.medianMs = median(scans.map((r) => r.ms!));
    result.scan.medianCpuMs = median(scans.map((r) => r.cpuMs ?? NaN));
    result.scan.maxRssMiB = median(scans.map((r) => r.maxRssMiB!));
    result.scan.check = scans[0].check;
    const changed = scans.flatMap((r) => r.changed ?? []);
    const okChanged = changed.filter((s) => !s.error);
    if (okChanged.length > 0) {
      const ms = okChanged.map((s) => s.ms);
      result.scan.changed = {
        samples: changed.length,
        medianMs: median(ms),
        p90Ms: quantile(ms, 0.9),
        maxMs: Math.max(...ms),
        verified: changed.filter((s) => s.ok).length,
        errors: changed.length - okChanged.length,
      };
    }
    const created = scans.flatMap((r) => r.created ?? []);
    const okCreated = created.filter((s) => !s.error);
    if (okCreated.length > 0) {
      const ms = okCreated.map((s) => s.ms);
      result.scan.created = {
        samples: created.length,
        medianMs: median(ms),
        maxMs: Math.max(...ms),
        verified: created.filter((s) => s.ok).length,
        errors: created.length - okCreated.length,
      };
    }
  } else if (result.scan.available && result.scan.runs.length > 0) {
    result.scan.error = result.scan.runs[0].error;
  }
  if (result.floor.medianMs && result.scan.medianMs !== undefined) result.ratio = result.scan.medianMs / result.floor.medianMs;
  if (result.floor.medianCpuMs && result.scan.medianCpuMs) result.cpuRatio = result.scan.medianCpuMs / result.floor.medianCpuMs;
  return result;
}

function targets(results: SizeResult[]): TargetRow[] {
  const rows: TargetRow[] = [];
  const scanMissing = (r: SizeResult): string => (!r.scan.available ? 'analyzer not available' : `scan failed: ${(r.scan.error ?? 'no result').split('\n')[0]}`);
  for (const r of results) {
    if (r.ratio !== undefined) {
      rows.push({ target: 'cold scan within 2x floor', size: r.size, value: `${r.ratio.toFixed(2)}x`, limit: `${TARGET_RATIO.toFixed(2)}x`, result: r.ratio <= TARGET_RATIO ? 'PASS' : 'FAIL' });
    } else {
      rows.push({ target: 'cold scan within 2x floor', size: r.size, value: '-', limit: `${TARGET_RATIO.toFixed(2)}x`, result: 'N/A', note: r.floor.medianMs === undefined ? 'floor failed' : scanMissing(r) });
    }
  }
  const big = results.find((r) => r.size === TARGET_SIZE);
  const skip = (target: string, limit: string): TargetRow => ({ target, size: TARGET_SIZE, value: '-', limit, result: 'SKIP', note: `size ${TARGET_SIZE} not run (--sizes)` });
  if (!big) {
    rows.push(skip('cold scan time', `${TARGET_SCAN_MS / 1000} s`), skip('update, file changed (median)', `${TARGET_UPDATE_MS} ms`), skip('update, route created (median)', `${TARGET_UPDATE_MS} ms`));
    return rows;
  }
  if (big.scan.medianMs !== undefined) {
    rows.push({ target: 'cold scan time', size: TARGET_SIZE, value: `${(big.scan.medianMs / 1000).toFixed(2)} s`, limit: `${TARGET_SCAN_MS / 1000} s`, result: big.scan.medianMs < TARGET_SCAN_MS ? 'PASS' : 'FAIL' });
  } else rows.push({ target: 'cold scan time', size: TARGET_SIZE, value: '-', limit: `${TARGET_SCAN_MS / 1000} s`, result: 'N/A', note: scanMissing(big) });
  for (const [name, u] of [
    ['update, file changed (median)', big.scan.changed],
    ['update, route created (median)', big.scan.created],
  ] as const) {
    if (!u) {
      rows.push({ target: name, size: TARGET_SIZE, value: '-', limit: `${TARGET_UPDATE_MS} ms`, result: 'N/A', note: big.scan.medianMs === undefined ? scanMissing(big) : 'applyChanges failed' });
      continue;
    }
    const verified = u.verified === u.samples;
    const fast = u.medianMs < TARGET_UPDATE_MS;
    rows.push({
      target: name,
      size: TARGET_SIZE,
      value: `${fmtMs(u.medianMs)} ms`,
      limit: `${TARGET_UPDATE_MS} ms`,
      result: fast && verified ? 'PASS' : 'FAIL',
      note: verified ? `${u.samples} samples, max ${fmtMs(u.maxMs)} ms` : `change not in manifest after ${u.samples - u.verified}/${u.samples} updates`,
    });
  }
  return rows;
}

function report(results: SizeResult[], rows: TargetRow[], opts: Options, loadAvg: number[]): string {
  const out: string[] = [];
  const cpu = os.cpus();
  out.push(`Route Atlas benchmark: node ${process.version}, ${cpu.length} x ${cpu[0]?.model.trim() ?? 'cpu'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, seed ${opts.seed}, median of ${opts.runs} run(s) per cell`);
  // Only the load before the first run is other work: later samples include the benchmark's own threads
  // (a scan keeps about 1.4 cores busy: the parser, a reader thread, and the collector's helpers).
  const [before, ...during] = loadAvg;
  out.push(
    `Load average (1 min): ${before.toFixed(1)} before the run, ${during.map((l) => l.toFixed(1)).join(', ')} after each size` +
      (before > cpu.length * 0.5 ? `  ** machine busy (${cpu.length} CPUs) before the run: timings are inflated and noisy, compare ratios rather than absolute times **` : ''),
  );
  out.push('');
  out.push('Workload (generated apps, reused across runs):');
  for (const r of results) {
    const w = r.workload;
    out.push(
      `  ${String(r.size).padStart(6)} route files: ${w.files} files, ${(w.bytes / 1024 / 1024).toFixed(1)} MiB; ${w.pages} pages, ${w.metadataFiles} metadata files, ${w.libFiles} lib modules; floor reads ${r.floor.files ?? '-'} files`,
    );
  }
  const last = results.at(-1);
  if (last) {
    const total = Object.values(last.workload.forms).reduce((a, b) => a + b, 0);
    const forms = Object.entries(last.workload.forms)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${((100 * v) / total).toFixed(0)}%`)
      .join(', ');
    out.push(`  export forms of the ${total} methods at ${last.size}: ${forms}`);
  }
  out.push('');
  const headers = ['routes', 'floor ms', 'scan ms', 'ratio', 'cpu ratio', 'floor RSS', 'scan RSS', 'update ms med/p90/max', 'create ms med', 'routes found', 'methods exact'];
  const table = results.map((r) => {
    const scanCell = (v: string) => (r.scan.medianMs !== undefined ? v : r.scan.available ? 'failed' : 'analyzer not available');
    const c = r.scan.changed;
    const check = r.scan.check;
    return [
      String(r.size),
      fmtMs(r.floor.medianMs),
      scanCell(fmtMs(r.scan.medianMs)),
      r.ratio !== undefined ? `${r.ratio.toFixed(2)}x` : '-',
      r.cpuRatio !== undefined ? `${r.cpuRatio.toFixed(2)}x` : '-',
      r.floor.maxRssMiB !== undefined ? `${r.floor.maxRssMiB.toFixed(0)} MiB` : '-',
      r.scan.maxRssMiB !== undefined ? `${r.scan.maxRssMiB.toFixed(0)} MiB` : '-',
      c ? `${fmtMs(c.medianMs)} / ${fmtMs(c.p90Ms)} / ${fmtMs(c.maxMs)}${c.verified < c.samples ? ` (${c.samples - c.verified} unverified)` : ''}` : '-',
      r.scan.created ? `${fmtMs(r.scan.created.medianMs)}${r.scan.created.verified < r.scan.created.samples ? ' (unverified)' : ''}` : '-',
      check ? `${check.routesFound}/${check.routesExpected}` : '-',
      check ? `${check.exactRoutes}/${check.routesExpected}` : '-',
    ];
  });
  out.push(renderTable(headers, table, headers.map(() => true)));
  out.push('');
  out.push('Targets:');
  out.push(
    renderTable(
      ['target', 'routes', 'value', 'limit', 'result', 'note'],
      rows.map((t) => [t.target, String(t.size), t.value, t.limit, t.result, t.note ?? '']),
      [false, true, true, true, false, false],
    ),
  );
  out.push('');
  out.push('floor = walk + read + ts.createSourceFile (no parent pointers) of the files an analyzer must read (see test/bench/floor.ts);');
  out.push('scan = new Workspace(root).scan(); both exclude module loading. ms = wall time; "cpu ratio" = the same ratio on process');
  out.push('CPU time (user + system), a cross-check when the machine is busy. RSS = the child process peak (maxRSS) right after the');
  out.push('scan or floor. update = applyChanges([{ type: "changed", text }]) adding a POST to a route, over different files;');
  out.push(`create = a new route file written to disk, then applyChanges([{ type: "created" }]). "methods exact" = routes whose`);
  out.push(`methods match the generated ones. Details: ${RESULTS_FILE}`);
  return out.join('\n');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') return childMain(argv.slice(1));
  const opts = parseArgs(argv);
  log(`route-atlas bench: sizes ${opts.sizes.join(', ')}, ${opts.runs} run(s), apps in ${BENCH_ROOT}`);
  const results: SizeResult[] = [];
  const loadAvg = [os.loadavg()[0]];
  for (const size of opts.sizes) {
    results.push(await measureSize(size, opts));
    loadAvg.push(os.loadavg()[0]);
  }
  const rows = targets(results);
  process.stdout.write(report(results, rows, opts, [Math.min(...loadAvg), Math.max(...loadAvg)]) + '\n');
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  const json = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    totalMemGiB: os.totalmem() / 1024 ** 3,
    loadAvg1m: loadAvg,
    seed: opts.seed,
    runs: opts.runs,
    generatorVersion: GENERATOR_VERSION,
    targets: rows,
    sizes: results,
  };
  writeFileSync(RESULTS_FILE, JSON.stringify(json, null, 2) + '\n');
  const missed = rows.filter((r) => r.result === 'FAIL' || r.result === 'N/A');
  if (opts.strict && missed.length > 0) {
    log(`--strict: ${missed.length} target(s) not met`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  log(errorText(error));
  process.exitCode = 2;
});
