import { isMainThread } from 'node:worker_threads';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { setSummaryWorkerEntry } from '../analysis/parallelSummaries';
// In a worker thread this module does the work of the cold scan's second thread.
import '../analysis/summaryWorker';
import { startServer } from './server';

// Started by the extension over IPC (or stdio with --stdio); never writes to stdout itself. The same
// bundle is the script of the cold scan's worker thread.
if (isMainThread) {
  setSummaryWorkerEntry(__filename);
  startServer(createConnection(ProposedFeatures.all));
}
