#!/usr/bin/env node
// The same integration suite (test/vscode/suite) through @vscode/test-electron, for machines that can download
// VS Code from update.code.visualstudio.com. On machines that reach only the npm registry (like the ones this
// project is built on) the download fails: use `node test/vscode/run.mjs` (code-server) there.
//
//   node test/vscode/runElectron.mjs [--workspace <dir>] [--extension <dir>] [--grep <pattern>] [--version <v>] [--no-build]
//
// On Linux without a display, run it under `xvfb-run -a`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_RUNNER, DEFAULT_WORKSPACE, REPO_ROOT, checkExtension, elapsed, log } from './lib.mjs';

const NO_DOWNLOAD = 'VS Code download not possible here; use npm run test:vscode (code-server)';

function parseArgs(argv) {
  const opts = { workspace: DEFAULT_WORKSPACE, extension: REPO_ROOT, runner: DEFAULT_RUNNER, version: '1.139.1', build: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--workspace') opts.workspace = resolve(value());
    else if (a === '--extension') opts.extension = resolve(value());
    else if (a === '--runner') opts.runner = resolve(value());
    else if (a === '--grep') opts.grep = value();
    else if (a === '--version') opts.version = value();
    else if (a === '--no-build') opts.build = false;
    else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

function withDeadline(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no progress within ${ms / 1000} s`)), ms);
      timer.unref();
    }),
  ]);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  const { downloadAndUnzipVSCode, runTests } = require('@vscode/test-electron');

  if (opts.build) {
    const r = spawnSync(process.execPath, ['esbuild.mjs', '--tests', '--quiet'], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('`node esbuild.mjs --tests --quiet` failed');
  }
  if (!existsSync(opts.runner)) throw new Error(`test runner ${opts.runner} missing: run \`node esbuild.mjs --tests\``);
  const { id } = checkExtension(opts.extension);

  // Download separately, so that a network failure gets its own clear message.
  let vscodeExecutablePath;
  try {
    log(`downloading VS Code ${opts.version} (cached in .vscode-test/)`);
    vscodeExecutablePath = await withDeadline(
      downloadAndUnzipVSCode({ version: opts.version, cachePath: join(REPO_ROOT, '.vscode-test'), timeout: 30_000 }),
      120_000,
      'VS Code download',
    );
  } catch (error) {
    process.stderr.write(`[harness] ${NO_DOWNLOAD}\n[harness] (${String(error?.message ?? error).split('\n')[0]})\n`);
    return 1;
  }

  const resultsDir = mkdtempSync(join(tmpdir(), 'route-atlas-electron-'));
  const resultsFile = join(resultsDir, 'results.json');
  try {
    log(`testing ${id} with ${vscodeExecutablePath}`);
    const code = await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: opts.extension,
      extensionTestsPath: opts.runner,
      extensionTestsEnv: {
        ROUTE_ATLAS_TEST_RESULTS: resultsFile,
        ROUTE_ATLAS_TEST_WORKSPACE: opts.workspace,
        ...(opts.grep ? { ROUTE_ATLAS_TEST_GREP: opts.grep } : {}),
      },
      launchArgs: [
        opts.workspace,
        '--disable-extensions', // other installed extensions; the one under development still loads
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${join(resultsDir, 'user-data')}`,
      ],
    });
    if (existsSync(resultsFile)) {
      const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
      log(`results: ${r.passed} passed, ${r.failures} failed, ${r.pending} pending`);
    }
    log(`${code === 0 ? 'PASSED' : 'FAILED'} in ${elapsed(started)}`);
    return code;
  } catch (error) {
    process.stderr.write(`[harness] tests failed: ${error?.message ?? error}\n`);
    return 1;
  } finally {
    rmSync(resultsDir, { recursive: true, force: true });
  }
}

main()
  .then((code) => process.exit(code))
  .catch((error) => {
    process.stderr.write(`[harness] ${error.message}\n`);
    process.exit(1);
  });
