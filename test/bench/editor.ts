// The editor part of the benchmark: the language server as an editor drives it, and the CLI as a whole
// process against a naive line-regex scan.
//
//   node out/test/bench/editor.js [--sizes 500,10000] [--runs 3] [--seed 1] [--storm 10] [--repos dir1,dir2] [--strict]
//                                 [--profile <dir>]  (a .cpuprofile of every server thread, for DevTools or VS Code)
//
// Size 500 is a monorepo of three generated apps (250 + 150 + 100 routes, one workspace folder); any other
// size is the single app bench.ts generates (route-atlas-bench/<size>). Both are reused when present.
// Every server measurement starts a fresh `dist/server.js --stdio` and talks LSP to it as VS Code would:
//   start     spawn -> initialize answered -> first routeAtlas/didChangeManifest -> serverStatus ready,
//             cold (empty cacheDir) and warm (the same cacheDir again), on every fixture;
//   scan      requests every 10 ms from `initialized` until ready, during a cold start of the largest app;
//   storm     on the largest app once ready: didChange every 20 ms to 20 open route files while requests
//             keep coming every 10 ms; "edit visible" is the time from a didChange that adds or removes
//             a POST until the manifest fetched after routeAtlas/didChangeManifest shows it;
//   shutdown  shutdown + exit at a random moment of a cold scan, and at the end of each storm;
//   cli       `node dist/cli.js <dir> --json` (no cache, empty cache dir, warm cache dir) and
//             `node naiveScan.js <dir>`, wall time from spawn to exit.
// Output: a table on stdout (progress on stderr) and out/bench-editor.json. Exit code 0 whatever the
// numbers, unless --strict is given and a target is missed.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, type MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import {
  applyManifestChanges,
  ClientCommands,
  DidChangeManifestNotification,
  type DidChangeManifestParams,
  ManifestRequest,
  type ManifestResult,
  ServerStatusNotification,
  type ServerStatusParams,
} from '../../server/protocol';
import { commonOptions, optionValue } from './benchArgs';
import { ensureApp, type GeneratedMeta, Rng } from './generate';

const BENCH_ROOT = join(os.tmpdir(), 'route-atlas-bench');
const REPO_ROOT = resolve(__dirname, '../../..');
const SERVER_BUNDLE = join(REPO_ROOT, 'dist/server.js');
const CLI_BUNDLE = join(REPO_ROOT, 'dist/cli.js');
const NAIVE_SCRIPT = join(__dirname, 'naiveScan.js');
const RESULTS_FILE = resolve(__dirname, '../../bench-editor.json');

const MONOREPO_SIZE = 500;
const MONOREPO_APPS = [
  { dir: 'apps/web', routes: 250 },
  { dir: 'apps/admin', routes: 150 },
  { dir: 'apps/docs', routes: 100 },
];

const TARGET_REQUEST_P95_MS = 100;
const TARGET_EDIT_VISIBLE_MS = 500;
const TARGET_SHUTDOWN_MS = 500;
const TARGET_WARM_RATIO = 2;
const TARGET_COLD_RATIO = 4;

const REQUEST_INTERVAL_MS = 10;
const EDIT_INTERVAL_MS = 20;
const OPEN_FILES = 20;
/** Share of the edits that add or remove a POST; the others change a comment in the file being typed in. */
const TOGGLE_SHARE = 0.25;
/** Requests in flight beyond which the load stops adding more (a stalled server would otherwise pile up thousands). */
const MAX_OUTSTANDING = 200;

const INITIALIZE_TIMEOUT_MS = 30_000;
const READY_TIMEOUT_MS = 240_000;
const CACHE_SAVE_TIMEOUT_MS = 90_000;
const REQUEST_TIMEOUT_MS = 15_000;
const DRAIN_TIMEOUT_MS = 15_000;
const VISIBLE_TIMEOUT_MS = 5_000;
const SHUTDOWN_TIMEOUT_MS = 5_000;
const CLI_TIMEOUT_MS = 300_000;

const POST_EXPORT = '\nexport async function POST() { return new Response(null) }\n';
const SKIPPED_DIRS = new Set(['node_modules', '.next', '.git', 'dist']);

// ---------------------------------------------------------------------------------------------
// Helpers

function log(message: string): void {
  process.stderr.write(message + '\n');
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolvePromise) => setTimeout(resolvePromise, ms));
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function quantile(values: number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

function fmtMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

function loadAvg(): number {
  return Math.round(os.loadavg()[0] * 100) / 100;
}

function renderTable(headers: string[], rows: string[][], rightAlign: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (rightAlign[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Reads every file once, so that no measurement pays for a cold OS file cache. */
function warmFileCache(root: string): number {
  let files = 0;
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) visit(path);
      } else if (entry.isFile()) {
        readFileSync(path);
        files++;
      }
    }
  };
  visit(root);
  return files;
}

function writeIfChanged(file: string, text: string): void {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

const tempDirs: string[] = [];
function newCacheDir(): string {
  const dir = mkdtempSync(join(os.tmpdir(), 'route-atlas-editor-cache-'));
  tempDirs.push(dir);
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Fixtures

interface Fixture {
  name: string;
  root: string;
  routes: number;
  /** The generated app's metadata (single apps only): where route files and their methods are. */
  meta?: GeneratedMeta;
  /** Given with --repos: only the CLI runs on it. */
  external?: boolean;
}

function ensureMonorepo(root: string, seed: number, regenerate: boolean): Fixture {
  for (const [k, app] of MONOREPO_APPS.entries()) {
    const dir = join(root, app.dir);
    const { generated, ms } = ensureApp(dir, app.routes, seed + k, regenerate);
    if (generated) log(`[monorepo] generated ${app.dir} (${app.routes} routes) in ${(ms / 1000).toFixed(1)} s`);
    // Each package of a workspace has its own name.
    const pkgFile = join(dir, 'package.json');
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { name: string };
    pkg.name = `@acme/${basename(app.dir)}`;
    writeIfChanged(pkgFile, JSON.stringify(pkg, null, 2) + '\n');
  }
  const rootPkg = { name: 'acme-monorepo', version: '0.0.0', private: true, workspaces: ['apps/*'], packageManager: 'pnpm@9.12.0', devDependencies: { typescript: '^5.6.0' } };
  writeIfChanged(join(root, 'package.json'), JSON.stringify(rootPkg, null, 2) + '\n');
  writeIfChanged(join(root, 'pnpm-workspace.yaml'), "packages:\n  - 'apps/*'\n");
  return { name: `monorepo-${MONOREPO_SIZE}`, root, routes: MONOREPO_APPS.reduce((n, a) => n + a.routes, 0) };
}

function prepareFixtures(opts: Options): Fixture[] {
  mkdirSync(BENCH_ROOT, { recursive: true });
  const fixtures: Fixture[] = [];
  for (const size of opts.sizes) {
    if (size === MONOREPO_SIZE) {
      fixtures.push(ensureMonorepo(join(BENCH_ROOT, `monorepo-${MONOREPO_SIZE}`), opts.seed, opts.regenerate));
      continue;
    }
    const root = join(BENCH_ROOT, String(size));
    const { meta, generated, ms } = ensureApp(root, size, opts.seed, opts.regenerate);
    log(`[${size}] ${generated ? `generated in ${(ms / 1000).toFixed(1)} s` : 'reusing generated app'}: ${root}`);
    fixtures.push({ name: `app-${size}`, root, routes: meta.routes.length, meta });
  }
  for (const repo of opts.repos) fixtures.push({ name: basename(resolve(repo)), root: resolve(repo), routes: 0, external: true });
  return fixtures;
}

/** A route file opened in the editor: its text on disk, and where the hover goes (on `GET`). */
interface DocTarget {
  uri: string;
  rel: string;
  path: string;
  text: string;
  hover: { line: number; character: number };
}

/** Route files with a plain `export async function GET` and no POST anywhere, spread over the app. */
function pickTargets(fixture: Fixture, count: number): DocTarget[] {
  const candidates: DocTarget[] = [];
  for (const route of fixture.meta?.routes ?? []) {
    if (route.methods.some((m) => m.name === 'POST')) continue;
    const path = join(fixture.root, route.file);
    const text = readFileSync(path, 'utf8');
    if (text.includes('POST')) continue;
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.startsWith('export async function GET('));
    if (line < 0) continue;
    candidates.push({ uri: pathToFileURL(path).toString(), rel: route.file, path, text, hover: { line, character: lines[line].indexOf('GET') + 1 } });
  }
  if (candidates.length <= count) return candidates;
  return Array.from({ length: count }, (_, k) => candidates[Math.floor(((k + 0.5) * candidates.length) / count)]);
}

/**
 * Stalls of this process's own event loop: a response that arrives while the benchmark parses a large
 * manifest is timed late, so a latency can only be blamed on the server where no stall overlaps it.
 */
class ClientStalls {
  readonly stalls: Array<{ at: number; ms: number }> = [];
  private timer: NodeJS.Timeout | undefined;
  private last = 0;

  start(): this {
    this.last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      const late = now - this.last - 5;
      if (late > 50) this.stalls.push({ at: this.last, ms: late });
      this.last = now;
    }, 5);
    return this;
  }

  stop(): { count: number; maxMs: number; totalMs: number } {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const ms = this.stalls.map((s) => s.ms);
    return { count: ms.length, maxMs: Math.round(ms.length ? Math.max(...ms) : 0), totalMs: Math.round(ms.reduce((a, b) => a + b, 0)) };
  }
}

// ---------------------------------------------------------------------------------------------
// One language server process, driven over stdio

const liveServers = new Set<ChildProcess>();
/** Extra node options for every server process (--profile). */
let serverNodeArgs: string[] = [];

interface Sample {
  kind: string;
  /** When it was sent, in ms since the server was spawned. */
  sentAt: number;
  ms: number;
  answered: boolean;
  error?: string;
  /** Manifest requests: the answer held every route, not only the changes. */
  whole?: boolean;
}

interface LogLine {
  at: number;
  type: 'error' | 'warning' | 'info' | 'log';
  message: string;
}

class ServerSession {
  readonly spawnedAt = performance.now();
  readonly child: ChildProcess;
  readonly connection: MessageConnection;
  readonly statuses: Array<{ at: number; state: string; message?: string; routes?: number }> = [];
  readonly logs: LogLine[] = [];
  /** Server-to-client requests by method (all answered with null). */
  readonly clientRequests: Record<string, number> = {};
  diagnosticsNotifications = 0;
  manifestNotifications = 0;
  /** Every routeAtlas/didChangeManifest: when (performance.now()) and which route files it named. */
  readonly manifestEvents: Array<{ at: number; files: Set<string> }> = [];
  stderr = '';
  initializedAt?: number;
  firstManifestAt?: number;
  readyAt?: number;
  errorState?: string;
  exitedAt?: number;
  exitCode?: number | null;
  exitSignal?: NodeJS.Signals | null;
  private readonly waiters = new Set<() => void>();
  private readonly manifestListeners: Array<(params: DidChangeManifestParams) => void> = [];

  constructor(readonly root: string) {
    this.child = spawn(process.execPath, [...serverNodeArgs, SERVER_BUNDLE, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    liveServers.add(this.child);
    this.child.on('exit', (code, signal) => {
      this.exitedAt = performance.now();
      this.exitCode = code;
      this.exitSignal = signal;
      liveServers.delete(this.child);
      this.changed();
    });
    this.child.on('error', (error) => {
      this.stderr += `spawn error: ${errorText(error)}\n`;
      this.changed();
    });
    // Writing to a server that just exited must not bring the benchmark down.
    this.child.stdin!.on('error', () => undefined);
    this.child.stderr!.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 20_000) this.stderr += chunk.toString();
    });
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification(ServerStatusNotification.method, (status: ServerStatusParams) => {
      const at = this.elapsed();
      this.statuses.push({ at, state: status.state, message: status.message, routes: status.routes });
      if (status.state === 'ready' && this.readyAt === undefined) this.readyAt = at;
      if (status.state === 'error') this.errorState = status.message ?? 'error';
      this.changed();
    });
    this.connection.onNotification(DidChangeManifestNotification.method, (params: DidChangeManifestParams) => {
      this.manifestNotifications++;
      this.manifestEvents.push({ at: performance.now(), files: new Set(params.changedFiles) });
      this.firstManifestAt ??= this.elapsed();
      for (const listener of this.manifestListeners) listener(params);
      this.changed();
    });
    this.connection.onNotification('window/logMessage', (params: { type: number; message: string }) => {
      const type = params.type === 1 ? 'error' : params.type === 2 ? 'warning' : params.type === 3 ? 'info' : 'log';
      this.logs.push({ at: this.elapsed(), type, message: params.message });
      this.changed();
    });
    this.connection.onNotification('textDocument/publishDiagnostics', () => {
      this.diagnosticsNotifications++;
    });
    this.connection.onRequest((method: string) => {
      this.clientRequests[method] = (this.clientRequests[method] ?? 0) + 1;
      return null;
    });
    this.connection.onError(() => undefined);
    this.connection.listen();
  }

  /** Ms since spawn. */
  elapsed(): number {
    return performance.now() - this.spawnedAt;
  }

  get exited(): boolean {
    return this.exitedAt !== undefined;
  }

  onManifest(listener: (params: DidChangeManifestParams) => void): void {
    this.manifestListeners.push(listener);
  }

  private changed(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Resolves true once `condition` holds (checked on every message from the server), false after `timeoutMs`. */
  until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise((resolvePromise) => {
      const finish = (value: boolean) => {
        clearTimeout(timer);
        clearInterval(poll);
        this.waiters.delete(check);
        resolvePromise(value);
      };
      const check = () => {
        if (condition()) finish(true);
      };
      const timer = setTimeout(() => finish(condition()), timeoutMs);
      // Conditions on the client's own state (a manifest applied) change between server messages too.
      const poll = setInterval(check, 20);
      this.waiters.add(check);
    });
  }

  async request<R>(method: string, params: unknown, timeoutMs = REQUEST_TIMEOUT_MS): Promise<{ sample: Sample; result?: R }> {
    const started = performance.now();
    const sentAt = started - this.spawnedAt;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolvePromise) => (timer = setTimeout(() => resolvePromise('timeout'), timeoutMs)));
    const sent = (params === undefined ? this.connection.sendRequest<R>(method) : this.connection.sendRequest<R>(method, params)).then(
      (result) => ({ result }),
      (error: unknown) => ({ error: errorText(error) }),
    );
    try {
      const outcome = await Promise.race([sent, timeout]);
      const ms = performance.now() - started;
      if (outcome === 'timeout') return { sample: { kind: method, sentAt, ms, answered: false, error: `no answer within ${timeoutMs} ms` } };
      if ('error' in outcome) return { sample: { kind: method, sentAt, ms, answered: false, error: outcome.error } };
      return { sample: { kind: method, sentAt, ms, answered: true }, result: outcome.result };
    } finally {
      clearTimeout(timer);
    }
  }

  async initialize(cacheDir: string | undefined): Promise<number> {
    const uri = pathToFileURL(this.root).toString();
    const { sample } = await this.request('initialize', {
      processId: process.pid,
      clientInfo: { name: 'route-atlas-editor-bench' },
      rootUri: uri,
      workspaceFolders: [{ uri, name: basename(this.root) }],
      capabilities: {
        workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, codeLens: { refreshSupport: true }, workspaceFolders: true, symbol: {} },
        window: { workDoneProgress: true },
        textDocument: { synchronization: { didSave: true }, hover: { contentFormat: ['markdown', 'plaintext'] }, codeLens: {} },
      },
      initializationOptions: { clientCommands: Object.values(ClientCommands), settings: {}, ...(cacheDir ? { cacheDir } : {}) },
    }, INITIALIZE_TIMEOUT_MS);
    if (!sample.answered) throw new Error(`initialize: ${sample.error}`);
    void this.connection.sendNotification('initialized', {}).catch(() => undefined);
    this.initializedAt = this.elapsed();
    return sample.sentAt + sample.ms;
  }

  async waitReady(): Promise<void> {
    await this.until(() => this.readyAt !== undefined || this.errorState !== undefined || this.exited, READY_TIMEOUT_MS);
    if (this.readyAt !== undefined) return;
    if (this.errorState) throw new Error(`server reported error: ${this.errorState}`);
    if (this.exited) throw new Error(`server exited (${this.exitSignal ?? this.exitCode}) before ready`);
    throw new Error(`not ready within ${READY_TIMEOUT_MS / 1000} s`);
  }

  open(doc: DocTarget): void {
    void this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: doc.uri, languageId: doc.path.endsWith('x') ? 'typescriptreact' : 'typescript', version: 1, text: doc.text },
    }).catch(() => undefined);
  }

  /** shutdown, then exit, as VS Code stops a server: ms from sending shutdown until the process is gone. */
  async shutdown(): Promise<ShutdownResult> {
    const started = performance.now();
    const at = started - this.spawnedAt;
    const { sample } = await this.request('shutdown', undefined, SHUTDOWN_TIMEOUT_MS);
    void this.connection.sendNotification('exit').catch(() => undefined);
    const exited = await this.until(() => this.exited, SHUTDOWN_TIMEOUT_MS);
    const result: ShutdownResult = {
      at,
      shutdownAnsweredMs: sample.answered ? sample.ms : undefined,
      ms: exited ? this.exitedAt! - started : performance.now() - started,
      exited,
      exitCode: this.exitCode,
    };
    if (!sample.answered) result.error = `shutdown: ${sample.error}`;
    else if (!exited) result.error = `still running ${SHUTDOWN_TIMEOUT_MS} ms after exit (killed)`;
    return result;
  }

  /** Ends the process whatever state it is in. */
  async dispose(): Promise<void> {
    if (!this.exited) {
      this.child.kill('SIGKILL');
      await this.until(() => this.exited, 5000);
    }
    this.connection.dispose();
  }

  /** What the server said about itself that a reader of the results should see. */
  diagnostics(): SessionNotes {
    return {
      stderr: this.stderr.trim() ? this.stderr.trim().split('\n').slice(0, 20) : [],
      problems: this.logs.filter((l) => l.type === 'error' || l.type === 'warning').map((l) => `${l.type}: ${l.message.split('\n')[0]}`).slice(0, 20),
      engineLog: this.logs.filter((l) => /^(Scanned|Saved|Callers indexed)/.test(l.message)).map((l) => `${fmtMs(l.at)} ms: ${l.message}`),
      clientRequests: this.clientRequests,
      diagnosticsNotifications: this.diagnosticsNotifications,
      manifestNotifications: this.manifestNotifications,
      statuses: this.statuses.map((s) => `${fmtMs(s.at)} ${s.state}${s.message ? ` (${s.message})` : ''}`).slice(0, 30),
    };
  }
}

interface SessionNotes {
  stderr: string[];
  problems: string[];
  engineLog: string[];
  clientRequests: Record<string, number>;
  diagnosticsNotifications: number;
  manifestNotifications: number;
  statuses: string[];
}

interface ShutdownResult {
  /** When shutdown was sent, in ms since spawn. */
  at: number;
  ms: number;
  shutdownAnsweredMs?: number;
  exited: boolean;
  exitCode?: number | null;
  error?: string;
  /** The scan had ended before shutdown was sent. */
  afterReady?: boolean;
}

// ---------------------------------------------------------------------------------------------
// The client's copy of the manifest, kept as the Endpoints view keeps it

/**
 * Fetches with `since` = the version held and applies the changes, falling back to a whole request when
 * they do not fit, as src/routesTree.ts does. One fetch at a time: overlapping fetches would each be
 * answered relative to the other's version, that is, whole.
 */
class ManifestMirror {
  held: ManifestResult | undefined;
  readonly samples: Sample[] = [];
  private running: Promise<void> | undefined;
  private again = false;
  private readonly listeners: Array<(held: ManifestResult, at: number) => void> = [];

  constructor(private readonly session: ServerSession) {}

  get busy(): boolean {
    return this.running !== undefined;
  }

  onApplied(listener: (held: ManifestResult, at: number) => void): void {
    this.listeners.push(listener);
  }

  sync(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const running = this.loop().finally(() => {
      if (this.running === running) this.running = undefined;
    });
    this.running = running;
    return running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      let answer = await this.fetch(this.held?.version);
      if (!answer) return;
      let applied = applyManifestChanges(this.held, answer);
      if (!applied) {
        answer = await this.fetch(undefined);
        if (!answer) return;
        applied = answer;
      }
      const at = performance.now();
      if (!this.held || applied.version >= this.held.version) {
        this.held = applied;
        for (const listener of this.listeners) listener(applied, at);
      }
    } while (this.again && !this.session.exited);
  }

  private async fetch(since: number | undefined): Promise<ManifestResult | undefined> {
    const { sample, result } = await this.session.request<ManifestResult>(ManifestRequest.method, since === undefined ? {} : { since });
    if (result) sample.whole = result.changes === undefined;
    this.samples.push(sample);
    return result;
  }
}

// ---------------------------------------------------------------------------------------------
// Request load: one request every 10 ms, rotating over what an editor asks while the user works

const LOAD_KINDS = ['workspace/symbol', 'textDocument/codeLens', 'textDocument/hover', ManifestRequest.method] as const;

class RequestLoad {
  private readonly samples: Sample[] = [];
  private readonly outstanding = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private turn = 0;
  private startedAt = 0;
  private stoppedAt = Infinity;
  skipped = 0;

  constructor(
    private readonly session: ServerSession,
    private readonly mirror: ManifestMirror,
    private readonly target: DocTarget,
  ) {}

  start(): void {
    this.startedAt = this.session.elapsed();
    this.timer = setInterval(() => this.tick(), REQUEST_INTERVAL_MS);
  }

  private tick(): void {
    if (this.session.exited) return;
    if (this.outstanding.size >= MAX_OUTSTANDING) {
      this.skipped++;
      return;
    }
    let kind: string = LOAD_KINDS[this.turn++ % LOAD_KINDS.length];
    // The manifest is fetched by the mirror only, one fetch at a time; while one runs, the next kind goes.
    if (kind === ManifestRequest.method && this.mirror.busy) kind = LOAD_KINDS[this.turn++ % LOAD_KINDS.length];
    const pending = kind === ManifestRequest.method ? this.mirror.sync() : this.send(kind);
    this.outstanding.add(pending);
    const settle = () => void this.outstanding.delete(pending);
    pending.then(settle, settle);
  }

  private async send(kind: string): Promise<void> {
    const textDocument = { uri: this.target.uri };
    const params = kind === 'workspace/symbol' ? { query: 'users' } : kind === 'textDocument/hover' ? { textDocument, position: this.target.hover } : { textDocument };
    const { sample } = await this.session.request(kind, params);
    this.samples.push(sample);
  }

  /** Stops sending; what is in flight gets up to DRAIN_TIMEOUT_MS to be answered. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stoppedAt = Math.min(this.stoppedAt, this.session.elapsed());
    // Once the server is gone nothing more will be answered.
    await Promise.race([Promise.allSettled([...this.outstanding]), this.session.until(() => this.session.exited, DRAIN_TIMEOUT_MS)]);
  }

  /** Stops counting requests sent from now on (shutdown is about to be sent), but keeps sending. */
  freeze(): void {
    this.stoppedAt = this.session.elapsed();
  }

  /** Every request sent between start and stop, the mirror's manifest fetches included. */
  results(): Sample[] {
    const inWindow = (s: Sample) => s.sentAt >= this.startedAt && s.sentAt < this.stoppedAt;
    return [...this.samples.filter(inWindow), ...this.mirror.samples.filter(inWindow)];
  }
}

interface LatencyStats {
  count: number;
  p50?: number;
  p95?: number;
  max?: number;
  unanswered: number;
  errors: string[];
  byKind: Record<string, { count: number; p50?: number; p95?: number; max?: number; unanswered: number }>;
  wholeManifests: number;
  /** The slowest requests, to line them up with the server's log and statuses. */
  slowest: Array<{ kind: string; sentAt: number; ms: number }>;
}

function latencyStats(samples: Sample[]): LatencyStats {
  const statsOf = (list: Sample[]) => {
    const ms = list.filter((s) => s.answered).map((s) => s.ms);
    return { count: list.length, p50: median(ms), p95: quantile(ms, 0.95), max: ms.length ? Math.max(...ms) : undefined, unanswered: list.length - ms.length };
  };
  const byKind: LatencyStats['byKind'] = {};
  for (const kind of new Set(samples.map((s) => s.kind))) byKind[kind] = statsOf(samples.filter((s) => s.kind === kind));
  const errors = [...new Set(samples.filter((s) => !s.answered).map((s) => `${s.kind}: ${s.error}`))].slice(0, 10);
  const slowest = samples
    .filter((s) => s.answered)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 8)
    .map((s) => ({ kind: s.kind, sentAt: Math.round(s.sentAt), ms: Math.round(s.ms) }));
  return { ...statsOf(samples), errors, byKind, wholeManifests: samples.filter((s) => s.whole).length, slowest };
}

// ---------------------------------------------------------------------------------------------
// Typing: didChange every 20 ms

interface ToggleSample {
  sentAt: number;
  visibleMs: number;
  /** Until the server's didChangeManifest named the file; the rest of visibleMs is the manifest fetch. */
  notifiedMs?: number;
}

interface OpenDoc extends DocTarget {
  version: number;
  hasPost: boolean;
  comment: number;
  /** A POST added or removed that the manifest does not show yet. */
  pending?: { expectPost: boolean; sentAt: number };
}

class Typist {
  /** Every POST added or removed that became visible: sent when (ms since spawn), visible and notified after how long. */
  readonly toggled: ToggleSample[] = [];
  changes = 0;
  toggles = 0;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private togglesOn = true;

  constructor(
    private readonly session: ServerSession,
    private readonly docs: OpenDoc[],
    private readonly rng: Rng,
    mirror: ManifestMirror,
  ) {
    mirror.onApplied((held, at) => this.check(held, at));
  }

  start(): void {
    this.startedAt = performance.now();
    this.timer = setInterval(() => this.tick(), EDIT_INTERVAL_MS);
  }

  /** From now on only comments change: every POST sent can still become visible. */
  stopToggles(): void {
    this.togglesOn = false;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  get unresolved(): number {
    return this.docs.filter((d) => d.pending).length;
  }

  private tick(): void {
    if (this.session.exited) return;
    const now = performance.now();
    if (this.togglesOn && this.rng.chance(TOGGLE_SHARE)) {
      // Only files whose last POST change is visible, so that every change can be timed.
      const free = this.docs.filter((d) => !d.pending);
      if (free.length > 0) {
        const doc = this.rng.pick(free);
        doc.hasPost = !doc.hasPost;
        doc.pending = { expectPost: doc.hasPost, sentAt: now };
        this.toggles++;
        this.send(doc);
        return;
      }
    }
    // The user types in one file for a second, then moves to the next.
    const doc = this.docs[Math.floor((now - this.startedAt) / 1000) % this.docs.length];
    doc.comment++;
    this.send(doc);
  }

  private send(doc: OpenDoc): void {
    doc.version++;
    this.changes++;
    const text = doc.text + (doc.hasPost ? POST_EXPORT : '') + (doc.comment > 0 ? `\n// edit ${doc.comment}\n` : '');
    void this.session.connection.sendNotification('textDocument/didChange', { textDocument: { uri: doc.uri, version: doc.version }, contentChanges: [{ text }] }).catch(() => undefined);
  }

  private check(held: ManifestResult, at: number): void {
    const waiting = new Map(this.docs.filter((d) => d.pending).map((d) => [d.rel, d]));
    if (waiting.size === 0) return;
    for (const folder of held.folders) {
      for (const app of folder.manifest.apps) {
        for (const route of app.routes) {
          const doc = waiting.get(route.file);
          if (!doc?.pending) continue;
          const hasPost = route.methods.some((m) => m.name === 'POST' && !m.implicit);
          if (hasPost === doc.pending.expectPost) this.resolve(doc, at);
        }
      }
    }
    // A file whose route vanished while a removal was pending shows "no POST" too.
    for (const doc of waiting.values()) {
      if (doc.pending && !doc.pending.expectPost && !held.folders.some((f) => f.manifest.apps.some((a) => a.routes.some((r) => r.file === doc.rel)))) {
        this.resolve(doc, at);
      }
    }
  }

  private resolve(doc: OpenDoc, at: number): void {
    const sentAt = doc.pending!.sentAt;
    const notified = this.session.manifestEvents.find((e) => e.at >= sentAt && e.files.has(doc.uri));
    this.toggled.push({ sentAt: Math.round(sentAt - this.session.spawnedAt), visibleMs: at - sentAt, notifiedMs: notified && notified.at - sentAt });
    doc.pending = undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Measurements

interface StartRun {
  mode: 'cold' | 'warm';
  run: number;
  loadAvg: number;
  initializeMs?: number;
  firstManifestMs?: number;
  readyMs?: number;
  routes?: number;
  cacheSaved?: boolean;
  idleShutdown?: ShutdownResult;
  error?: string;
  notes?: SessionNotes;
}

async function measureStart(fixture: Fixture, mode: 'cold' | 'warm', cacheDir: string, run: number): Promise<StartRun> {
  const result: StartRun = { mode, run, loadAvg: loadAvg() };
  const session = new ServerSession(fixture.root);
  try {
    result.initializeMs = await session.initialize(cacheDir);
    await session.waitReady();
    result.firstManifestMs = session.firstManifestAt;
    result.readyMs = session.readyAt;
    result.routes = session.statuses.find((s) => s.state === 'ready')?.routes;
    // The warm run needs what the cold one parsed: the engine writes its cache after indexing callers.
    if (mode === 'cold') result.cacheSaved = await session.until(() => session.logs.some((l) => l.message.startsWith('Saved ')), CACHE_SAVE_TIMEOUT_MS);
    result.idleShutdown = await session.shutdown();
  } catch (error) {
    result.error = errorText(error);
  } finally {
    result.notes = session.diagnostics();
    await session.dispose();
  }
  return result;
}

interface LoadRun {
  run: number;
  loadAvg: number;
  /** Event-loop stalls of the benchmark itself (over 50 ms) while it measured. */
  clientStalls?: { count: number; maxMs: number; totalMs: number };
  readyMs?: number;
  skipped: number;
  stats?: LatencyStats;
  samples?: Sample[];
  error?: string;
  notes?: SessionNotes;
}

/** Requests every 10 ms from `initialized` until ready, during a cold start. */
async function measureScanLoad(fixture: Fixture, target: DocTarget, run: number): Promise<LoadRun> {
  const result: LoadRun = { run, loadAvg: loadAvg(), skipped: 0 };
  const session = new ServerSession(fixture.root);
  const mirror = new ManifestMirror(session);
  const load = new RequestLoad(session, mirror, target);
  const stalls = new ClientStalls().start();
  session.onManifest(() => void mirror.sync());
  try {
    await session.initialize(newCacheDir());
    // An editor restores the file that was open.
    session.open(target);
    load.start();
    try {
      await session.waitReady();
    } finally {
      await load.stop();
    }
    result.readyMs = session.readyAt;
    result.clientStalls = stalls.stop();
    const samples = load.results();
    result.stats = latencyStats(samples);
    result.samples = samples;
    result.skipped = load.skipped;
    await session.shutdown();
  } catch (error) {
    result.error = errorText(error);
  } finally {
    stalls.stop();
    result.notes = session.diagnostics();
    await session.dispose();
  }
  return result;
}

interface StormRun {
  run: number;
  loadAvg: number;
  clientStalls?: { count: number; maxMs: number; totalMs: number };
  readyMs?: number;
  changes: number;
  toggles: number;
  toggled: ToggleSample[];
  notVisible: number;
  /** When the engine finished its first callers index after ready (ms since spawn): background work until then. */
  callersIndexedAt?: number;
  skipped: number;
  stats?: LatencyStats;
  samples?: Sample[];
  shutdown?: ShutdownResult;
  error?: string;
  notes?: SessionNotes;
}

/** Once ready: 20 open files, didChange every 20 ms for `stormMs`, requests every 10 ms, then shutdown mid-storm. */
async function measureStorm(fixture: Fixture, targets: DocTarget[], cacheDir: string, stormMs: number, rng: Rng, run: number): Promise<StormRun> {
  const result: StormRun = { run, loadAvg: loadAvg(), changes: 0, toggles: 0, toggled: [], notVisible: 0, skipped: 0 };
  const session = new ServerSession(fixture.root);
  const mirror = new ManifestMirror(session);
  const docs: OpenDoc[] = targets.map((t) => ({ ...t, version: 1, hasPost: false, comment: 0 }));
  const load = new RequestLoad(session, mirror, docs[0]);
  const typist = new Typist(session, docs, rng, mirror);
  const stalls = new ClientStalls();
  try {
    await session.initialize(cacheDir);
    await session.waitReady();
    result.readyMs = session.readyAt;
    await mirror.sync();
    if (!mirror.held) throw new Error('the first manifest request was not answered');
    session.onManifest(() => void mirror.sync());
    for (const doc of docs) session.open(doc);
    stalls.start();
    load.start();
    typist.start();
    await sleep(stormMs);
    typist.stopToggles();
    await session.until(() => typist.unresolved === 0, VISIBLE_TIMEOUT_MS);
    // Shutdown comes while the user still types and the editor still asks.
    await sleep(rng.int(0, 300));
    load.freeze();
    result.clientStalls = stalls.stop();
    result.shutdown = await session.shutdown();
  } catch (error) {
    result.error = errorText(error);
  } finally {
    stalls.stop();
    typist.stop();
    await load.stop();
    result.changes = typist.changes;
    result.toggles = typist.toggles;
    result.toggled = typist.toggled;
    result.notVisible = typist.toggles - typist.toggled.length;
    result.callersIndexedAt = session.logs.find((l) => l.message.startsWith('Callers indexed'))?.at;
    result.skipped = load.skipped;
    result.samples = load.results();
    result.stats = latencyStats(result.samples);
    result.notes = session.diagnostics();
    await session.dispose();
  }
  return result;
}

/** Shutdown at a random moment between `scanning` and the expected end of a cold scan. */
async function measureShutdownDuringScan(fixture: Fixture, expectedScanMs: number, rng: Rng, run: number): Promise<ShutdownResult & { delayMs: number; loadAvg: number; notes?: SessionNotes }> {
  const load = loadAvg();
  const session = new ServerSession(fixture.root);
  let delayMs = 0;
  try {
    await session.initialize(newCacheDir());
    await session.until(() => session.statuses.some((s) => s.state === 'scanning') || session.exited, READY_TIMEOUT_MS);
    delayMs = Math.round(rng.next() * expectedScanMs * 0.9);
    await sleep(delayMs);
    const afterReady = session.readyAt !== undefined;
    const shutdown = await session.shutdown();
    log(`  shutdown during scan ${run}: ${delayMs} ms into the scan, exited after ${fmtMs(shutdown.ms)} ms${afterReady ? ' (scan had ended)' : ''}${shutdown.error ? ` (${shutdown.error})` : ''}`);
    return { ...shutdown, afterReady, delayMs, loadAvg: load, notes: session.diagnostics() };
  } catch (error) {
    return { at: 0, ms: NaN, exited: session.exited, error: errorText(error), delayMs, loadAvg: load, notes: session.diagnostics() };
  } finally {
    await session.dispose();
  }
}

// ---------------------------------------------------------------------------------------------
// The CLI as a whole process

interface ProcessRun {
  ms: number;
  code: number | null;
  stderr: string;
}

function runProcess(args: string[], env: NodeJS.ProcessEnv, stdoutFile: string): Promise<ProcessRun> {
  return new Promise((resolvePromise) => {
    const out = openSync(stdoutFile, 'w');
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', out, 'pipe'], env });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
    const finish = (code: number | null) => {
      clearTimeout(timer);
      closeSync(out);
      resolvePromise({ ms: performance.now() - started, code, stderr: stderr.trim() });
    };
    child.on('exit', (code) => finish(code));
    child.on('error', (error) => {
      stderr += errorText(error);
      finish(null);
    });
  });
}

type CliVariant = 'naive' | 'noCache' | 'coldCache' | 'warmCache';

interface CliResult {
  fixture: string;
  root: string;
  runs: Array<Record<CliVariant, ProcessRun> & { loadAvg: number }>;
  medianMs: Partial<Record<CliVariant, number>>;
  routesCli?: number;
  routesNaive?: number;
  errors: string[];
}

async function measureCli(fixture: Fixture, runs: number): Promise<CliResult> {
  const result: CliResult = { fixture: fixture.name, root: fixture.root, runs: [], medianMs: {}, errors: [] };
  const outDir = newCacheDir();
  const env = { ...process.env };
  delete env.ROUTE_ATLAS_CACHE_DIR;
  delete env.ROUTE_ATLAS_DEBUG;
  const outputs: Record<CliVariant, string> = { naive: join(outDir, 'naive.json'), noCache: join(outDir, 'no-cache.json'), coldCache: join(outDir, 'cold.json'), warmCache: join(outDir, 'warm.json') };
  for (let run = 1; run <= runs; run++) {
    const cacheDir = newCacheDir();
    const load = loadAvg();
    const naive = await runProcess([NAIVE_SCRIPT, fixture.root], env, outputs.naive);
    const noCache = await runProcess([CLI_BUNDLE, fixture.root, '--json', '--no-cache'], env, outputs.noCache);
    const coldCache = await runProcess([CLI_BUNDLE, fixture.root, '--json'], { ...env, ROUTE_ATLAS_CACHE_DIR: cacheDir }, outputs.coldCache);
    const warmCache = await runProcess([CLI_BUNDLE, fixture.root, '--json'], { ...env, ROUTE_ATLAS_CACHE_DIR: cacheDir }, outputs.warmCache);
    const entry = { naive, noCache, coldCache, warmCache, loadAvg: load };
    for (const [variant, p] of Object.entries(entry)) {
      if (typeof p === 'object' && p.code !== 0) result.errors.push(`${variant} exited ${p.code}: ${p.stderr.split('\n').slice(-2).join(' | ')}`);
    }
    result.runs.push(entry);
    log(`  ${fixture.name} cli run ${run}: naive ${fmtMs(naive.ms)}, --no-cache ${fmtMs(noCache.ms)}, cold cache ${fmtMs(coldCache.ms)}, warm cache ${fmtMs(warmCache.ms)} ms (load ${load})`);
  }
  for (const variant of ['naive', 'noCache', 'coldCache', 'warmCache'] as const) {
    const ok = result.runs.map((r) => r[variant]).filter((p) => p.code === 0);
    result.medianMs[variant] = median(ok.map((p) => p.ms));
  }
  try {
    const manifest = JSON.parse(readFileSync(outputs.warmCache, 'utf8')) as { apps: Array<{ routes: Array<{ kind: string }> }> };
    result.routesCli = manifest.apps.reduce((n, a) => n + a.routes.filter((r) => r.kind === 'route').length, 0);
    result.routesNaive = (JSON.parse(readFileSync(outputs.naive, 'utf8')) as unknown[]).length;
  } catch (error) {
    result.errors.push(`reading the outputs: ${errorText(error)}`);
  }
  rmSync(outDir, { recursive: true, force: true });
  return result;
}

// ---------------------------------------------------------------------------------------------
// Report

interface Row {
  measurement: string;
  fixture: string;
  value: string;
  target: string;
  result: 'PASS' | 'FAIL' | 'info' | 'SKIP' | 'ERROR';
  note?: string;
}

interface Results {
  start: Record<string, StartRun[]>;
  scanLoad: LoadRun[];
  storm: StormRun[];
  shutdownDuringScan: Array<ShutdownResult & { delayMs: number; loadAvg: number }>;
  cli: CliResult[];
  largest?: string;
}

function verdict(value: number | undefined, limit: number): Row['result'] {
  if (value === undefined || !Number.isFinite(value)) return 'ERROR';
  return value <= limit ? 'PASS' : 'FAIL';
}

function distribution(values: number[]): string {
  return `n=${values.length} p50 ${fmtMs(median(values))} / p95 ${fmtMs(quantile(values, 0.95))} / max ${fmtMs(values.length ? Math.max(...values) : undefined)} ms`;
}

function buildRows(fixtures: Fixture[], results: Results): Row[] {
  const rows: Row[] = [];
  for (const fixture of fixtures.filter((f) => !f.external)) {
    const runs = results.start[fixture.name] ?? [];
    for (const mode of ['cold', 'warm'] as const) {
      const ok = runs.filter((r) => r.mode === mode && !r.error);
      const failed = runs.filter((r) => r.mode === mode && r.error);
      if (ok.length === 0) {
        rows.push({ measurement: `start ${mode}`, fixture: fixture.name, value: '-', target: '-', result: runs.length ? 'ERROR' : 'SKIP', note: failed[0]?.error });
        continue;
      }
      const med = (pick: (r: StartRun) => number | undefined) => median(ok.map(pick).filter((v): v is number => v !== undefined));
      const max = (pick: (r: StartRun) => number | undefined) => Math.max(...ok.map((r) => pick(r) ?? NaN));
      rows.push({
        measurement: `start ${mode}: initialize / first manifest / ready`,
        fixture: fixture.name,
        value: `${fmtMs(med((r) => r.initializeMs))} / ${fmtMs(med((r) => r.firstManifestMs))} / ${fmtMs(med((r) => r.readyMs))} ms`,
        target: '-',
        result: 'info',
        note: `median of ${ok.length}; max ready ${fmtMs(max((r) => r.readyMs))} ms${mode === 'cold' && ok.some((r) => !r.cacheSaved) ? '; cache not saved in time' : ''}${failed.length ? `; ${failed.length} failed` : ''}`,
      });
    }
  }

  const largest = results.largest ?? '-';
  const loadRows = (measurement: string, runs: Array<LoadRun | StormRun>) => {
    const merged = latencyStats(runs.flatMap((r) => r.samples ?? []));
    if (merged.count === 0) {
      rows.push({ measurement, fixture: largest, value: '-', target: `p95 <= ${TARGET_REQUEST_P95_MS} ms`, result: runs.length ? 'ERROR' : 'SKIP', note: runs.find((r) => r.error)?.error });
      return;
    }
    const kinds = Object.entries(merged.byKind).map(([k, s]) => `${k.split('/')[1]} ${s.count}: p95 ${fmtMs(s.p95)}`).join(', ');
    const stallMax = Math.max(0, ...runs.map((r) => r.clientStalls?.maxMs ?? 0));
    rows.push({
      measurement,
      fixture: largest,
      value: `n=${merged.count} p50 ${fmtMs(merged.p50)} / p95 ${fmtMs(merged.p95)} / max ${fmtMs(merged.max)} ms`,
      target: `p95 <= ${TARGET_REQUEST_P95_MS} ms`,
      result: merged.unanswered > 0 ? 'FAIL' : verdict(merged.p95, TARGET_REQUEST_P95_MS),
      note: `${kinds}${merged.unanswered ? `; ${merged.unanswered} unanswered` : ''}${merged.wholeManifests ? `; ${merged.wholeManifests} whole manifests` : ''}; bench's own longest stall ${stallMax} ms`,
    });
  };
  loadRows('requests during the cold scan', results.scanLoad);
  loadRows('requests during the edit storm', results.storm);

  const toggled = results.storm.flatMap((r) => r.toggled);
  const visible = toggled.map((t) => t.visibleMs);
  const notified = toggled.flatMap((t) => (t.notifiedMs === undefined ? [] : [t.notifiedMs]));
  // The engine indexes callers once after ready (seconds at 10,000 routes): edits made meanwhile wait longer.
  const settled = results.storm.flatMap((r) => r.toggled.filter((t) => r.callersIndexedAt !== undefined && t.sentAt > r.callersIndexedAt).map((t) => t.visibleMs));
  const notVisible = results.storm.reduce((n, r) => n + r.notVisible, 0);
  if (results.storm.length === 0 || visible.length === 0) {
    rows.push({ measurement: 'edit visible (POST added/removed)', fixture: largest, value: '-', target: `p95 <= ${TARGET_EDIT_VISIBLE_MS} ms`, result: results.storm.length ? 'ERROR' : 'SKIP', note: results.storm.find((r) => r.error)?.error });
  } else {
    rows.push({
      measurement: 'edit visible (POST added/removed)',
      fixture: largest,
      value: `n=${visible.length} median ${fmtMs(median(visible))} / p95 ${fmtMs(quantile(visible, 0.95))} / max ${fmtMs(Math.max(...visible))} ms`,
      target: `p95 <= ${TARGET_EDIT_VISIBLE_MS} ms`,
      result: notVisible > 0 ? 'FAIL' : verdict(quantile(visible, 0.95), TARGET_EDIT_VISIBLE_MS),
      note:
        `until didChangeManifest named the file: median ${fmtMs(median(notified))} / p95 ${fmtMs(quantile(notified, 0.95))} ms; ` +
        `after the first callers index: n=${settled.length} p95 ${fmtMs(quantile(settled, 0.95))} ms; ${results.storm.reduce((n, r) => n + r.changes, 0)} didChange in all${notVisible ? `; ${notVisible} never visible` : ''}`,
    });
  }

  const shutdownRow = (measurement: string, list: ShutdownResult[], extra: string) => {
    if (list.length === 0) {
      rows.push({ measurement, fixture: largest, value: '-', target: `<= ${TARGET_SHUTDOWN_MS} ms`, result: 'SKIP' });
      return;
    }
    const failed = list.filter((s) => s.error || !s.exited);
    const worst = Math.max(...list.map((s) => s.ms));
    rows.push({
      measurement,
      fixture: largest,
      value: `${list.map((s) => fmtMs(s.ms)).join(', ')} ms`,
      target: `<= ${TARGET_SHUTDOWN_MS} ms`,
      result: failed.length ? 'FAIL' : verdict(worst, TARGET_SHUTDOWN_MS),
      note: [extra, failed[0]?.error].filter(Boolean).join('; '),
    });
  };
  const scanShutdowns = results.shutdownDuringScan;
  shutdownRow('shutdown during the cold scan', scanShutdowns, scanShutdowns.length ? `at ${scanShutdowns.map((s) => s.delayMs).join(', ')} ms into the scan${scanShutdowns.some((s) => s.afterReady) ? ' (some after ready)' : ''}` : '');
  shutdownRow(
    'shutdown during the edit storm',
    results.storm.map((r) => r.shutdown).filter((s): s is ShutdownResult => s !== undefined),
    '',
  );

  for (const cli of results.cli) {
    const m = cli.medianMs;
    const note = `${cli.routesCli ?? '?'} routes (naive finds ${cli.routesNaive ?? '?'})${cli.errors.length ? '; ' + cli.errors[0] : ''}`;
    rows.push({
      measurement: 'cli: naive / --no-cache / empty cache / warm cache',
      fixture: cli.fixture,
      value: `${fmtMs(m.naive)} / ${fmtMs(m.noCache)} / ${fmtMs(m.coldCache)} / ${fmtMs(m.warmCache)} ms`,
      target: '-',
      result: 'info',
      note,
    });
    const ratio = (variant: CliVariant) => (m[variant] !== undefined && m.naive ? m[variant]! / m.naive : undefined);
    for (const [measurement, variant, limit] of [
      ['cli warm / naive', 'warmCache', TARGET_WARM_RATIO],
      ['cli cold (--no-cache) / naive', 'noCache', TARGET_COLD_RATIO],
      ['cli cold (empty cache dir) / naive', 'coldCache', TARGET_COLD_RATIO],
    ] as const) {
      const r = ratio(variant);
      rows.push({ measurement, fixture: cli.fixture, value: r === undefined ? '-' : `${r.toFixed(2)}x`, target: `<= ${limit}x`, result: verdict(r, limit) });
    }
  }
  return rows;
}

function report(rows: Row[], opts: Options, loads: Array<[string, number]>, notes: string[]): string {
  const cpu = os.cpus();
  const out: string[] = [];
  out.push(`Route Atlas editor benchmark: node ${process.version}, ${cpu.length} x ${cpu[0]?.model.trim() ?? 'cpu'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, ${opts.runs} run(s) per cell, storm ${opts.stormSeconds} s`);
  const before = loads[0][1];
  out.push(`Load average (1 min): ${loads.map(([when, l]) => `${l.toFixed(2)} ${when}`).join(', ')}` + (before > cpu.length * 0.5 ? `  ** machine busy before the run (${cpu.length} CPUs): latencies are inflated **` : ''));
  out.push('');
  out.push(
    renderTable(
      ['measurement', 'fixture', 'value', 'target', 'result', 'note'],
      rows.map((r) => [r.measurement, r.fixture, r.value, r.target, r.result, r.note ?? '']),
      [false, false, true, false, false, false],
    ),
  );
  out.push('');
  out.push('start: ms from spawn. requests: workspace/symbol "users", codeLens and hover on a route file, routeAtlas/manifest');
  out.push('(with since = the version held, as the Endpoints view asks), one every 10 ms. edit visible: from the didChange that adds');
  out.push('or removes a POST until a manifest answer, fetched after routeAtlas/didChangeManifest, shows it. shutdown: from');
  out.push('sending shutdown (then exit) until the process is gone. cli: wall time of the whole process, stdout to a file.');
  if (notes.length > 0) {
    out.push('');
    out.push('What the server said (stderr, error and warning log messages):');
    for (const note of notes) out.push('  ' + note);
  }
  out.push(`Details: ${RESULTS_FILE}`);
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main

interface Options {
  sizes: number[];
  runs: number;
  seed: number;
  stormSeconds: number;
  repos: string[];
  strict: boolean;
  regenerate: boolean;
  profileDir?: string;
}

function parseArgs(argv: string[]): Options {
  const value = (name: string) => optionValue(argv, name);
  return {
    ...commonOptions(argv, [MONOREPO_SIZE, 10000]),
    stormSeconds: Math.max(1, Number(value('--storm') ?? 10) || 10),
    repos: (value('--repos') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    profileDir: value('--profile'),
  };
}

/** Server messages worth a line in the report, each once with how often it came. */
function collectNotes(all: Array<SessionNotes | undefined>): string[] {
  const counts = new Map<string, number>();
  for (const notes of all) {
    for (const line of [...(notes?.stderr ?? []).map((l) => `stderr: ${l}`), ...(notes?.problems ?? [])]) counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  return [...counts].map(([line, n]) => `${n > 1 ? `(${n}x) ` : ''}${line.length > 240 ? line.slice(0, 240) + '...' : line}`).slice(0, 30);
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  for (const file of [SERVER_BUNDLE, CLI_BUNDLE, NAIVE_SCRIPT]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`node esbuild.mjs --tests\` first`);
  }
  if (opts.profileDir) {
    mkdirSync(resolve(opts.profileDir), { recursive: true });
    serverNodeArgs = ['--cpu-prof', `--cpu-prof-dir=${resolve(opts.profileDir)}`];
  }
  const started = performance.now();
  const loads: Array<[string, number]> = [['before', loadAvg()]];
  const fixtures = prepareFixtures(opts);
  for (const fixture of fixtures) {
    if (!existsSync(fixture.root)) throw new Error(`${fixture.root} does not exist`);
    warmFileCache(fixture.root);
  }
  const rng = new Rng(opts.seed);
  const results: Results = { start: {}, scanLoad: [], storm: [], shutdownDuringScan: [], cli: [] };
  const warmCacheDirs = new Map<string, string>();

  for (const fixture of fixtures.filter((f) => !f.external)) {
    const runs: StartRun[] = (results.start[fixture.name] = []);
    for (let run = 1; run <= opts.runs; run++) {
      const cacheDir = newCacheDir();
      for (const mode of ['cold', 'warm'] as const) {
        const r = await measureStart(fixture, mode, cacheDir, run);
        runs.push(r);
        log(`[${fixture.name}] start ${mode} ${run}: ${r.error ? `failed: ${r.error}` : `initialize ${fmtMs(r.initializeMs)}, first manifest ${fmtMs(r.firstManifestMs)}, ready ${fmtMs(r.readyMs)} ms, ${r.routes} routes`} (load ${r.loadAvg})`);
      }
      warmCacheDirs.set(fixture.name, cacheDir);
    }
  }
  loads.push(['after start', loadAvg()]);

  const largest = fixtures.filter((f) => f.meta).sort((a, b) => b.routes - a.routes)[0];
  if (largest) {
    results.largest = largest.name;
    const targets = pickTargets(largest, OPEN_FILES);
    if (targets.length === 0) throw new Error(`no route file in ${largest.root} has a plain GET and no POST`);
    for (let run = 1; run <= opts.runs; run++) {
      const r = await measureScanLoad(largest, targets[0], run);
      results.scanLoad.push(r);
      log(`[${largest.name}] requests during scan ${run}: ${r.error ? `failed: ${r.error}` : distribution((r.samples ?? []).filter((s) => s.answered).map((s) => s.ms))}${r.stats?.unanswered ? `, ${r.stats.unanswered} unanswered` : ''} (load ${r.loadAvg})`);
    }
    loads.push(['after scan load', loadAvg()]);
    const coldReady = median((results.start[largest.name] ?? []).filter((r) => r.mode === 'cold' && r.readyMs !== undefined).map((r) => r.readyMs!)) ?? 5000;
    for (let run = 1; run <= opts.runs; run++) results.shutdownDuringScan.push(await measureShutdownDuringScan(largest, coldReady, rng, run));
    const cacheDir = warmCacheDirs.get(largest.name) ?? newCacheDir();
    for (let run = 1; run <= opts.runs; run++) {
      const r = await measureStorm(largest, targets, cacheDir, opts.stormSeconds * 1000, rng, run);
      results.storm.push(r);
      log(
        `[${largest.name}] storm ${run}: ${r.error ? `failed: ${r.error}; ` : ''}${r.changes} changes, requests ${r.stats ? `p50 ${fmtMs(r.stats.p50)} / p95 ${fmtMs(r.stats.p95)} / max ${fmtMs(r.stats.max)} ms (${r.stats.count})` : '-'}, ` +
          `visible ${distribution(r.toggled.map((t) => t.visibleMs))}${r.notVisible ? `, ${r.notVisible} never` : ''}, shutdown ${fmtMs(r.shutdown?.ms)} ms (load ${r.loadAvg})`,
      );
    }
    loads.push(['after storm', loadAvg()]);
  }

  for (const fixture of fixtures) results.cli.push(await measureCli(fixture, opts.runs));
  loads.push(['after cli', loadAvg()]);

  const rows = buildRows(fixtures, results);
  const sessions = [
    ...Object.values(results.start).flat().map((r) => r.notes),
    ...results.scanLoad.map((r) => r.notes),
    ...results.storm.map((r) => r.notes),
    ...(results.shutdownDuringScan as Array<{ notes?: SessionNotes }>).map((r) => r.notes),
  ];
  const notes = collectNotes(sessions);
  process.stdout.write(report(rows, opts, loads, notes) + '\n');
  log(`editor benchmark took ${((performance.now() - started) / 1000).toFixed(0)} s`);

  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  // Raw request samples are summarized per run; the file stays readable.
  for (const r of [...results.scanLoad, ...results.storm]) delete r.samples;
  const json = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    loadAvg1m: Object.fromEntries(loads),
    options: opts,
    fixtures: fixtures.map(({ meta: _meta, ...f }) => f),
    targets: rows,
    serverNotes: notes,
    ...results,
  };
  writeFileSync(RESULTS_FILE, JSON.stringify(json, null, 2) + '\n');
  if (opts.strict && rows.some((r) => r.result === 'FAIL' || r.result === 'ERROR')) process.exitCode = 1;
}

function killServers(): void {
  for (const child of liveServers) child.kill('SIGKILL');
  liveServers.clear();
}

process.on('exit', () => {
  killServers();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killServers();
    process.exit(130);
  });
}

main().catch((error) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 2;
});
