import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CancellationToken,
  CodeAction,
  CodeLens,
  CodeLensRefreshRequest,
  type Connection,
  type Diagnostic,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  FileChangeType,
  LSPErrorCodes,
  type Hover,
  type InitializeParams,
  type InitializeResult,
  Location,
  MarkupKind,
  ResponseError,
  SymbolKind,
  TextDocumentSyncKind,
  TextDocuments,
  WatchKind,
  type WorkspaceSymbol,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CallerReport } from '../analysis/callers';
import { isInSkippedDir, isWithin } from '../analysis/folders';
import type { Problem, Route, RouteManifest, Severity } from '../analysis/model';
import {
  AgentToolRequest,
  applyManifestChanges,
  ClientCommands,
  OpenApiRequest,
  type OpenApiResponse,
  DidChangeManifestNotification,
  ManifestRequest,
  type ManifestResult,
  RescanRequest,
  type RevealReasonArgs,
  type SendRequestArgs,
  type ShowCallersArgs,
  ServerStatusNotification,
  type ServerStatusParams,
} from '../protocol';
import { toCodeAction, toDiagnostic, toRange, toUri } from './convert';
import type { EngineChange, FolderSpec, FromEngine, JobOutcome } from './engineMessages';
import { EngineHost, type EngineHostOptions, type EngineRestart } from './engineHost';
import { manifestAnswer } from './manifestChanges';
import { describeVerdict, hoverMarkdown } from './present';
import { runAgentTool } from '../agent/tools';
import { DEFAULT_SETTINGS, parseSettings, type ServerSettings, severityFor } from './settings';

/**
 * What the client watches for us: everything under app dirs (folders too, since a file created with its
 * folder may be reported only as the folder), the files that configure an app, and, registered again
 * whenever they change, the exact modules that some route's methods or verdict depend on.
 */
export const WATCHED_GLOBS = ['**/app/**', '**/{next.config.*,package.json,tsconfig.json,jsconfig.json,pnpm-workspace.yaml}'];

/** Diagnostics notifications sent per turn of the event loop. */
const DIAGNOSTICS_PER_TURN = 100;
/** Real paths remembered for editor names (see realPathOf); beyond this the cache starts again. */
const MAX_REAL_PATHS = 4096;

/** How long edits settle before they go to the analysis thread, and the longest a burst of keystrokes waits. */
const DEBOUNCE_MS = 50;
const MAX_WAIT_MS = 200;

interface FolderState {
  uri: string;
  root: string;
  /** Workspace folders nested inside this one, which own what is below them. */
  excludedDirs: string[];
  /** The manifest shown: complete, or the apps found so far during the folder's first scan. */
  manifest: RouteManifest;
  complete: boolean;
  /** The engine's version of `manifest`: its next post is a change to this one. */
  engineVersion: number;
  /** Who calls each endpoint; indexed by the engine after the manifest, off the critical path. */
  callers?: CallerReport;
  /** The scan job running or queued for this folder, if any. */
  scanJob?: number;
}

export interface ServerOptions {
  /** Replaces the debounce delay (tests use 0). */
  debounceMs?: number;
  /** Passed to the analysis thread's host (tests shorten the watchdog and make the engine stall). */
  engine?: EngineHostOptions;
}

/**
 * The Route Atlas language server over any connection. This thread only receives messages, answers from
 * the manifests it holds, and hands work to the analysis thread (engine.ts); nothing here waits for
 * analysis, so every request is answered at once, shutdown included. Each handler is short: find the
 * folder, read its manifest, convert.
 */
export function startServer(connection: Connection, options: ServerOptions = {}): { dispose(): void } {
  const documents = new TextDocuments(TextDocument);
  const folders = new Map<string, FolderState>();
  let settings: ServerSettings = DEFAULT_SETTINGS;
  let clientCommands = new Set<string>();
  let cacheDir: string | undefined;
  let manifestVersion = 0;
  /** The diagnostics last sent for each file, as JSON. */
  let publishedDiagnostics = new Map<string, string>();
  let canRegisterWatchers = false;
  let canRefreshLenses = false;
  let hasWorkDoneProgress = false;
  let supportsFolderChanges = false;
  let initializeSeen = false;
  let initializedSeen = false;
  let shuttingDown = false;
  const pending = new Map<string, EngineChange>();
  let flushTimer: NodeJS.Timeout | undefined;
  let firstPendingAt = 0;
  const debounceMs = options.debounceMs ?? DEBOUNCE_MS;
  /** Files the watchdog stopped the analysis on, and why; skipped until they change. */
  const quarantined = new Map<string, string>();
  /** Jobs whose end someone waits for (rescans), by job id. */
  const jobWaiters = new Map<number, (outcome: JobOutcome) => void>();
  const routeAtWaiters = new Map<number, (target: Extract<FromEngine, { type: 'routeAt' }>['target']) => void>();
  const openApiWaiters = new Map<number, (result: OpenApiResponse | undefined) => void>();
  const warnedMissing = new Set<string>();

  const sendStatus = (params: ServerStatusParams) => void connection.sendNotification(ServerStatusNotification.type, params);
  const log = (message: string) => connection.console.log(message);

  const engine = new EngineHost(
    (message) => onEngineMessage(message),
    (restart) => onEngineRestart(restart),
    (message) => {
      connection.console.error(message);
      sendStatus({ state: 'error', message });
      for (const resolve of jobWaiters.values()) resolve('failed');
      jobWaiters.clear();
    },
    options.engine,
  );

  const engineOptions = () => ({
    nextVersion: settings.nextVersion === 'auto' ? undefined : Number(settings.nextVersion),
    cacheComponents: settings.cacheComponents === 'auto' ? undefined : settings.cacheComponents === 'on',
    quarantined: [...quarantined],
    cacheDir,
  });

  const folderOf = (file: string): FolderState | undefined => {
    let best: FolderState | undefined;
    for (const folder of folders.values()) {
      if (isWithin(file, folder.root) && (!best || folder.root.length > best.root.length)) best = folder;
    }
    return best;
  };

  const allRoutes = function* (): Generator<{ folder: FolderState; route: Route }> {
    for (const folder of folders.values()) for (const app of folder.manifest.apps) for (const route of app.routes) yield { folder, route };
  };

  /**
   * The real path of a file the editor names through a symbolic link (`docs/app/x/route.ts` where `docs` links
   * to `showcase/shell-docs`): the analysis keys every file by its real path. Undefined when the name is real
   * already. Cached, since lenses and hovers ask per file; cleared with every batch of file events, in which a
   * link may have moved.
   */
  const realPaths = new Map<string, string | null>();
  const realPathOf = (file: string): string | undefined => {
    let real = realPaths.get(file);
    if (real === undefined) {
      try {
        real = fs.realpathSync.native(file);
      } catch {
        real = null;
      }
      if (realPaths.size >= MAX_REAL_PATHS) realPaths.clear();
      realPaths.set(file, real);
    }
    return real && real !== file ? real : undefined;
  };
  /** The path the analysis knows a file by: its real path when the editor's name goes through a link. */
  const analyzedPath = (file: string): string => {
    const real = realPathOf(file);
    return real && folderOf(real) ? real : file;
  };

  /** Each folder's routes by file, built once per manifest: lenses and hovers ask for one file at a time. */
  const routesByFile = new WeakMap<RouteManifest, Map<string, Route[]>>();
  const routesInFile = (uri: string): Array<{ folder: FolderState; route: Route }> => {
    const named = uriToPath(uri);
    const file = named ? analyzedPath(named) : undefined;
    const folder = file ? folderOf(file) : undefined;
    if (!folder || !file) return [];
    let index = routesByFile.get(folder.manifest);
    if (!index) {
      index = new Map();
      for (const app of folder.manifest.apps) {
        for (const route of app.routes) {
          const list = index.get(route.file);
          if (list) list.push(route);
          else index.set(route.file, [route]);
        }
      }
      routesByFile.set(folder.manifest, index);
    }
    return (index.get(toPosixRelative(folder.root, file)) ?? []).map((route) => ({ folder, route }));
  };

  /** A route file's URI, made once per route object (a workspace symbol search lists hundreds). */
  const routeUris = new WeakMap<Route, string>();
  const routeUri = (folder: FolderState, route: Route): string => {
    let uri = routeUris.get(route);
    if (uri === undefined) routeUris.set(route, (uri = toUri(folder.root, route.file)));
    return uri;
  };

  /** The status totals; problems are counted as the Problems panel shows them (see publishDiagnostics). */
  const totals = (): Pick<ServerStatusParams, 'apps' | 'routes' | 'problems'> => {
    let apps = 0;
    let routes = 0;
    for (const folder of folders.values()) {
      apps += folder.manifest.apps.length;
      for (const app of folder.manifest.apps) routes += app.routes.length;
    }
    return { apps, routes, problems: diagnosticCount };
  };

  /**
   * Each problem's diagnostic and its JSON, for the severity it was made with: a problem the workspace did
   * not rebuild is the same object after an edit, so only new problems are converted.
   */
  const diagnosticsMade = new WeakMap<Problem, { severity: string; root: string; uri: string; diagnostic: Diagnostic; json: string }>();
  const diagnosticOf = (problem: Problem, severity: Severity, root: string) => {
    let made = diagnosticsMade.get(problem);
    if (made?.severity !== severity || made.root !== root) {
      const diagnostic = toDiagnostic(problem, severity, root);
      made = { severity, root, uri: toUri(root, problem.file!), diagnostic, json: JSON.stringify(diagnostic) };
      diagnosticsMade.set(problem, made);
    }
    return made;
  };

  const folderProblems = (folder: FolderState): Problem[] => {
    const problems: Problem[] = [...folder.manifest.problems];
    for (const app of folder.manifest.apps) for (const problem of app.problems) problems.push(problem);
    for (const problem of folder.callers?.problems ?? []) problems.push(problem);
    return problems;
  };

  /** How many diagnostics are published: the status bar's problem count, so that it agrees with the Problems panel. */
  let diagnosticCount = 0;
  const publishDiagnostics = () => {
    const byUri = new Map<string, Array<{ diagnostic: Diagnostic; json: string }>>();
    for (const folder of folders.values()) {
      for (const problem of folderProblems(folder)) {
        // A problem of a whole file (too large, too deep, binary) shows on its first line.
        if (!problem.file) continue;
        const severity = severityFor(settings, problem.id, problem.severity);
        if (severity === 'ignore') continue;
        const made = diagnosticOf(problem, severity, folder.root);
        const list = byUri.get(made.uri) ?? [];
        list.push(made);
        byUri.set(made.uri, list);
      }
    }
    // Only files whose diagnostics changed are sent: at 10,000 routes, a thousand files have some, and an
    // edit changes those of one or two.
    const published = new Map<string, string>();
    for (const uri of publishedDiagnostics.keys()) if (!byUri.has(uri)) diagnosticsOutbox.set(uri, []);
    for (const [uri, made] of byUri) {
      const key = made.map((m) => m.json).join('\n');
      if (publishedDiagnostics.get(uri) !== key) diagnosticsOutbox.set(uri, made.map((m) => m.diagnostic));
      published.set(uri, key);
    }
    diagnosticCount = 0;
    for (const made of byUri.values()) diagnosticCount += made.length;
    // A document open under a link's name shows the diagnostics of the file it is (not counted twice).
    for (const document of documents.all()) {
      const named = uriToPath(document.uri);
      const real = named ? realPathOf(named) : undefined;
      const folder = real ? folderOf(real) : undefined;
      const made = folder && real ? byUri.get(toUri(folder.root, toPosixRelative(folder.root, real))) : undefined;
      if (!made || byUri.has(document.uri)) continue;
      const key = made.map((m) => m.json).join('\n');
      // Unchanged, it must not be cleared by the loop above, which took it for a file without diagnostics.
      if (publishedDiagnostics.get(document.uri) !== key) diagnosticsOutbox.set(document.uri, made.map((m) => m.diagnostic));
      else diagnosticsOutbox.delete(document.uri);
      published.set(document.uri, key);
    }
    publishedDiagnostics = published;
    drainDiagnostics();
  };

  /**
   * Diagnostics wait here to be sent, a batch per turn of the event loop: after the first scan of a large
   * app a thousand files have some, and requests must not wait for all of them to go out. A file's entry
   * is replaced by newer diagnostics before it is sent.
   */
  const diagnosticsOutbox = new Map<string, Diagnostic[]>();
  let draining = false;
  const drainDiagnostics = () => {
    if (draining) return;
    draining = true;
    const sendBatch = () => {
      let sent = 0;
      for (const [uri, diagnostics] of diagnosticsOutbox) {
        diagnosticsOutbox.delete(uri);
        void connection.sendDiagnostics({ uri, diagnostics });
        if (++sent === DIAGNOSTICS_PER_TURN) break;
      }
      if (diagnosticsOutbox.size > 0 && !shuttingDown) setImmediate(sendBatch);
      else draining = false;
    };
    sendBatch();
  };

  let dependencyWatch: { key: string; registration?: Promise<{ dispose(): void }> } = { key: '' };
  const dependencyFiles = new Map<string, string[]>();
  /** Watches the modules outside app dirs that routes depend on; re-registered only when that set changes. */
  const watchDependencies = () => {
    if (!canRegisterWatchers) return;
    const files = [...dependencyFiles.values()].flat().filter((file) => !/[\\/](src[\\/])?app[\\/]/.test(file));
    const key = files.sort().join('\n');
    if (key === dependencyWatch.key) return;
    const previous = dependencyWatch.registration;
    const registration =
      files.length > 0
        ? connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: files.map((file) => ({ globPattern: file.split(path.sep).join('/') })) })
        : undefined;
    dependencyWatch = { key, registration };
    void previous?.then((r) => r.dispose());
  };

  const scanning = () => [...folders.values()].some((folder) => folder.scanJob !== undefined);

  const sendReadyOrScanning = () => {
    if (scanning()) {
      const count = [...folders.values()].filter((folder) => folder.scanJob !== undefined).length;
      sendStatus({ state: 'scanning', message: `Scanning ${count} folder(s)`, ...totals() });
    } else sendStatus({ state: 'ready', ...totals() });
  };

  const afterManifestChange = (changedFiles: string[]) => {
    manifestVersion++;
    publishDiagnostics();
    void connection.sendNotification(DidChangeManifestNotification.type, { version: manifestVersion, changedFiles });
    if (canRefreshLenses) void connection.sendRequest(CodeLensRefreshRequest.type);
    sendReadyOrScanning();
  };

  let progress: { done(): void; report(message: string): void } | undefined;
  const updateProgress = () => {
    if (!hasWorkDoneProgress) return;
    const running = [...folders.values()].filter((folder) => folder.scanJob !== undefined);
    if (running.length === 0) {
      progress?.done();
      progress = undefined;
      return;
    }
    if (progress) return;
    const handle: { done(): void; report(message: string): void } = { done: () => undefined, report: () => undefined };
    progress = handle;
    // Progress is for the eye only: nothing waits for the client to accept it.
    void connection.window.createWorkDoneProgress().then((reporter) => {
      if (progress !== handle) return reporter.done();
      reporter.begin('Route Atlas', undefined, 'Scanning for Next.js routes', false);
      handle.done = () => reporter.done();
      handle.report = (message) => reporter.report(message);
    }, () => undefined);
  };

  /** Starts a (re)scan of a folder in the engine, with the editor's unsaved text; the manifest shown stays until it is done. */
  const scanFolder = (folder: FolderState): Promise<JobOutcome> => {
    if (folder.scanJob !== undefined) engine.cancel(folder.scanJob);
    const job = engine.nextJob();
    folder.scanJob = job;
    const spec: FolderSpec = { uri: folder.uri, root: folder.root, excludedDirs: folder.excludedDirs };
    const overlays: Array<[string, string]> = [];
    for (const document of documents.all()) {
      const file = uriToPath(document.uri);
      if (file && folderOf(file) === folder) overlays.push([file, document.getText()]);
    }
    // Edits queued for this folder are in the overlays now.
    for (const [file] of pending) if (folderOf(file) === folder) pending.delete(file);
    engine.post({ type: 'scan', job, folder: spec, overlays });
    updateProgress();
    return new Promise((resolve) => jobWaiters.set(job, resolve));
  };

  /** The nested workspace folders of each folder: recomputed when folders come and go. */
  const updateExclusions = (): FolderState[] => {
    const changed: FolderState[] = [];
    for (const folder of folders.values()) {
      const excluded = [...folders.values()].filter((other) => other !== folder && other.root !== folder.root && isWithin(other.root, folder.root)).map((other) => other.root).sort();
      if (excluded.join('\n') !== folder.excludedDirs.join('\n')) {
        folder.excludedDirs = excluded;
        changed.push(folder);
      }
    }
    return changed;
  };

  const emptyManifest = (root: string): RouteManifest => ({ manifestVersion: '1.0', generator: { name: 'route-atlas', version: '0.1.0' }, root, apps: [], problems: [] });

  const addFolders = (uris: string[]): FolderState[] => {
    const added: FolderState[] = [];
    for (const uri of uris) {
      const root = uriToPath(uri);
      if (!root) {
        log(`Skipping workspace folder ${uri}: only file: folders can be scanned.`);
        continue;
      }
      if (folders.has(uri)) continue;
      const folder: FolderState = { uri, root: path.resolve(root), excludedDirs: [], manifest: emptyManifest(root), complete: false, engineVersion: 0 };
      folders.set(uri, folder);
      added.push(folder);
    }
    return added;
  };

  const scanAll = (targets: FolderState[]): Promise<JobOutcome[]> => {
    const started = targets.map((folder) => scanFolder(folder));
    sendReadyOrScanning();
    return Promise.all(started);
  };

  /** Routes the engine sent ahead of a large manifest, by folder. */
  const routesAhead = new Map<string, Route[]>();
  const putRoutesBack = (message: Extract<FromEngine, { type: 'manifest' }>, routes: Route[]) => {
    const changes = message.answer.changes?.folders.find((folder) => folder.uri === message.uri)?.apps;
    const apps = message.answer.folders[0].manifest.apps;
    let next = 0;
    message.routeParts!.forEach((count, i) => {
      const list = routes.slice(next, next + count);
      next += count;
      if (changes) changes[i].changed = list;
      else apps[i].routes = list;
    });
  };

  const onEngineMessage = (message: FromEngine) => {
    switch (message.type) {
      case 'log':
        if (message.level === 'error') connection.console.error(message.message);
        else if (message.level === 'warn') connection.console.warn(message.message);
        else log(message.message);
        return;
      case 'done': {
        for (const folder of folders.values()) {
          if (folder.scanJob === message.job) {
            folder.scanJob = undefined;
            if (message.outcome !== 'completed') sendReadyOrScanning();
          }
        }
        updateProgress();
        jobWaiters.get(message.job)?.(message.outcome);
        jobWaiters.delete(message.job);
        return;
      }
      case 'routeAt':
        routeAtWaiters.get(message.job)?.(message.target);
        routeAtWaiters.delete(message.job);
        return;
      case 'openapi':
        openApiWaiters.get(message.job)?.(message.result);
        openApiWaiters.delete(message.job);
        return;
      case 'callers': {
        const folder = folders.get(message.uri);
        if (!folder) return;
        folder.callers = message.report;
        publishDiagnostics();
        sendReadyOrScanning();
        if (canRefreshLenses) void connection.sendRequest(CodeLensRefreshRequest.type);
        return;
      }
      case 'routes': {
        let buffer = routesAhead.get(message.uri);
        if (!buffer) routesAhead.set(message.uri, (buffer = []));
        for (const route of message.routes) buffer.push(route);
        engine.acknowledge();
        return;
      }
      case 'manifest': {
        const folder = folders.get(message.uri);
        const ahead = routesAhead.get(message.uri) ?? [];
        routesAhead.delete(message.uri);
        if (!folder) return;
        if (message.routeParts) putRoutesBack(message, ahead);
        const held: ManifestResult = { folders: [{ uri: folder.uri, manifest: folder.manifest }], version: folder.engineVersion };
        const applied = applyManifestChanges(message.answer.changes ? held : undefined, message.answer);
        if (!applied) {
          // The engine posted changes to a version this thread does not hold: ask for all of it.
          engine.post({ type: 'resend', uri: folder.uri });
          return;
        }
        folder.manifest = applied.folders[0].manifest;
        folder.engineVersion = message.answer.version;
        folder.complete = folder.complete || message.complete;
        if (message.complete && folder.scanJob === message.job) {
          // The scan's final manifest: the folder is no longer scanning even before its `done` arrives.
          folder.scanJob = undefined;
          updateProgress();
        }
        if (message.dependencies) {
          dependencyFiles.set(folder.uri, message.dependencies);
          watchDependencies();
        }
        if (message.complete) reportMissingFolder(folder);
        afterManifestChange(message.changedFiles.map((file) => toUri(folder.root, path.relative(folder.root, file))));
        return;
      }
    }
  };

  /** A workspace folder that does not exist gets a message, once, besides its problem in the manifest. */
  const reportMissingFolder = (folder: FolderState) => {
    const missing = folder.manifest.problems.find((problem) => problem.id === 'folder-missing');
    if (!missing || warnedMissing.has(folder.uri)) return;
    warnedMissing.add(folder.uri);
    connection.console.warn(missing.message);
    void connection.window.showWarningMessage(`Route Atlas: ${missing.message}`);
  };

  /**
   * A new engine knows nothing: it gets the settings and every folder again, with the file it stalled on
   * skipped. The manifests shown stay until the new scans replace them, so the tree never empties.
   */
  const onEngineRestart = (restart: EngineRestart) => {
    connection.console.error(restart.message);
    if (restart.reason === 'stalled' && restart.subject && path.isAbsolute(restart.subject)) {
      const seconds = Math.round((options.engine?.stallMs ?? 15_000) / 1000);
      quarantined.set(restart.subject, `it took over ${seconds} s without progress (a file built to be hostile, or a bug in Route Atlas).`);
    }
    for (const [job, resolve] of routeAtWaiters) {
      resolve(undefined);
      routeAtWaiters.delete(job);
    }
    for (const [job, resolve] of openApiWaiters) {
      resolve(undefined);
      openApiWaiters.delete(job);
    }
    routesAhead.clear();
    const waiting = [...jobWaiters];
    jobWaiters.clear();
    for (const folder of folders.values()) {
      folder.scanJob = undefined;
      folder.engineVersion = 0;
    }
    engine.post({ type: 'configure', options: engineOptions() });
    const rescans = [...folders.values()].map((folder) => scanFolder(folder));
    // Whoever waited for a job of the old engine waits for the new scans instead.
    void Promise.all(rescans).then((outcomes) => {
      const outcome = outcomes.every((o) => o === 'completed') ? 'completed' : 'failed';
      for (const [, resolve] of waiting) resolve(outcome);
    });
    sendReadyOrScanning();
  };

  /** Sends queued changes to the engine: after a pause in the events, and at least every MAX_WAIT_MS while they keep coming. */
  const flush = () => {
    flushTimer = undefined;
    const byFolder = new Map<FolderState, EngineChange[]>();
    for (const change of pending.values()) {
      const folder = folderOf(change.path);
      if (!folder) continue;
      let list = byFolder.get(folder);
      if (!list) byFolder.set(folder, (list = []));
      list.push(change);
      if (quarantined.delete(change.path)) engine.post({ type: 'configure', options: engineOptions() });
    }
    pending.clear();
    for (const [folder, changes] of byFolder) engine.post({ type: 'update', job: engine.nextJob(), uri: folder.uri, changes });
  };

  const queue = (change: EngineChange) => {
    const previous = pending.get(change.path);
    // An edit right after a creation is still a creation, with the newer text.
    const type = previous?.type === 'created' && change.type === 'changed' ? 'created' : change.type;
    const merged: EngineChange = { path: change.path, type, fromEditor: change.fromEditor || (previous?.fromEditor ?? false) };
    if (change.text !== undefined) merged.text = change.text;
    pending.set(change.path, merged);
    const now = performance.now();
    if (!flushTimer) firstPendingAt = now;
    else clearTimeout(flushTimer);
    const delay = Math.max(0, Math.min(debounceMs, firstPendingAt + Math.max(MAX_WAIT_MS, debounceMs) - now));
    flushTimer = setTimeout(flush, delay);
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    if (initializeSeen) throw new ResponseError(ErrorCodes.InvalidRequest, 'The server is already initialized; initialize may be sent only once.');
    initializeSeen = true;
    const init = (params.initializationOptions ?? {}) as { settings?: unknown; clientCommands?: string[]; cacheDir?: unknown };
    settings = parseSettings(init.settings);
    cacheDir = typeof init.cacheDir === 'string' && path.isAbsolute(init.cacheDir) ? init.cacheDir : undefined;
    clientCommands = new Set(init.clientCommands ?? []);
    canRegisterWatchers = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    canRefreshLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    hasWorkDoneProgress = params.capabilities.window?.workDoneProgress === true;
    supportsFolderChanges = params.capabilities.workspace?.workspaceFolders === true;
    addFolders(params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []));
    updateExclusions();
    engine.post({ type: 'configure', options: engineOptions() });
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeLensProvider: { resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        workspaceSymbolProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'route-atlas', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (initializedSeen) return;
    initializedSeen = true;
    sendStatus({ state: 'starting' });
    if (canRegisterWatchers) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          ...WATCHED_GLOBS.map((globPattern) => ({ globPattern })),
          // A tree copied or checked out in one go is often reported as its top folder alone, whatever its name.
          { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
        ],
      });
    }
    if (supportsFolderChanges) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        for (const removed of event.removed) {
          const folder = folders.get(removed.uri);
          if (folder?.scanJob !== undefined) engine.cancel(folder.scanJob);
          folders.delete(removed.uri);
          dependencyFiles.delete(removed.uri);
          engine.post({ type: 'close', uri: removed.uri });
        }
        const added = addFolders(event.added.map((f) => f.uri));
        // An outer folder gives up (or takes back) what a nested folder owns: it is scanned again.
        const regrouped = updateExclusions().filter((folder) => !added.includes(folder));
        void scanAll([...added, ...regrouped]);
        publishDiagnostics();
        watchDependencies();
        afterManifestChange([]);
      });
    }
    void scanAll([...folders.values()]);
  });

  connection.onDidChangeConfiguration((change) => {
    const raw = (change.settings as { routeAtlas?: unknown } | undefined)?.routeAtlas;
    if (!raw) return;
    const previous = settings;
    settings = parseSettings(raw);
    if (previous.nextVersion !== settings.nextVersion || previous.cacheComponents !== settings.cacheComponents) {
      engine.post({ type: 'configure', options: engineOptions() });
      void scanAll([...folders.values()]);
    } else {
      // New severities or lens settings change diagnostics and lenses, not the manifest.
      publishDiagnostics();
      sendReadyOrScanning();
      if (canRefreshLenses) void connection.sendRequest(CodeLensRefreshRequest.type);
    }
  });

  documents.onDidOpen((event) => {
    const file = uriToPath(event.document.uri);
    // The engine checks whether the text is news (a route file the watcher has not reported, or unsaved text).
    if (file) queue({ path: file, type: 'changed', text: event.document.getText(), fromEditor: true });
    // A document opened under a link's name gets the diagnostics its real file has now.
    if (file && realPathOf(file)) publishDiagnostics();
  });
  documents.onDidChangeContent((event) => {
    const file = uriToPath(event.document.uri);
    if (file) queue({ path: file, type: 'changed', text: event.document.getText(), fromEditor: true });
  });
  documents.onDidClose((event) => {
    const file = uriToPath(event.document.uri);
    if (file) queue({ path: file, type: 'changed', fromEditor: true });
    if (file && realPathOf(file)) publishDiagnostics();
  });

  connection.onDidChangeWatchedFiles((params) => {
    realPaths.clear();
    for (const change of params.changes) {
      const file = uriToPath(change.uri);
      if (!file) continue;
      // An open document's text wins over the disk until it is closed.
      if (change.type === FileChangeType.Changed && documents.get(change.uri)) continue;
      const folder = folderOf(file);
      // Dependencies, build output and VCS data never hold routes: most events of an install or a build end here.
      if (!folder || (isInSkippedDir(folder.root, file) && !isNextPackageJson(file))) continue;
      const type = change.type === FileChangeType.Created ? 'created' : change.type === FileChangeType.Deleted ? 'deleted' : 'changed';
      queue({ path: file, type, fromEditor: false });
    }
  });

  /** The manifests of the last answer, so that the next request can get only what changed since. */
  let lastAnswer: ManifestResult | undefined;
  const manifestResult = (since?: number): ManifestResult => {
    const current: ManifestResult = {
      folders: [...folders.values()].map((f) => (f.complete ? { uri: f.uri, manifest: f.manifest } : { uri: f.uri, manifest: f.manifest, scanning: true })),
      version: manifestVersion,
    };
    const answer = manifestAnswer(current, lastAnswer, since);
    lastAnswer = current;
    return answer;
  };

  const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');

  connection.onRequest(ManifestRequest.type, (params, token) => {
    if (token.isCancellationRequested) throw cancelled();
    return manifestResult(params?.since);
  });

  connection.onRequest(RescanRequest.type, async (_params, token) => {
    const targets = [...folders.values()];
    const jobs = scanAll(targets);
    const subscription = token.onCancellationRequested(() => {
      for (const folder of targets) if (folder.scanJob !== undefined) engine.cancel(folder.scanJob);
    });
    try {
      await jobs;
    } finally {
      subscription.dispose();
    }
    if (token.isCancellationRequested) throw cancelled();
    return manifestResult();
  });

  connection.onCodeLens((params, token) => {
    if (!settings.codeLensEnable || token.isCancellationRequested) return [];
    const lenses: CodeLens[] = [];
    for (const { folder, route } of routesInFile(params.textDocument.uri)) {
      for (const method of route.methods) {
        if (method.implicit || !method.span) continue;
        const range = toRange(method.span);
        if (clientCommands.has(ClientCommands.sendRequest)) {
          const args: SendRequestArgs = { uri: params.textDocument.uri, url: route.url, method: method.name, appRoot: route.appRoot };
          const lens = CodeLens.create(range);
          lens.command = { title: `Send ${method.name} ${route.publicPath}`, command: ClientCommands.sendRequest, arguments: [args] };
          lenses.push(lens);
        }
        const callers = folder.callers?.callers.get(route.file)?.get(method.name);
        if (callers?.length && clientCommands.has(ClientCommands.showCallers)) {
          const args: ShowCallersArgs = {
            uri: params.textDocument.uri,
            position: range.start,
            locations: callers.map((c) => ({ uri: toUri(folder.root, c.file), range: toRange(c.span) })),
          };
          const lens = CodeLens.create(range);
          lens.command = { title: `${callers.length} caller${callers.length === 1 ? '' : 's'}`, command: ClientCommands.showCallers, arguments: [args] };
          lenses.push(lens);
        }
        if (method.name === 'GET' && route.caching) {
          const reason = route.caching.reasons[0];
          const target = reason?.location ?? { file: route.file, span: method.span };
          const args: RevealReasonArgs = { uri: toUri(folder.root, target.file), line: target.span.line - 1, column: target.span.column - 1 };
          const command = clientCommands.has(ClientCommands.revealReason) ? ClientCommands.revealReason : '';
          const lens = CodeLens.create(range);
          lens.command = { title: describeVerdict(route.caching, folder.root), command, arguments: [args] };
          lenses.push(lens);
        }
      }
    }
    return lenses;
  });

  connection.onHover((params, token): Hover | undefined => {
    if (token.isCancellationRequested) return undefined;
    for (const { route } of routesInFile(params.textDocument.uri)) {
      for (const method of route.methods) {
        if (!method.span) continue;
        const range = toRange(method.span);
        const { line, character } = params.position;
        const inside = (line > range.start.line || (line === range.start.line && character >= range.start.character)) && (line < range.end.line || (line === range.end.line && character <= range.end.character));
        if (inside) return { contents: { kind: MarkupKind.Markdown, value: hoverMarkdown(route, method) }, range };
      }
    }
    return undefined;
  });

  /** The OpenAPI document needs the workspace's sources, which only the engine holds: it builds it. */
  connection.onRequest(OpenApiRequest.type, async (params, token): Promise<OpenApiResponse> => {
    const folder = folders.get(params.folder);
    if (!folder) return { error: `${params.folder} is not a workspace folder Route Atlas knows.`, appRoots: [] };
    if (!folder.complete) return { error: 'The folder is still being scanned; try again when the scan is done.', appRoots: folder.manifest.apps.map((a) => a.root) };
    const job = engine.nextJob();
    const result = await new Promise<OpenApiResponse | undefined>((resolve) => {
      openApiWaiters.set(job, resolve);
      token.onCancellationRequested(() => {
        openApiWaiters.delete(job);
        resolve(undefined);
      });
      engine.post({ type: 'openapi', job, uri: folder.uri, app: params.app });
    });
    if (token.isCancellationRequested) throw cancelled();
    return result ?? { error: 'The analysis thread restarted before the document was built; try again.', appRoots: [] };
  });

  /**
   * The agent tools are pure functions of the manifests this thread holds: linear in the routes at most,
   * like the manifest request, so they are answered here without the engine.
   */
  connection.onRequest(AgentToolRequest.type, (params, token) => {
    if (token.isCancellationRequested) throw cancelled();
    const context = { folders: [...folders.values()].map((folder) => ({ manifest: folder.manifest, callerProblems: () => folder.callers?.problems ?? [] })) };
    const result = runAgentTool(params.name, context, params.arguments);
    return { text: result.text, structured: result.structured, isError: result.isError };
  });

  connection.onDefinition(async (params, token): Promise<Location[]> => {
    const file = uriToPath(params.textDocument.uri);
    const folder = file ? folderOf(file) : undefined;
    const document = documents.get(params.textDocument.uri);
    // Before the folder's first scan is complete there is nothing to go to.
    if (!file || !folder || !document || !folder.complete || token.isCancellationRequested) return [];
    const job = engine.nextJob();
    const target = await new Promise<Extract<FromEngine, { type: 'routeAt' }>['target']>((resolve) => {
      routeAtWaiters.set(job, resolve);
      token.onCancellationRequested(() => {
        routeAtWaiters.delete(job);
        resolve(undefined);
      });
      engine.post({ type: 'routeAt', job, uri: folder.uri, file, text: document.getText(), line: params.position.line + 1, column: params.position.character + 1 });
    });
    if (!target || token.isCancellationRequested) return [];
    return [Location.create(toUri(folder.root, path.relative(folder.root, target.file)), toRange(target.span))];
  });

  /**
   * Quick fixes come from the problems this server holds for the file, matched to the diagnostics the client
   * sends back by code, range and message: edits are never built from what a client puts in a diagnostic.
   */
  connection.onCodeAction((params, token) => {
    if (token.isCancellationRequested) return [];
    const named = uriToPath(params.textDocument.uri);
    const file = named ? analyzedPath(named) : undefined;
    const folder = file ? folderOf(file) : undefined;
    if (!file || !folder) return [];
    const relative = toPosixRelative(folder.root, file);
    const actions: CodeAction[] = [];
    for (const diagnostic of params.context.diagnostics) {
      const problem = folderProblems(folder).find(
        (candidate) =>
          candidate.fix !== undefined &&
          candidate.file === relative &&
          candidate.id === diagnostic.code &&
          candidate.message === diagnostic.message &&
          JSON.stringify(toRange(candidate.span)) === JSON.stringify(diagnostic.range),
      );
      if (!problem) continue;
      const own = toDiagnostic(problem, severityFor(settings, problem.id, problem.severity) as Severity, folder.root);
      const action = toCodeAction(own);
      if (action) {
        action.diagnostics = [diagnostic];
        actions.push(action);
      }
    }
    return actions;
  });

  connection.onWorkspaceSymbol((params, token): WorkspaceSymbol[] => {
    if (token.isCancellationRequested) return [];
    const query = params.query.toLowerCase().replace(/\s+/g, ' ');
    const symbols: WorkspaceSymbol[] = [];
    for (const { folder, route } of allRoutes()) {
      for (const method of route.methods) {
        if (method.implicit && route.kind === 'route') continue;
        const name = route.kind === 'route' ? `${method.name} ${route.url}` : `${route.kind} ${route.url}`;
        if (query && !fuzzyMatch(name.toLowerCase(), query)) continue;
        symbols.push({
          name,
          kind: SymbolKind.Function,
          containerName: route.appRoot === '.' ? path.basename(folder.root) : route.appRoot,
          location: { uri: routeUri(folder, route), range: toRange(method.span) },
        });
        if (symbols.length >= 500) return symbols;
      }
      if (route.kind !== 'route' && (!query || fuzzyMatch(route.url.toLowerCase(), query))) {
        symbols.push({ name: `${route.kind} ${route.url}`, kind: SymbolKind.File, location: { uri: routeUri(folder, route), range: toRange(undefined) } });
      }
    }
    return symbols.slice(0, 500);
  });

  const dispose = () => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = undefined;
    engine.dispose();
  };
  connection.onShutdown(() => {
    // Nothing is worth finishing: the analysis thread stops at once, whatever it is doing.
    shuttingDown = true;
    dispose();
  });
  documents.listen(connection);
  connection.listen();
  return {
    dispose() {
      if (!shuttingDown) dispose();
    },
  };
}

/** `node_modules/next/package.json` (at any depth): a Next.js upgrade changes the version every verdict depends on. */
function isNextPackageJson(file: string): boolean {
  return path.basename(file) === 'package.json' && path.basename(path.dirname(file)) === 'next' && path.basename(path.dirname(path.dirname(file))) === 'node_modules';
}

function toPosixRelative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/') || '.';
}

/** Characters of the query appear in order: `get users id` finds `GET /api/users/[id]`. */
function fuzzyMatch(text: string, query: string): boolean {
  let at = 0;
  for (const ch of query) {
    if (ch === ' ') continue;
    at = text.indexOf(ch, at);
    if (at === -1) return false;
    at++;
  }
  return true;
}

function uriToPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

export type { CancellationToken };
