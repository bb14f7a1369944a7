import * as path from 'node:path';
import { type AppCandidate, appDirsOf, appRootOf, checkLink, discoverApps, unreadableProblem } from './discover';
import { hasAncestorIn, isWithin, SKIPPED_DIRS, spellInside } from './folders';
import { type FileHost, nodeFileHost } from './host';
import { type Observations, observingHost, textDigest } from './observations';
import { isMetadataCodeFile, matchMetadataFile } from './metadataRoutes';
import type { AppManifest, Location, NextConfigInfo, NextVersionInfo, PageEntry, Problem, Route, RouteManifest } from './model';
import { MANIFEST_VERSION } from './model';
import { type ModuleSummary, summarizeModule } from './moduleSummary';
import type { ParseCache } from './parseCache';
import { type SummaryJob, SummaryWorker, summarizeInParallel } from './parallelSummaries';
import { FileReadAhead } from './readAhead';
import { checkSourceText, DEFAULT_MAX_FILE_BYTES, readSourceText, readSourceTextFromDisk, SOURCE_FILE } from './sourceFiles';
import { DEFAULT_PAGE_EXTENSIONS, defaultNextConfig, NEXT_CONFIG_FILES, readNextConfig } from './nextConfig';
import { detectBundler, detectNextVersion } from './nextVersion';
import { nextScriptTargets } from './nextScripts';
import { ModuleResolver } from './resolver';
import { type HandlerEvidence, classifyCaching } from './caching';
import { CallerIndex, type CallerReport } from './callers';
import { APP_CHECKS, ROUTE_CHECKS } from './checks';
import { bestRoute, type EndpointCall } from './endpointCalls';
import { EffectCollector } from './handlerEffects';
import { type HandlerTarget, type LinkedRouteModule, linkRouteModule, type ModuleGraph } from './routeModule';
import { isLimitError, limitProblem } from './limits';
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
  /** Folders below the root that another workspace folder owns: neither searched for apps nor walked. */
  excludedDirs?: readonly string[];
  /**
   * Files the analysis must not read, with the reason (a watchdog stopped a runaway analysis on them).
   * Each is reported as an `analysis-stopped` problem and read as if it were unreadable.
   */
  quarantined?: ReadonlyMap<string, string>;
  /**
   * Called before each unit of work (a folder listed, a file parsed, a route linked) with the path it is
   * about. A caller can count these to see that the analysis moves, and throw to abandon it (cancellation):
   * the workspace is then left half-built and must be dropped.
   */
  checkpoint?: (subject: string) => void;
  /** Parse results kept across runs (parseCache.ts): files whose text is unchanged are not parsed again. */
  cache?: ParseCache;
  /** Notes every answer the disk gives the analysis (observations.ts), for a cache of the whole result. */
  observations?: Observations;
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
  /** Reached through a symbolic link: a spelling without links names the same file better. */
  throughLink?: boolean;
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
  /** Every linked file, sorted: the order their problems are listed in. */
  linkedFiles?: string[];
  /** What every linked route of the app depends on besides its files (see Workspace.appKey), made once. */
  linkKey?: string;
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
  /** Paths below the app dir the walk did not enter (symbolic-link loops, links out of the workspace, folders nested too deep). */
  walkProblems: Map<string, Problem>;
  /** Route files the walk of this app has met; many of them start a second thread early. */
  routeFilesSeen: number;
  /** Folders of the app dir that could not be listed, with their problem: a later event may make them readable. */
  unreadableDirs: Map<string, Problem>;
  /** Real locations (spelled inside the workspace) that the walk reached through symbolic links in the app dir. */
  linkTargets: Set<string>;
  /** The folder names each page was listed under, for choosing one when a link reaches it again. */
  pageSpellings: Map<string, { segments: string[]; throughLink: boolean }>;
}

/**
 * Route files the walk must see before it starts a second thread: a summary worker, so that it has loaded
 * the parser by the time the walk ends (loading takes about as long as walking 10,000 routes), or on two
 * cores a reader that reads the route files from then on. A worker started for a workspace that ends up
 * below PARALLEL_THRESHOLD is let go unused.
 */
const WARM_WORKER_AFTER = 200;

/** Folder levels below an app dir a walk descends; deeper trees are generated, not written by people. */
const MAX_FOLDER_DEPTH = 64;


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
  /** The root of every project the last scan found, including those met inside another project's app dir. */
  private readonly appRoots = new Set<string>();
  /** Folders package scripts run `next` in: a new `app` folder there makes a project. */
  private launchedDirs = new Set<string>();
  /** Projects a walk met inside an app dir, not loaded yet: the deepest project owns its files. */
  private nestedFound: AppCandidate[] = [];
  private discoveryProblems: Problem[] = [];
  private readonly maxFileBytes: number;
  private readonly excludedDirs: ReadonlySet<string>;
  private readonly checkpoint: (subject: string) => void;

  constructor(root: string, private readonly options: ScanOptions = {}) {
    this.root = path.resolve(root);
    const base = options.observations ? observingHost(options.host ?? nodeFileHost, options.observations) : (options.host ?? nodeFileHost);
    const quarantined = options.quarantined;
    this.excludedDirs = new Set((options.excludedDirs ?? []).map((dir) => path.resolve(dir)));
    this.checkpoint = options.checkpoint ?? (() => undefined);
    this.host = {
      ...base,
      readFile: (file) => {
        const overlay = this.overlays.get(file);
        if (overlay !== undefined) return Buffer.from(overlay, 'utf8');
        if (quarantined?.has(file)) throw Object.assign(new Error(`${file} is skipped: ${quarantined.get(file)}`), { code: 'ESKIPPED' });
        return base.readFile(file);
      },
      stat: (file) => {
        // The host contract says stat never throws; a host written for tests may not know it.
        try {
          return base.stat(file);
        } catch (error) {
          return { isFile: false, isDirectory: false, size: 0, mtimeMs: 0, error: (error as NodeJS.ErrnoException).code ?? 'error' };
        }
      },
    };
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.resolver = new ModuleResolver(this.host, path.parse(this.root).root, this.relative);
    this.callerIndex = new CallerIndex(this.host, this.relative, options.cache);
  }

  /**
   * Lays editor text over the disk before a scan reads it: a scan that replaces this folder's workspace
   * (a rescan, new settings, a restarted analysis) must see the unsaved text of open documents.
   */
  setOverlays(overlays: Iterable<readonly [string, string]>): void {
    for (const [abs, text] of overlays) this.overlays.set(this.canonicalPath(path.resolve(abs)), text);
  }

  /**
   * The one spelling the analysis keys a path by: its real path, named inside the workspace folder. An editor
   * or a watcher may report a file through a symbolic link (`docs/app/api/route.ts` for
   * `showcase/shell-docs/app/api/route.ts`). A path that no longer exists takes its nearest existing
   * folder's real path; one outside the workspace is kept as given.
   */
  canonicalPath(abs: string): string {
    const rootReal = this.rootReal();
    let rest = '';
    for (let dir = abs, depth = 0; depth < 256; depth++) {
      let real: string | undefined;
      try {
        real = this.host.realpath(dir);
      } catch {
        real = undefined;
      }
      if (real !== undefined) {
        if (!isWithin(real, rootReal)) return abs;
        const spelled = spellInside(real, this.root, rootReal);
        return rest ? path.join(spelled, rest) : spelled;
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      rest = rest ? path.join(path.basename(dir), rest) : path.basename(dir);
      dir = parent;
    }
    return abs;
  }

  /** True when this editor text is what the analysis already reads for the file (opening a document changes nothing). */
  hasText(spelled: string, text: string): boolean {
    const abs = this.canonicalPath(spelled);
    const overlay = this.overlays.get(abs);
    if (overlay !== undefined) return overlay === text;
    try {
      return this.host.readFile(abs).toString('utf8') === text;
    } catch {
      return false;
    }
  }

  /** Calls from the apps' own code to their endpoints, read on demand. */
  private readonly callerIndex: CallerIndex;

  /** Who calls each endpoint, and the hints that follow from it. Reads source files on first use. */
  callerReport(): CallerReport {
    const manifest = this.manifest();
    return this.callerIndex.report(
      this.apps.map((app, i) => ({ root: app.candidate.root, manifest: manifest.apps[i], basePath: app.basePath })),
      this.checkpoint,
    );
  }

  /** The route a URL string at `position` (1-based) in a file reaches, if any: go-to-handler. */
  routeAt(spelled: string, text: string, line: number, column: number): { route: Route; call: EndpointCall } | undefined {
    const manifest = this.manifest();
    const abs = this.canonicalPath(spelled);
    const owner = this.projectOf(abs);
    const appIndex = owner ? this.apps.indexOf(owner) : -1;
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

  /**
   * Cold scan: discovers the apps, then walks, parses and links one app after another. `onApp` is called
   * each time one more app is complete, so a caller can show the apps as they come (`manifest()` then lists
   * the complete ones).
   */
  scan(onApp?: () => void): RouteManifest {
    // Threads a scan that threw midway left behind.
    this.disposeThreads();
    this.apps = [];
    this.fileHashes.clear();
    const rootStat = this.host.stat(this.root);
    if (!rootStat?.isDirectory) {
      this.discoveryProblems = [missingFolderProblem(this.root, rootStat?.error)];
      return this.manifest();
    }
    const discovery = discoverApps(this.host, this.root, this.relative, { excluded: this.excludedDirs, onFolder: this.checkpoint });
    this.discoveryProblems = [...discovery.problems, ...this.quarantineProblems()];
    this.launchedDirs = new Set(discovery.launched);
    this.appRoots.clear();
    for (const candidate of discovery.apps) this.appRoots.add(candidate.root);
    this.nestedFound = [];
    // Projects met inside an app dir join the queue; each is deeper than the one that met it, so it ends.
    const queue = [...discovery.apps];
    for (let index = 0; index < queue.length; index++) {
      const candidate = queue[index];
      this.checkpoint(candidate.root);
      const app = this.loadApp(candidate);
      // Listed before it is linked: linking asks whether a file is some app's route file.
      this.apps.push(app);
      this.summarizeRouteFiles(app);
      for (const file of app.routeFiles.keys()) this.linkRoute(app, file);
      queue.push(...this.nestedFound);
      this.nestedFound = [];
      // After the last app the whole manifest follows at once.
      if (index < queue.length - 1) onApp?.();
    }
    this.apps.sort((a, b) => (a.candidate.root < b.candidate.root ? -1 : a.candidate.root > b.candidate.root ? 1 : 0));
    return this.manifest();
  }

  private disposeThreads(): void {
    this.warmWorker?.dispose();
    this.readAhead?.dispose();
    this.warmWorker = this.readAhead = undefined;
  }

  /** The files a watchdog stopped the analysis on, as problems of the folder. */
  private quarantineProblems(): Problem[] {
    const problems: Problem[] = [];
    for (const [abs, reason] of this.options.quarantined ?? []) {
      if (!isWithin(abs, this.root)) continue;
      const file = this.relative(abs);
      problems.push({ id: 'analysis-stopped', severity: 'warning', file, message: `Route Atlas stopped analyzing ${file}: ${reason} It is skipped until it changes; the rest of the folder is analyzed.` });
    }
    return problems;
  }

  /** Parses the app's route files not yet summarized, with a second thread when they are many and on disk. */
  private summarizeRouteFiles(app: AppState): void {
    const jobs: SummaryJob[] = [];
    for (const [abs, routeFile] of app.routeFiles) {
      if (this.summaries.has(abs) || this.overlays.has(abs) || this.options.quarantined?.has(abs)) continue;
      if (routeFile.kind === 'metadata' && !isMetadataCodeFile(routeFile.name, app.pageExtensions)) continue;
      jobs.push({ abs, file: this.relative(abs) });
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
      if (this.options.cache) {
        // Each file is read (ahead, on the reader thread, when there are many) and hashed, and only those
        // whose text is not in the cache are parsed. A summary worker is not used here: it would read the
        // files again, and it pays only on machines with many cores on a cold start.
        worker?.dispose();
        for (const job of jobs) {
          this.checkpoint(job.abs);
          const read = readAhead?.take(job.abs);
          const text = read === undefined ? readSourceTextFromDisk(job.abs, job.file, this.maxFileBytes) : checkSourceText(read, job.file, this.maxFileBytes);
          this.options.observations?.note('text', job.abs, textDigest(text));
          if (typeof text === 'string' && this.options.cache.has('linked', job.abs)) {
            // The route may come linked from the cache, which needs only the text's hash; its summary is
            // read from the cache only if it does not.
            this.fileHashes.set(job.abs, this.options.cache.hashText(text));
            continue;
          }
          this.summaries.set(job.abs, typeof text === 'string' ? this.summarizeText(job.abs, job.file, text, true) : text);
        }
      } else {
        summarizeInParallel(jobs, this.maxFileBytes, this.summaries, worker, readAhead);
      }
    } finally {
      readAhead?.dispose();
    }
  }

  private warmWorker: SummaryWorker | undefined;
  /** Reads the route files the walk finds on another thread, while this one walks on. */
  private readAhead: FileReadAhead | undefined;

  /**
   * Applies file changes and returns the updated manifest. Events are coalesced by path first (the last
   * one wins, and an edit after a creation is still a creation); every step below is linear in the batch
   * and in the state, so a checkout that reports 100,000 paths at once costs a rescan, never more.
   */
  applyChanges(changes: readonly FileChange[]): RouteManifest {
    // Past the bulk threshold the workspace is scanned again, so only editor text needs its one spelling.
    const few = changes.length <= BULK_CHANGE_THRESHOLD;
    let createdLink = false;
    const canonical = changes.map((change) => {
      if (!few && change.text === undefined) return change;
      const spelled = path.resolve(change.path);
      const abs = this.canonicalPath(spelled);
      // A link created inside an app dir is named by where it leads, and may lead out of the app dir:
      // the walk follows it and checks it as a cold scan does.
      if (abs !== spelled && change.type === 'created' && path.join(this.canonicalPath(path.dirname(spelled)), path.basename(spelled)) !== abs) createdLink = true;
      return { ...change, path: abs };
    });
    const batch = coalesceChanges(canonical);
    let rediscover = batch.size > BULK_CHANGE_THRESHOLD || createdLink;
    const touched: string[] = [];
    const created: string[] = [];
    const deleted = new Set<string>();
    /** Paths that may be folders: what was cached below them is stale too. */
    const folders = new Set<string>();
    for (const [abs, change] of batch) {
      if (change.text !== undefined) this.overlays.set(abs, change.text);
      else if (change.type !== 'changed' || this.overlays.has(abs)) this.overlays.delete(abs);
      let type = change.type;
      // A folder that could not be listed may have become readable: look at it again as if it were new.
      if (type === 'changed' && this.isUnreadableFolder(abs)) type = 'created';
      if (!rediscover && (CONFIG_BASENAMES.test(path.basename(abs)) || this.changesAppSet(abs, type) || this.isUnreadableDiscoveryFolder(abs))) rediscover = true;
      // What a link leads to may also be reached without it; walking the app again names each file once.
      if (!rediscover && type !== 'changed' && this.apps.some((app) => app.linkTargets.has(abs) || hasAncestorIn(abs, app.linkTargets))) rediscover = true;
      this.summaries.delete(abs);
      this.fileHashes.delete(abs);
      this.callerIndex.invalidate(abs, type !== 'changed');
      touched.push(abs);
      if (type === 'created') created.push(abs);
      if (type === 'deleted') deleted.add(abs);
      if (type !== 'changed' && !SOURCE_FILE.test(abs)) folders.add(abs);
    }
    if (folders.size > 0) {
      for (const key of this.summaries.keys()) if (hasAncestorIn(key, folders)) this.summaries.delete(key);
      for (const key of this.fileHashes.keys()) if (hasAncestorIn(key, folders)) this.fileHashes.delete(key);
    }
    if (rediscover) {
      this.resolver.clear();
      return this.scan();
    }
    if (created.length > 0) this.resolver.forgetMissing();
    for (const abs of deleted) this.resolver.forgetPath(abs);
    if (deleted.size > 0) this.removeMembers(deleted, folders);
    for (const abs of created) this.addMember(abs);
    if (this.nestedFound.length > 0) {
      // A project was copied into an app dir: it owns its files from now on.
      this.resolver.clear();
      return this.scan();
    }
    for (const app of this.apps) {
      const affected = new Set<string>();
      for (const file of touched) {
        if (app.linked.has(file)) affected.add(file);
        for (const dependent of app.dependents.get(file) ?? []) affected.add(dependent);
      }
      if (folders.size > 0) {
        for (const [dependency, dependents] of app.dependents) if (hasAncestorIn(dependency, folders)) for (const d of dependents) affected.add(d);
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
   * build output and logs; those are dropped here, before they cost an update. Constant time per event,
   * but for one `stat` of a created path.
   */
  affects(spelled: string, type: FileChange['type']): boolean {
    if (CONFIG_BASENAMES.test(path.basename(spelled))) return true;
    const abs = this.canonicalPath(spelled);
    if (this.isExcluded(abs)) return false;
    if (this.apps.some((app) => isWithin(abs, app.candidate.appDir) || app.dependents.has(abs) || app.linkTargets.has(abs) || hasAncestorIn(abs, app.linkTargets))) return true;
    if (type === 'changed') return this.isUnreadableDiscoveryFolder(abs);
    if (type === 'deleted' && this.changesAppSet(abs, type)) return true;
    if (!this.isSearched(abs)) return false;
    // A new module can resolve a missing import, and any source file can call endpoints.
    if (SOURCE_FILE.test(abs)) return true;
    // A new folder may hold an app; applyChanges looks inside it (once), so the event handler stays cheap.
    if (type === 'created') return this.host.stat(abs)?.isDirectory ?? false;
    return this.dependencyFolders().has(abs);
  }

  /** Every folder that holds a module some route depends on, built when first asked after a change. */
  private dependencyFolderSet: Set<string> | undefined;
  private dependencyFolders(): Set<string> {
    if (!this.dependencyFolderSet) {
      const folders = new Set<string>();
      for (const app of this.apps) {
        for (const [file, dependents] of app.dependents) {
          if (dependents.size === 0) continue;
          for (let dir = path.dirname(file); isWithin(dir, this.root) && !folders.has(dir); dir = path.dirname(dir)) {
            folders.add(dir);
            if (dir === this.root) break;
          }
        }
      }
      this.dependencyFolderSet = folders;
    }
    return this.dependencyFolderSet;
  }

  /** True for a folder of an app dir that could not be listed at the last look. */
  private isUnreadableFolder(abs: string): boolean {
    return this.apps.some((app) => app.unreadableDirs.has(abs));
  }

  /** True for a folder that discovery could not list: when it changes, discovery runs again. */
  private isUnreadableDiscoveryFolder(abs: string): boolean {
    return this.discoveryProblems.some((problem) => problem.id === 'unreadable-folder' && problem.file !== undefined && path.resolve(this.root, problem.file) === abs);
  }

  /** True for a path inside a nested workspace folder, which owns it. */
  private isExcluded(abs: string): boolean {
    return this.excludedDirs.size > 0 && (this.excludedDirs.has(abs) || hasAncestorIn(abs, this.excludedDirs));
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
      if (this.isAppRoot(parent) || this.launchedDirs.has(parent)) return true;
      if (name === 'app' && path.basename(parent) === 'src' && (this.isAppRoot(path.dirname(parent)) || this.launchedDirs.has(path.dirname(parent)))) return true;
    }
    const found = discoverApps(this.host, abs, (file) => this.relative(file), { excluded: this.excludedDirs, boundary: this.root });
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
      problems: this.resolver.configProblems().length > 0 ? [...this.discoveryProblems, ...this.resolver.configProblems()] : this.discoveryProblems,
    };
  }

  /** Modules some route's result depends on (re-exports, imported handlers, called helpers), absolute. */
  dependencyFiles(): string[] {
    const files = new Set<string>();
    for (const app of this.apps) for (const [file, dependents] of app.dependents) if (dependents.size > 0) files.add(file);
    return [...files];
  }

  /** True when the file is a route, metadata or page file of some app (so a create event would be news). */
  knowsFile(spelled: string): boolean {
    const name = path.basename(spelled);
    const relevant = /^(route|page)\./.test(name) || METADATA_STEMS.test(name);
    if (!relevant) return true;
    const abs = this.canonicalPath(spelled);
    const app = this.memberOf(abs);
    return !app || app.routeFiles.has(abs) || app.pages.has(abs);
  }

  /** The project whose root holds `abs` most closely: the deepest project owns its files. */
  private projectOf(abs: string): AppState | undefined {
    let owner: AppState | undefined;
    for (const app of this.apps) {
      if (isWithin(abs, app.candidate.root) && (!owner || app.candidate.root.length > owner.candidate.root.length)) owner = app;
    }
    return owner;
  }

  /** The app whose app dir `abs` belongs to, if any (inside a nested project, that project's, or none). */
  private memberOf(abs: string): AppState | undefined {
    const owner = this.projectOf(abs);
    return owner && abs !== owner.candidate.appDir && isWithin(abs, owner.candidate.appDir) ? owner : undefined;
  }

  /**
   * A source file's text as the analysis reads it (editor text over the disk), or undefined when it is not
   * parsed (unreadable, too large, binary, quarantined). For tools that read more of a file than its summary.
   */
  sourceText(abs: string): string | undefined {
    const text = this.readSource(abs);
    return typeof text === 'string' ? text : undefined;
  }

  /** The workspace file an import specifier in `fromFile` leads to, as linking resolves it. */
  resolveImport(specifier: string, fromFile: string): string | undefined {
    return this.resolver.resolve(specifier, fromFile);
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
      // A quarantined file is not analyzed at all: no checkpoint either, which is where a stall would recur.
      if (!this.options.quarantined?.has(abs) || this.overlays.has(abs)) this.checkpoint(abs);
      const text = this.readSource(abs);
      const routeFile = this.apps.some((app) => app.routeFiles.has(abs));
      const file = this.relative(abs);
      parsed = typeof text === 'string' ? this.summarizeText(abs, file, text, routeFile) : text;
      this.summaries.set(abs, parsed);
    }
    return parsed;
  }

  /** Summarizes a file's text, or takes the summary the cache holds for exactly this text. */
  private summarizeText(abs: string, file: string, text: string, routeFile: boolean): ModuleSummary | Problem {
    const kind = routeFile ? 'route' : 'module';
    const cached = this.options.cache?.get<ModuleSummary | Problem>(kind, abs, text);
    // The cache has just hashed this text: keep the hash for validating linked routes.
    if (this.options.cache) this.fileHashes.set(abs, this.options.cache.hashText(text));
    if (cached) return cached;
    let parsed: ModuleSummary | Problem;
    try {
      parsed = summarizeModule(abs, text, file, { routeFile });
    } catch (error) {
      // A bug is not cached: the next run may have it fixed.
      return failureProblem(file, error);
    }
    this.options.cache?.set(kind, abs, text, parsed);
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

  /** Reads a source file, or says why it is not parsed. */
  private readSource(abs: string): string | Problem {
    const overlay = this.overlays.get(abs);
    if (overlay !== undefined) return checkSourceText(overlay, this.relative(abs), this.maxFileBytes);
    if (this.options.quarantined?.has(abs)) return readSourceText(this.host, abs, this.relative(abs), this.maxFileBytes);
    // Editor text and test hosts go through the host; the disk is read in one native call (a cold scan
    // reads hundreds of imported modules here, at a quarter of the cost of a Buffer read).
    if (this.options.host || this.overlays.has(abs)) return readSourceText(this.host, abs, this.relative(abs), this.maxFileBytes);
    const text = readSourceTextFromDisk(abs, this.relative(abs), this.maxFileBytes);
    this.options.observations?.note('text', abs, textDigest(text));
    return text;
  }

  private loadApp(candidate: AppCandidate): AppState {
    const rel = this.relative(candidate.root);
    const problems: Problem[] = [];
    let config = defaultNextConfig();
    if (candidate.configFile) {
      const text = this.readSource(candidate.configFile);
      if (typeof text === 'string') {
        const file = this.relative(candidate.configFile);
        let read = this.options.cache?.get<ReturnType<typeof readNextConfig>>('config', candidate.configFile, text);
        if (!read) {
          read = readNextConfig(text, candidate.configFile, file);
          this.options.cache?.set('config', candidate.configFile, text, read);
        }
        // A copy: the overrides below must not reach the cached config.
        config = { ...read.config };
        problems.push(...read.problems);
      } else {
        problems.push(text);
        config = defaultNextConfig(this.relative(candidate.configFile));
      }
    }
    if (this.options.cacheComponents !== undefined) config.cacheComponents = { known: true, value: this.options.cacheComponents };
    // A project run by another package's scripts (`next build app`) takes the version that package asks for,
    // before any package.json above it; others fall back to the nearest one above that names `next`.
    let nextVersion = detectNextVersion(this.host, candidate.root, candidate.packageJson, this.relative, { parentPackages: !candidate.launcher });
    if (nextVersion.source === 'default' && candidate.launcher) nextVersion = detectNextVersion(this.host, candidate.launcher.dir, candidate.launcher.packageJson, this.relative);
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
      bundler: detectBundler(candidate.launcher && !nextScriptTargets(candidate.packageJson?.scripts).runsHere ? candidate.launcher.packageJson : candidate.packageJson, nextVersion.major),
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
      routeFilesSeen: 0,
      unreadableDirs: new Map(),
      walkProblems: new Map(),
      linkTargets: new Set(),
      pageSpellings: new Map(),
    };
    this.walkAppDir(app, candidate.appDir, []);
    return app;
  }

  /**
   * Collects route, metadata and page files below `dir`, which is `segments` deep in the app dir.
   * Real paths are derived from the parent's and resolved only through symbolic links, which is all
   * loop detection needs. `ancestors` holds the real paths of the folders above `dir`.
   */
  private walkAppDir(app: AppState, dir: string, segments: string[], realDir?: string, ancestors = new Set<string>(), throughLink = false): void {
    if (this.excludedDirs.has(dir)) return;
    // Another project's root: it owns what is below it.
    if (segments.length > 0 && this.appRoots.has(dir)) return;
    if (segments.length > MAX_FOLDER_DEPTH) {
      const file = this.relative(dir);
      app.walkProblems.set(dir, { id: 'folder-too-deep', severity: 'warning', file, message: `${file} is more than ${MAX_FOLDER_DEPTH} folders below the app dir; Route Atlas does not look further down.` });
      return;
    }
    this.checkpoint(dir);
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
      app.unreadableDirs.set(dir, unreadableProblem(dir, error, this.relative));
      ancestors.delete(real);
      return;
    }
    app.unreadableDirs.delete(dir);
    this.resolver.primeListing(dir, entries);
    if (segments.length > 0 && this.isNestedProject(dir, entries)) {
      ancestors.delete(real);
      return;
    }
    for (const entry of entries) {
      let abs = path.join(dir, entry.name);
      let isDirectory = entry.isDirectory;
      let isFile = entry.isFile;
      let childReal: string | undefined = path.join(real, entry.name);
      let linked = throughLink;
      if (entry.isSymbolicLink) {
        const link = checkLink(this.host, abs, dir, this.rootReal(), this.relative);
        if (link.problem) app.walkProblems.set(abs, link.problem);
        if (!link.follow || link.real === undefined) continue;
        isDirectory = link.isDirectory;
        isFile = link.isFile;
        // What a link leads to is named by its real path; its URL still comes from the link's name.
        childReal = link.real;
        abs = spellInside(link.real, this.root, this.rootReal());
        app.linkTargets.add(abs);
        linked = true;
      }
      if (isDirectory) {
        if (SKIPPED_DIRS.has(entry.name)) continue;
        this.walkAppDir(app, abs, [...segments, entry.name], childReal, ancestors, linked);
      } else if (isFile) {
        this.classifyFile(app, abs, segments, entry.name, linked);
      }
    }
    ancestors.delete(real);
  }

  /**
   * True when a folder inside an app dir is a project of its own (a next.config, or a package.json that runs
   * or depends on `next`, and an app dir): it is queued as a project, and this app does not list its files.
   */
  private isNestedProject(dir: string, entries: ReadonlyArray<{ name: string }>): boolean {
    if (!entries.some((entry) => entry.name === 'package.json' || NEXT_CONFIG_FILES.includes(entry.name))) return false;
    const evidence = appRootOf(this.host, dir, new Set(entries.map((entry) => entry.name)));
    const dirs = evidence.isApp ? appDirsOf(this.host, dir) : undefined;
    if (!dirs) return false;
    this.appRoots.add(dir);
    this.nestedFound.push({ root: dir, configFile: evidence.configName ? path.join(dir, evidence.configName) : undefined, packageJson: evidence.packageJson, ...dirs });
    return true;
  }

  private rootRealPath: string | undefined;
  /** The workspace folder's real path: symbolic links are followed only to targets inside it. */
  private rootReal(): string {
    if (this.rootRealPath === undefined) {
      try {
        this.rootRealPath = this.host.realpath(this.root);
      } catch {
        this.rootRealPath = this.root;
      }
    }
    return this.rootRealPath;
  }

  /** The real paths of `dir` and each folder above it up to the app dir, for loop checks of a walk that starts at `dir`. */
  private realAncestry(appDir: string, dir: string): Set<string> {
    const ancestors = new Set<string>();
    for (let current = path.dirname(dir); isWithin(current, appDir); current = path.dirname(current)) {
      try {
        ancestors.add(this.host.realpath(current));
      } catch {
        // A folder that vanished meanwhile: the walk below it finds nothing either.
      }
      if (current === appDir) break;
    }
    return ancestors;
  }

  private classifyFile(app: AppState, abs: string, segments: string[], name: string, throughLink = false): void {
    const known = app.routeFiles.get(abs);
    if (known && !prefersSpelling(known, segments, throughLink)) return;
    if (known) {
      // The same file reached again under a better spelling: its URL changes with it.
      const linked = app.linked.get(abs);
      if (linked) this.unlink(app, abs, linked);
    }
    const extension = pageExtensionOf(name, app.pageExtensions);
    if (extension !== undefined) {
      const stem = name.slice(0, name.length - extension.length - 1);
      if (stem === 'route') {
        app.routeFiles.set(abs, { abs, segments, name, kind: 'route', ...(throughLink ? { throughLink } : {}) });
        if (++app.routeFilesSeen === WARM_WORKER_AFTER && !this.options.host && !this.warmWorker && !this.readAhead) {
          // With a parse cache the files are read and hashed here, so a reader helps more than a parser;
          // with a warm one, reads are most of the work and a reader thread would be waited for.
          if (!this.options.cache) this.warmWorker = SummaryWorker.start();
          if (!this.warmWorker && !this.options.cache?.stats.loaded) this.readAhead = FileReadAhead.start();
        }
        this.readAhead?.request(abs);
      }
      else if (stem === 'page') {
        const { url, privateFolder } = urlOfSegments(segments);
        const knownPage = app.pages.get(abs);
        const knownSpelling = app.pageSpellings.get(abs);
        if (knownPage && knownSpelling && prefersSpelling(knownSpelling, segments, throughLink)) {
          app.pages.delete(abs);
          this.changingGroup(app, knownPage.url).pages.delete(knownPage);
          if (app.sortedPages) app.sortedPages = app.sortedPages.filter((page) => page !== knownPage);
        }
        if (!privateFolder && !app.pages.has(abs)) {
          app.pageSpellings.set(abs, { segments, throughLink });
          const page = { url, file: this.relative(abs) };
          app.pages.set(abs, page);
          this.changingGroup(app, url).pages.add(page);
          if (app.sortedPages) insertSorted(app.sortedPages, page, comparePages);
        }
      }
    }
    if (app.routeFiles.get(abs) === known && isMetadataCandidate(name, app.pageExtensions)) {
      app.routeFiles.set(abs, { abs, segments, name, kind: 'metadata', ...(throughLink ? { throughLink } : {}) });
    }
  }

  /** Drops the routes, pages and walk problems at or below the deleted paths (`folders` are those that may be folders). */
  private removeMembers(deleted: ReadonlySet<string>, folders: ReadonlySet<string>): void {
    const gone = (key: string) => deleted.has(key) || (folders.size > 0 && hasAncestorIn(key, folders));
    for (const app of this.apps) {
      if (![...deleted].some((abs) => isWithin(abs, app.candidate.appDir))) continue;
      for (const key of app.routeFiles.keys()) if (gone(key)) app.routeFiles.delete(key);
      let pagesGone = false;
      for (const [key, page] of app.pages) {
        if (!gone(key)) continue;
        app.pages.delete(key);
        this.changingGroup(app, page.url).pages.delete(page);
        pagesGone = true;
      }
      if (pagesGone && app.sortedPages) app.sortedPages = app.sortedPages.filter((page) => app.pages.has(path.resolve(this.root, page.file)));
      for (const [key, linked] of app.linked) if (gone(key)) this.unlink(app, key, linked);
      for (const key of app.walkProblems.keys()) if (gone(key)) app.walkProblems.delete(key);
      for (const key of app.unreadableDirs.keys()) if (gone(key)) app.unreadableDirs.delete(key);
    }
  }

  /**
   * Adds what a created path brings (a file, or a folder walked like the cold scan walks it). A path that
   * is, or lies below, a symbolic link gets the walk's checks: a link into its own ancestry or out of the
   * workspace is reported at the link and not followed.
   */
  private addMember(abs: string): void {
    const member = this.memberOf(abs);
    for (const app of this.apps) {
      const appDir = app.candidate.appDir;
      if (app !== member || this.isExcluded(abs)) continue;
      const segments = path.relative(appDir, abs).split(path.sep);
      if (segments.some((name) => SKIPPED_DIRS.has(name)) || segments.length > MAX_FOLDER_DEPTH + 1) continue;
      // Below a link the walk did not follow, or a folder it could not read, nothing is listed.
      if (hasAncestorIn(abs, app.walkProblems) || hasAncestorIn(abs, app.unreadableDirs)) continue;
      const parent = path.dirname(abs);
      if (this.isSymbolicLink(abs, parent)) {
        app.walkProblems.delete(abs);
        const link = checkLink(this.host, abs, parent, this.rootReal(), this.relative);
        if (link.problem) app.walkProblems.set(abs, link.problem);
        if (!link.follow) continue;
      }
      const stat = this.host.stat(abs);
      if (stat?.isDirectory) this.walkAppDir(app, abs, segments, undefined, this.realAncestry(appDir, abs));
      else if (stat?.isFile) this.classifyFile(app, abs, segments.slice(0, -1), path.basename(abs));
    }
  }

  /** True when the entry itself is a symbolic link: its real path is not its parent's real path plus its name. */
  private isSymbolicLink(abs: string, parent: string): boolean {
    try {
      return this.host.realpath(abs) !== path.join(this.host.realpath(parent), path.basename(abs));
    } catch {
      // A path whose real path cannot be found (ELOOP) is a link into a loop: checkLink reports it.
      return true;
    }
  }

  private readonly graph: ModuleGraph = {
    summaryOf: (abs) => {
      this.recording?.files.add(abs);
      return this.summaryOf(abs);
    },
    resolve: (specifier, from) => {
      const resolved = this.resolver.resolve(specifier, from);
      this.recording?.resolutions.push([specifier, from, resolved ?? null]);
      return resolved;
    },
    relative: (abs) => this.relative(abs),
  };

  /** Routes linked, and routes taken linked from the parse cache (logs and tests read them). */
  readonly linkStats = { linked: 0, fromCache: 0 };

  /** What the route being linked reads, while a parse cache is there to keep its result. */
  private recording: { files: Set<string>; resolutions: Array<[string, string, string | null]> } | undefined;

  /** Content hashes of the files read in this scan and since, for validating linked routes. */
  private readonly fileHashes = new Map<string, string>();

  /** A file's content hash as the analysis reads it (editor text over the disk); a file it cannot read hashes as its problem. */
  private fileHash(abs: string): string {
    let hash = this.fileHashes.get(abs);
    if (hash === undefined) {
      const text = this.readSource(abs);
      hash = typeof text === 'string' ? this.options.cache!.hashText(text) : `problem:${text.id}:${text.message}`;
      this.fileHashes.set(abs, hash);
    }
    return hash;
  }

  /** What every linked route of an app depends on besides its files: a change of any of it re-links them all. */
  private appKey(app: AppState): string {
    return (app.linkKey ??= JSON.stringify({
      root: app.rel,
      context: this.buildContext(app),
      config: app.config,
      nextVersion: app.nextVersion,
      pageExtensions: app.pageExtensions,
      basePath: app.basePath,
      trailingSlash: app.trailingSlash,
    }));
  }

  /**
   * Takes a route's linked result from the parse cache when everything it was made from is as it was: the
   * app's settings, the text of every file the linker read, and the target of every module specifier it
   * resolved (a new file can change where an import goes). A warm start then links nothing.
   */
  private linkFromCache(app: AppState, abs: string): boolean {
    const cache = this.options.cache;
    if (!cache) return false;
    const entry = cache.getEntry<CachedLink>('linked', abs);
    if (!entry) return false;
    const valid =
      entry.appKey === this.appKey(app) &&
      entry.files.every(([file, hash]) => this.fileHash(file) === hash) &&
      entry.resolutions.every(([specifier, from, target]) => (this.resolver.resolve(specifier, from) ?? null) === target);
    if (!valid) {
      cache.drop('linked', abs);
      return false;
    }
    // The summaries behind it stay in the cache: an edit later links the route again from them.
    for (const [file] of entry.files) {
      cache.keep('route', file);
      cache.keep('module', file);
    }
    const { linked } = entry;
    this.setLinked(app, abs, { route: linked.route, problems: linked.problems, dependencies: new Set(linked.dependencies), hasUnresolved: false });
    this.linkStats.fromCache++;
    return true;
  }

  /** Keeps a route's linked result with what it was made from (see linkFromCache). */
  private keepLinked(app: AppState, abs: string, linked: LinkedRoute, recording: NonNullable<Workspace['recording']>): void {
    const cache = this.options.cache;
    // An import that resolves nowhere may resolve to a file created later: such a route is linked again.
    if (!cache || linked.hasUnresolved) return;
    const entry: CachedLink = {
      appKey: this.appKey(app),
      files: [...recording.files].map((file) => [file, this.fileHash(file)]),
      resolutions: recording.resolutions,
      linked: { route: linked.route, problems: linked.problems, dependencies: [...linked.dependencies] },
    };
    cache.setEntry('linked', abs, entry);
  }

  /**
   * Links one route. Whatever goes wrong while linking it (a limit reached, or a bug) stays with this
   * route: it is listed without methods, with a problem that says why, and every other route is linked.
   */
  private linkRoute(app: AppState, abs: string): void {
    this.checkpoint(abs);
    if (this.linkFromCache(app, abs)) return;
    try {
      this.linkRouteUnguarded(app, abs);
    } catch (error) {
      if (isCancellation(error)) throw error;
      const linked = app.linked.get(abs);
      if (linked) this.unlink(app, abs, linked);
      const routeFile = app.routeFiles.get(abs);
      if (!routeFile) return;
      const location = urlOfSegments(routeFile.segments);
      const problems = [failureProblem(this.relative(abs), error)];
      if (location.privateFolder || routeFile.kind !== 'route') {
        this.setLinked(app, abs, { problems, dependencies: new Set(), hasUnresolved: false });
        return;
      }
      this.setLinked(app, abs, { route: bareRoute(app, location, this.relative(abs)), problems, dependencies: new Set(), hasUnresolved: false });
    }
  }

  private linkRouteUnguarded(app: AppState, abs: string): void {
    if (!this.options.cache) return this.linkRouteNow(app, abs);
    const recording = { files: new Set<string>([abs]), resolutions: [] as Array<[string, string, string | null]> };
    this.recording = recording;
    try {
      this.linkRouteNow(app, abs);
    } finally {
      this.recording = undefined;
    }
    const linked = app.linked.get(abs);
    if (linked) this.keepLinked(app, abs, linked, recording);
  }

  private linkRouteNow(app: AppState, abs: string): void {
    const routeFile = app.routeFiles.get(abs);
    if (!routeFile) return;
    this.linkStats.linked++;
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
    const route = bareRoute(app, location, file);
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
      if (routeFile.kind === 'route' && !route.methods.some((m) => !m.implicit) && !problems.some((p) => WHOLE_FILE_PROBLEMS.has(p.id))) {
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
    if (!app.linked.has(file) && app.linkedFiles) insertSorted(app.linkedFiles, file, (a, b) => (a < b ? -1 : a > b ? 1 : 0));
    app.linked.set(file, linked);
    if (linked.route) {
      this.changingGroup(app, linked.route.url).routes.add(file);
      if (app.order) insertSorted(app.order, file, (a, b) => compareLinked(app, a, b));
    }
    if (linked.dependencies.size > 0) this.dependencyFolderSet = undefined;
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
    const at = app.linkedFiles?.indexOf(file) ?? -1;
    if (at !== -1) app.linkedFiles!.splice(at, 1);
    if (linked.dependencies.size > 0) this.dependencyFolderSet = undefined;
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
        for (const problem of runAppCheck(check, { routes, pages, context }, app.rel)) {
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
        const byCheck = APP_CHECKS.map((check) => runAppCheck(check, { routes: groupRoutes, pages: groupPages, context }, app.rel));
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
    const useCache = app.config.useCache?.known === true && app.config.useCache.value === true;
    return { major: app.nextVersion.major, cacheComponents, bundler: app.bundler, ...(useCache ? { useCache } : {}) };
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
    const problems: Problem[] = [...app.problems, ...byKey(app.unreadableDirs), ...byKey(app.walkProblems)];
    for (const file of app.order) {
      const linked = app.linked.get(file);
      if (linked?.route) routes.push(linked.route);
    }
    // By file, so that a cold scan and any sequence of edits that ends in the same files list them alike.
    app.linkedFiles ??= [...app.linked.keys()].sort();
    for (const file of app.linkedFiles) problems.push(...app.linked.get(file)!.problems);
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

/** A map's values in the order of its keys: the same whatever order events added them in. */
function byKey<T>(map: ReadonlyMap<string, T>): T[] {
  return [...map.keys()].sort().map((key) => map.get(key)!);
}

/** Problems that already say why a route file shows no methods: a `no-methods` warning beside them says nothing new. */
const WHOLE_FILE_PROBLEMS = new Set(['file-too-large', 'binary-file', 'unreadable-file', 'too-deep', 'too-much-work', 'internal-error']);

/** Above this many paths in one batch of changes, a rescan costs less than following each one. */
const BULK_CHANGE_THRESHOLD = 2000;

/** One change per path, in linear time: the last event wins, and an edit after a creation is still a creation. */
function coalesceChanges(changes: readonly FileChange[]): Map<string, FileChange> {
  const byPath = new Map<string, FileChange>();
  for (const change of changes) {
    const abs = path.resolve(change.path);
    const previous = byPath.get(abs);
    const type = previous?.type === 'created' && change.type === 'changed' ? 'created' : change.type;
    byPath.set(abs, change.text === undefined ? { path: abs, type } : { path: abs, type, text: change.text });
  }
  return byPath;
}


/**
 * The problem for a file whose analysis threw: a bound of the analysis (too deep, too much work), or a bug
 * in Route Atlas, which must cost this one file and nothing else.
 */
function failureProblem(file: string, error: unknown): Problem {
  if (isLimitError(error)) return limitProblem(file, error);
  const message = error instanceof Error ? error.message : String(error);
  return { id: 'internal-error', severity: 'warning', file, message: `Route Atlas could not analyze ${file} (${message}); this is a bug in Route Atlas. The rest of the app is analyzed.` };
}

/** An app-wide check's problems; a check that throws (a bug) costs its own problems only, said in one problem. */
function runAppCheck(check: (typeof APP_CHECKS)[number], input: Parameters<(typeof APP_CHECKS)[number]['run']>[0], appRoot: string): Problem[] {
  try {
    return check.run(input);
  } catch (error) {
    if (isCancellation(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    return [{ id: 'internal-error', severity: 'warning', message: `Route Atlas could not run the check ${check.id} on ${appRoot} (${message}); this is a bug in Route Atlas.` }];
  }
}

/** Errors a checkpoint throws to abandon work: they must travel up, not become a problem on a file. */
export function isCancellation(error: unknown): boolean {
  return (error as { cancellation?: boolean } | undefined)?.cancellation === true;
}

function missingFolderProblem(root: string, error: string | undefined): Problem {
  return {
    id: 'folder-missing',
    severity: 'warning',
    message: error ? `The folder ${root} cannot be read (${error}); nothing was scanned.` : `The folder ${root} does not exist or is not a folder; nothing was scanned.`,
  };
}

/** A route at its URL with nothing known of its code yet: what linking starts from, and what a route that failed to link stays. */
function bareRoute(app: AppState, location: ReturnType<typeof urlOfSegments>, file: string): Route {
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
  return route;
}

/** A linked route as the parse cache keeps it, with what it was made from. */
interface CachedLink {
  appKey: string;
  files: Array<[string, string]>;
  resolutions: Array<[string, string, string | null]>;
  linked: { route?: Route; problems: Problem[]; dependencies: string[] };
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

/**
 * True when a file met again under `segments` should be listed there instead of where it is: a spelling
 * without symbolic links wins, then the first in code-point order, so that the walk's order never decides.
 */
function prefersSpelling(known: { segments: readonly string[]; throughLink?: boolean }, segments: readonly string[], throughLink: boolean): boolean {
  if (Boolean(known.throughLink) !== throughLink) return !throughLink;
  const a = segments.join('/');
  const b = known.segments.join('/');
  return a < b;
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
