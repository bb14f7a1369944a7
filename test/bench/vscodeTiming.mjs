#!/usr/bin/env node
// The editor benchmark in a real VS Code (code-server 1.139.1, see test/vscode): how long after the
// extension activates the Endpoints view shows endpoints, and when it is complete, for each folder given,
// opened twice in the same user data (the first time cold, the second warm: the parse cache lives in the
// workspace's storage). Timings come from the extension itself (RouteAtlasApi.timings), read by the runner
// test/vscode/timing/index.ts; they count from activation, not from the page load.
//
//   node test/bench/vscodeTiming.mjs [<folder>...] [--runs 1] [--json out/bench-vscode.json]
//
// Without folders, the benchmark's own fixtures (the 500-route monorepo and the 10,000-route app that
// bench.js and editor.js generate under os.tmpdir()/route-atlas-bench). Prints one line per open and a JSON
// summary. The folders are opened as they are (not copied).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ensureInstalled, isInstalled } from '../vscode/install.mjs';
import { REPO_ROOT, launchChromium, log, makeRunDir, startCodeServer, stopGroup, workbenchUrl } from '../vscode/lib.mjs';

const RUNNER = join(REPO_ROOT, 'out', 'test', 'vscode', 'timing', 'index.js');

function parseArgs(argv) {
  const options = { folders: [], runs: 1, json: join(REPO_ROOT, 'out', 'bench-vscode.json') };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') options.runs = Math.max(1, Number(argv[++i]) || 1);
    else if (argv[i] === '--json') options.json = resolve(argv[++i]);
    else options.folders.push(resolve(argv[i]));
  }
  if (options.folders.length === 0) {
    const fixtures = ['monorepo-500', '10000'].map((name) => join(tmpdir(), 'route-atlas-bench', name));
    const missing = fixtures.filter((folder) => !existsSync(folder));
    if (missing.length > 0) throw new Error(`${missing.join(', ')} missing: run node out/test/bench/bench.js and editor.js first, or name folders`);
    options.folders = fixtures;
  }
  return options;
}

/** Opens `folder` in a new page and resolves with the extension's timings once the view is complete. */
async function openOnce(browser, server, folder, runDir, label, lingerMs = 0) {
  const results = join(runDir, `timing-${label}.json`);
  rmSync(results, { force: true });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  let resolveExit;
  const exited = new Promise((r) => (resolveExit = r));
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code) || 0));
  await page.exposeFunction('codeAutomationLog', () => undefined);
  const url = workbenchUrl(server, { folder, extensionPath: REPO_ROOT, testsPath: RUNNER, environment: { ROUTE_ATLAS_TEST_RESULTS: results, ROUTE_ATLAS_TIMING_LINGER_MS: String(lingerMs) } });
  const started = Date.now();
  await page.goto(url);
  const timeout = new Promise((r) => setTimeout(() => r('timeout'), 600_000).unref());
  const code = await Promise.race([exited, timeout]);
  await context.close().catch(() => undefined);
  if (code !== 0 || !existsSync(results)) throw new Error(`${label}: the timing runner ended with ${code}`);
  const timings = JSON.parse(readFileSync(results, 'utf8'));
  return { ...timings, pageLoadMs: timings.activatedAt - started };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(RUNNER)) throw new Error(`${RUNNER} missing: run \`node esbuild.mjs --tests\` first`);
  if (!isInstalled()) ensureInstalled();
  const rows = [];
  for (const folder of options.folders) {
    for (let run = 1; run <= options.runs; run++) {
      // One user data folder per folder and run: the first open is cold, the second finds the cache it left.
      const runDir = makeRunDir();
      const server = await startCodeServer({ runDir });
      const browser = await launchChromium();
      try {
        for (const phase of ['cold', 'warm']) {
          // The cold session stays open 10 s after its view is complete, long enough to write its cache.
          const t = await openOnce(browser, server, folder, runDir, phase, phase === 'cold' ? 10_000 : 0);
          const row = {
            folder,
            run,
            phase,
            rows: t.rows,
            restoredMs: t.restoredAt ? t.restoredAt - t.activatedAt : undefined,
            firstEndpointsMs: t.firstEndpointsAt - t.activatedAt,
            completeMs: t.completeAt - t.activatedAt,
            serverStartedMs: t.serverStartedAt ? t.serverStartedAt - t.activatedAt : undefined,
          };
          rows.push(row);
          const restored = row.restoredMs === undefined ? '' : `last session's endpoints shown ${row.restoredMs} ms, `;
          log(`${folder} run ${run} ${phase}: ${restored}first endpoints ${row.firstEndpointsMs} ms, complete ${row.completeMs} ms after activation (server answered at ${row.serverStartedMs} ms; ${row.rows} rows)`);
        }
      } finally {
        await browser.close().catch(() => undefined);
        await stopGroup(server.child);
        rmSync(runDir, { recursive: true, force: true });
      }
    }
  }
  mkdirSync(dirname(options.json), { recursive: true });
  writeFileSync(options.json, JSON.stringify({ date: new Date().toISOString(), rows }, null, 2) + '\n');
  process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
