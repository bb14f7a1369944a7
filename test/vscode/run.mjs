#!/usr/bin/env node
// Runs the extension's integration tests (test/vscode/suite, mocha) inside a real VS Code extension host:
// code-server 4.139.1 (Code 1.139.1) on Node 24, driven by Debian's Chromium through playwright-core.
//
//   node test/vscode/run.mjs [--workspace <dir>] [--extension <dir>] [--grep <pattern>] [--ui]
//                            [--screenshots <dir>] [--timeout <s>] [--no-build] [--keep] [--verbose]
//
// Exit code: 0 when every test passed (and the UI checks, with --ui), 1 on failures, 124 on timeout.
// Install first with `node test/vscode/install.mjs` (run.mjs installs when nothing is there).
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { ensureInstalled, isInstalled } from './install.mjs';
import {
  DEFAULT_RUNNER,
  DEFAULT_WORKSPACE,
  REPO_ROOT,
  checkExtension,
  elapsed,
  isNoise,
  launchChromium,
  log,
  makeRunDir,
  startCodeServer,
  stopGroup,
  tail,
  workbenchUrl,
} from './lib.mjs';
import { loadExpectations, runUiChecks } from './ui.mjs';

function usage() {
  return `usage: node test/vscode/run.mjs [options]
  --workspace <dir>     folder opened in VS Code (default: test/vscode/workspace)
  --extension <dir>     extension under test (default: the repository root)
  --grep <pattern>      only run mocha tests whose full title matches
  --ui                  after the tests, run the UI checks of test/vscode/ui.mjs
  --expect <file>       JSON merged over test/vscode/ui-expectations.json (with --ui)
  --screenshots <dir>   where the UI checks save pictures (default: out/screenshots)
  --timeout <seconds>   overall deadline (default: 240)
  --no-build            do not run \`node esbuild.mjs --tests --quiet\` first
  --keep                keep the run folder (code-server log, user data) even on success
  --verbose             print every workbench/extension-host line, noise included`;
}

function parseArgs(argv) {
  const opts = {
    workspace: DEFAULT_WORKSPACE,
    extension: REPO_ROOT,
    runner: DEFAULT_RUNNER,
    screenshots: join(REPO_ROOT, 'out', 'screenshots'),
    timeout: 240,
    build: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value\n${usage()}`);
      return argv[++i];
    };
    if (a === '--workspace') opts.workspace = resolve(value());
    else if (a === '--extension') opts.extension = resolve(value());
    else if (a === '--runner') opts.runner = resolve(value());
    else if (a === '--grep') opts.grep = value();
    else if (a === '--screenshots') opts.screenshots = resolve(value());
    else if (a === '--expect') opts.expect = resolve(value());
    else if (a === '--timeout') opts.timeout = Number(value());
    else if (a === '--ui') opts.ui = true;
    else if (a === '--no-build') opts.build = false;
    else if (a === '--keep') opts.keep = true;
    else if (a === '--verbose') opts.verbose = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(usage() + '\n');
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n${usage()}`);
  }
  if (!(opts.timeout > 0)) throw new Error('--timeout must be a positive number of seconds');
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();

  if (!isInstalled()) {
    log('VS Code (code-server) not installed yet: installing (about 8 minutes cold)');
    ensureInstalled();
  }

  if (opts.build) {
    const t = Date.now();
    const r = spawnSync(process.execPath, ['esbuild.mjs', '--tests', '--quiet'], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`\`node esbuild.mjs --tests --quiet\` failed (exit ${r.status ?? r.signal}); use --no-build to run what is already built`);
    log(`built with esbuild in ${elapsed(t)}`);
  }
  if (!existsSync(opts.runner)) throw new Error(`test runner ${opts.runner} missing: run \`node esbuild.mjs --tests\``);
  if (!existsSync(opts.workspace)) throw new Error(`workspace folder ${opts.workspace} does not exist`);
  const { id } = checkExtension(opts.extension);

  const runDir = makeRunDir();
  // Tests create and edit files; they work on a copy so the fixture in the repository stays as it is.
  const fixture = opts.workspace;
  opts.workspace = join(runDir, 'workspace');
  cpSync(fixture, opts.workspace, { recursive: true });
  const resultsFile = join(runDir, 'results.json');
  const hostLog = join(runDir, 'exthost.log');
  let server;
  let browser;
  let stage = 'start code-server';
  let finished = false;
  let interrupted = false;

  const cleanup = async (success) => {
    await browser?.close().catch(() => {});
    if (server?.child) await stopGroup(server.child);
    if (success && !opts.keep) rmSync(runDir, { recursive: true, force: true });
    else log(`run folder kept: ${runDir} (code-server.log, exthost.log, results.json)`);
  };

  // The overall deadline covers code-server, the workbench, the tests and the UI checks.
  const timeout = new Promise((resolveTimeout) => {
    const timer = setTimeout(() => resolveTimeout('timeout'), opts.timeout * 1000);
    timer.unref();
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      interrupted = true;
      log(`${signal}: stopping`);
      cleanup(false).finally(() => process.exit(130));
    });
  }

  let code = 1;
  try {
    const work = (async () => {
      server = await startCodeServer({ runDir });
      log(`code-server healthy on ${server.baseUrl} in ${server.healthySeconds.toFixed(1)} s (log: ${server.logFile})`);

      stage = 'launch Chromium';
      browser = await launchChromium();
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();

      let resolveExit;
      const exited = new Promise((r) => (resolveExit = r));
      await page.exposeFunction('codeAutomationExit', (exitCode) => {
        resolveExit(Number(exitCode) || 0);
      });
      await page.exposeFunction('codeAutomationLog', (type, args) => {
        const line = format(...(Array.isArray(args) ? args : [args]));
        appendFileSync(hostLog, `[${type}] ${line}\n`);
        if (!finished && (opts.verbose || !isNoise(line))) {
          for (const l of line.split('\n')) process.stdout.write(`[exthost] ${l}\n`);
        }
      });
      page.on('pageerror', (error) => appendFileSync(hostLog, `[pageerror] ${error.message}\n`));
      if (opts.verbose) page.on('console', (msg) => process.stdout.write(`[browser:${msg.type()}] ${msg.text()}\n`));

      const environment = {
        ROUTE_ATLAS_TEST_RESULTS: resultsFile,
        ROUTE_ATLAS_TEST_WORKSPACE: opts.workspace,
        ...(opts.grep ? { ROUTE_ATLAS_TEST_GREP: opts.grep } : {}),
      };
      const url = workbenchUrl(server, { folder: opts.workspace, extensionPath: opts.extension, testsPath: opts.runner, environment });
      stage = 'load the workbench and run the tests';
      log(`testing ${id} from ${opts.extension} in ${opts.workspace}${opts.grep ? ` (grep: ${opts.grep})` : ''}`);
      const t = Date.now();
      await page.goto(url);
      const testCode = await exited;
      finished = true;
      log(`tests finished with code ${testCode} in ${elapsed(t)}`);
      printResults(resultsFile);
      await context.close().catch(() => {});

      let uiOk = true;
      if (opts.ui) {
        stage = 'UI checks';
        try {
          // A fresh copy: the pictures show the fixture, not what the tests added to it.
          const uiWorkspace = join(runDir, 'workspace-ui');
          cpSync(fixture, uiWorkspace, { recursive: true });
          await runUiChecks({
            browser,
            server,
            workspace: uiWorkspace,
            extensionPath: opts.extension,
            screenshotsDir: opts.screenshots,
            expectations: loadExpectations(opts.expect),
            onLog: opts.verbose ? (line) => process.stdout.write(`${line}\n`) : undefined,
          });
        } catch (error) {
          uiOk = false;
          process.stderr.write(`[harness] ${error.message}\n`);
        }
      }
      return testCode !== 0 ? testCode : uiOk ? 0 : 1;
    })();
    const outcome = await Promise.race([work, timeout]);
    if (outcome === 'timeout') {
      process.stderr.write(
        `[harness] TIMEOUT after ${opts.timeout} s while trying to ${stage}.` +
          (stage.startsWith('load the workbench')
            ? ' The workbench never called codeAutomationExit: is --vscode-option enable-smoke-test-driver set, does the extension activate, does a test hang?'
            : '') +
          `\n`,
      );
      if (server?.logFile) process.stderr.write(`[harness] last code-server lines:\n${tail(server.logFile, 15)}\n`);
      code = 124;
      work.catch(() => {}); // it fails once its browser/server are gone
    } else {
      code = outcome;
    }
  } catch (error) {
    if (interrupted) return new Promise(() => {}); // the signal handler cleans up and exits
    process.stderr.write(`[harness] failed to ${stage}: ${error.message}\n`);
    code = 1;
  } finally {
    finished = true;
    if (!interrupted) await cleanup(code === 0);
  }
  log(`${code === 0 ? 'PASSED' : code === 124 ? 'TIMED OUT' : 'FAILED'} in ${elapsed(started)} (exit ${code})`);
  return code;
}

function printResults(file) {
  if (!existsSync(file)) {
    log('no results file: the runner did not finish (see the [exthost] lines above)');
    return;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const failed = r.tests.filter((t) => t.state === 'failed');
  log(`results: ${r.passed} passed, ${failed.length} failed, ${r.pending} pending in ${(r.durationMs / 1000).toFixed(1)} s (extension host ${r.node})`);
  for (const t of failed) log(`FAIL ${t.title}\n${t.error}`);
}

main()
  .then((code) => process.exit(code))
  .catch((error) => {
    process.stderr.write(`[harness] ${error.message}\n`);
    process.exit(1);
  });
