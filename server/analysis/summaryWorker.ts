// The second thread of a cold scan: takes chunks of files from the shared queue and posts their summaries.
// Loaded either as its own script (transpiled tests) or as part of a bundle that names itself the
// worker entry (dist/cli.js, dist/server.js); either way it only acts inside a summary worker.
import { isMainThread, type MessagePort, workerData } from 'node:worker_threads';
import type { Problem } from './model';
import { type ModuleSummary, summarizeModule } from './moduleSummary';
import { SUMMARY_WORKER_KIND, type SummaryJob, summarizeJob } from './parallelSummaries';

interface SummaryWorkerData {
  kind: typeof SUMMARY_WORKER_KIND;
  shared: Int32Array;
  port: MessagePort;
}

interface SummaryBatch {
  jobs: SummaryJob[];
  maxBytes: number;
  chunk: number;
}

/** True when this thread was started to summarize files. */
export function isSummaryWorker(): boolean {
  return !isMainThread && (workerData as Partial<SummaryWorkerData> | undefined)?.kind === SUMMARY_WORKER_KIND;
}

export function runSummaryWorker(): void {
  const { shared, port } = workerData as SummaryWorkerData;
  // Summarizing needs the parser: load it now, while the main thread is still walking folders.
  summarizeModule('warm-up.ts', 'export const warm = 1;', 'warm-up.ts');
  port.once('message', (batch: SummaryBatch) => summarizeBatch(batch, shared, port));
}

function summarizeBatch({ jobs, maxBytes, chunk }: SummaryBatch, shared: Int32Array, port: MessagePort): void {
  const chunks = Math.ceil(jobs.length / chunk);
  for (;;) {
    const index = Atomics.add(shared, 0, 1);
    if (index >= chunks) break;
    const results: Array<[string, ModuleSummary | Problem]> = [];
    for (const job of jobs.slice(index * chunk, (index + 1) * chunk)) {
      // A file that threw is not posted: the scanning thread fills in what a chunk lacks.
      const summary = summarizeJob(job, maxBytes, { postedToAnotherThread: true });
      if (summary) results.push([job.abs, summary]);
    }
    try {
      port.postMessage(results);
    } catch {
      // Whatever could not be posted, the scanning thread summarizes itself.
      port.postMessage([]);
    }
    Atomics.add(shared, 1, 1);
    Atomics.notify(shared, 1);
  }
  port.close();
}

if (isSummaryWorker()) runSummaryWorker();
