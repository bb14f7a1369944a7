import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeAction,
  CodeLens,
  CodeLensRefreshRequest,
  type Connection,
  type Diagnostic,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type Hover,
  type InitializeParams,
  type InitializeResult,
  Location,
  MarkupKind,
  SymbolKind,
  TextDocumentSyncKind,
  TextDocuments,
  WatchKind,
  type WorkspaceSymbol,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Problem, Route, RouteManifest, Severity } from '../analysis/model';
import { type FileChange, Workspace } from '../analysis/scan';
import type { CallerReport } from '../analysis/callers';
import {
  ClientCommands,
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
import { manifestAnswer } from './manifestChanges';
import { describeVerdict, hoverMarkdown } from './present';
import { DEFAULT_SETTINGS, parseSettings, type ServerSettings, severityFor } from './settings';

/**
 * What the client watches for us: everything under app dirs (folders too, since a file created with its
 * folder may be reported only as the folder), the files that configure an app, and, registered again
 * whenever they change, the exact modules that some route's methods or verdict depend on.
 */
export const WATCHED_GLOBS = ['**/app/**', '**/{next.config.*,package.json,tsconfig.json,jsconfig.json,pnpm-workspace.yaml}'];

/** How long edits settle before the manifest is rebuilt. */
const DEBOUNCE_MS = 150;

interface FolderState {
  uri: string;
  root: string;
  workspace: Workspace;
  manifest: RouteManifest;
  /** Who calls each endpoint; computed after the manifest, off the critical path. */
  callers?: CallerReport;
}

export interface ServerOptions {
  /** Replaces the debounce delay (tests use 0). */
  debounceMs?: number;
}

/**
 * The Route Atlas language server over any connection. Each handler is short: find the folder, read
 * its cached manifest, convert. All analysis lives in server/analysis.
 */
export function startServer(connection: Connection, options: ServerOptions = {}): { dispose(): void } {
  const documents = new TextDocuments(TextDocument);
  const folders = new Map<string, FolderState>();
  let settings: ServerSettings = DEFAULT_SETTINGS;
  let clientCommands = new Set<string>();
  let manifestVersion = 0;
  /** The diagnostics last sent for each file, as JSON. */
  let publishedDiagnostics = new Map<string, string>();
  let canRegisterWatchers = false;
  let canRefreshLenses = false;
  let hasWorkDoneProgress = false;
  let supportsFolderChanges = false;
  const pending = new Map<string, FileChange>();
  let flushTimer: NodeJS.Timeout | undefined;
  const debounceMs = options.debounceMs ?? DEBOUNCE_MS;

  const sendStatus = (params: ServerStatusParams) => void connection.sendNotification(ServerStatusNotification.type, params);
  const log = (message: string) => connection.console.log(message);

  const scanOptions = () => ({
    nextVersion: settings.nextVersion === 'auto' ? undefined : Number(settings.nextVersion),
    cacheComponents: settings.cacheComponents === 'auto' ? undefined : settings.cacheComponents === 'on',
  });

  const folderOf = (file: string): FolderState | undefined => {
    let best: FolderState | undefined;
    for (const folder of folders.values()) {
      if ((file === folder.root || file.startsWith(folder.root + path.sep)) && (!best || folder.root.length > best.root.length)) best = folder;
    }
    return best;
  };

  const allRoutes = function* (): Generator<{ folder: FolderState; route: Route }> {
    for (const folder of folders.values()) for (const app of folder.manifest.apps) for (const route of app.routes) yield { folder, route };
  };

  const routesInFile = (uri: string): Array<{ folder: FolderState; route: Route }> => {
    const file = uriToPath(uri);
    const folder = file ? folderOf(file) : undefined;
    if (!folder || !file) return [];
    const relative = folder.workspace.relative(file);
    const found: Array<{ folder: FolderState; route: Route }> = [];
    for (const app of folder.manifest.apps) for (const route of app.routes) if (route.file === relative) found.push({ folder, route });
    return found;
  };

  const totals = (): Pick<ServerStatusParams, 'apps' | 'routes' | 'problems'> => {
    let apps = 0;
    let routes = 0;
    let problems = 0;
    for (const folder of folders.values()) {
      apps += folder.manifest.apps.length;
      problems += folder.manifest.problems.length;
      for (const app of folder.manifest.apps) {
        routes += app.routes.length;
        problems += app.problems.length;
      }
    }
    return { apps, routes, problems };
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

  const publishDiagnostics = () => {
    const byUri = new Map<string, Array<{ diagnostic: Diagnostic; json: string }>>();
    for (const folder of folders.values()) {
      const problems: Problem[] = [...folder.manifest.problems, ...folder.manifest.apps.flatMap((a) => a.problems), ...(folder.callers?.problems ?? [])];
      for (const problem of problems) {
        if (!problem.file || !problem.span) continue;
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
    for (const uri of publishedDiagnostics.keys()) if (!byUri.has(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
    for (const [uri, made] of byUri) {
      const key = made.map((m) => m.json).join('\n');
      if (publishedDiagnostics.get(uri) !== key) void connection.sendDiagnostics({ uri, diagnostics: made.map((m) => m.diagnostic) });
      published.set(uri, key);
    }
    publishedDiagnostics = published;
  };

  let callersTimer: NodeJS.Timeout | undefined;
  /** Re-reads callers after the manifest settles: it walks every source file once, then only changed ones. */
  const scheduleCallers = () => {
    if (callersTimer) clearTimeout(callersTimer);
    callersTimer = setTimeout(() => {
      callersTimer = undefined;
      const started = performance.now();
      for (const folder of folders.values()) {
        try {
          folder.callers = folder.workspace.callerReport();
        } catch (error) {
          log(`Finding callers in ${folder.root} failed: ${(error as Error).stack ?? error}`);
        }
      }
      log(`Callers indexed in ${(performance.now() - started).toFixed(0)} ms`);
      publishDiagnostics();
      if (canRefreshLenses) void connection.sendRequest(CodeLensRefreshRequest.type);
    }, Math.max(debounceMs * 3, 10));
  };

  let dependencyWatch: { key: string; registration?: Promise<{ dispose(): void }> } = { key: '' };
  /** Watches the modules outside app dirs that routes depend on; re-registered only when that set changes. */
  const watchDependencies = () => {
    if (!canRegisterWatchers) return;
    const files = [...folders.values()].flatMap((f) => f.workspace.dependencyFiles().filter((file) => !/[\\/](src[\\/])?app[\\/]/.test(file)));
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

  const afterManifestChange = (changedFiles: string[]) => {
    manifestVersion++;
    watchDependencies();
    publishDiagnostics();
    void connection.sendNotification(DidChangeManifestNotification.type, { version: manifestVersion, changedFiles });
    if (canRefreshLenses) void connection.sendRequest(CodeLensRefreshRequest.type);
    sendStatus({ state: 'ready', ...totals() });
    scheduleCallers();
  };

  const scanFolder = (uri: string) => {
    const root = uriToPath(uri);
    if (!root) return;
    const started = performance.now();
    const workspace = new Workspace(root, scanOptions());
    let manifest: RouteManifest;
    try {
      manifest = workspace.scan();
    } catch (error) {
      // The analysis reports bad input as problems; reaching here is a bug, which must not kill the server.
      log(`Scanning ${root} failed: ${(error as Error).stack ?? error}`);
      manifest = { ...workspace.manifest(), problems: [{ id: 'internal-error', severity: 'error', message: `Route Atlas could not scan ${root}: ${(error as Error).message}` }] };
    }
    folders.set(uri, { uri, root, workspace, manifest });
    const routes = manifest.apps.reduce((n, a) => n + a.routes.length, 0);
    log(`Scanned ${root}: ${manifest.apps.length} app(s), ${routes} routes in ${(performance.now() - started).toFixed(0)} ms`);
  };

  const scanAll = async (folderUris: string[]) => {
    sendStatus({ state: 'scanning', message: `Scanning ${folderUris.length} folder(s)` });
    const progress = hasWorkDoneProgress ? await connection.window.createWorkDoneProgress() : undefined;
    progress?.begin('Route Atlas', 0, 'Scanning for Next.js routes', false);
    for (const [index, uri] of folderUris.entries()) {
      progress?.report(Math.round((index / folderUris.length) * 100), path.basename(uriToPath(uri) ?? uri));
      // A scan blocks this thread for seconds on a large workspace: let the status and progress reach the
      // client first, or it learns of the scan only when it is over.
      await new Promise((resolve) => setImmediate(resolve));
      scanFolder(uri);
    }
    progress?.done();
    afterManifestChange([]);
  };

  /** Applies queued changes to each folder's workspace after the debounce. */
  const flush = () => {
    flushTimer = undefined;
    const changes = [...pending.values()];
    pending.clear();
    const changedFiles: string[] = [];
    const byFolder = new Map<FolderState, FileChange[]>();
    for (const change of changes) {
      const folder = folderOf(change.path);
      if (!folder) continue;
      byFolder.set(folder, [...(byFolder.get(folder) ?? []), change]);
    }
    for (const [folder, folderChanges] of byFolder) {
      const started = performance.now();
      try {
        folder.manifest = folder.workspace.applyChanges(folderChanges);
      } catch (error) {
        log(`Updating ${folder.root} failed: ${(error as Error).stack ?? error}`);
        continue;
      }
      changedFiles.push(...folderChanges.map((c) => toUri(folder.root, c.path)));
      log(`Updated ${folderChanges.length} file(s) in ${(performance.now() - started).toFixed(1)} ms`);
    }
    if (byFolder.size > 0) afterManifestChange(changedFiles);
  };

  const queue = (change: FileChange) => {
    const previous = pending.get(change.path);
    // An edit right after a creation is still a creation, with the newer text.
    const type = previous?.type === 'created' && change.type === 'changed' ? 'created' : change.type;
    pending.set(change.path, { ...previous, ...change, type });
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = setTimeout(flush, debounceMs);
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const init = (params.initializationOptions ?? {}) as { settings?: unknown; clientCommands?: string[] };
    settings = parseSettings(init.settings);
    clientCommands = new Set(init.clientCommands ?? []);
    canRegisterWatchers = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    canRefreshLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    hasWorkDoneProgress = params.capabilities.window?.workDoneProgress === true;
    supportsFolderChanges = params.capabilities.workspace?.workspaceFolders === true;
    pendingFolders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
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

  let pendingFolders: string[] = [];
  connection.onInitialized(() => {
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
        for (const removed of event.removed) folders.delete(removed.uri);
        void scanAll(event.added.map((f) => f.uri));
      });
    }
    void scanAll(pendingFolders);
  });

  connection.onDidChangeConfiguration((change) => {
    const raw = (change.settings as { routeAtlas?: unknown } | undefined)?.routeAtlas;
    if (!raw) return;
    const previous = settings;
    settings = parseSettings(raw);
    if (previous.nextVersion !== settings.nextVersion || previous.cacheComponents !== settings.cacheComponents) void scanAll([...folders.keys()]);
    else afterManifestChange([]);
  });

  // A file created in the editor may reach us before (or instead of) the watcher's event.
  documents.onDidOpen((event) => {
    const file = uriToPath(event.document.uri);
    const folder = file ? folderOf(file) : undefined;
    if (file && folder && !folder.workspace.knowsFile(file)) queue({ path: file, type: 'created', text: event.document.getText() });
  });
  documents.onDidChangeContent((event) => {
    const file = uriToPath(event.document.uri);
    if (file) queue({ path: file, type: 'changed', text: event.document.getText() });
  });
  documents.onDidClose((event) => {
    const file = uriToPath(event.document.uri);
    if (file) queue({ path: file, type: 'changed' });
  });

  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) {
      const file = uriToPath(change.uri);
      if (!file) continue;
      // An open document's text wins over the disk until it is closed.
      if (change.type === FileChangeType.Changed && documents.get(change.uri)) continue;
      const type = change.type === FileChangeType.Created ? 'created' : change.type === FileChangeType.Deleted ? 'deleted' : 'changed';
      if (folderOf(file)?.workspace.affects(file, type)) queue({ path: file, type });
    }
  });

  /** The manifests of the last answer, so that the next request can get only what changed since. */
  let lastAnswer: ManifestResult | undefined;
  const manifestResult = (since?: number): ManifestResult => {
    const current: ManifestResult = { folders: [...folders.values()].map((f) => ({ uri: f.uri, manifest: f.manifest })), version: manifestVersion };
    const answer = manifestAnswer(current, lastAnswer, since);
    lastAnswer = current;
    return answer;
  };
  connection.onRequest(ManifestRequest.type, (params) => manifestResult(params?.since));
  connection.onRequest(RescanRequest.type, async () => {
    await scanAll([...folders.keys()]);
    return manifestResult();
  });

  connection.onCodeLens((params) => {
    if (!settings.codeLensEnable) return [];
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

  connection.onHover((params): Hover | undefined => {
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

  connection.onDefinition((params): Location[] => {
    const file = uriToPath(params.textDocument.uri);
    const folder = file ? folderOf(file) : undefined;
    const document = documents.get(params.textDocument.uri);
    if (!file || !folder || !document) return [];
    const hit = folder.workspace.routeAt(file, document.getText(), params.position.line + 1, params.position.character + 1);
    if (!hit) return [];
    const method = hit.route.methods.find((m) => m.name === hit.call.method && m.span) ?? hit.route.methods.find((m) => m.span);
    return [Location.create(toUri(folder.root, hit.route.file), toRange(method?.span))];
  });

  connection.onCodeAction((params) => params.context.diagnostics.map(toCodeAction).filter((a): a is CodeAction => a !== undefined));

  connection.onWorkspaceSymbol((params): WorkspaceSymbol[] => {
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
          location: { uri: toUri(folder.root, route.file), range: toRange(method.span) },
        });
      }
      if (route.kind !== 'route' && (!query || fuzzyMatch(route.url.toLowerCase(), query))) {
        symbols.push({ name: `${route.kind} ${route.url}`, kind: SymbolKind.File, location: { uri: toUri(folder.root, route.file), range: toRange(undefined) } });
      }
    }
    return symbols.slice(0, 500);
  });

  const dispose = () => {
    if (flushTimer) clearTimeout(flushTimer);
    if (callersTimer) clearTimeout(callersTimer);
    flushTimer = callersTimer = undefined;
  };
  connection.onShutdown(dispose);
  documents.listen(connection);
  connection.listen();
  return { dispose };
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
