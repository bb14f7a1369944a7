import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { nodeFileHost } from './host';
import type { Problem } from './model';
import type { ModuleSummary } from './moduleSummary';
import { summarizeFile } from './sourceFiles';

/** Below this many files a second thread costs more (loading the parser) than it saves. */
export const PARALLEL_THRESHOLD = 400;
const CHUNK = 64;

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
 * Summarizes many files on this thread and one worker thread at once, synchronously: the caller's API
 * stays a plain function. Work is handed out in chunks from a shared queue, so neither thread idles
 * while the other still has files. Falls back to this thread alone when no worker can start.
 */
export function summarizeInParallel(jobs: readonly SummaryJob[], maxBytes: number, into: Map<string, ModuleSummary | Problem>): void {
  const script = jobs.length >= PARALLEL_THRESHOLD && os.availableParallelism() > 1 ? workerScript() : undefined;
  if (!script) {
    for (const job of jobs) into.set(job.abs, summarizeFile(nodeFileHost, job.abs, job.file, maxBytes));
    return;
  }
  // Slot 0: the next chunk to take; slot 1: chunks the worker finished (it notifies on it).
  const shared = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  let worker: Worker;
  try {
    worker = new Worker(script, { workerData: { kind: SUMMARY_WORKER_KIND, jobs, maxBytes, shared, port: port2, chunk: CHUNK }, transferList: [port2] });
  } catch {
    for (const job of jobs) into.set(job.abs, summarizeFile(nodeFileHost, job.abs, job.file, maxBytes));
    return;
  }
  const chunks = Math.ceil(jobs.length / CHUNK);
  let mine = 0;
  let received = 0;
  for (;;) {
    const index = Atomics.add(shared, 0, 1);
    if (index >= chunks) break;
    for (const job of jobs.slice(index * CHUNK, (index + 1) * CHUNK)) into.set(job.abs, summarizeFile(nodeFileHost, job.abs, job.file, maxBytes));
    mine++;
    received += drain(port1, into);
  }
  // Wait for the chunks the worker took; it bumps slot 1 after posting each one.
  const theirs = chunks - mine;
  received += drain(port1, into);
  while (received < theirs) {
    const seen = Atomics.load(shared, 1);
    received += drain(port1, into);
    if (received >= theirs) break;
    if (Atomics.wait(shared, 1, seen, 30_000) === 'timed-out') break;
  }
  port1.close();
  void worker.terminate();
  // Anything the worker did not deliver (it crashed, say) is done here.
  for (const job of jobs) if (!into.has(job.abs)) into.set(job.abs, summarizeFile(nodeFileHost, job.abs, job.file, maxBytes));
}

function drain(port: MessagePort, into: Map<string, ModuleSummary | Problem>): number {
  let chunks = 0;
  for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
    for (const [abs, summary] of message.message as Array<[string, ModuleSummary | Problem]>) into.set(abs, summary);
    chunks++;
  }
  return chunks;
}
