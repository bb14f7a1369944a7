// The analysis thread of the language server. It owns a Workspace per workspace folder and runs one job at a
// time (scans, updates, go-to-handler queries, then the callers index in the background); the main thread
// keeps answering the editor from the manifests this thread posts. Long jobs pass checkpoints, where they
// see cancellation and new messages, and where the main thread's watchdog sees them move.
import * as path from 'node:path';
import { isMainThread, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { Route, RouteManifest } from '../analysis/model';
import { ParseCache } from '../analysis/parseCache';
import { saveTypeScriptCodeCache } from '../analysis/typescriptBindings';
import { setSummaryWorkerEntry } from '../analysis/parallelSummaries';
// When this script runs as the cold scan's second thread (on 4+ cores), this module does that work.
import '../analysis/summaryWorker';
import { type FileChange, isCancellation, Workspace } from '../analysis/workspace';
import type { ManifestResult, OpenApiResponse } from '../protocol';
import { buildOpenApiDocument, OpenApiAppError } from '../openapi';
import type { EngineChange, EngineOptions, EngineWorkerData, FolderSpec, FromEngine, JobOutcome, ToEngine } from './engineMessages';
import { SHARED, SUBJECT_BYTES } from './engineMessages';
import { manifestAnswer } from './manifestChanges';

/** Above this many watcher events in one batch, the workspace rescans instead of filtering each event. */
const BULK_EVENTS = 2000;
/** During a folder's first scan, the apps found so far are posted at most this often. */
const PROGRESS_INTERVAL_MS = 200;
/**
 * Routes per message when a manifest carries many (a first scan at 10,000 routes is 13 MB): the main
 * thread takes each message in one piece, so smaller pieces let it answer requests in between.
 */
const ROUTES_PER_PART = 500;
/** The job id of background work: never one the main thread cancels (its ids start at 1; the cancel slot starts at 0). */
const BACKGROUND_JOB = -1;
/** After an edit, the callers index waits this long for the next one. */
const CALLERS_AFTER_EDIT_MS = 500;
/** Parse results are written to disk after a scan, and after edits at most this often. */
const CACHE_SAVE_INTERVAL_MS = 30_000;

interface FolderEntry {
  spec: FolderSpec;
  /** The workspace whose manifest the main thread shows; replaced only by a scan that completed. */
  workspace?: Workspace;
  /** The manifest posted last, which the next post is a change to. */
  posted?: RouteManifest;
  postedVersion: number;
  /** Unsaved editor text, laid over the disk by every workspace built for this folder. */
  overlays: Map<string, string>;
  /** When the callers index should be brought up to date (0: it is). */
  callersDueAt: number;
  dependenciesKey: string;
  /** Parse results of this folder's files, kept across workspaces and sessions. */
  cache: ParseCache;
  /** When the cache should be written next (0: nothing new to write). */
  cacheDueAt: number;
}

type Job = Extract<ToEngine, { type: 'scan' | 'update' | 'routeAt' | 'openapi' }>;

interface Running {
  job: number;
  uri?: string;
  /** Background work gives way as soon as the main thread posts anything. */
  background: boolean;
  postedAtStart: number;
}

/** Thrown at a checkpoint: the running job is cancelled, or background work gives way. */
class Interruption extends Error {
  readonly cancellation = true;
}

export class Engine {
  private readonly folders = new Map<string, FolderEntry>();
  private options: EngineOptions = { quarantined: [] };
  private quarantined = new Map<string, string>();
  private queue: Job[] = [];
  /** Updates merged into a queued one: they are done when it is. */
  private readonly mergedJobs = new Map<number, number[]>();
  private running: Running | undefined;
  private readonly encoder = new TextEncoder();
  private lastSubject = '';

  constructor(
    private readonly shared: Int32Array,
    private readonly subject: Uint8Array,
    private readonly send: (message: FromEngine) => void,
    /** Messages that arrived while a job ran, taken synchronously at a checkpoint. */
    private readonly takeMessage: () => ToEngine | undefined,
    private readonly stallOn?: string,
  ) {}

  /** Takes one message from the main thread: configuration and cancellations at once, work into the queue. */
  accept(message: ToEngine): void {
    switch (message.type) {
      case 'configure':
        this.options = message.options;
        this.quarantined = new Map(message.options.quarantined);
        return;
      case 'cancel': {
        const index = this.queue.findIndex((job) => job.job === message.job);
        if (index !== -1) {
          this.queue.splice(index, 1);
          this.done(message.job, 'cancelled');
        }
        return;
      }
      case 'close': {
        this.folders.delete(message.uri);
        this.queue = this.queue.filter((job) => {
          const keep = !('uri' in job && job.uri === message.uri) && !(job.type === 'scan' && job.folder.uri === message.uri);
          if (!keep) this.done(job.job, 'cancelled');
          return keep;
        });
        return;
      }
      case 'scan': {
        // A scan reads everything afresh, with the editor text it carries: queued work for the folder is moot.
        this.queue = this.queue.filter((job) => {
          const moot = (job.type === 'update' && job.uri === message.folder.uri) || (job.type === 'scan' && job.folder.uri === message.folder.uri);
          if (moot) this.done(job.job, 'cancelled');
          return !moot;
        });
        this.queue.push(message);
        return;
      }
      case 'update': {
        // Consecutive updates of one folder become one batch.
        const last = this.queue[this.queue.length - 1];
        if (last?.type === 'update' && last.uri === message.uri) {
          for (const change of message.changes) last.changes.push(change);
          (this.mergedJobs.get(last.job) ?? this.mergedJobs.set(last.job, []).get(last.job)!).push(message.job);
          return;
        }
        this.queue.push({ ...message, changes: [...message.changes] });
        return;
      }
      case 'ack':
        this.awaitingAck = false;
        this.flushOutbox();
        return;
      case 'resend':
        this.resend(message.uri);
        return;
      case 'routeAt':
      case 'openapi':
        // A query waits for nothing but a job that is changing its own folder.
        if (!this.running || (this.running.uri !== message.uri && !this.running.background)) this.answerQuery(message);
        else this.queue.unshift(message);
        return;
    }
  }

  /**
   * Messages wait here while the main thread takes in a part of a large manifest: it takes each message in
   * one piece, and twenty parts posted at once would hold it for a fifth of a second. It acknowledges each
   * part (an `ack`), and the next message goes then.
   */
  private readonly outbox: FromEngine[] = [];
  private awaitingAck = false;

  private post(message: FromEngine): void {
    if (this.awaitingAck || this.outbox.length > 0) this.outbox.push(message);
    else this.sendNow(message);
  }

  private sendNow(message: FromEngine): void {
    this.send(message);
    if (message.type === 'routes') this.awaitingAck = true;
  }

  private flushOutbox(): void {
    while (!this.awaitingAck && this.outbox.length > 0) this.sendNow(this.outbox.shift()!);
  }

  /** Runs the next job, or background work when there is none; false when there was nothing to do. */
  runNext(): boolean {
    const job = this.queue.shift();
    if (job) {
      this.runJob(job);
      return true;
    }
    // Background work waits until what the main thread has to take in is out.
    if (this.outbox.length > 0) return false;
    // The cache first: it is quick to write, and a window closed right after the scan still leaves it.
    for (const entry of this.folders.values()) {
      if (entry.cacheDueAt !== 0 && entry.cacheDueAt <= performance.now()) {
        entry.cacheDueAt = 0;
        this.saveCache(entry);
        return true;
      }
    }
    for (const entry of this.folders.values()) {
      if (entry.callersDueAt !== 0 && entry.callersDueAt <= performance.now() && entry.workspace) {
        this.indexCallers(entry);
        return true;
      }
    }
    return false;
  }

  /** The soonest time background work is due (a cache to write, callers to index), for the thread to wake up then. */
  nextDue(): number | undefined {
    let soonest: number | undefined;
    for (const entry of this.folders.values()) {
      for (const due of [entry.cacheDueAt, entry.callersDueAt]) if (due !== 0 && (soonest === undefined || due < soonest)) soonest = due;
    }
    return soonest;
  }

  private saveCache(entry: FolderEntry): void {
    const started = performance.now();
    Atomics.store(this.shared, SHARED.busy, -1);
    try {
      if (entry.cache.save()) this.log('info', `Saved ${entry.cache.stats.saved} parse results of ${entry.spec.root} in ${(performance.now() - started).toFixed(0)} ms`);
      saveTypeScriptCodeCache();
    } finally {
      Atomics.store(this.shared, SHARED.busy, 0);
    }
  }

  /**
   * Called by the workspaces before each unit of work. It makes the watchdog see progress, ends a cancelled
   * job, takes messages that arrived meanwhile, and makes background work give way to them.
   */
  readonly checkpoint = (subject: string): void => {
    Atomics.add(this.shared, SHARED.heartbeat, 1);
    if (subject !== this.lastSubject) {
      this.lastSubject = subject;
      const { written } = this.encoder.encodeInto(subject, this.subject);
      Atomics.store(this.shared, SHARED.subjectLength, written);
    }
    if (this.stallOn !== undefined && path.basename(subject) === this.stallOn) for (;;);
    const running = this.running;
    if (!running) return;
    if (Atomics.load(this.shared, SHARED.cancel) === running.job) throw new Interruption('cancelled');
    if (Atomics.load(this.shared, SHARED.posted) !== running.postedAtStart) {
      if (running.background) throw new Interruption('yield');
      for (let message = this.takeMessage(); message; message = this.takeMessage()) this.accept(message);
      running.postedAtStart = Atomics.load(this.shared, SHARED.posted);
    }
  };

  private runJob(job: Job): void {
    const uri = job.type === 'scan' ? job.folder.uri : job.uri;
    this.running = { job: job.job, uri, background: false, postedAtStart: Atomics.load(this.shared, SHARED.posted) };
    Atomics.store(this.shared, SHARED.busy, job.job);
    let outcome: JobOutcome = 'completed';
    let message: string | undefined;
    try {
      if (job.type === 'scan') this.scan(job.folder, job.overlays);
      else if (job.type === 'update') this.update(job.uri, job.changes);
      else this.answerQuery(job);
    } catch (error) {
      if (isCancellation(error)) outcome = 'cancelled';
      else {
        outcome = 'failed';
        message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        this.log('error', `${job.type} of ${uri} failed: ${message}`);
      }
    } finally {
      this.running = undefined;
      Atomics.store(this.shared, SHARED.busy, 0);
    }
    if (job.type === 'scan' || job.type === 'update') this.done(job.job, outcome, message);
  }

  private newWorkspace(spec: FolderSpec, overlays: Map<string, string>, cache: ParseCache): Workspace {
    const workspace = new Workspace(spec.root, {
      cache,
      nextVersion: this.options.nextVersion,
      cacheComponents: this.options.cacheComponents,
      excludedDirs: spec.excludedDirs,
      quarantined: this.quarantined,
      checkpoint: this.checkpoint,
    });
    workspace.setOverlays(overlays);
    return workspace;
  }

  /** Scans a folder into a new workspace and swaps it in when complete; a first scan posts apps as they come. */
  private scan(spec: FolderSpec, overlays: Array<[string, string]>): void {
    let entry = this.folders.get(spec.uri);
    if (!entry || entry.spec.root !== spec.root) {
      const cacheFile = this.options.cacheDir ? ParseCache.fileFor(this.options.cacheDir, spec.root) : undefined;
      entry = { spec, postedVersion: 0, overlays: new Map(), callersDueAt: 0, dependenciesKey: '', cache: ParseCache.open(cacheFile, spec.root), cacheDueAt: 0 };
      this.folders.set(spec.uri, entry);
    }
    entry.spec = spec;
    entry.overlays = new Map(overlays.map(([file, text]) => [path.resolve(file), text]));
    const started = performance.now();
    const workspace = this.newWorkspace(spec, entry.overlays, entry.cache);
    const firstScan = !entry.workspace;
    let lastProgress = performance.now();
    const current = entry;
    let manifest = workspace.scan(
      firstScan
        ? () => {
            if (performance.now() - lastProgress < PROGRESS_INTERVAL_MS) return;
            lastProgress = performance.now();
            this.postManifest(current, workspace, workspace.manifest(), false, []);
          }
        : undefined,
    );
    // Files that exist only in the editor (created, not saved yet) are not met by the walk.
    const unsaved: FileChange[] = [];
    for (const [file, text] of entry.overlays) if (!workspace.knowsFile(file)) unsaved.push({ path: file, type: 'created', text });
    if (unsaved.length > 0) manifest = workspace.applyChanges(unsaved);
    entry.workspace = workspace;
    entry.callersDueAt = performance.now();
    entry.cacheDueAt = performance.now();
    this.postManifest(entry, workspace, manifest, true, []);
    const routes = manifest.apps.reduce((sum, app) => sum + app.routes.length, 0);
    const { misses } = entry.cache.stats;
    const { fromCache, linked } = workspace.linkStats;
    const cached = entry.cache.file ? `; ${fromCache} routes from the cache, ${linked} linked, ${misses} files parsed` : '';
    this.log('info', `Scanned ${spec.root}: ${manifest.apps.length} app(s), ${routes} routes in ${(performance.now() - started).toFixed(0)} ms${cached}`);
    entry.cache.stats.hits = entry.cache.stats.misses = 0;
  }

  /**
   * Applies changes to a folder's workspace. An update that throws leaves the workspace in a state no one
   * can trust, so it is dropped and the folder scanned again (with the editor text), and only the result of
   * that is posted: compute, then swap.
   */
  private update(uri: string, changes: EngineChange[]): void {
    const entry = this.folders.get(uri);
    if (!entry) return;
    let released = false;
    for (const change of changes) {
      const file = path.resolve(change.path);
      if (change.text !== undefined) entry.overlays.set(file, change.text);
      else if (change.fromEditor || change.type === 'deleted') entry.overlays.delete(file);
      // A file a watchdog stopped on is analyzed again once it changes.
      if (this.quarantined.delete(file)) released = true;
    }
    const workspace = entry.workspace;
    // Without a workspace, the folder's scan is queued or failed; the next scan reads all of it.
    if (!workspace) return;
    if (released) {
      this.scan(entry.spec, [...entry.overlays]);
      return;
    }
    const started = performance.now();
    const relevant = this.relevantChanges(workspace, changes);
    if (relevant.length === 0) return;
    let manifest: RouteManifest;
    try {
      manifest = workspace.applyChanges(relevant);
    } catch (error) {
      if (isCancellation(error)) throw error;
      this.log('error', `Updating ${entry.spec.root} failed, so it is scanned again: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      const fresh = this.newWorkspace(entry.spec, entry.overlays, entry.cache);
      manifest = fresh.scan();
      entry.workspace = fresh;
    }
    // Callers wait until edits pause: each index looks at every call of the app.
    entry.callersDueAt = performance.now() + CALLERS_AFTER_EDIT_MS;
    if (entry.cacheDueAt === 0) entry.cacheDueAt = performance.now() + CACHE_SAVE_INTERVAL_MS;
    const changedFiles = relevant.map((change) => change.path);
    this.postManifest(entry, entry.workspace!, manifest, true, changedFiles);
    this.log('info', `Updated ${relevant.length} file(s) in ${(performance.now() - started).toFixed(1)} ms`);
  }

  /**
   * The changes that can matter. Editor changes always do (a document opened with the text on disk is the
   * exception); watcher events are filtered, unless there are so many that the workspace rescans anyway.
   */
  private relevantChanges(workspace: Workspace, changes: readonly EngineChange[]): FileChange[] {
    const relevant: FileChange[] = [];
    const bulk = changes.length > BULK_EVENTS;
    for (const change of changes) {
      const file = path.resolve(change.path);
      let type = change.type;
      if (change.fromEditor) {
        if (type === 'changed' && change.text !== undefined) {
          // A route file the watcher has not reported yet is news; text equal to the disk is not.
          if (!workspace.knowsFile(file)) type = 'created';
          else if (workspace.hasText(file, change.text)) {
            workspace.setOverlays([[file, change.text]]);
            continue;
          }
        }
      } else if (!bulk && !workspace.affects(file, type)) continue;
      relevant.push(change.text === undefined ? { path: file, type } : { path: file, type, text: change.text });
    }
    return relevant;
  }

  private answerQuery(query: Extract<ToEngine, { type: 'routeAt' | 'openapi' }>): void {
    if (query.type === 'routeAt') this.answerRouteAt(query);
    else this.answerOpenApi(query);
  }

  /** An OpenAPI document of one app, from the folder's workspace as it stands (unsaved text included). */
  private answerOpenApi(query: Extract<ToEngine, { type: 'openapi' }>): void {
    const workspace = this.folders.get(query.uri)?.workspace;
    let result: OpenApiResponse;
    try {
      if (!workspace) throw new Error('This folder has not been scanned yet.');
      const built = buildOpenApiDocument(workspace, workspace.manifest(), { app: query.app });
      result = { document: built.document as Record<string, unknown>, notes: built.notes };
    } catch (error) {
      if (isCancellation(error)) throw error;
      result = { error: error instanceof Error ? error.message : String(error), appRoots: error instanceof OpenApiAppError ? error.appRoots : [] };
      if (!(error instanceof OpenApiAppError)) this.log('warn', `OpenAPI of ${query.uri} failed: ${result.error}`);
    }
    this.post({ type: 'openapi', job: query.job, result });
  }

  private answerRouteAt(query: Extract<ToEngine, { type: 'routeAt' }>): void {
    let target: Extract<FromEngine, { type: 'routeAt' }>['target'];
    const entry = this.folders.get(query.uri);
    try {
      const hit = entry?.workspace?.routeAt(query.file, query.text, query.line, query.column);
      if (hit && entry) {
        const method = hit.route.methods.find((m) => m.name === hit.call.method && m.span) ?? hit.route.methods.find((m) => m.span);
        target = { file: path.resolve(entry.spec.root, hit.route.file), span: method?.span, method: hit.call.method };
      }
    } catch (error) {
      if (isCancellation(error)) throw error;
      this.log('warn', `Go to handler in ${query.file} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.post({ type: 'routeAt', job: query.job, target });
  }

  /** Background work: who calls each endpoint. Gives way to any message; what it read stays cached. */
  private indexCallers(entry: FolderEntry): void {
    this.running = { job: BACKGROUND_JOB, uri: entry.spec.uri, background: true, postedAtStart: Atomics.load(this.shared, SHARED.posted) };
    Atomics.store(this.shared, SHARED.busy, -1);
    try {
      const started = performance.now();
      const report = entry.workspace!.callerReport();
      entry.callersDueAt = 0;
      // The calls found are parse results too: the next start finds them in the cache.
      if (entry.cacheDueAt === 0) entry.cacheDueAt = performance.now();
      this.post({ type: 'callers', uri: entry.spec.uri, report });
      this.log('info', `Callers indexed in ${(performance.now() - started).toFixed(0)} ms`);
    } catch (error) {
      if (isCancellation(error)) return;
      entry.callersDueAt = 0;
      this.log('error', `Finding callers in ${entry.spec.root} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } finally {
      this.running = undefined;
      Atomics.store(this.shared, SHARED.busy, 0);
    }
  }

  /** Posts a folder's manifest as the changes since the one posted before (whole when the apps changed). */
  private postManifest(entry: FolderEntry, workspace: Workspace, manifest: RouteManifest, complete: boolean, changedFiles: string[]): void {
    const uri = entry.spec.uri;
    const version = ++entry.postedVersion;
    const current: ManifestResult = { folders: [{ uri, manifest }], version };
    const previous: ManifestResult | undefined = entry.posted ? { folders: [{ uri, manifest: entry.posted }], version: version - 1 } : undefined;
    const answer = manifestAnswer(current, previous, previous ? version - 1 : undefined);
    entry.posted = manifest;
    let dependencies: string[] | undefined;
    if (complete) {
      const files = workspace.dependencyFiles().sort();
      const key = files.join('\n');
      if (key !== entry.dependenciesKey) {
        entry.dependenciesKey = key;
        dependencies = files;
      }
    }
    const routeParts = this.sendRoutesAhead(uri, answer);
    this.post({ type: 'manifest', uri, job: this.running?.job ?? 0, answer, complete, changedFiles, dependencies, routeParts });
  }

  /** Moves the routes of a large answer into `routes` messages sent now; returns how many each app had. */
  private sendRoutesAhead(uri: string, answer: ManifestResult): number[] | undefined {
    const folderChanges = answer.changes?.folders.find((folder) => folder.uri === uri)?.apps;
    const apps = answer.folders[0].manifest.apps;
    const lists = folderChanges ? folderChanges.map((change) => change.changed) : apps.map((app) => app.routes);
    const total = lists.reduce((sum, list) => sum + list.length, 0);
    if (total <= ROUTES_PER_PART) return undefined;
    let part: Route[] = [];
    for (const list of lists) {
      for (const route of list) {
        part.push(route);
        if (part.length === ROUTES_PER_PART) {
          this.post({ type: 'routes', uri, routes: part });
          part = [];
        }
      }
    }
    if (part.length > 0) this.post({ type: 'routes', uri, routes: part });
    const counts = lists.map((list) => list.length);
    // The answer is the engine's own copy of what it posted before: strip the routes from a shallow copy.
    if (folderChanges) folderChanges.forEach((change, i) => (folderChanges[i] = { ...change, changed: [] }));
    else answer.folders[0] = { ...answer.folders[0], manifest: { ...answer.folders[0].manifest, apps: apps.map((app) => ({ ...app, routes: [] })) } };
    return counts;
  }

  /** Posts a folder's whole manifest again (the main thread lost track of the versions). */
  private resend(uri: string): void {
    const entry = this.folders.get(uri);
    if (!entry?.workspace) return;
    entry.posted = undefined;
    this.postManifest(entry, entry.workspace, entry.workspace.manifest(), true, []);
  }

  private done(job: number, outcome: JobOutcome, message?: string): void {
    this.post({ type: 'done', job, outcome, message });
    for (const merged of this.mergedJobs.get(job) ?? []) this.post({ type: 'done', job: merged, outcome, message });
    this.mergedJobs.delete(job);
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.post({ type: 'log', level, message });
  }
}

/** True in the thread the language server started to run the engine. */
function isEngineThread(): boolean {
  return !isMainThread && (workerData as Partial<EngineWorkerData> | undefined)?.kind === 'route-atlas-engine';
}

/** The engine thread's entry: messages in, one job per turn of the event loop, so that messages interleave. */
export function runEngineThread(): void {
  const data = workerData as EngineWorkerData;
  const port = parentPort!;
  // The cold scan's own second thread (on 4+ cores) runs this same script.
  setSummaryWorkerEntry(__filename);
  const engine = new Engine(
    data.shared,
    data.subject.length === SUBJECT_BYTES ? data.subject : new Uint8Array(data.subject.buffer),
    (message) => port.postMessage(message),
    () => receiveMessageOnPort(port)?.message as ToEngine | undefined,
    data.stallOn,
  );
  let scheduled = false;
  let wakeUp: NodeJS.Timeout | undefined;
  const turn = () => {
    scheduled = false;
    if (engine.runNext()) schedule();
    else {
      // Idle: wake up when background work (a cache to write, callers to index) is due.
      const due = engine.nextDue();
      if (wakeUp) clearTimeout(wakeUp);
      wakeUp = due === undefined ? undefined : setTimeout(schedule, Math.max(0, due - performance.now()));
    }
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(turn);
  };
  port.on('message', (message: ToEngine) => {
    engine.accept(message);
    schedule();
  });
}

if (isEngineThread()) runEngineThread();
