import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AppManifest, Problem, Route, RouteManifest } from './analysis/model';
import { nodeFileHost } from './analysis/host';
import { Observations } from './analysis/observations';
import { ParseCache } from './analysis/parseCache';
import { FileReadAhead } from './analysis/readAhead';
import { checkSourceText, DEFAULT_MAX_FILE_BYTES, readSourceTextFromDisk } from './analysis/sourceFiles';
import { Workspace } from './analysis/scan';
import { saveTypeScriptCodeCache } from './analysis/typescriptBindings';
import { SUPPORTED_MAJORS } from './analysis/nextVersion';
import { setSummaryWorkerEntry } from './analysis/parallelSummaries';
// In a worker thread this module does the work of the cold scan's second thread.
import './analysis/summaryWorker';
import { isMainThread } from 'node:worker_threads';
import { CHECK_FORMATS, type CheckFormat, formatCheck } from './commands/checkFormat';
import { runDiffCommand } from './commands/diff';
import { runMcpCommand } from './commands/mcp';
import { runOpenApiCommand } from './commands/openapi';
import { keepResult, keptResult, resultFileFor } from './commands/resultCache';
import { readAnalysisFlag } from './commands/analysisFlags';
import { printable, printableJson } from './printable';
import { globMatches } from './urlGlob';

type Command = (argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream) => number | Promise<number>;

/** The commands beside the scan: `route-atlas openapi`, `route-atlas mcp`, `route-atlas diff`. A folder of one of these names is scanned as `./name`. */
const COMMANDS: Record<string, Command> = { openapi: runOpenApiCommand, mcp: runMcpCommand, diff: runDiffCommand };

/** What `--cache` takes: the verdict kinds, `default` for GETs dynamic only because nothing opted them in, `none` for routes without a GET. */
const CACHE_FILTERS = ['static', 'isr', 'ssg', 'ssg-isr', 'dynamic', 'default', 'error', 'unknown', 'none'] as const;

const USAGE = `Usage: route-atlas [dir] [options]
       route-atlas openapi [dir] [options]   an OpenAPI 3.1 document of the endpoints (route-atlas openapi --help)
       route-atlas diff <base-ref> [<head-ref>] [dir]   what changed in the API surface between two revisions
       route-atlas mcp [dir]                 an MCP server (stdio) for coding agents

Lists every Next.js App Router route handler under dir (default: the bundled sample app).

Options:
  --json                 print the route manifest as JSON (nothing else goes to stdout)
  --check                print problems as file:line:col severity id message; exit 1 on an error
  --format <f>           how --check writes problems: ${CHECK_FORMATS.join(', ')}
  --next-version <N>     analyze as Next.js N (${SUPPORTED_MAJORS.join(', ')}) instead of the detected version
  --cache-components     analyze with cacheComponents on (--no-cache-components: off)
  --no-cache             parse every file, and neither read nor write the parse cache
                         (node_modules/.cache/route-atlas in dir; ROUTE_ATLAS_CACHE_DIR moves it)
  --method <M[,M]>       only routes that export one of these methods (the table and --json)
  --url <glob>           only routes whose URL matches: * within a segment, ** across (/api/users/**)
  --cache <kind[,kind]>  only GETs with this verdict: ${CACHE_FILTERS.join(', ')}
  --compact              the table without params and files
  -h, --help             show this help
  -v, --version          show the version
`;

interface CliOptions {
  dir?: string;
  json: boolean;
  check: boolean;
  format: CheckFormat;
  nextVersion?: number;
  cacheComponents?: boolean;
  cache: boolean;
  compact: boolean;
  methods: string[];
  url?: string;
  caching: string[];
}

class UsageError extends Error {}

const usageError = (message: string): never => {
  throw new UsageError(message);
};


export function parseArgs(argv: string[]): CliOptions | 'help' | 'version' {
  const options: CliOptions = { json: false, check: false, format: 'text', cache: true, compact: false, methods: [], caching: [] };
  const valueOf = (arg: string, i: number): [string, number] => (arg.includes('=') ? [arg.slice(arg.indexOf('=') + 1), i] : [argv[i + 1] ?? '', i + 1]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '-v' || arg === '--version') return 'version';
    const flagEnd = readAnalysisFlag(argv, i, options, usageError);
    if (flagEnd !== undefined) i = flagEnd;
    else if (arg === '--json') options.json = true;
    else if (arg === '--check') options.check = true;
    else if (arg === '--compact') options.compact = true;
    else if (/^--format(=|$)/.test(arg)) {
      const [value, next] = valueOf(arg, i);
      i = next;
      if (!(CHECK_FORMATS as readonly string[]).includes(value)) throw new UsageError(`--format must be one of ${CHECK_FORMATS.join(', ')}, got ${value || 'nothing'}`);
      options.format = value as CheckFormat;
    } else if (/^--(method|url|cache)(=|$)/.test(arg)) {
      const [value, next] = valueOf(arg, i);
      i = next;
      if (!value) throw new UsageError(`${arg.split('=')[0]} needs a value`);
      if (arg.startsWith('--method')) options.methods.push(...value.split(',').map((m) => m.trim().toUpperCase()).filter(Boolean));
      else if (arg.startsWith('--url')) options.url = value;
      else {
        for (const kind of value.split(',').map((k) => k.trim().toLowerCase()).filter(Boolean)) {
          if (!(CACHE_FILTERS as readonly string[]).includes(kind)) throw new UsageError(`--cache must be one of ${CACHE_FILTERS.join(', ')}, got ${kind}`);
          options.caching.push(kind);
        }
      }
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else if (options.dir === undefined) options.dir = arg;
    else throw new UsageError(`only one folder can be scanned, got ${options.dir} and ${arg}`);
  }
  return options;
}

/** The manifest as JSON for stdout, printable (server/printable.ts), so `--json` keeps the data exact. */
export function manifestJson(manifest: RouteManifest): string {
  return printableJson(manifest);
}

/** The sample app shipped with the repository, scanned when no folder is given. */
function defaultDir(): string {
  return path.resolve(__dirname, '..', 'test', 'sample-app');
}

/** How the table is drawn: the terminal's width (none for a pipe), and whether it leaves out params and files. */
export interface TableOptions {
  width?: number;
  compact?: boolean;
  /** Problems found beside the manifest (the callers index's hints), counted with the app they are in. */
  extraProblems?: readonly Problem[];
}

export function formatTable(manifest: RouteManifest, options: TableOptions = {}): string {
  const lines: string[] = [];
  const extra = options.extraProblems ?? [];
  for (const app of manifest.apps) {
    lines.push(printable(appHeading(app)));
    const full = app.routes.map((route) => [route.url, methodsLabel(route), paramsLabel(route), cachingLabel(route), `${route.file}:${firstLine(route)}`].map(printable));
    lines.push(...fitTable(['URL', 'METHODS', 'PARAMS', 'GET CACHING', 'FILE'], full, options).map((line) => '  ' + line));
    const counts = countProblems([...app.problems, ...extra.filter((p) => p.file !== undefined && isInApp(p.file, app.root))]);
    lines.push(`  ${app.routes.length} route${app.routes.length === 1 ? '' : 's'}${counts ? `, ${counts}` : ''}`, '');
  }
  if (manifest.apps.length === 0) lines.push(`No Next.js app with an app/ or src/app/ folder found under ${printable(manifest.root)}.`, '');
  const problems = [...manifest.problems, ...manifest.apps.flatMap((a) => a.problems), ...extra];
  if (problems.length > 0) {
    lines.push('Problems:');
    for (const problem of problems) lines.push('  ' + formatProblem(problem));
  }
  return lines.join('\n') + '\n';
}

function appHeading(app: AppManifest): string {
  const version = app.nextVersion.version ? `${app.nextVersion.version} (${app.nextVersion.source})` : `${app.nextVersion.major} (${app.nextVersion.source})`;
  const extras = [`app dir: ${app.appDir}`];
  if (app.config.basePath.known && app.config.basePath.value) extras.push(`basePath: ${app.config.basePath.value}`);
  if (app.config.cacheComponents.known && app.config.cacheComponents.value) extras.push('cacheComponents');
  return `${app.name ?? app.root} [${app.root}] Next.js ${version}, ${extras.join(', ')}`;
}

function methodsLabel(route: Route): string {
  if (route.kind !== 'route') return `(${route.kind}${route.metadataSource === 'static' ? ', static file' : ''})`;
  const explicit = route.methods.filter((m) => !m.implicit).map((m) => m.name);
  return explicit.length > 0 ? explicit.join(',') : '-';
}

/** The verdict in the words of the Endpoints view: `dynamic (default)` apart from `dynamic: cookies()`, `isr 60s`. */
function cachingLabel(route: Route): string {
  const caching = route.caching;
  // A route without GET answers every request it serves when it comes: there is nothing to prerender.
  if (!caching) return route.kind === 'route' ? 'per request (no GET)' : '';
  if (caching.kind === 'isr' || caching.kind === 'ssg-isr') return `${caching.kind} ${caching.revalidate}s`;
  if (caching.kind !== 'dynamic' || caching.because === undefined) return caching.kind;
  if (caching.because === 'default') return 'dynamic (default)';
  const method = /^also exports (\w+)$/.exec(caching.because);
  return method ? `dynamic (has ${method[1]})` : `dynamic: ${caching.because}`;
}

/** Params one way: `id`, a catch-all `...path`, an optional catch-all `...slug?`. */
function paramsLabel(route: Route): string {
  if (route.params.length === 0) return '';
  return route.params.map((p) => (p.kind === 'dynamic' ? p.name : p.kind === 'catchAll' ? `...${p.name}` : `...${p.name}?`)).join(', ');
}

function isInApp(file: string, appRoot: string): boolean {
  return appRoot === '.' || file === appRoot || file.startsWith(appRoot + '/');
}

/** Cells at most `width` long, cut in the middle of a file path (its end says the most) or at the end. */
function cut(cell: string, width: number, fromStart: boolean): string {
  if (cell.length <= width) return cell;
  if (width <= 1) return '…';
  return fromStart ? '…' + cell.slice(cell.length - width + 1) : cell.slice(0, width - 1) + '…';
}

/**
 * The table, fitted to the terminal: a 500-route app's table is hundreds of characters wide. Files are cut
 * from the start, params and caching from the end, and when even that is too wide the files and params go,
 * as with --compact. A pipe (no width) gets every cell whole.
 */
function fitTable(header: string[], rows: string[][], options: TableOptions): string[] {
  const compactColumns = [0, 1, 3];
  const keep = (columns: number[]) => [header, ...rows].map((row) => columns.map((c) => row[c]));
  if (options.compact) return alignColumns(keep(compactColumns));
  const lines = alignColumns([header, ...rows]);
  const width = options.width;
  if (!width || lines.every((line) => line.length + 2 <= width)) return lines;
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column].length)));
  const fixed = widths[0] + widths[1] + 2 * 4 + 2;
  const room = width - fixed;
  // What is left goes to caching, then params, then the file, each at least a little.
  const caching = Math.min(widths[3], Math.max(12, Math.floor(room * 0.3)));
  const params = Math.min(widths[2], Math.max(6, Math.floor(room * 0.2)));
  const file = room - caching - params;
  if (file < 16) return alignColumns(keep(compactColumns).map((row, i) => (i === 0 ? row : [row[0], row[1], cut(row[2], Math.max(12, width - widths[0] - widths[1] - 6), false)])));
  return alignColumns([header, ...rows.map((row) => [row[0], row[1], cut(row[2], params, false), cut(row[3], caching, false), cut(row[4], file, true)])]);
}

function firstLine(route: Route): number {
  const explicit = route.methods.find((m) => !m.implicit && m.span);
  return explicit?.span?.line ?? 1;
}

function alignColumns(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ').trimEnd());
}

function countProblems(problems: readonly Problem[]): string {
  const parts = [];
  // Infos count too: the editor's Problems panel and status bar show them.
  for (const severity of ['error', 'warning', 'info'] as const) {
    const count = problems.filter((p) => p.severity === severity).length;
    if (count) parts.push(`${count} ${severity}${count === 1 ? '' : 's'}`);
  }
  return parts.join(', ');
}

/** One problem on one line, `file:line:col severity id message`, as --check and the table print it. */
export function formatProblem(problem: Problem): string {
  const where = problem.file ? `${problem.file}:${problem.span?.line ?? 1}:${problem.span?.column ?? 1}` : '-';
  return printable(`${where} ${problem.severity} ${problem.id} ${problem.message}`);
}

export function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): number {
  let options: CliOptions | 'help' | 'version';
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err.write(`route-atlas: ${printable(error.message)}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    out.write(USAGE);
    return 0;
  }
  if (options === 'version') {
    out.write(`${readOwnVersion()}\n`);
    return 0;
  }
  const dir = path.resolve(options.dir ?? defaultDir());
  if (!fs.existsSync(dir)) {
    err.write(`route-atlas: ${printable(dir)} does not exist\n`);
    return 2;
  }
  if (!fs.statSync(dir).isDirectory()) {
    err.write(`route-atlas: ${printable(dir)} is not a folder\n`);
    return 2;
  }
  const started = performance.now();
  const cacheFile = options.cache ? cacheFileFor(dir) : undefined;
  // `--json` is what scripts and CI read, run after run over a tree that mostly did not change: its whole
  // output is kept with what the analysis saw, and served again when the disk answers every question the same.
  const result = options.json && cacheFile ? resultFileFor(cacheFile, resultOptions(dir, options)) : undefined;
  if (result) {
    // A reader thread reads the source files while this one lists the folders, as in a scan; it is started only
    // once a kept result for these options is there to check.
    let reader: FileReadAhead | undefined;
    const fileOf = (abs: string) => toPosixPath(path.relative(dir, abs)) || '.';
    const fromDisk = (abs: string) => readSourceTextFromDisk(abs, fileOf(abs), DEFAULT_MAX_FILE_BYTES);
    let kept;
    try {
      kept = keptResult(result.file, result.key, nodeFileHost, {
        prefetch: (paths) => {
          reader = FileReadAhead.start();
          for (const abs of paths) reader?.request(abs);
        },
        ready: (abs) => {
          const text = reader?.takeIfReady(abs);
          // null: the reader could not read it; the disk says why.
          return text === undefined ? undefined : text === null ? fromDisk(abs) : checkSourceText(text, fileOf(abs), DEFAULT_MAX_FILE_BYTES);
        },
        read: (abs) => {
          const text = reader?.take(abs);
          return text === undefined ? fromDisk(abs) : checkSourceText(text, fileOf(abs), DEFAULT_MAX_FILE_BYTES);
        },
      });
    } finally {
      reader?.dispose();
    }
    if (kept) {
      err.write(`route-atlas: ${kept.apps} app(s), ${kept.routes} routes in ${(performance.now() - started).toFixed(0)} ms; unchanged since the last run (${kept.observations} files and folders checked), output from the result cache\n`);
      out.write(kept.output);
      return 0;
    }
  }
  const observations = result ? new Observations() : undefined;
  const cache = options.cache ? ParseCache.open(cacheFile, dir) : undefined;
  const workspace = new Workspace(dir, { nextVersion: options.nextVersion, cacheComponents: options.cacheComponents, cache, observations });
  const manifest = workspace.scan();
  const elapsed = performance.now() - started;
  const routeCount = manifest.apps.reduce((sum, app) => sum + app.routes.length, 0);
  const { fromCache, linked } = workspace.linkStats;
  const cacheNote = cache?.file ? `; ${fromCache} of ${fromCache + linked} from the parse cache, ${cache.stats.misses} files parsed` : '';
  err.write(`route-atlas: ${manifest.apps.length} app(s), ${routeCount} routes in ${elapsed.toFixed(0)} ms${cacheNote}\n`);
  cache?.save();
  saveTypeScriptCodeCache();
  const shown = filterRoutes(manifest, options);
  if (options.json) {
    const output = Buffer.from(manifestJson(shown) + '\n', 'utf8');
    out.write(output);
    if (result && observations) keepResult(result.file, result.key, observations, output, { apps: manifest.apps.length, routes: routeCount });
    return 0;
  }
  // The callers index's hints (a mutation only the app's own client code calls) count here as in the editor.
  const extraProblems = workspace.callerReport().problems;
  cache?.save();
  const allProblems = [...manifest.problems, ...manifest.apps.flatMap((a) => a.problems), ...extraProblems];
  if (options.check) out.write(formatCheck(allProblems, options.format, formatProblem, { root: dir }));
  else out.write(formatTable(shown, { width: terminalWidth(out), compact: options.compact, extraProblems }));
  if (options.check && allProblems.some((p) => p.severity === 'error')) return 1;
  return 0;
}

/** The width of the terminal the output goes to; none for a file or a pipe. */
function terminalWidth(out: NodeJS.WritableStream): number | undefined {
  const stream = out as NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  return stream.isTTY && stream.columns ? stream.columns : undefined;
}

/** The manifest with only the routes `--method`, `--url` and `--cache` keep. */
function filterRoutes(manifest: RouteManifest, options: CliOptions): RouteManifest {
  if (options.methods.length === 0 && options.url === undefined && options.caching.length === 0) return manifest;
  const keep = (route: Route): boolean => {
    if (options.methods.length > 0 && !route.methods.some((m) => !m.implicit && options.methods.includes(m.name))) return false;
    if (options.url !== undefined && !globMatches(options.url, route.url)) return false;
    if (options.caching.length > 0) {
      const kind = route.caching?.kind ?? 'none';
      const byDefault = kind === 'dynamic' && route.caching?.because === 'default';
      if (!options.caching.includes(kind) && !(byDefault && options.caching.includes('default'))) return false;
    }
    return true;
  };
  return { ...manifest, apps: manifest.apps.map((app) => ({ ...app, routes: app.routes.filter(keep) })) };
}

/**
 * Where the CLI keeps parse results for a scanned folder: `node_modules/.cache/route-atlas` in it (the
 * place babel-loader and others use), when the folder is a package; `ROUTE_ATLAS_CACHE_DIR` moves it.
 */
/** What decides a `--json` output besides the disk. */
function resultOptions(dir: string, options: CliOptions): unknown {
  return { dir, nextVersion: options.nextVersion, cacheComponents: options.cacheComponents, methods: options.methods, url: options.url, caching: options.caching };
}

function toPosixPath(file: string): string {
  return file.split(path.sep).join('/');
}

function cacheFileFor(dir: string): string | undefined {
  const override = process.env.ROUTE_ATLAS_CACHE_DIR;
  if (override) return ParseCache.fileFor(path.resolve(override), dir);
  if (!fs.existsSync(path.join(dir, 'package.json')) && !fs.existsSync(path.join(dir, 'node_modules'))) return undefined;
  return ParseCache.fileFor(path.join(dir, 'node_modules', '.cache', 'route-atlas'), dir);
}

function readOwnVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/**
 * Runs the CLI; an internal error (a bug: bad input is reported as problems) ends it with one line that
 * says so, and exit code 2, never a stack trace. `ROUTE_ATLAS_DEBUG=1` prints the stack too.
 */
export function runCli(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): number | Promise<number> {
  try {
    const command = Object.hasOwn(COMMANDS, argv[0] ?? '') ? COMMANDS[argv[0]] : undefined;
    if (!command) return main(argv, out, err);
    const result = command(argv.slice(1), out, err);
    return typeof result === 'number' ? result : result.catch((error: unknown) => internalError(error, err));
  } catch (error) {
    return internalError(error, err);
  }
}

function internalError(error: unknown, err: NodeJS.WritableStream): number {
  if ((error as NodeJS.ErrnoException).code === 'EPIPE') return closedOutput(err);
  const message = error instanceof Error ? error.message : String(error);
  err.write(`route-atlas: internal error: ${printable(message.split('\n')[0])} (this is a bug in Route Atlas; ROUTE_ATLAS_DEBUG=1 shows where)\n`);
  if (process.env.ROUTE_ATLAS_DEBUG) err.write(`${error instanceof Error ? error.stack : ''}\n`);
  return 2;
}

/** The reader of the output went away (`route-atlas --json | head -c 1`): say so once, not as a bug. */
function closedOutput(err: NodeJS.WritableStream): number {
  err.write('route-atlas: the output was closed before all of it was written (EPIPE)\n');
  return 2;
}

if (isMainThread && require.main === module) {
  setSummaryWorkerEntry(__filename);
  // A pipe closed by its reader fails the write later, as an 'error' event, not where it was written.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(closedOutput(process.stderr));
    process.stderr.write(`route-atlas: the output could not be written (${error.code ?? error.message})\n`);
    process.exit(2);
  });
  void Promise.resolve(runCli(process.argv.slice(2))).then((code) => {
    process.exitCode = code;
  });
}
