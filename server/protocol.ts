// The custom messages between the Route Atlas extension and its language server. This is the only
// module that both src/ and server/ import; every method name lives here once.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { AppManifest, PageEntry, Problem, Route, RouteManifest } from './analysis/model';

export type { AppManifest, PageEntry, Problem, Route, RouteManifest };

/** Where the server is: tests and the UI wait on `ready`, never on a timer. */
export type ServerState = 'starting' | 'scanning' | 'ready' | 'error';

export interface ServerStatusParams {
  state: ServerState;
  /** Human-readable detail: "Scanning 3 apps", or the error. */
  message?: string;
  /** Totals over every workspace folder, when ready. */
  apps?: number;
  routes?: number;
  problems?: number;
}

/** The manifest of every workspace folder (one RouteManifest per folder that holds an app). */
export interface ManifestResult {
  /** `scanning` is set while a folder's first scan runs: its manifest holds the apps found so far. */
  folders: Array<{ uri: string; manifest: RouteManifest; scanning?: true }>;
  /** Increments on every change, so a client can drop stale responses. */
  version: number;
  /**
   * Set when the answer is relative to the version the request named in `since`: for each folder listed
   * here, `folders` holds its manifest with every app's `routes`, `problems` and `pages` left empty, and
   * these say what changed. Folders not listed are whole. At 10,000 routes a whole answer is 13 MB of
   * JSON; an edit changes one route.
   */
  changes?: { since: number; folders: Array<{ uri: string; apps: RouteChanges[] }> };
}

/** What changed in one app's routes, keyed by route file (one route per file), and in its problems and pages. */
export interface RouteChanges {
  /** New and changed routes. */
  changed: Route[];
  /** Files whose routes are gone. */
  removed: string[];
  /** Every route's file in the new order, when the order is not the old one minus the removed routes. */
  order?: string[];
  /** The app's problems and pages: each either the index of the same entry in the held app, or the entry. */
  problems: Array<number | Problem>;
  pages: Array<number | PageEntry>;
  /** Set when nothing of the app changed: `changed`, `removed`, `problems` and `pages` are then empty. */
  unchanged?: true;
}

export interface ManifestParams {
  /** The version the client shows: the answer may then hold only what changed since (see `changes`). */
  since?: number;
}

/**
 * The full manifests an answer stands for, given the answer the client holds; undefined when the answer is
 * relative to a version the client does not hold, or does not fit it (the client then asks for all).
 */
export function applyManifestChanges(held: ManifestResult | undefined, answer: ManifestResult): ManifestResult | undefined {
  const { changes, ...whole } = answer;
  if (!changes) return whole;
  if (!held || held.version !== changes.since) return undefined;
  const changesByUri = new Map(changes.folders.map((folder) => [folder.uri, folder.apps]));
  const folders: ManifestResult['folders'] = [];
  for (const folder of answer.folders) {
    const appChanges = changesByUri.get(folder.uri);
    if (!appChanges) {
      folders.push(folder);
      continue;
    }
    const before = held.folders.find((f) => f.uri === folder.uri)?.manifest;
    if (!before || before.apps.length !== folder.manifest.apps.length || appChanges.length !== folder.manifest.apps.length) return undefined;
    const apps: AppManifest[] = [];
    for (const [i, app] of folder.manifest.apps.entries()) {
      const old = before.apps[i];
      if (old.root !== app.root) return undefined;
      const change = appChanges[i];
      // An app nothing happened to stays the same object, so that the next comparison with it is instant.
      if (change.unchanged || isNoChange(change, old)) {
        apps.push(sameOutline(old, app) ? old : { ...app, routes: old.routes, problems: old.problems, pages: old.pages });
        continue;
      }
      const routes = applyRouteChanges(old.routes, change);
      const problems = fromIndexed(old.problems, change.problems);
      const pages = fromIndexed(old.pages, change.pages);
      if (!routes || !problems || !pages) return undefined;
      apps.push({ ...app, routes, problems, pages });
    }
    folders.push({ ...folder, manifest: { ...folder.manifest, apps } });
  }
  return { ...whole, folders };
}

/** True when changes leave the app as it was: no route changed or went, and every problem and page is the held one, in place. */
function isNoChange(change: RouteChanges, held: AppManifest): boolean {
  if (change.changed.length > 0 || change.removed.length > 0 || change.order) return false;
  if (change.problems.length !== held.problems.length || change.pages.length !== held.pages.length) return false;
  return change.problems.every((entry, i) => entry === i) && change.pages.every((entry, i) => entry === i);
}

/** True when two manifests of one app agree on everything but their routes, problems and pages. */
function sameOutline(a: AppManifest, b: AppManifest): boolean {
  const outline = (app: AppManifest) => JSON.stringify({ ...app, routes: 0, problems: 0, pages: 0 });
  return outline(a) === outline(b);
}

/** Entries given by index into `held` or in full (see RouteChanges), or undefined when an index is out of range. */
function fromIndexed<T extends object>(held: readonly T[], entries: ReadonlyArray<number | T>): T[] | undefined {
  const result: T[] = [];
  for (const entry of entries) {
    const item = typeof entry === 'number' ? held[entry] : entry;
    if (item === undefined) return undefined;
    result.push(item);
  }
  return result;
}

function applyRouteChanges(routes: readonly Route[], changes: RouteChanges): Route[] | undefined {
  const byFile = new Map(routes.map((route) => [route.file, route]));
  for (const file of changes.removed) byFile.delete(file);
  const added: Route[] = [];
  for (const route of changes.changed) {
    if (!byFile.has(route.file)) added.push(route);
    byFile.set(route.file, route);
  }
  if (!changes.order) {
    // Without a new order, nothing was added: the old order stands.
    if (added.length > 0) return undefined;
    return routes.filter((route) => byFile.has(route.file)).map((route) => byFile.get(route.file)!);
  }
  const ordered: Route[] = [];
  for (const file of changes.order) {
    const route = byFile.get(file);
    if (!route) return undefined;
    ordered.push(route);
  }
  return ordered.length === byFile.size ? ordered : undefined;
}

export interface DidChangeManifestParams {
  version: number;
  /** URIs of the route files whose routes changed (empty means "refetch everything"). */
  changedFiles: string[];
}

/** Client → server request: the current manifests, or what changed since the version the client shows. */
export namespace ManifestRequest {
  export const method = 'routeAtlas/manifest';
  export const type = new RequestType<ManifestParams, ManifestResult, void>(method);
}

/**
 * Client → server request: scan every workspace folder from disk again, with fresh caches, and answer
 * with the new manifests. The way out when file events were lost (network drives, trees copied in
 * faster than the watcher followed, editors outside VS Code).
 */
export namespace RescanRequest {
  export const method = 'routeAtlas/rescan';
  export const type = new RequestType<Record<string, never>, ManifestResult, void>(method);
}

export interface OpenApiParams {
  /** The workspace folder's URI. */
  folder: string;
  /** The app root relative to the folder (`apps/web`) or its package name; needed when the folder has several. */
  app?: string;
}

/** An OpenAPI 3.1 document and its notes, or why none could be made (with the app roots to choose from). */
export type OpenApiResponse = { document: Record<string, unknown>; notes: string[] } | { error: string; appRoots: string[] };

/** Client → server request: an OpenAPI 3.1 document of one app, built by the analysis thread from its workspace. */
export namespace OpenApiRequest {
  export const method = 'routeAtlas/openapi';
  export const type = new RequestType<OpenApiParams, OpenApiResponse, void>(method);
}

export interface AgentToolParams {
  /** The tool's name without prefix: `list_endpoints`. */
  name: string;
  arguments: unknown;
}

export interface AgentToolResponse {
  text: string;
  structured?: Record<string, unknown>;
  isError?: boolean;
}

/**
 * Client → server request: run one of the agent tools (server/agent) over every folder's manifest, for
 * VS Code's language model tools. The same tools `route-atlas mcp` serves.
 */
export namespace AgentToolRequest {
  export const method = 'routeAtlas/agentTool';
  export const type = new RequestType<AgentToolParams, AgentToolResponse, void>(method);
}

/** Server → client notification: the manifest changed; refetch with ManifestRequest. */
export namespace DidChangeManifestNotification {
  export const method = 'routeAtlas/didChangeManifest';
  export const type = new NotificationType<DidChangeManifestParams>(method);
}

/** Server → client notification: scanning, ready or failed. */
export namespace ServerStatusNotification {
  export const method = 'routeAtlas/serverStatus';
  export const type = new NotificationType<ServerStatusParams>(method);
}

/** Arguments of the client command a "Send request" CodeLens runs. */
export interface SendRequestArgs {
  /** The route file URI. */
  uri: string;
  /** The route pattern without basePath (`/api/users/[id]`); the client adds the app's basePath. */
  url: string;
  method: string;
  appRoot: string;
}

/** Arguments of the client command a caching CodeLens runs: reveal where the verdict comes from. Line and column are 0-based, as LSP positions are. */
export interface RevealReasonArgs {
  uri: string;
  line: number;
  column: number;
}

/** Arguments of the client command a "N callers" CodeLens runs: show the call sites as references. */
export interface ShowCallersArgs {
  uri: string;
  position: { line: number; character: number };
  locations: Array<{ uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }>;
}

/** Command ids the client implements; the server only emits lenses for those the client announces. */
export const ClientCommands = {
  sendRequest: 'routeAtlas.sendRequest',
  revealReason: 'routeAtlas.revealReason',
  showCallers: 'routeAtlas.showCallers',
} as const;
