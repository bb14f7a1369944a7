// The workspace behind `route-atlas mcp`, kept current while an agent works: file events are gathered and
// applied incrementally (Workspace.applyChanges) after a short pause, or at once when a tool call comes, so
// that a route written just before the call is in its answer and a call never waits on a debounce timer.
// When events may have been missed (a folder that cannot be watched), each call rescans instead; the parse
// cache keeps that cheap.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SKIPPED_DIRS } from '../analysis/folders';
import type { RouteManifest } from '../analysis/model';
import { ParseCache } from '../analysis/parseCache';
import { type FileChange, type ScanOptions, Workspace } from '../analysis/scan';
import { saveTypeScriptCodeCache } from '../analysis/typescriptBindings';
import type { AgentContext, AgentToolResult } from '../agent/tools';
import { runAgentTool } from '../agent/tools';
import { TreeWatcher } from './mcpWatch';

export interface SessionOptions {
  nextVersion?: number;
  cacheComponents?: boolean;
  /** Keep parse results in node_modules/.cache/route-atlas (as the CLI does). */
  cacheFile?: string;
  /** Follow file changes (default true). */
  watch?: boolean;
  /** Quiet time after the last file event before it is applied without a call asking. */
  debounceMs?: number;
  /** At most this many folders are watched; beyond them each call rescans (tests make it small). */
  maxWatchedFolders?: number;
  log(message: string): void;
}

/** Above this many events at once, the workspace rescans anyway: filtering them one by one would cost more. */
const BULK_EVENTS = 2000;
/** Parse results are written at most this often while files change, and when the session ends. */
const CACHE_SAVE_INTERVAL_MS = 30_000;

export class LiveWorkspace {
  private workspace: Workspace;
  private manifest: RouteManifest | undefined;
  private readonly cache: ParseCache;
  private readonly pending = new Map<string, FileChange['type']>();
  private debounce: NodeJS.Timeout | undefined;
  private cacheTimer: NodeJS.Timeout | undefined;
  private watcher: TreeWatcher | undefined;
  /** Set when events may have been missed: the next call scans the whole folder again. */
  private rescanNeeded = false;
  private readonly ready: Promise<void>;
  private markReady!: () => void;
  private closed = false;

  constructor(
    readonly root: string,
    private readonly options: SessionOptions,
  ) {
    this.cache = ParseCache.open(options.cacheFile, root);
    this.workspace = this.newWorkspace();
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  private newWorkspace(): Workspace {
    const scanOptions: ScanOptions = { nextVersion: this.options.nextVersion, cacheComponents: this.options.cacheComponents, cache: this.cache };
    return new Workspace(this.root, scanOptions);
  }

  private started = false;

  /**
   * Starts watching, then scans (once; later calls do nothing). The scan holds the thread, so the server
   * starts it after the client's handshake, or at the first tool call, whichever comes first.
   */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    if (this.options.watch !== false) {
      this.watcher = new TreeWatcher(this.root, {
        skip: SKIPPED_DIRS,
        maxFolders: this.options.maxWatchedFolders,
        onChange: (abs, type) => this.queue(abs, type),
        onTrouble: (message) => {
          this.options.log(`watch: ${message}`);
          this.rescanNeeded = true;
        },
        onRoot: (gone) => {
          this.options.log(gone ? `${this.root} was deleted; answers say so until it is back.` : `${this.root} is back; scanning it again.`);
          this.rescanNeeded = true;
        },
      });
      try {
        this.watcher.start();
      } catch (error) {
        this.options.log(`watch: ${error instanceof Error ? error.message : String(error)}; each answer rescans the workspace.`);
        this.rescanNeeded = true;
      }
    }
    this.rescan('Scanned');
    this.markReady();
    this.scheduleCacheSave(1000);
  }

  /** Runs a tool on the workspace as it is now. */
  async call(name: string, args: unknown): Promise<AgentToolResult> {
    return runAgentTool(name, await this.context(), args);
  }

  /** The manifest as of now: events that arrived are applied first, and a workspace that may have missed some is rescanned. */
  async context(): Promise<AgentContext> {
    this.start();
    await this.ready;
    // File events the kernel queued before this call's message are delivered in this turn of the event loop;
    // one more turn makes sure they are in `pending`.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.rescanNeeded || this.watcher?.isTroubled) this.rescan('Rescanned');
    else this.flush();
    const workspace = this.workspace;
    const manifest = this.manifest!;
    return {
      folders: [
        {
          manifest,
          callerProblems: () => {
            try {
              return workspace.callerReport().problems;
            } catch (error) {
              this.options.log(`callers index failed: ${error instanceof Error ? error.message : String(error)}`);
              return [];
            }
          },
        },
      ],
    };
  }

  /** The current manifest, for tests and logs. */
  currentManifest(): RouteManifest | undefined {
    return this.manifest;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.debounce);
    clearTimeout(this.cacheTimer);
    this.watcher?.close();
    this.saveCache();
  }

  private queue(abs: string, type: FileChange['type']): void {
    if (this.closed) return;
    const previous = this.pending.get(abs);
    // An edit after a creation is still a creation (the workspace has not seen the file yet).
    this.pending.set(abs, previous === 'created' && type === 'changed' ? 'created' : type);
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.flush(), this.options.debounceMs ?? 100);
  }

  /** Applies the events gathered so far; a failed update (a bug) falls back to a rescan. */
  private flush(): void {
    clearTimeout(this.debounce);
    this.debounce = undefined;
    if (this.pending.size === 0 || this.closed) return;
    if (this.rescanNeeded) {
      this.rescan('Rescanned');
      return;
    }
    const changes: FileChange[] = [...this.pending].map(([file, type]) => ({ path: file, type }));
    this.pending.clear();
    const started = performance.now();
    const relevant = changes.length > BULK_EVENTS ? changes : changes.filter((change) => this.workspace.affects(change.path, change.type));
    if (relevant.length === 0) return;
    try {
      this.manifest = this.workspace.applyChanges(relevant);
    } catch (error) {
      this.options.log(`updating failed, so the folder is scanned again: ${error instanceof Error ? error.message : String(error)}`);
      this.rescan('Rescanned');
      return;
    }
    this.options.log(`Updated ${relevant.length} file(s) in ${(performance.now() - started).toFixed(1)} ms`);
    this.scheduleCacheSave(CACHE_SAVE_INTERVAL_MS);
  }

  /**
   * A new workspace, scanned whole: at the start, after trouble, after a bug, or for a root that came back.
   * A scan that throws (a bug: bad input is reported as problems) leaves a manifest that says so, never none.
   */
  private rescan(verb: string): void {
    const started = performance.now();
    this.pending.clear();
    this.rescanNeeded = false;
    const workspace = this.newWorkspace();
    try {
      this.manifest = workspace.scan();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.options.log(`scanning failed: ${message}`);
      this.manifest = {
        ...workspace.manifest(),
        apps: [],
        problems: [{ id: 'internal-error', severity: 'warning', message: `Route Atlas could not scan ${this.root} (${message}); this is a bug in Route Atlas.` }],
      };
      this.rescanNeeded = true;
      return;
    }
    this.workspace = workspace;
    const routes = this.manifest.apps.reduce((sum, app) => sum + app.routes.length, 0);
    const watching = this.watcher ? `; watching ${this.watcher.watchedFolders} folders` : '';
    this.options.log(`${verb} ${this.root}: ${this.manifest.apps.length} app(s), ${routes} routes in ${(performance.now() - started).toFixed(0)} ms${watching}`);
  }

  private scheduleCacheSave(delayMs: number): void {
    if (this.cacheTimer || !this.cache.file || this.closed) return;
    this.cacheTimer = setTimeout(() => {
      this.cacheTimer = undefined;
      this.saveCache();
    }, delayMs);
    this.cacheTimer.unref();
  }

  private saveCache(): void {
    // Writing the cache creates its folder, and with it the workspace folder when that was deleted.
    if (!fs.existsSync(this.root)) return;
    try {
      this.cache.save();
      saveTypeScriptCodeCache();
    } catch (error) {
      this.options.log(`the parse cache could not be saved: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Where the CLI keeps parse results for a folder (see server/cli.ts): the same file, so each warms the other. */
export function cacheFileFor(dir: string): string | undefined {
  const override = process.env.ROUTE_ATLAS_CACHE_DIR;
  if (override) return ParseCache.fileFor(path.resolve(override), dir);
  if (!fs.existsSync(path.join(dir, 'package.json')) && !fs.existsSync(path.join(dir, 'node_modules'))) return undefined;
  return ParseCache.fileFor(path.join(dir, 'node_modules', '.cache', 'route-atlas'), dir);
}
