import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { ANALYSIS_STACK_MB } from './limits';
import type { Problem } from './model';
import type { ModuleSummary, SummaryOptions } from './moduleSummary';
import type { FileReadAhead } from './readAhead';
import { summarizeRouteFile } from './sourceFiles';

/** Below this many files a second thread costs more (loading the parser, copying summaries) than it saves (measured: a loss at 1,000 route files, a gain at 10,000). */
export const PARALLEL_THRESHOLD = 2000;
const CHUNK = 64;

/**
 * A second summarizing thread pays only with cores to spare. It is a fresh isolate that must compile and
 * optimize the TypeScript parser again, and its optimizing compiles run on background threads: on two
 * cores they compete with both summarizing threads, and each thread loses over a second to warm-up, as
 * much as the parallel work saves (measured at 10,000 routes: equal wall time, 40% more CPU). There the
 * second core reads files ahead instead (readAhead.ts).
 */
export const SUMMARY_WORKER_MIN_CORES = 4;

export interface SummaryJob {
  abs: string;
  file: string;
}

export const SUMMARY_WORKER_KIND = 'route-atlas-summaries';

let workerEntry: string | undefined;

/** A bundle (dist/cli.js, dist/server.js) names itself as the worker script, since it contains the worker. */
export function setSummaryWorkerEntry(file: string): void {
  workerEntry = file;
}

/** The script a worker runs: the bundle that registered itself, or the transpiled module next to this one. */
function workerScript(): string | undefined {
  if (workerEntry) return workerEntry;
  const sibling = path.join(__dirname, 'summaryWorker.js');
  return fs.existsSync(sibling) ? sibling : undefined;
}

/**
 * A worker thread started ahead of the work, so that loading the parser there overlaps with the file
 * walk here. It waits for one batch of jobs.
 */
export class SummaryWorker {
  readonly shared = new Int32Array(new SharedArrayBuffer(8));
  private readonly channel = new MessageChannel();
  private readonly worker: Worker;

  private constructor(script: string) {
    const { port2 } = this.channel;
    this.worker = new Worker(script, {
      workerData: { kind: SUMMARY_WORKER_KIND, shared: this.shared, port: port2 },
      transferList: [port2],
      resourceLimits: { stackSizeMb: ANALYSIS_STACK_MB },
    });
    // A worker that fails (its script missing, say) must not take the process down: whatever it did not
    // deliver, this thread summarizes itself.
    this.worker.on('error', () => undefined);
    // An idle worker must not keep a CLI process alive.
    this.worker.unref();
  }

  /** Starts a worker when this machine has the cores for it and a worker script exists. */
  static start(): SummaryWorker | undefined {
    const script = os.availableParallelism() >= SUMMARY_WORKER_MIN_CORES ? workerScript() : undefined;
    if (!script) return undefined;
    try {
      return new SummaryWorker(script);
    } catch {
      return undefined;
    }
  }

  get port(): MessagePort {
    return this.channel.port1;
  }

  send(jobs: readonly SummaryJob[], maxBytes: number): void {
    this.port.postMessage({ jobs, maxBytes, chunk: CHUNK });
  }

  dispose(): void {
    this.port.close();
    void this.worker.terminate();
  }
}

/**
 * Summarizes many files on this thread and a worker thread at once, synchronously: the caller's API
 * stays a plain function. Work is handed out in chunks from a shared queue, so neither thread idles
 * while the other still has files. Without a worker (or with few files) this thread does it all, taking
 * the texts a reader thread read ahead, if there is one (there is none beside a worker: each thread then
 * reads what it summarizes). A file beyond the analysis's bounds gets its problem; a file whose summary
 * threw anything else (a bug) is left out of `into`, for the caller to summarize where it reports errors.
 */
export function summarizeInParallel(
  jobs: readonly SummaryJob[],
  maxBytes: number,
  into: Map<string, ModuleSummary | Problem>,
  worker = jobs.length >= PARALLEL_THRESHOLD ? SummaryWorker.start() : undefined,
  readAhead?: FileReadAhead,
): void {
  if (!worker || jobs.length < PARALLEL_THRESHOLD) {
    worker?.dispose();
    for (const job of jobs) {
      const summary = summarizeJob(job, maxBytes, {}, readAhead?.take(job.abs));
      if (summary) into.set(job.abs, summary);
    }
    return;
  }
  // Slot 0: the next chunk to take; slot 1: chunks the worker finished (it notifies on it).
  const { shared, port } = worker;
  worker.send(jobs, maxBytes);
  const chunks = Math.ceil(jobs.length / CHUNK);
  let mine = 0;
  let received = 0;
  /** Files that threw here: trying them again here would throw again. */
  const failed = new Set<string>();
  for (;;) {
    const index = Atomics.add(shared, 0, 1);
    if (index >= chunks) break;
    for (const job of jobs.slice(index * CHUNK, (index + 1) * CHUNK)) {
      const summary = summarizeJob(job, maxBytes);
      if (summary) into.set(job.abs, summary);
      else failed.add(job.abs);
    }
    mine++;
    received += drain(port, into);
  }
  // Wait for the chunks the worker took; it bumps slot 1 after posting each one.
  const theirs = chunks - mine;
  received += drain(port, into);
  while (received < theirs) {
    const seen = Atomics.load(shared, 1);
    received += drain(port, into);
    if (received >= theirs) break;
    if (Atomics.wait(shared, 1, seen, 30_000) === 'timed-out') break;
  }
  worker.dispose();
  // Anything the worker did not deliver (it crashed, say, or threw on a file) is done here.
  for (const job of jobs) {
    if (into.has(job.abs) || failed.has(job.abs)) continue;
    const summary = summarizeJob(job, maxBytes);
    if (summary) into.set(job.abs, summary);
  }
}

/** The summary of one job's file, or undefined when summarizing it threw something other than a limit (a bug). */
export function summarizeJob(job: SummaryJob, maxBytes: number, options: SummaryOptions = {}, readText?: string): ModuleSummary | Problem | undefined {
  try {
    return summarizeRouteFile(job.abs, job.file, maxBytes, options, readText);
  } catch {
    return undefined;
  }
}

function drain(port: MessagePort, into: Map<string, ModuleSummary | Problem>): number {
  let chunks = 0;
  for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
    for (const [abs, summary] of message.message as Array<[string, ModuleSummary | Problem]>) into.set(abs, summary);
    chunks++;
  }
  return chunks;
}
