// The analyzer as the benchmark measures it: bundled into one file by esbuild.mjs, as it ships in
// dist/cli.js and dist/server.js. Per-file transpiled modules (out/) call each other through export
// getters, which a cold scan pays millions of times; the shipped bundles call directly.
import { setSummaryWorkerEntry } from '../../server/analysis/parallelSummaries';
// In a worker thread this module does the work of the cold scan's second thread.
import '../../server/analysis/summaryWorker';

export { Workspace } from '../../server/analysis/workspace';
// The compiler loads on the first parse; the benchmark loads it with the module, as the floor does.
export { loadTypeScript } from '../../server/analysis/typescriptBindings';

setSummaryWorkerEntry(__filename);
