// The main thread's side of the analysis thread: starts it, posts to it, and watches it. A thread whose
// checkpoints stand still while it is busy is stuck (a runaway the analysis's own bounds did not catch):
// the watchdog stops it, starts a new one and says which file it was on, so the server can skip that file
// and scan again. A thread that dies is restarted the same way, a few times.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ANALYSIS_STACK_MB } from '../analysis/limits';
import { type EngineWorkerData, type FromEngine, SHARED, SUBJECT_BYTES, type ToEngine } from './engineMessages';

export interface EngineHostOptions {
  /** How long a busy engine may pass no checkpoint before it counts as stuck. */
  stallMs?: number;
  /** Test hook handed to the engine (see EngineWorkerData.stallOn). */
  stallOn?: string;
  /** The engine script; by default the bundle next to this one, or the transpiled module in tests. */
  script?: string;
}

export interface EngineRestart {
  reason: 'stalled' | 'crashed';
  /** What the engine was on when it stalled: a file or folder path. */
  subject?: string;
  message: string;
}

const DEFAULT_STALL_MS = 15_000;
const WATCH_INTERVAL_MS = 250;
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 120_000;

export class EngineHost {
  private worker!: Worker;
  private shared!: Int32Array;
  private subject!: Uint8Array;
  private lastJob = 0;
  private readonly watchTimer: NodeJS.Timeout;
  private lastBeat = -1;
  private stillSince = 0;
  private restarts: number[] = [];
  private disposed = false;
  private readonly stallMs: number;

  constructor(
    private readonly onMessage: (message: FromEngine) => void,
    /** A new engine replaced one that stalled or died: it knows nothing yet. */
    private readonly onRestart: (restart: EngineRestart) => void,
    /** The engine failed too often and is not restarted again. */
    private readonly onGiveUp: (message: string) => void,
    private readonly options: EngineHostOptions = {},
  ) {
    this.stallMs = options.stallMs ?? DEFAULT_STALL_MS;
    this.start();
    this.watchTimer = setInterval(() => this.watch(), Math.min(WATCH_INTERVAL_MS, this.stallMs / 4));
    this.watchTimer.unref();
  }

  /** A fresh job id. */
  nextJob(): number {
    return ++this.lastJob;
  }

  post(message: ToEngine): void {
    if (this.disposed) return;
    // Counted before it is posted, so that background work in the engine gives way at its next checkpoint.
    Atomics.add(this.shared, SHARED.posted, 1);
    this.worker.postMessage(message);
  }

  /** Acknowledges a part of a large manifest; unlike other messages, it does not make background work give way. */
  acknowledge(): void {
    if (!this.disposed) this.worker.postMessage({ type: 'ack' } satisfies ToEngine);
  }

  /** Cancels a job: dropped if still queued, ended at its next checkpoint if running. */
  cancel(job: number): void {
    Atomics.store(this.shared, SHARED.cancel, job);
    this.post({ type: 'cancel', job });
  }

  /** Stops the engine at once, whatever it is doing. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearInterval(this.watchTimer);
    void this.worker.terminate();
  }

  private start(): void {
    this.shared = new Int32Array(new SharedArrayBuffer(SHARED.slots * 4));
    this.subject = new Uint8Array(new SharedArrayBuffer(SUBJECT_BYTES));
    const workerData: EngineWorkerData = { kind: 'route-atlas-engine', shared: this.shared, subject: this.subject, stallOn: this.options.stallOn };
    const worker = new Worker(this.options.script ?? engineScript(), { workerData, resourceLimits: { stackSizeMb: ANALYSIS_STACK_MB } });
    this.worker = worker;
    this.lastBeat = -1;
    worker.on('message', (message: FromEngine) => {
      if (this.worker === worker && !this.disposed) this.onMessage(message);
    });
    worker.on('error', (error) => {
      if (this.worker === worker) this.restart({ reason: 'crashed', message: `The analysis thread failed: ${error.stack ?? error.message}` });
    });
    worker.on('exit', (code) => {
      if (this.worker === worker && !this.disposed) this.restart({ reason: 'crashed', message: `The analysis thread exited with code ${code}.` });
    });
  }

  private watch(): void {
    if (this.disposed) return;
    const busy = Atomics.load(this.shared, SHARED.busy);
    const beat = Atomics.load(this.shared, SHARED.heartbeat);
    const now = performance.now();
    if (busy === 0 || beat !== this.lastBeat) {
      this.lastBeat = beat;
      this.stillSince = now;
      return;
    }
    if (now - this.stillSince < this.stallMs) return;
    const subject = this.readSubject();
    const seconds = Math.round(this.stallMs / 1000);
    this.restart({
      reason: 'stalled',
      subject,
      message: `The analysis spent over ${seconds} s on ${subject || 'one step'} without progress; it was stopped and started again.`,
    });
  }

  private restart(restart: EngineRestart): void {
    const old = this.worker;
    void old.terminate();
    const now = Date.now();
    this.restarts = [...this.restarts.filter((time) => now - time < RESTART_WINDOW_MS), now];
    if (this.restarts.length > MAX_RESTARTS) {
      this.dispose();
      this.onGiveUp(`${restart.message} It failed ${this.restarts.length} times in ${RESTART_WINDOW_MS / 60_000} minutes and is not restarted again; run "Route Atlas: Restart Server" to try again.`);
      return;
    }
    this.start();
    this.onRestart(restart);
  }

  private readSubject(): string {
    const length = Math.min(Atomics.load(this.shared, SHARED.subjectLength), SUBJECT_BYTES);
    // TextDecoder does not read shared memory: copy it first.
    return new TextDecoder().decode(this.subject.slice(0, length));
  }
}

/** The engine script: dist/engine.js beside the server bundle, or the transpiled module beside this one in tests. */
function engineScript(): string {
  return path.join(__dirname, 'engine.js');
}
