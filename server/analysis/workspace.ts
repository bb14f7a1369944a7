import * as path from 'node:path';
import { type AppCandidate, appRootOf, discoverApps, isLinkIntoAncestry, SKIPPED_DIRS, symlinkLoopProblem, unreadableProblem } from './discover';
import { type FileHost, nodeFileHost } from './host';
import { isMetadataCodeFile, matchMetadataFile } from './metadataRoutes';
import type { AppManifest, Location, NextConfigInfo, NextVersionInfo, PageEntry, Problem, Route, RouteManifest } from './model';
import { MANIFEST_VERSION } from './model';
import { type ModuleSummary, summarizeModule } from './moduleSummary';
import { type SummaryJob, SummaryWorker, summarizeInParallel } from './parallelSummaries';
import { FileReadAhead } from './readAhead';
import { DEFAULT_MAX_FILE_BYTES, readSourceText, readSourceTextFromDisk, SOURCE_FILE } from './sourceFiles';
import { DEFAULT_PAGE_EXTENSIONS, defaultNextConfig, readNextConfig } from './nextConfig';
import { detectBundler, detectNextVersion } from './nextVersion';
import { ModuleResolver } from './resolver';
import { type HandlerEvidence, classifyCaching } from './caching';
import { CallerIndex, type CallerReport } from './callers';
import { APP_CHECKS, ROUTE_CHECKS } from './checks';
import { bestRoute, type EndpointCall } from './endpointCalls';
import { EffectCollector } from './handlerEffects';
import { type HandlerTarget, type LinkedRouteModule, linkRouteModule, type ModuleGraph } from './routeModule';
import type { BuildContext } from './segmentConfigRules';
import { toPosix } from './spans';
import { publicPathOf, urlOfSegments } from './urls';

export const GENERATOR_VERSION = '0.1.0';

export interface ScanOptions {
  /** Overrides the detected Next.js major for every app. */
  nextVersion?: number;
  /** Overrides `cacheComponents` for every app. */
  cacheComponents?: boolean;
  host?: FileHost;
  maxFileBytes?: number;
}

export interface FileChange {
  /** Absolute path of a file or folder. */
  path: string;
  type: 'created' | 'changed' | 'deleted';
  /** Editor text that takes precedence over the disk until a later change without text. */
  text?: string;
}

/** A file under an app dir that produces a route. */
interface RouteFile {
  abs: string;
  /** Folder names between the app dir and the file. */
  segments: string[];
  name: string;
  kind: 'route' | 'metadata';
}

interface LinkedRoute {
  /** Absent for files that turned out not to be routes (a private folder, a non-metadata name). */
  route?: Route;
  problems: Problem[];
  dependencies: Set<string>;
  hasUnresolved: boolean;
}

interface AppState {
  candidate: AppCandidate;
  rel: string;
  config: NextConfigInfo;
  nextVersion: NextVersionInfo;
  bundler: 'webpack' | 'turbopack';
  pageExtensions: string[];
  basePath: string;
  trailingSlash: boolean;
  problems: Problem[];
  routeFiles: Map<string, RouteFile>;
  pages: Map<string, PageEntry>;
  linked: Map<string, LinkedRoute>;
  /** Route files in manifest order: sorted once, then kept in order as routes come and go. */
  order?: string[];
  sortedPages?: PageEntry[];
  /** The route files and pages of each conflict group (see `conflictGroupOf`). */
  groups: Map<string, { routes: Set<string>; pages: Set<PageEntry> }>;
  /** Problems of the app-wide checks per conflict group, one list per check; groups without any are left out. */
  groupProblems: Map<string, Problem[][]>;
  /** Groups whose routes or pages changed since their checks last ran. */
  dirtyGroups: Set<string>;
  /** All app-wide problems in a stable order; dropped when a group turns dirty. */
  appProblems?: Problem[];
  /** Module → the route files whose result depends on it. */
  dependents: Map<string, Set<string>>;
  /** Route files with an import that did not resolve: a new file may complete them. */
  unresolved: Set<string>;
}

/**
 * Route files the walk must see before it starts a second thread: a summary worker, so that it has loaded
 * the parser by the time the walk ends (loading takes about as long as walking 10,000 routes), or on two
 * cores a reader that reads the route files from then on. A worker started for a workspace that ends up
 * below PARALLEL_THRESHOLD is let go unused.
 */
const WARM_WORKER_AFTER = 200;

/** True when `file` is `dir` or lies inside it. */
function isWithin(file: string, dir: string): boolean {
  return file === dir || file.startsWith(dir + path.sep);
}

const CONFIG_BASENAMES = /^(next\.config\.(js|mjs|cjs|ts|mts)|package\.json|tsconfig\.json|jsconfig\.json|pnpm-workspace\.yaml)$/;

/**
 * The route manifest of every Next.js app under one folder, kept current from file changes. Each file
 * is parsed once into a summary; a change re-parses that file and re-links only the routes that
 * depend on it.
 */
export class Workspace {
  readonly root: string;
  private readonly host: FileHost;
  private readonly overlays = new Map<string, string>();
  private readonly summaries = new Map<string, ModuleSummary | Problem>();
  private readonly resolver: ModuleResolver;
  private apps: AppState[] = [];
  private discoveryProblems: Problem[] = [];
  private readonly maxFileBytes: number;

  constructor(root: string, private readonly options: ScanOptions = {}) {
    this.root = path.resolve(root);
    const base = options.host ?? nodeFileHost;
    this.host = {
      ...base,
      readFile: (file) => {
        const overlay = this.overlays.get(file);
        return overlay !== undefined ? Buffer.from(overlay, 'utf8') : base.readFile(file);
      },
    };
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.resolver = new ModuleResolver(this.host, path.parse(this.root).root);
    this.callerIndex = new CallerIndex(this.host, this.relative);
  }

  /** Calls from the apps' own code to their endpoints, read on demand. */
  private readonly callerIndex: CallerIndex;

  /** Who calls each endpoint, and the hints that follow from it. Reads source files on first use. */
  callerReport(): CallerReport {
    const manifest = this.manifest();
    return this.callerIndex.report(
      this.apps.map((app, i) => ({ root: app.candidate.root, manifest: manifest.apps[i], basePath: app.basePath })),
    );
  }

  /** The route a URL string at `position` (1-based) in a file reaches, if any: go-to-handler. */
  routeAt(abs: string, text: string, line: number, column: number): { route: Route; call: EndpointCall } | undefined {
    const manifest = this.manifest();
    const appIndex = this.apps.findIndex((app) => abs.startsWith(app.candidate.root + path.sep));
    if (appIndex === -1) return undefined;
    for (const call of this.callerIndex.callsInText(abs, text)) {
      const { urlSpan: s } = call;
      const after = line > s.line || (line === s.line && column >= s.column);
      const before = line < s.endLine || (line === s.endLine && column <= s.endColumn);
      if (!after || !before) continue;
      const route = bestRoute(call, manifest.apps[appIndex].routes, this.apps[appIndex].basePath);
      if (route) return { route, call };
    }
    return undefined;
  }

  /** Cold scan: discovers the apps, walks their app dirs and links every route. */
  scan(): RouteManifest {
    this.routeFilesSeen = 0;
    // Threads a scan that threw midway left behind.
    this.warmWorker?.dispose();
    this.readAhead?.dispose();
    this.warmWorker = this.readAhead = undefined;
    const discovery = discoverApps(this.host, this.root, this.relative);
    this.discoveryProblems = discovery.problems;
    this.apps = discovery.apps.map((candidate) => this.loadApp(candidate));
    this.summarizeRouteFiles();
    for (const app of this.apps) for (const file of app.routeFiles.keys()) this.linkRoute(app, file);
    return this.manifest();
  }

  /** Parses every route file not yet summarized, on two threads when the files are many and on disk. */
  private summarizeRouteFiles(): void {
    const jobs: SummaryJob[] = [];
    for (const app of this.apps) {
      for (const [abs, routeFile] of app.routeFiles) {
        if (this.summaries.has(abs) || this.overlays.has(abs)) continue;
        if (routeFile.kind === 'metadata' && !isMetadataCodeFile(routeFile.name, app.pageExtensions)) continue;
        jobs.push({ abs, file: this.relative(abs) });
      }
    }
    const worker = this.warmWorker;
    this.warmWorker = undefined;
    if (this.options.host) {
      // A custom host (tests, editor buffers) must be read through itself.
      worker?.dispose();
      return;
    }
    const readAhead = this.readAhead;
    this.readAhead = undefined;
    try {
      summarizeInParallel(jobs, this.maxFileBytes, this.summaries, worker, readAhead);
    } finally {
      readAhead?.dispose();
    }
  }

  /** Route files seen by the walk of the current cold scan; many of them start the worker early. */
  private routeFilesSeen = 0;
  private warmWorker: SummaryWorker | undefined;
  /** Reads the route files the walk finds on another thread, while this one walks on. */
  private readAhead: FileReadAhead | undefined;

  /** Applies file changes and returns the updated manifest. */
  applyChanges(changes: FileChange[]): RouteManifest {
    let rediscover = false;
    const touched = new Set<string>();
    const created: string[] = [];
    const deleted: string[] = [];
    for (const change of changes) {
      const abs = path.resolve(change.path);
      if (change.text !== undefined) this.overlays.set(abs, change.text);
      else if (change.type !== 'changed' || this.overlays.has(abs)) this.overlays.delete(abs);
      if (CONFIG_BASENAMES.test(path.basename(abs)) || this.changesAppSet(abs, change.type)) rediscover = true;
      this.forgetSummaries(abs, change.type === 'deleted');
      this.callerIndex.invalidate(abs, change.type !== 'changed');
      touched.add(abs);
      if (change.type === 'created') created.push(abs);
      if (change.type === 'deleted') deleted.push(abs);
      if (change.type !== 'changed') this.updateMembership(abs, change.type);
    }
    if (rediscover) {
      this.resolver.clear();
      return this.scan();
    }
    if (created.length > 0) this.resolver.forgetMissing();
    for (const abs of deleted) this.resolver.forgetPath(abs);
    for (const app of this.apps) {
      const affected = new Set<string>();
      for (const file of touched) {
        if (app.linked.has(file)) affected.add(file);
        for (const dependent of app.dependents.get(file) ?? []) affected.add(dependent);
      }
      for (const dir of deleted) {
        for (const [dependency, dependents] of app.dependents) if (dependency.startsWith(dir + path.sep)) for (const d of dependents) affected.add(d);
      }
      if (created.length > 0) for (const file of app.unresolved) affected.add(file);
      for (const file of affected) {
        const linked = app.linked.get(file);
        if (linked) this.unlink(app, file, linked);
      }
      for (const file of affected) if (app.routeFiles.has(file) && !app.linked.has(file)) this.linkRoute(app, file);
      if (created.length > 0) for (const file of app.routeFiles.keys()) if (!app.linked.has(file)) this.linkRoute(app, file);
    }
    return this.manifest();
  }

  /**
   * True when a file event can change the manifest or the callers of an endpoint. A watcher that reports
   * every creation and deletion in the workspace (the only way to hear of a new app folder) also reports
   * build output and logs; those are dropped here, before they cost an update.
   */
  affects(abs: string, type: FileChange['type']): boolean {
    if (CONFIG_BASENAMES.test(path.basename(abs))) return true;
    if (this.apps.some((app) => isWithin(abs, app.candidate.appDir) || app.dependents.has(abs))) return true;
    if (type === 'changed') return false;
    if (type === 'deleted' && this.changesAppSet(abs, type)) return true;
    if (!this.isSearched(abs)) return false;
    // A new module can resolve a missing import, and any source file can call endpoints.
    if (SOURCE_FILE.test(abs)) return true;
    // A new folder may hold an app; applyChanges looks inside it (once), so the event handler stays cheap.
    if (type === 'created') return this.host.stat(abs)?.isDirectory ?? false;
    return this.apps.some((app) => [...app.dependents.keys()].some((file) => isWithin(file, abs)));
  }

  /**
   * True when a folder event outside every app dir can add or remove an app. Watchers often report only
   * the top folder of a tree that was copied, unpacked or checked out in one go (the files inside were
   * written before a watch on the new folder existed), and only the top folder of a tree that was deleted.
   */
  private changesAppSet(abs: string, type: FileChange['type']): boolean {
    if (type === 'changed') return false;
    const removes = (dir: string | undefined) => dir !== undefined && isWithin(dir, abs);
    if (type === 'deleted') return this.apps.some(({ candidate }) => removes(candidate.root) || removes(candidate.appDir) || removes(candidate.ignoredAppDir));
    if (this.apps.some(({ candidate }) => isWithin(abs, candidate.appDir))) return false;
    if (!this.isSearched(abs) || !this.host.stat(abs)?.isDirectory) return false;
    // A new `app` or `src` folder can give an app root (perhaps one with only a next.config so far) its app dir.
    const parent = path.dirname(abs);
    const name = path.basename(abs);
    if (name === 'src' || name === 'app') {
      if (this.isAppRoot(parent)) return true;
      if (name === 'app' && path.basename(parent) === 'src' && this.isAppRoot(path.dirname(parent))) return true;
    }
    const found = discoverApps(this.host, abs, (file) => this.relative(file));
    return found.apps.length > 0 || found.problems.some((problem) => problem.id === 'no-app-dir');
  }

  /** True for a path under the root that discovery would reach (not inside node_modules, .next, .git, ...). */
  private isSearched(abs: string): boolean {
    const relative = path.relative(this.root, abs);
    return !relative.startsWith('..') && !path.isAbsolute(relative) && !relative.split(path.sep).some((name) => SKIPPED_DIRS.has(name));
  }

  /** True for a folder discovery would take for an app root. */
  private isAppRoot(dir: string): boolean {
    try {
      return appRootOf(this.host, dir, new Set(this.host.readDirectory(dir).map((entry) => entry.name))).isApp;
    } catch {
      return false;
    }
  }

  /** The manifest from the current state, without touching the disk. */
  manifest(): RouteManifest {
    return {
      manifestVersion: MANIFEST_VERSION,
      generator: { name: 'route-atlas', version: GENERATOR_VERSION },
      root: this.root,
      apps: this.apps.map((app) => this.appManifest(app)),
      problems: this.discoveryProblems,
    };
  }

  /** Modules some route's result depends on (re-exports, imported handlers, called helpers), absolute. */
  dependencyFiles(): string[] {
    const files = new Set<string>();
    for (const app of this.apps) for (const [file, dependents] of app.dependents) if (dependents.size > 0) files.add(file);
    return [...files];
  }

  /** True when the file is a route, metadata or page file of some app (so a create event would be news). */
  knowsFile(abs: string): boolean {
    const name = path.basename(abs);
    const relevant = /^(route|page)\./.test(name) || METADATA_STEMS.test(name);
    if (!relevant) return true;
    const app = this.apps.find((candidate) => abs.startsWith(candidate.candidate.appDir + path.sep));
    return !app || app.routeFiles.has(abs) || app.pages.has(abs);
  }

  /** The module summary of a file, parsed once and cached until the file changes. */
  summaryOf(abs: string): ModuleSummary | undefined {
    const parsed = this.summaryOrProblem(abs);
    return isSummary(parsed) ? parsed : undefined;
  }

  /** The summary, or the reason the file could not be parsed. */
  private summaryOrProblem(abs: string): ModuleSummary | Problem {
    let parsed = this.summaries.get(abs);
    if (parsed === undefined) {
      const text = this.readSource(abs);
      const routeFile = this.apps.some((app) => app.routeFiles.has(abs));
      parsed = typeof text === 'string' ? summarizeModule(abs, text, this.relative(abs), { routeFile }) : text;
      this.summaries.set(abs, parsed);
    }
    return parsed;
  }

  private readonly relativePaths = new Map<string, string>();
  readonly relative = (abs: string): string => {
    let rel = this.relativePaths.get(abs);
    if (rel === undefined) {
      rel = toPosix(path.relative(this.root, abs)) || '.';
      if (this.relativePaths.size > 200_000) this.relativePaths.clear();
      this.relativePaths.set(abs, rel);
    }
    return rel;
  };

  private forgetSummaries(abs: string, isDeletion: boolean): void {
    this.summaries.delete(abs);
    if (isDeletion || !path.extname(abs)) {
      const prefix = abs + path.sep;
      for (const key of this.summaries.keys()) if (key.startsWith(prefix)) this.summaries.delete(key);
    }
  }

  /** Reads a source file, or says why it is not parsed. */
  private readSource(abs: string): string | Problem {
    // Editor text and test hosts go through the host; the disk is read in one native call (a cold scan
    // reads hundreds of imported modules here, at a quarter of the cost of a Buffer read).
    if (this.options.host || this.overlays.has(abs)) return readSourceText(this.host, abs, this.relative(abs), this.maxFileBytes);
    return readSourceTextFromDisk(abs, this.relative(abs), this.maxFileBytes);
  }

  private loadApp(candidate: AppCandidate): AppState {
    const rel = this.relative(candidate.root);
    const problems: Problem[] = [];
    let config = defaultNextConfig();
    if (candidate.configFile) {
      const text = this.readSource(candidate.configFile);
      if (typeof text === 'string') {
        const read = readNextConfig(text, candidate.configFile, this.relative(candidate.configFile));
        config = read.config;
        problems.push(...read.problems);
      } else {
        problems.push(text);
        config = defaultNextConfig(this.relative(candidate.configFile));
      }
    }
    if (this.options.cacheComponents !== undefined) config.cacheComponents = { known: true, value: this.options.cacheComponents };
    let nextVersion = detectNextVersion(this.host, candidate.root, candidate.packageJson, this.relative);
    if (this.options.nextVersion !== undefined) nextVersion = { version: String(this.options.nextVersion), major: this.options.nextVersion, source: 'override' };
    if (candidate.ignoredAppDir) {
      problems.push({
        id: 'src-app-ignored',
        severity: 'warning',
        file: this.relative(candidate.ignoredAppDir),
        message: `Both app/ and src/app/ exist in ${rel}; Next.js uses only app/, so routes in src/app/ are not served.`,
      });
    }
    const app: AppState = {
      candidate,
      rel,
      config,
      nextVersion,
      bundler: detectBundler(candidate.packageJson, nextVersion.major),
      pageExtensions: config.pageExtensions.known ? config.pageExtensions.value : DEFAULT_PAGE_EXTENSIONS,
      basePath: config.basePath.known ? config.basePath.value : '',
      trailingSlash: config.trailingSlash.known ? config.trailingSlash.value : false,
      problems,
      routeFiles: new Map(),
      pages: new Map(),
      linked: new Map(),
      groups: new Map(),
      groupProblems: new Map(),
      dirtyGroups: new Set(),
      dependents: new Map(),
      unresolved: new Set(),
    };
    this.walkAppDir(app, candidate.appDir, []);
    return app;
  }

  /**
   * Collects route, metadata and page files below `dir`, which is `segments` deep in the app dir.
   * Real paths are derived from the parent's and resolved only through symbolic links, which is all
   * loop detection needs.
   */
  private walkAppDir(app: AppState, dir: string, segments: string[], realDir?: string, ancestors = new Set<string>()): void {
    let real = realDir;
    if (real === undefined) {
      try {
        real = this.host.realpath(dir);
      } catch {
        return;
      }
    }
    if (ancestors.has(real)) return;
    ancestors.add(real);
    let entries;
    try {
      entries = this.host.readDirectory(dir);
    } catch (error) {
      app.problems.push(unreadableProblem(dir, error, this.relative));
      ancestors.delete(real);
      return;
    }
    this.resolver.primeListing(dir, entries);
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      let isDirectory = entry.isDirectory;
      let isFile = entry.isFile;
      let childReal: string | undefined = path.join(real, entry.name);
      if (entry.isSymbolicLink) {
        const target = this.host.stat(abs);
        isDirectory = target?.isDirectory ?? false;
        isFile = target?.isFile ?? false;
        childReal = undefined;
        if (isDirectory && isLinkIntoAncestry(this.host, abs, dir)) {
          app.problems.push(symlinkLoopProblem(abs, this.relative));
          continue;
        }
      }
      if (isDirectory) {
        if (SKIPPED_DIRS.has(entry.name)) continue;
        this.walkAppDir(app, abs, [...segments, entry.name], childReal, ancestors);
      } else if (isFile) {
        this.classifyFile(app, abs, segments, entry.name);
      }
    }
    ancestors.delete(real);
  }

  private classifyFile(app: AppState, abs: string, segments: string[], name: string): void {
    const extension = pageExtensionOf(name, app.pageExtensions);
    if (extension !== undefined) {
      const stem = name.slice(0, name.length - extension.length - 1);
      if (stem === 'route') {
        app.routeFiles.set(abs, { abs, segments, name, kind: 'route' });
        if (++this.routeFilesSeen === WARM_WORKER_AFTER && !this.options.host) {
          this.warmWorker = SummaryWorker.start();
          if (!this.warmWorker) this.readAhead = FileReadAhead.start();
        }
        this.readAhead?.request(abs);
      }
      else if (stem === 'page') {
        const { url, privateFolder } = urlOfSegments(segments);
        if (!privateFolder && !app.pages.has(abs)) {
          const page = { url, file: this.relative(abs) };
          app.pages.set(abs, page);
          this.changingGroup(app, url).pages.add(page);
          if (app.sortedPages) insertSorted(app.sortedPages, page, comparePages);
        }
      }
    }
    if (!app.routeFiles.has(abs) && isMetadataCandidate(name, app.pageExtensions)) {
      app.routeFiles.set(abs, { abs, segments, name, kind: 'metadata' });
    }
  }

  /** Adds or removes files and folders after a create or delete event. */
  private updateMembership(abs: string, type: 'created' | 'deleted'): void {
    for (const app of this.apps) {
      const appDir = app.candidate.appDir;
      if (!isWithin(abs, appDir)) continue;
      if (type === 'deleted') {
        const prefix = abs + path.sep;
        for (const key of [...app.routeFiles.keys()]) if (key === abs || key.startsWith(prefix)) app.routeFiles.delete(key);
        for (const [key, page] of [...app.pages]) {
          if (key !== abs && !key.startsWith(prefix)) continue;
          app.pages.delete(key);
          this.changingGroup(app, page.url).pages.delete(page);
          if (app.sortedPages) app.sortedPages = app.sortedPages.filter((entry) => entry !== page);
        }
        for (const [key, linked] of [...app.linked]) if (key === abs || key.startsWith(prefix)) this.unlink(app, key, linked);
        continue;
      }
      const segments = path.relative(appDir, abs).split(path.sep).filter(Boolean);
      const stat = this.host.stat(abs);
      if (stat?.isDirectory) this.walkAppDir(app, abs, segments);
      else if (stat?.isFile) this.classifyFile(app, abs, segments.slice(0, -1), path.basename(abs));
    }
  }

  private readonly graph: ModuleGraph = {
    summaryOf: (abs) => this.summaryOf(abs),
    resolve: (specifier, from) => this.resolver.resolve(specifier, from),
    relative: (abs) => this.relative(abs),
  };

  private linkRoute(app: AppState, abs: string): void {
    const routeFile = app.routeFiles.get(abs);
    if (!routeFile) return;
    const location = urlOfSegments(routeFile.segments);
    const file = this.relative(abs);
    const problems: Problem[] = [];
    if (location.privateFolder) {
      if (routeFile.kind === 'route') {
        problems.push({
          id: 'private-folder-route',
          severity: 'info',
          file,
          message: `${file} is inside the private folder ${location.privateFolder}, so Next.js does not route it. Rename the folder to %5F${location.privateFolder.slice(1)} to serve it.`,
        });
      }
      this.setLinked(app, abs, { problems, dependencies: new Set(), hasUnresolved: false });
      return;
    }
    const route: Route = {
      url: location.url,
      publicPath: publicPathOf(location.url, app.basePath, app.trailingSlash),
      file,
      appRoot: app.rel,
      kind: 'route',
      methods: [],
      params: location.params,
      segmentConfig: {},
      otherExports: [],
    };
    if (location.intercepting) route.intercepting = true;
    let dependencies = new Set<string>();
    let hasUnresolved = false;

    const isCode = routeFile.kind === 'route' || isMetadataCodeFile(routeFile.name, app.pageExtensions);
    let summary: ModuleSummary | undefined;
    if (isCode) {
      const parsed = this.summaryOrProblem(abs);
      if (isSummary(parsed)) {
        summary = parsed;
        problems.push(...summary.problems);
      } else problems.push(parsed);
    }
    if (routeFile.kind === 'metadata') {
      const dirUrl = location.url;
      const dirAppPath = '/' + routeFile.segments.join('/');
      const exportsOf = (name: string) => summary?.exports.has(name) ?? false;
      const match = matchMetadataFile(routeFile.name, dirUrl, dirAppPath, routeFile.segments.length === 0, app.pageExtensions, exportsOf('generateSitemaps'), exportsOf('generateImageMetadata'));
      if (!match) {
        this.setLinked(app, abs, { problems: [], dependencies, hasUnresolved });
        return;
      }
      route.kind = match.kind;
      route.metadataSource = match.source;
      route.url = match.url;
      route.publicPath = publicPathOf(match.url, app.basePath, false);
      route.params = urlOfSegments(match.url.split('/').filter(Boolean)).params;
    }
    if (summary) {
      const linked = linkRouteModule(abs, summary, this.graph);
      route.methods = routeFile.kind === 'route' ? linked.methods : [];
      route.segmentConfig = linked.segmentConfig;
      route.otherExports = routeFile.kind === 'route' ? linked.otherExports : [];
      const context = this.buildContext(app);
      const evidence = this.handlerEvidence(route, linked);
      route.caching = classifyCaching(route, context, evidence, this.relative);
      const input = { route, context, config: app.config, evidence, handlers: linked.handlers, summary, relative: this.relative };
      for (const check of ROUTE_CHECKS) problems.push(...check.run(input));
      markBuildFailure(route, problems);
      problems.push(...linked.linker.problems);
      dependencies = linked.linker.dependencies;
      hasUnresolved = linked.linker.hasUnresolved;
      if (routeFile.kind === 'route' && !route.methods.some((m) => !m.implicit) && !problems.some((p) => p.id === 'file-too-large' || p.id === 'binary-file' || p.id === 'unreadable-file')) {
        problems.push({
          id: 'no-methods',
          severity: 'warning',
          file,
          message: `No HTTP methods exported in '${file}'. Export a named export for each HTTP method (GET, POST, ...); Next.js answers 405 to every request.`,
        });
      }
    }
    if (!summary && route.kind !== 'route') route.caching = classifyCaching(route, this.buildContext(app), {}, this.relative);
    this.setLinked(app, abs, { route, problems, dependencies, hasUnresolved });
  }

  private setLinked(app: AppState, file: string, linked: LinkedRoute): void {
    app.linked.set(file, linked);
    if (linked.route) {
      this.changingGroup(app, linked.route.url).routes.add(file);
      if (app.order) insertSorted(app.order, file, (a, b) => compareLinked(app, a, b));
    }
    for (const dependency of linked.dependencies) {
      let dependents = app.dependents.get(dependency);
      if (!dependents) app.dependents.set(dependency, (dependents = new Set()));
      dependents.add(file);
    }
    if (linked.hasUnresolved) app.unresolved.add(file);
  }

  private unlink(app: AppState, file: string, linked: LinkedRoute): void {
    if (linked.route) {
      this.changingGroup(app, linked.route.url).routes.delete(file);
      const index = app.order?.indexOf(file) ?? -1;
      if (index !== -1) app.order!.splice(index, 1);
    }
    app.linked.delete(file);
    for (const dependency of linked.dependencies) app.dependents.get(dependency)?.delete(file);
    app.unresolved.delete(file);
  }

  /** The members of the URL's conflict group, which is about to change: its app-wide checks must run again. */
  private changingGroup(app: AppState, url: string): { routes: Set<string>; pages: Set<PageEntry> } {
    const key = conflictGroupOf(url);
    let group = app.groups.get(key);
    if (!group) app.groups.set(key, (group = { routes: new Set(), pages: new Set() }));
    app.dirtyGroups.add(key);
    app.appProblems = undefined;
    return group;
  }

  /**
   * Runs the app-wide checks again for the dirty conflict groups only, each over the routes and pages
   * of its group in manifest order, and lists the problems by check, then by group: a cold scan and
   * any sequence of edits that ends in the same files give the same list.
   */
  private appCheckProblems(app: AppState, routes: readonly Route[], pages: readonly PageEntry[]): Problem[] {
    if (app.appProblems) return app.appProblems;
    const context = this.buildContext(app);
    for (const key of app.dirtyGroups) {
      const group = app.groups.get(key);
      if (group && group.routes.size === 0 && group.pages.size === 0) app.groups.delete(key);
    }
    if (app.dirtyGroups.size > app.groups.size / 4) {
      // Most groups changed (a cold scan): one run over the whole app, its problems sorted into groups,
      // costs less than a run per group and gives the same lists (no conflict crosses a group).
      app.groupProblems.clear();
      const groupOfFile = new Map(routes.map((route) => [route.file, conflictGroupOf(route.url)]));
      APP_CHECKS.forEach((check, index) => {
        for (const problem of check.run({ routes, pages, context })) {
          const key = groupOfFile.get(problem.file ?? '') ?? '/';
          let byCheck = app.groupProblems.get(key);
          if (!byCheck) app.groupProblems.set(key, (byCheck = APP_CHECKS.map(() => [])));
          byCheck[index].push(problem);
        }
      });
    } else {
      for (const key of app.dirtyGroups) {
        const group = app.groups.get(key);
        app.groupProblems.delete(key);
        if (!group) continue;
        const groupRoutes = [...group.routes].sort((a, b) => compareLinked(app, a, b)).map((file) => app.linked.get(file)!.route!);
        const groupPages = [...group.pages].sort(comparePages);
        const byCheck = APP_CHECKS.map((check) => check.run({ routes: groupRoutes, pages: groupPages, context }));
        if (byCheck.some((problems) => problems.length > 0)) app.groupProblems.set(key, byCheck);
      }
    }
    app.dirtyGroups.clear();
    const groups = [...app.groupProblems.keys()].sort();
    const problems: Problem[] = [];
    for (let check = 0; check < APP_CHECKS.length; check++) {
      for (const group of groups) problems.push(...app.groupProblems.get(group)![check]);
    }
    app.appProblems = problems;
    return problems;
  }

  /** Routes marked as failing the build by an app-wide conflict, by the route they copy. */
  private readonly failingCopies = new WeakMap<Route, { key: string; copy: Route }>();

  /**
   * The route with the `error` verdict of the conflicts it takes part in. The copy is kept while they stay
   * the same, so that an unchanged route is the same object in every manifest (the server sends clients
   * the routes that changed, found by identity).
   */
  private failingCopy(route: Route, failing: readonly Problem[]): Route {
    const key = failing.map((p) => `${p.file}\0${p.message}\0${p.span ? JSON.stringify(p.span) : ''}`).join('\n');
    const cached = this.failingCopies.get(route);
    if (cached?.key === key) return cached.copy;
    const copy = { ...route };
    markBuildFailure(copy, failing);
    this.failingCopies.set(route, { key, copy });
    return copy;
  }

  private buildContext(app: AppState): BuildContext {
    const cacheComponents = app.config.cacheComponents.known ? app.config.cacheComponents.value : false;
    return { major: app.nextVersion.major, cacheComponents, bundler: app.bundler };
  }

  /** Where the GET handler (or a metadata route's default export) is, and what its code does. */
  private handlerEvidence(route: Route, linked: LinkedRouteModule): HandlerEvidence {
    let target: HandlerTarget | undefined;
    let location: Location | undefined;
    if (route.kind === 'route') {
      target = linked.handlers.get('GET');
      const span = route.methods.find((m) => m.name === 'GET')?.span;
      if (span) location = { file: route.file, span };
    } else {
      const traced = linked.linker.traceRouteExport('default', undefined);
      if (traced) {
        target = linked.linker.followTraced(traced);
        location = { file: route.file, span: traced.entry.span };
      }
    }
    if (!target?.site) {
      const binding = target?.binding;
      const missingReason =
        binding?.type === 'import'
          ? `GET comes from '${binding.specifier}', outside the workspace`
          : binding?.type === 'destructured'
            ? `GET is destructured from \`${binding.source}\``
            : undefined;
      return { location, missingReason };
    }
    return { location, effects: new EffectCollector(linked.linker).collect(target) };
  }

  private appManifest(app: AppState): AppManifest {
    if (!app.order) {
      app.order = [...app.linked.keys()].filter((file) => app.linked.get(file)!.route !== undefined);
      app.order.sort((a, b) => compareLinked(app, a, b));
    }
    const routes: Route[] = [];
    const problems: Problem[] = [...app.problems];
    for (const file of app.order) {
      const linked = app.linked.get(file);
      if (linked?.route) routes.push(linked.route);
    }
    for (const linked of app.linked.values()) problems.push(...linked.problems);
    app.sortedPages ??= [...app.pages.values()].sort(comparePages);
    const pages = app.sortedPages;
    const appProblems = this.appCheckProblems(app, routes, pages);
    problems.push(...appProblems);
    // A conflict fails the build for every file that takes part in it, not only the one it is reported on.
    const failingByFile = new Map<string, Problem[]>();
    for (const problem of appProblems) {
      if (!problem.failsBuild) continue;
      for (const file of [problem.file, ...(problem.related ?? []).map((r) => r.file)]) {
        if (file) failingByFile.set(file, [...(failingByFile.get(file) ?? []), problem]);
      }
    }
    if (failingByFile.size > 0) {
      for (let i = 0; i < routes.length; i++) {
        const failing = failingByFile.get(routes[i].file);
        if (failing) routes[i] = this.failingCopy(routes[i], failing);
      }
    }
    const manifest: AppManifest = {
      root: app.rel,
      appDir: toPosix(path.relative(app.candidate.root, app.candidate.appDir)),
      nextVersion: app.nextVersion,
      config: app.config,
      bundler: app.bundler,
      routes,
      pages,
      problems,
    };
    if (app.candidate.packageJson?.name) manifest.name = app.candidate.packageJson.name;
    return manifest;
  }
}

/** A route whose own problems fail `next build` gets the `error` verdict, with those problems as reasons. */
function markBuildFailure(route: Route, problems: readonly Problem[]): void {
  const failing = problems.filter((p) => p.failsBuild && p.file !== undefined);
  if (failing.length === 0 || route.kind !== 'route') return;
  if (route.caching?.kind === 'error') return;
  route.caching = {
    kind: 'error',
    reasons: failing.map((p) => ({ message: `next build fails: ${p.message}`, location: p.span ? { file: p.file!, span: p.span } : undefined })),
  };
}

/**
 * The part of a URL before its first dynamic segment (all of it when there is none). Every conflict the
 * app-wide checks find (same URL, same folder, or clashing dynamic segments below one node of Next's
 * route tree) is between URLs of one group, so a change re-runs the checks of its group only.
 */
function conflictGroupOf(url: string): string {
  const dynamic = url.indexOf('/[');
  return dynamic === -1 ? url : url.slice(0, dynamic) || '/';
}

/** Inserts `item` into the sorted `array`, after any equal items. */
function insertSorted<T>(array: T[], item: T, compare: (a: T, b: T) => number): void {
  let low = 0;
  let high = array.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compare(array[mid], item) <= 0) low = mid + 1;
    else high = mid;
  }
  array.splice(low, 0, item);
}

function compareLinked(app: AppState, a: string, b: string): number {
  return compareRoutes(app.linked.get(a)!.route!, app.linked.get(b)!.route!) || (a < b ? -1 : a > b ? 1 : 0);
}

function comparePages(a: PageEntry, b: PageEntry): number {
  return a.url < b.url ? -1 : a.url > b.url ? 1 : a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
}

function isSummary(value: ModuleSummary | Problem): value is ModuleSummary {
  return 'exports' in value;
}

/** The page extension a file name ends in (`route.api.ts` with `api.ts`), longest first. */
function pageExtensionOf(name: string, pageExtensions: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const extension of pageExtensions) {
    if (name.endsWith('.' + extension) && (best === undefined || extension.length > best.length)) {
      const stem = name.slice(0, name.length - extension.length - 1);
      if (stem === 'route' || stem === 'page') best = extension;
    }
  }
  return best;
}

const METADATA_STEMS = /^(sitemap|robots|manifest|favicon|icon\d*|apple-icon\d*|opengraph-image\d*|twitter-image\d*)\./;

function isMetadataCandidate(name: string, pageExtensions: readonly string[]): boolean {
  return METADATA_STEMS.test(name) && (isMetadataCodeFile(name, pageExtensions) || !/\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/.test(name) || pageExtensions.some((e) => name.endsWith('.' + e)));
}

function compareRoutes(a: Route, b: Route): number {
  if (a.url !== b.url) return a.url < b.url ? -1 : 1;
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return 0;
}
