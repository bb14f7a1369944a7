// Shared pieces of the real-VS-Code harness: code-server in its own process group, headless Chromium through
// playwright-core, workbench URLs with a test payload. Used by run.mjs and ui.mjs.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { paths } from './install.mjs';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '..', '..');
export const DEFAULT_WORKSPACE = join(HERE, 'workspace');
export const DEFAULT_RUNNER = join(REPO_ROOT, 'out', 'test', 'vscode', 'suite', 'index.js');

// Flags that work on these machines (see /work/shared/real-vscode.md). `--headless` comes from playwright.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

// User settings that keep a run quiet.
export const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'git.enabled': false,
};

// Workbench and extension-host lines that are harmless noise on a machine without internet.
const NOISE = [
  /marketplace|gallery|open-vsx|extensionsGallery|Failed to fetch/i,
  /GitHub|github-authentication|authentication provider/i,
  /\[Extension Host\] Could not identify extension for 'vscode' require call/,
];
export function isNoise(line) {
  return NOISE.some((re) => re.test(line));
}

export function elapsed(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

export function log(message) {
  process.stdout.write(`[harness] ${message}\n`);
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

export function makeRunDir() {
  const dir = mkdtempSync(join(tmpdir(), 'route-atlas-vscode-'));
  for (const sub of ['home', 'xdg-config', 'xdg-data', 'xdg-cache', 'user-data/User', 'extensions']) {
    mkdirSync(join(dir, sub), { recursive: true });
  }
  return dir;
}

/**
 * Starts code-server in its own process group. Resolves once /healthz answers 200.
 * Returns { port, baseUrl, child, runDir, logFile, stop() }.
 */
export async function startCodeServer({ runDir, settings = {}, healthTimeoutMs = 60_000 } = {}) {
  const p = paths();
  if (!existsSync(p.entry) || !existsSync(p.node)) {
    throw new Error(`code-server is not installed under ${p.root}: run \`node test/vscode/install.mjs\` first`);
  }
  runDir ??= makeRunDir();
  const port = await freePort();
  const host = '127.0.0.1';
  writeFileSync(join(runDir, 'config.yaml'), `bind-addr: ${host}:${port}\nauth: none\ncert: false\n`);
  writeFileSync(join(runDir, 'user-data', 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2) + '\n');
  const logFile = join(runDir, 'code-server.log');
  const out = createWriteStream(logFile);
  const args = [
    p.entry,
    '--config', join(runDir, 'config.yaml'),
    '--bind-addr', `${host}:${port}`,
    '--auth', 'none',
    '--user-data-dir', join(runDir, 'user-data'),
    '--extensions-dir', join(runDir, 'extensions'),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--vscode-option', 'enable-smoke-test-driver',
  ];
  const env = {
    ...process.env,
    HOME: join(runDir, 'home'),
    XDG_CONFIG_HOME: join(runDir, 'xdg-config'),
    XDG_DATA_HOME: join(runDir, 'xdg-data'),
    XDG_CACHE_HOME: join(runDir, 'xdg-cache'),
    PATH: `${join(p.nodeHome, 'bin')}:${process.env.PATH}`,
  };
  // Keep the parent's Node options (e.g. --require hooks for Node 20) away from Node 24.
  delete env.NODE_OPTIONS;
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(p.node, args, { cwd: runDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(out, { end: false });
  child.stderr.pipe(out, { end: false });
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });

  const baseUrl = `http://${host}:${port}`;
  const stop = () => stopGroup(child);
  const started = Date.now();
  while (true) {
    if (exited) {
      throw new Error(`code-server exited (${exited.code ?? exited.signal}) before it was healthy; log: ${logFile}\n${tail(logFile)}`);
    }
    if (Date.now() - started > healthTimeoutMs) {
      stop();
      throw new Error(`code-server not healthy within ${healthTimeoutMs / 1000} s; log: ${logFile}\n${tail(logFile)}`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  return { port, host, baseUrl, child, runDir, logFile, stop, healthySeconds: (Date.now() - started) / 1000 };
}

/** SIGTERM the whole process group, SIGKILL it after a grace period. Synchronous-safe for exit handlers. */
export function stopGroup(child, graceMs = 3000) {
  if (!child?.pid) return Promise.resolve();
  const kill = (signal) => {
    try {
      process.kill(-child.pid, signal);
      return true;
    } catch {
      return false; // group already gone
    }
  };
  if (!kill('SIGTERM')) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => {
      kill('SIGKILL');
      done();
    }, graceMs);
    // No unref() here: these timers are what keeps the caller's event loop alive until the group is gone.
    child.once('exit', () => {
      // The group may still hold extension hosts the workbench restarted: make sure they go too.
      setTimeout(() => {
        kill('SIGKILL');
        clearTimeout(timer);
        done();
      }, 300);
    });
  });
}

export function tail(file, lines = 30) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** playwright-core from the repo's devDependencies (never `playwright install`: Debian's Chromium is used). */
export function loadPlaywright() {
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  try {
    return require('playwright-core');
  } catch (error) {
    throw new Error(`playwright-core is not installed in ${REPO_ROOT} (npm install): ${error.message}`);
  }
}

export async function launchChromium() {
  const p = paths();
  if (!existsSync(p.chromium)) throw new Error(`${p.chromium} missing: run \`node test/vscode/install.mjs\``);
  const { chromium } = loadPlaywright();
  // The harness closes the browser itself on SIGINT/SIGTERM, after which it stops code-server.
  return chromium.launch({ executablePath: p.chromium, headless: true, args: CHROMIUM_ARGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
}

/**
 * The workbench URL. `extensionDevelopmentPath` loads the extension under test from disk; `extensionTestsPath`
 * additionally runs the mocha runner and makes the workbench call codeAutomationExit. Same host everywhere.
 */
export function workbenchUrl({ host, port }, { folder, extensionPath, testsPath, environment }) {
  const remote = (abs) => `vscode-remote://${host}:${port}${abs}`;
  const payload = [];
  if (extensionPath) payload.push(['extensionDevelopmentPath', remote(extensionPath)]);
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  if (environment && Object.keys(environment).length > 0) payload.push(['extensionEnvironment', JSON.stringify(environment)]);
  const query = [`folder=${encodeURIComponent(folder)}`];
  if (payload.length > 0) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `http://${host}:${port}/?${query.join('&')}`;
}

/** Reads `publisher.name` and checks `main` exists, so a missing build fails before a 4-minute hang. */
export function checkExtension(extensionPath) {
  const manifestPath = join(extensionPath, 'package.json');
  if (!existsSync(manifestPath)) throw new Error(`no package.json in extension folder ${extensionPath}`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (manifest.main) {
    const main = resolve(extensionPath, manifest.main);
    const candidates = [main, `${main}.js`];
    if (!candidates.some((c) => existsSync(c))) {
      throw new Error(
        `${manifest.main} of ${manifest.publisher}.${manifest.name} is missing (${main})` +
          (extensionPath === REPO_ROOT ? ': build it with `node esbuild.mjs` (is src/extension.ts there yet?)' : ''),
      );
    }
  }
  return { id: `${manifest.publisher}.${manifest.name}`, manifest };
}
