// The second thread of a cold scan: takes chunks of files from the shared queue and posts their summaries.
// Loaded either as its own script (transpiled tests) or as part of a bundle that names itself the
// worker entry (dist/cli.js, dist/server.js); either way it only acts inside a summary worker.
import { isMainThread, type MessagePort, workerData } from 'node:worker_threads';
import { nodeFileHost } from './host';
import { SUMMARY_WORKER_KIND, type SummaryJob } from './parallelSummaries';
import { summarizeFile } from './sourceFiles';

interface SummaryWorkerData {
  kind: typeof SUMMARY_WORKER_KIND;
  jobs: SummaryJob[];
  maxBytes: number;
  shared: Int32Array;
  port: MessagePort;
  chunk: number;
}

/** True when this thread was started to summarize files. */
export function isSummaryWorker(): boolean {
  return !isMainThread && (workerData as Partial<SummaryWorkerData> | undefined)?.kind === SUMMARY_WORKER_KIND;
}

export function runSummaryWorker(): void {
  const { jobs, maxBytes, shared, port, chunk } = workerData as SummaryWorkerData;
  const chunks = Math.ceil(jobs.length / chunk);
  for (;;) {
    const index = Atomics.add(shared, 0, 1);
    if (index >= chunks) break;
    const results = jobs.slice(index * chunk, (index + 1) * chunk).map((job) => [job.abs, summarizeFile(nodeFileHost, job.abs, job.file, maxBytes)]);
    port.postMessage(results);
    Atomics.add(shared, 1, 1);
    Atomics.notify(shared, 1);
  }
  port.close();
}

if (isSummaryWorker()) runSummaryWorker();
