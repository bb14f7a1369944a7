// The messages between the language server's main thread and its analysis thread (the engine). The main
// thread owns the LSP connection, the open documents and a snapshot of every manifest; the engine owns the
// workspaces and does all analysis. Neither side ever waits for the other.
import type { CallerReport } from '../analysis/callers';
import type { Route, Span } from '../analysis/model';
import type { FileChange } from '../analysis/workspace';
import type { ManifestResult, OpenApiResponse } from '../protocol';

/** What the workspaces are built with; a change rebuilds them. */
export interface EngineOptions {
  nextVersion?: number;
  cacheComponents?: boolean;
  /** Files a watchdog stopped the analysis on, and why: they are skipped until they change. */
  quarantined: Array<[string, string]>;
  /** Where parse results are kept between sessions (the extension's storage); none when unset. */
  cacheDir?: string;
}

export interface FolderSpec {
  uri: string;
  root: string;
  /** Workspace folders nested inside this one: they own what is below them. */
  excludedDirs: string[];
}

/** A file change, and whether it comes from the editor (always applied) or the file watcher (filtered first). */
export interface EngineChange extends FileChange {
  fromEditor: boolean;
}

/** Main thread → engine. Every message that starts work carries a job id, which `done` echoes. */
export type ToEngine =
  | { type: 'configure'; options: EngineOptions }
  /** Scans a folder into a fresh workspace, which replaces the folder's current one only once complete. */
  | { type: 'scan'; job: number; folder: FolderSpec; overlays: Array<[string, string]> }
  | { type: 'update'; job: number; uri: string; changes: EngineChange[] }
  | { type: 'close'; uri: string }
  /** Go to handler: the route a URL string at this 1-based position reaches. */
  | { type: 'routeAt'; job: number; uri: string; file: string; text: string; line: number; column: number }
  /** An OpenAPI document of one app of a folder. */
  | { type: 'openapi'; job: number; uri: string; app?: string }
  | { type: 'cancel'; job: number }
  /** A `routes` part was taken in: the engine sends what follows it. */
  | { type: 'ack' }
  /** Post the folder's whole manifest again: the main thread lost track of the versions. */
  | { type: 'resend'; uri: string };

export type JobOutcome = 'completed' | 'cancelled' | 'failed';

/** Engine → main thread. */
export type FromEngine =
  /** A folder's manifest: whole, or as changes to the one posted before (ManifestResult.changes, for one folder). */
  | {
      type: 'manifest';
      uri: string;
      job: number;
      answer: ManifestResult;
      complete: boolean;
      changedFiles: string[];
      dependencies?: string[];
      /**
       * Set when the routes came ahead in `routes` messages: per app, how many of them are its routes (a whole
       * answer) or its changed routes (changes), in order.
       */
      routeParts?: number[];
    }
  /** Routes of the next `manifest` message, sent ahead in parts so that no single message holds the main thread long. */
  | { type: 'routes'; uri: string; routes: Route[] }
  | { type: 'callers'; uri: string; report: CallerReport }
  | { type: 'routeAt'; job: number; target?: { file: string; span?: Span; method: string } }
  | { type: 'openapi'; job: number; result: OpenApiResponse }
  | { type: 'done'; job: number; outcome: JobOutcome; message?: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

/** The shared memory both threads see without messages: how the watchdog watches and how cancellation is fast. */
export const SHARED = {
  /** Counts the engine's checkpoints: a busy engine whose count stands still is stuck. */
  heartbeat: 0,
  /** The job the main thread wants cancelled; the engine's checkpoints compare it with the running job. */
  cancel: 1,
  /** Counts the messages the main thread posted: background work yields when it moves. */
  posted: 2,
  /** The running job's id, 0 when idle. */
  busy: 3,
  /** Bytes of the current checkpoint's subject (a path) in the subject buffer. */
  subjectLength: 4,
  slots: 5,
} as const;

export const SUBJECT_BYTES = 4096;

export interface EngineWorkerData {
  kind: 'route-atlas-engine';
  shared: Int32Array;
  subject: Uint8Array;
  /** Test hook: the engine spins forever when it reaches a file of this name (to test the watchdog). */
  stallOn?: string;
}
