// The custom messages between the Route Atlas extension and its language server. This is the only
// module that both src/ and server/ import; every method name lives here once.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { AppManifest, Problem, Route, RouteManifest } from './analysis/model';

export type { AppManifest, Problem, Route, RouteManifest };

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
  folders: Array<{ uri: string; manifest: RouteManifest }>;
  /** Increments on every change, so a client can drop stale responses. */
  version: number;
}

export interface DidChangeManifestParams {
  version: number;
  /** URIs of the route files whose routes changed (empty means "refetch everything"). */
  changedFiles: string[];
}

/** Client → server request: the current manifests. */
export namespace ManifestRequest {
  export const method = 'routeAtlas/manifest';
  export const type = new RequestType<Record<string, never>, ManifestResult, void>(method);
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
