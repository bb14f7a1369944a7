#!/usr/bin/env node
// The Route Atlas oracle: builds the fixture apps under cases/ with real `next build` for each target and records
// what each build decided about every route handler's GET in record.json. The analyzer's tests compare against that
// record, so the record must come from builds, never from hand edits. See README.md beside this file.
//
// Plain ESM on Node built-ins only: it must run before (and without) the project's own install.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const CASES_DIR = path.join(HERE, 'cases');
const WORK_DIR = path.join(HERE, '.work');
const RECORD_FILE = path.join(HERE, 'record.json');
const CACHE_DIR = path.join(process.env.ROUTE_ATLAS_CACHE || path.join(os.homedir(), '.cache', 'route-atlas'), 'oracle');

/** Fixtures that fetch() talk to this loopback server, which the oracle runs for the length of the builds. */
const FETCH_PORT = 47391;

/**
 * One install per Next.js version. TypeScript is pinned because the build's type check decides some errors;
 * React and the @types only have to satisfy the apps.
 */
const INSTALLS = {
  '14.2.35': { react: '18.3.1', types: '^18' },
  '15.5.29': { react: '19.2.9', types: '^19' },
  '16.4.6': { react: '19.2.9', types: '^19' },
};
const TYPESCRIPT = '5.9.3';
const TYPES_NODE = '^20';

/** The targets, in record order. `16-cc` reuses the 16 install with `cacheComponents: true`. */
const TARGETS = [
  { id: '14', next: '14.2.35' },
  { id: '15', next: '15.5.29' },
  { id: '16', next: '16.4.6' },
  { id: '16-cc', next: '16.4.6', cacheComponents: true },
];

/** What `--quick` builds when no --targets/--cases are given: a few cases that share one app, on the newest Next.js. */
const QUICK = { targets: ['16'], cases: ['revalidate-60', 'constant', 'cookies', 'dynamic-force-static', 'get-post', 'params-gsp', 'fetch-revalidate-60', 'revalidate-120-fetch-60'] };

const ROUTE_FILE = /^route\.(ts|js|tsx|jsx|mjs)$/;

// ---------------------------------------------------------------------------------------------------------------
// Command line

function parseArgs(argv) {
  const opts = { targets: null, cases: null, check: false, quick: false, timeout: 600, jobs: 1, installOnly: false, dev: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const eq = a.indexOf('=');
      if (eq >= 0) return a.slice(eq + 1);
      if (i + 1 >= argv.length) die(`${a} needs a value`);
      return argv[++i];
    };
    const name = a.split('=')[0];
    if (name === '--targets') opts.targets = value().split(',').filter(Boolean);
    else if (name === '--cases') opts.cases = value().split(',').filter(Boolean);
    else if (name === '--timeout') opts.timeout = Number(value());
    else if (name === '--jobs') opts.jobs = Math.max(1, Number(value()) || 1);
    else if (a === '--check') opts.check = true;
    else if (a === '--quick') opts.quick = true;
    else if (a === '--install-only') opts.installOnly = true;
    else if (a === '--reparse') opts.reparse = true;
    else if (a === '--dev') opts.dev = true;
    else if (a === '--help' || a === '-h') {
      console.log(
        'usage: node test/oracle/run.mjs [--targets 14,15,16,16-cc] [--cases a,b] [--check] [--quick]\n' +
          '                                [--jobs N] [--timeout SECONDS] [--install-only] [--reparse] [--dev]',
      );
      process.exit(0);
    } else die(`unknown argument ${a}`);
  }
  if (opts.quick) {
    opts.check = true;
    opts.targets ??= QUICK.targets;
    opts.cases ??= QUICK.cases;
  }
  return opts;
}

function die(message) {
  console.error(`oracle: ${message}`);
  process.exit(2);
}

function log(message) {
  console.log(`[oracle ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Installs

function installDir(version) {
  return path.join(CACHE_DIR, `next-${version}`);
}

/** Installs `next@version` and what the apps need once into the cache; later runs reuse it. */
function ensureInstall(version) {
  const dir = installDir(version);
  const stampFile = path.join(dir, 'oracle-install.json');
  if (fs.existsSync(stampFile)) {
    const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
    if (stamp.versions?.next === version) {
      checkSwc(dir);
      return stamp;
    }
  }
  const spec = INSTALLS[version];
  if (!spec) die(`no install spec for next@${version}`);
  // Install into a temporary folder and rename it, so an interrupted install is never mistaken for a good one.
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const dependencies = {
    next: version,
    react: spec.react,
    'react-dom': spec.react,
    typescript: TYPESCRIPT,
    '@types/react': spec.types,
    '@types/react-dom': spec.types,
    '@types/node': TYPES_NODE,
  };
  fs.writeFileSync(
    path.join(tmp, 'package.json'),
    JSON.stringify({ name: `route-atlas-oracle-next-${version}`, private: true, dependencies }, null, 2) + '\n',
  );
  log(`installing next@${version} into ${dir} (about 360 MB; once, later runs reuse it)`);
  const started = Date.now();
  const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: tmp,
    stdio: ['ignore', 'inherit', 'inherit'],
    // npm 11 runs no install scripts by default, and none is needed: next's SWC binary and sharp's prebuilt
    // @img binaries are plain optional dependencies (sharp's script only checks for them). Should a platform need
    // one, ROUTE_ATLAS_INSTALL_SCRIPTS=1 allows them.
    env: process.env.ROUTE_ATLAS_INSTALL_SCRIPTS
      ? { ...process.env, npm_config_dangerously_allow_all_scripts: 'true' }
      : process.env,
  });
  if (npm.status !== 0) die(`npm install of next@${version} failed (exit ${npm.status})`);
  const swc = checkSwc(tmp);
  const versions = {};
  for (const name of Object.keys(dependencies)) {
    versions[name] = JSON.parse(fs.readFileSync(path.join(tmp, 'node_modules', name, 'package.json'), 'utf8')).version;
  }
  const stamp = { versions, swc, installedAt: new Date().toISOString(), seconds: Math.round((Date.now() - started) / 1000) };
  fs.writeFileSync(path.join(tmp, 'oracle-install.json'), JSON.stringify(stamp, null, 2) + '\n');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  log(`installed next@${version} in ${stamp.seconds} s (swc: ${swc})`);
  return stamp;
}

/**
 * Next falls back to a WebAssembly SWC, which it would try to download, when the native binary is missing; a
 * build here would then fail for a reason that has nothing to do with the fixture. So load the binary up front.
 */
function checkSwc(dir) {
  if (process.platform !== 'linux' || process.arch !== 'x64') return 'not checked on this platform';
  const glibc = process.report?.getReport?.().header?.glibcVersionRuntime;
  const pkg = `@next/swc-linux-x64-${glibc ? 'gnu' : 'musl'}`;
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `const b = require(require.resolve(${JSON.stringify(pkg)}, { paths: [require.resolve('next/package.json')] }));` +
        `if (typeof b.transform !== 'function') throw new Error('no transform()');` +
        `console.log(require(${JSON.stringify(pkg)} + '/package.json').version)`,
    ],
    { cwd: dir, encoding: 'utf8' },
  );
  if (probe.status !== 0) die(`${pkg} is missing or does not load in ${dir}:\n${probe.stderr}`);
  return `${pkg}@${probe.stdout.trim()}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Cases

/**
 * A case is a folder under cases/ laid out like (part of) an app: `app/<case>/.../route.ts`, maybe `lib/...`.
 * Its case.json says which targets it runs on and on which it needs an app of its own (build-failing cases).
 */
function loadCases() {
  const cases = [];
  for (const name of fs.readdirSync(CASES_DIR).sort()) {
    const dir = path.join(CASES_DIR, name);
    if (!fs.statSync(dir).isDirectory()) continue;
    if (/^group(\.|$)/.test(name)) die(`case ${name}: the name is taken by the grouped apps in .work/`);
    const metaFile = path.join(dir, 'case.json');
    if (!fs.existsSync(metaFile)) die(`${path.relative(REPO, dir)} has no case.json`);
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
    const targets = meta.targets ?? TARGETS.map((t) => t.id);
    for (const t of targets) if (!TARGETS.some((x) => x.id === t)) die(`case ${name}: unknown target ${t}`);
    // A case with next.config settings of its own cannot share an app, so it always gets one.
    const isolate = meta.isolate === true || meta.config ? targets : meta.isolate || [];
    const files = listFiles(dir).filter((f) => f !== 'case.json');
    const routes = files.filter((f) => f.startsWith('app/') && ROUTE_FILE.test(path.posix.basename(f)));
    if (routes.length === 0) die(`case ${name} has no route file under app/`);
    cases.push({ name, dir, about: meta.about ?? '', targets, isolate, files, routes, config: meta.config ?? {} });
  }
  return cases;
}

function listFiles(dir, prefix = '') {
  const out = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

/** The URL pattern Next.js gives a route file: groups and parallel slots dropped, dynamic segments kept. */
function urlOf(routeFile) {
  const segments = routeFile.split('/').slice(1, -1);
  const kept = segments.filter((s) => !(s.startsWith('(') && s.endsWith(')')) && !s.startsWith('@'));
  return '/' + kept.join('/');
}

function isDynamicUrl(url) {
  return url.split('/').some((s) => s.startsWith('['));
}

// ---------------------------------------------------------------------------------------------------------------
// Apps

function nextConfigFor(target, appDir, caseConfig = {}) {
  const major = Number(target.next.split('.')[0]);
  const config = structuredClone(caseConfig);
  // 14 and 15 lint during `next build` when ESLint is around; the oracle is about routes, not lint.
  if (major < 16) config.eslint = { ignoreDuringBuilds: true };
  // node_modules is a symlink into the cache, outside the app. Turbopack only resolves files under its root, so
  // the root must hold both; the common ancestor of the app and the cache does.
  if (major >= 16) config.turbopack = { root: commonAncestor(fs.realpathSync(appDir), fs.realpathSync(CACHE_DIR)) };
  if (target.cacheComponents) config.cacheComponents = true;
  return `// Written by test/oracle/run.mjs for target ${target.id}.\nmodule.exports = ${JSON.stringify(config, null, 2)};\n`;
}

function commonAncestor(a, b) {
  const pa = a.split(path.sep);
  const pb = b.split(path.sep);
  let i = 0;
  while (i < pa.length && i < pb.length && pa[i] === pb[i]) i++;
  return pa.slice(0, i).join(path.sep) || path.sep;
}

/** The tsconfig.json that create-next-app writes, as each version wants it (16 rewrites anything else). */
function tsconfigFor(target) {
  const major = Number(target.next.split('.')[0]);
  const tsconfig = structuredClone(TSCONFIG);
  if (major >= 16) {
    tsconfig.compilerOptions.jsx = 'react-jsx';
    tsconfig.include.push('.next/dev/types/**/*.ts');
  }
  return tsconfig;
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2017',
    lib: ['dom', 'dom.iterable', 'esnext'],
    allowJs: true,
    skipLibCheck: true,
    strict: true,
    noEmit: true,
    esModuleInterop: true,
    module: 'esnext',
    moduleResolution: 'bundler',
    resolveJsonModule: true,
    isolatedModules: true,
    jsx: 'preserve',
    incremental: true,
    plugins: [{ name: 'next' }],
  },
  include: ['next-env.d.ts', '**/*.ts', '**/*.tsx', '.next/types/**/*.ts'],
  exclude: ['node_modules'],
};

/** Lays out one app: the union of its cases' files, plus the per-target config and a node_modules symlink. */
function writeApp(unit) {
  const { target, appDir, cases } = unit;
  fs.rmSync(appDir, { recursive: true, force: true });
  fs.mkdirSync(appDir, { recursive: true });
  const owner = new Map();
  for (const c of cases) {
    for (const f of c.files) {
      const text = fs.readFileSync(path.join(c.dir, f));
      // Cases may share a helper (lib/withX.ts) only if their copies are identical.
      if (owner.has(f) && !owner.get(f).text.equals(text))
        die(`cases ${owner.get(f).name} and ${c.name} both have ${f}, with different contents`);
      owner.set(f, { name: c.name, text });
      const to = path.join(appDir, f);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.writeFileSync(to, text);
    }
  }
  fs.writeFileSync(
    path.join(appDir, 'package.json'),
    JSON.stringify({ name: `oracle-${unit.name}`, private: true, scripts: { build: 'next build' } }, null, 2) + '\n',
  );
  fs.writeFileSync(path.join(appDir, 'tsconfig.json'), JSON.stringify(tsconfigFor(target), null, 2) + '\n');
  const caseConfig = cases.length === 1 ? cases[0].config : {};
  fs.writeFileSync(path.join(appDir, 'next.config.js'), nextConfigFor(target, appDir, caseConfig));
  fs.symlinkSync(path.join(installDir(target.next), 'node_modules'), path.join(appDir, 'node_modules'), 'dir');
}

/** Builds under way: each runs in a process group of its own, which an interrupted oracle takes down with it. */
const running = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const pid of running) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {}
    }
    process.exit(130);
  });
}

/** Runs `next build` in the app with a time limit; resolves with the exit code and the combined output. */
/**
 * The app's own `next` with a clean environment (no NODE_ENV or NODE_OPTIONS from the caller, no telemetry or
 * colours), in a process group of its own so that a timeout can stop it and every worker it started.
 */
function spawnNext(unit, args, extraEnv = {}) {
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0', NO_COLOR: '1', ...extraEnv };
  delete env.NODE_ENV;
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, [path.join(unit.appDir, 'node_modules', 'next', 'dist', 'bin', 'next'), ...args], {
    cwd: unit.appDir,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child.pid);
  return child;
}

function runBuild(unit, timeoutSeconds) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawnNext(unit, ['build'], { CI: '1' });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, timeoutSeconds * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      running.delete(child.pid);
      const result = { code, timedOut, seconds: (Date.now() - started) / 1000 };
      fs.writeFileSync(path.join(unit.appDir, 'build.log'), output);
      fs.writeFileSync(path.join(unit.appDir, 'build.json'), JSON.stringify(result) + '\n');
      resolve({ ...result, output });
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// `next dev` (--dev): does the dev server start, and what does it answer?

/** A port nothing listens on right now, from the kernel. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** A concrete path for a route pattern: each dynamic segment becomes `a`, an optional catch-all is left out. */
function samplePath(url) {
  const segments = url.split('/').filter((s) => s && !s.startsWith('[[...'));
  return '/' + segments.map((s) => (s.startsWith('[') ? 'a' : s)).join('/');
}

/** One GET with a time limit; the status, or null when no answer came. */
function requestOnce(port, urlPath, timeoutMs) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(null));
  });
}

/**
 * Starts `next dev` for the app on a free port, waits for "Ready" or for the process to end, requests each route
 * once, and stops the server. A server that exits before answering refused to start; its message is the first
 * error line of its output, read as a failed build's is.
 */
async function runDev(unit, timeoutSeconds) {
  const port = await freePort();
  const started = Date.now();
  const child = spawnNext(unit, ['dev', '-p', String(port), '-H', '127.0.0.1']);
  let output = '';
  let exited = false;
  const exit = new Promise((resolve) => child.on('close', () => resolve((exited = true))));
  const ready = new Promise((resolve) => {
    const onData = (d) => {
      output += d;
      if (/\bReady\b/.test(stripAnsi(output))) resolve(true);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
  const deadline = (ms) => new Promise((resolve) => setTimeout(() => resolve(false), ms));
  const sawReady = await Promise.race([ready, exit.then(() => false), deadline(timeoutSeconds * 1000)]);
  const statuses = {};
  if (sawReady && !exited) {
    for (const c of unit.cases) for (const file of c.routes) statuses[file] = await requestOnce(port, samplePath(urlOf(file)), timeoutSeconds * 1000);
    // Errors about the route tree are printed while the first request compiles; give the output a moment.
    await Promise.race([exit, deadline(2000)]);
  }
  const stillRunning = !exited;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {}
  await Promise.race([exit, deadline(5000)]);
  running.delete(child.pid);
  fs.writeFileSync(path.join(unit.appDir, 'dev.log'), output);
  return { sawReady, stillRunning, statuses, output, seconds: (Date.now() - started) / 1000 };
}

/** What `next dev` did with each route file of a unit, for the record's `dev` field. */
async function devUnit(unit, opts) {
  writeApp(unit);
  log(`dev   ${unit.target.id}/${unit.name}`);
  const run = await runDev(unit, Math.min(opts.timeout, 120));
  const results = [];
  for (const c of unit.cases) {
    for (const file of c.routes) {
      const status = run.statuses[file] ?? null;
      // `ready`: it printed "Ready"; `serves`: it answered the request and was still running after it.
      const dev = { ready: run.sawReady, serves: run.sawReady && run.stillRunning && status !== null, status };
      if (!dev.serves || status >= 500) dev.message = errorMessage(run.output, unit);
      results.push({ case: c.name, url: urlOf(file), file, dev });
    }
  }
  const summary = results
    .map((r) => (r.dev.serves ? `${r.dev.status}` : `${r.dev.ready ? 'exited after Ready' : 'refused to start'}: ${r.dev.message}`))
    .join('; ');
  log(`done  dev ${unit.target.id}/${unit.name} in ${run.seconds.toFixed(0)} s: ${summary}`);
  return { unit, results, warnings: [], seconds: run.seconds };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading what a build decided

function stripAnsi(s) {
  return s.replace(/\x1b\[[0-9;?]*[ -\/]*[@-~]/g, '');
}

/**
 * The route table that `next build` prints: URL to its symbol (○ ● ƒ ...) and, where 15 and 16 print a Revalidate
 * column, the revalidate seconds. 14 and 15 put the symbol on a dynamic route's own row and list its paths below
 * without one; 16 leaves the route's row blank and marks each path, so such a row takes its first path's values.
 */
function parseRouteTable(output) {
  const table = new Map();
  let inApp = false;
  let hasRevalidate = false;
  let parent = null;
  for (const raw of stripAnsi(output).split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (/^Route \(app\)/.test(line)) {
      inApp = true;
      hasRevalidate = /\bRevalidate\b/.test(line);
      continue;
    }
    if (!inApp) continue;
    if (/^Route \(pages\)/.test(line) || line.trim() === '' || /^\+ /.test(line)) {
      if (table.size > 0) inApp = false;
      continue;
    }
    const m = /^([\s│]*)[┌├└─]\s+(?:([○●ƒλℇ◐])\s+)?(\/\S*)\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, indent, symbol, url, rest] = m;
    const revalidate = hasRevalidate ? durationSeconds(rest) : undefined;
    if (indent === '') {
      parent = { symbol: symbol ?? null, revalidate, hasRevalidate };
      table.set(url, parent);
    } else if (parent && parent.symbol === null && symbol) {
      parent.symbol = symbol;
      parent.revalidate = revalidate;
    }
  }
  return table;
}

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** The first duration (`1m`, `15m`, `2h`) in a table row's columns, in seconds; null when the row has none. */
function durationSeconds(text) {
  const token = text.split(/\s+/).find((t) => /^\d+(\.\d+)?[smhdwy]$/.test(t));
  return token ? Math.round(parseFloat(token) * UNIT_SECONDS[token.slice(-1)]) : null;
}

function readManifest(appDir) {
  const file = path.join(appDir, '.next', 'prerender-manifest.json');
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The verdict for one URL pattern from a successful build's prerender-manifest. */
function verdictFor(url, manifest) {
  const routes = manifest?.routes ?? {};
  const dynamicRoutes = manifest?.dynamicRoutes ?? {};
  if (isDynamicUrl(url)) {
    const dyn = dynamicRoutes[url];
    const paths = Object.keys(routes)
      .filter((r) => routes[r].srcRoute === url)
      .sort();
    if (!dyn && paths.length === 0) return { kind: 'dynamic' };
    const revalidates = paths.map((p) => revalidateOf(routes[p])).filter((r) => typeof r === 'number');
    const verdict = revalidates.length ? { kind: 'ssg-isr', revalidate: Math.min(...revalidates) } : { kind: 'ssg' };
    verdict.paths = paths;
    verdict.fallback = dyn ? dyn.fallback : null;
    return verdict;
  }
  const entry = routes[url];
  if (!entry) return { kind: 'dynamic' };
  const revalidate = revalidateOf(entry);
  return typeof revalidate === 'number' ? { kind: 'isr', revalidate } : { kind: 'static' };
}

function revalidateOf(entry) {
  const r = entry.initialRevalidateSeconds ?? entry.initialCacheControl?.revalidate;
  return typeof r === 'number' && r > 0 ? r : false;
}

/** Whether the table's row says what the manifest does: its symbol, and its Revalidate column where it has one. */
function tableAgrees(verdict, row) {
  if (!row) return false;
  if (row.hasRevalidate && (row.revalidate ?? undefined) !== verdict.revalidate) return false;
  const s = row.symbol;
  switch (verdict.kind) {
    case 'static':
    case 'isr':
      return s === '○';
    case 'ssg':
    case 'ssg-isr':
      return s === '●';
    case 'dynamic':
      return s === 'ƒ' || s === 'λ' || s === 'ℇ' || s === '◐';
    default:
      return false;
  }
}

/**
 * Messages are normalized so the record does not depend on where it was built: absolute paths become relative to
 * the app (Turbopack, whose root here is an ancestor of the app, writes `./<path without its leading slash>`),
 * whitespace runs become one space, and a trailing pointer to the docs ("See more info here: https://...") goes.
 */
function normalizeMessage(text, unit) {
  let s = stripAnsi(text).trim();
  const appReal = fs.realpathSync(unit.appDir);
  const installReal = fs.realpathSync(installDir(unit.target.next));
  const replacements = [];
  for (const dir of new Set([appReal, unit.appDir])) {
    replacements.push([`.${dir}${path.sep}`, './'], [`${dir}${path.sep}`, ''], [`.${dir}`, '.'], [dir, '.']);
  }
  replacements.push([`${installReal}${path.sep}`, '<next-install>/'], [`${REPO}${path.sep}`, '']);
  for (const [from, to] of replacements) s = s.split(from).join(to);
  // Turbopack names its panic log after a hash that changes from run to run.
  s = s.replace(/next-panic-[0-9a-f]+\.log/g, 'next-panic-<hash>.log');
  s = s.replace(/\s+/g, ' ');
  s = s.replace(/\s+(See more info here|Read more|Learn more|Read More -|Refer to the)[^:]*:?\s+https?:\/\/\S+$/i, '');
  return s;
}

/** Lines that frame an error without saying what it is; they are skipped. */
const NOISE = [
  /^Failed to compile\.?$/,
  /^> Build failed because of (webpack|turbopack) errors$/i,
  /^> Build error occurred$/,
  /^Build error occurred$/,
  /Next\.js build worker exited/,
  /^\.?\/?[^\s:]+:\d+(:\d+)?$/, // a bare file:line:col location line
  /^\.?\/?\S*\/app(\/\S*)?$/, // a bare file or folder name
  /^(\.\/)?app\/\S+$/,
  /^Import trace/,
  /^https?:\/\//,
  /^Read More - /,
  /^at /,
  /^⚠/,
  /^To help make Turbopack better, report this error/,
];

/** Error lines that only announce that something failed; used when nothing more specific follows. */
const GENERIC = [
  /^Error: Turbopack build failed with \d+ errors?:$/,
  /^Error: An issue occurred while preparing your Next\.js app$/,
  /^Error occurred prerendering page/,
  /^> Export encountered errors/,
  /^Export encountered an error/,
  /^⨯ Invalid segment configuration export detected/,
  /^FATAL: An unexpected Turbopack error occurred/,
];

const ERRORISH = [
  /\berror\b/i,
  /^⨯/,
  /Conflicting/,
  /You cannot/,
  /Invalid /,
  /Catch-all/,
  /Ambiguous/,
  /can't recognize/,
  /not a valid Route export/,
  /not compatible/,
  /must be/,
];

/**
 * The first line of a failed build's output that says what is wrong, normalized. Lines that only frame or
 * announce the failure are passed over for a more specific one. A line ending in a colon takes the detail that
 * follows it, and so does a TypeScript "does not match the required types" line.
 */
function errorMessage(output, unit) {
  const raw = stripAnsi(output)
    .split('\n')
    .map((l) => l.replace(/\r$/, ''));
  const lines = raw.map((l) => l.trim());
  let generic = null;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (!line || NOISE.some((re) => re.test(line))) continue;
    if (!ERRORISH.some((re) => re.test(line))) continue;
    // Node prints some errors inspected: `[Error: message] {`.
    const inspected = /^\[(\w*Error: .*)\](\s*\{)?$/.exec(line);
    if (inspected) line = inspected[1];
    if (GENERIC.some((re) => re.test(line))) {
      generic ??= line;
      continue;
    }
    const parts = [line];
    let j = i + 1;
    const nextNonEmpty = () => {
      while (j < lines.length && !lines[j]) j++;
      return j < lines.length ? lines[j] : null;
    };
    if (/^Type error: .*does not match the required types/.test(line) && /^\s/.test(raw[i + 1] ?? '') && lines[i + 1]) {
      parts.push(lines[i + 1]);
      j = i + 2;
    }
    while (/:$/.test(parts[parts.length - 1]) && parts.length < 8) {
      const next = nextNonEmpty();
      if (next === null || NOISE.some((re) => re.test(next))) break;
      parts.push(next);
      j++;
      // A list introduced by the colon comes whole.
      if (/^- /.test(next)) while (j < lines.length && /^- /.test(lines[j]) && parts.length < 8) parts.push(lines[j++]);
    }
    return normalizeMessage(parts.join(' '), unit);
  }
  if (generic) return normalizeMessage(generic, unit);
  const last = lines.filter(Boolean).slice(-1)[0] ?? '(no output)';
  return normalizeMessage(last, unit);
}

// ---------------------------------------------------------------------------------------------------------------
// The fetch server the fixtures talk to

function startFetchServer() {
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ path: req.url, hit: hits, at: Date.now() }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e) =>
      reject(new Error(`cannot listen on 127.0.0.1:${FETCH_PORT} for the fixtures' fetch() calls: ${e.message}`)),
    );
    server.listen(FETCH_PORT, '127.0.0.1', () => resolve(server));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Running

function planUnits(targets, cases) {
  const units = [];
  for (const target of targets) {
    const here = cases.filter((c) => c.targets.includes(target.id));
    const grouped = here.filter((c) => !c.isolate.includes(target.id));
    if (grouped.length) units.push({ target, name: 'group', cases: grouped });
    for (const c of here.filter((c) => c.isolate.includes(target.id))) units.push({ target, name: c.name, cases: [c] });
  }
  for (const u of units) u.appDir = path.join(WORK_DIR, u.target.id, u.name);
  return units;
}

/** The outcome of the last build of this app in .work, for --reparse. */
function lastBuild(unit) {
  const file = path.join(unit.appDir, 'build.json');
  if (!fs.existsSync(file)) die(`--reparse: ${path.relative(REPO, unit.appDir)} has not been built`);
  return { ...JSON.parse(fs.readFileSync(file, 'utf8')), output: fs.readFileSync(path.join(unit.appDir, 'build.log'), 'utf8') };
}

async function buildUnit(unit, opts) {
  const label = `${unit.target.id}/${unit.name}` + (unit.cases.length > 1 ? ` (${unit.cases.length} cases)` : '');
  let result;
  if (opts.reparse) {
    result = lastBuild(unit);
  } else {
    writeApp(unit);
    log(`build ${label}`);
    result = await runBuild(unit, opts.timeout);
  }
  const results = [];
  const warnings = [];
  let outcome;
  if (result.timedOut) {
    outcome = `timed out after ${opts.timeout} s`;
    for (const c of unit.cases)
      for (const file of c.routes)
        results.push({ case: c.name, url: urlOf(file), file, verdict: { kind: 'error', message: `oracle: build ${outcome}` } });
  } else if (result.code !== 0) {
    const message = errorMessage(result.output, unit);
    outcome = `failed: ${message}`;
    for (const c of unit.cases) for (const file of c.routes) results.push({ case: c.name, url: urlOf(file), file, verdict: { kind: 'error', message } });
  } else {
    outcome = 'ok';
    const manifest = readManifest(unit.appDir);
    if (!manifest) warnings.push(`${label}: no .next/prerender-manifest.json`);
    const table = parseRouteTable(result.output);
    for (const c of unit.cases) {
      for (const file of c.routes) {
        const url = urlOf(file);
        const verdict = verdictFor(url, manifest);
        if (!tableAgrees(verdict, table.get(url)))
          warnings.push(`${unit.target.id} ${url}: manifest says ${verdict.kind}, table shows ${JSON.stringify(table.get(url) ?? null)}`);
        results.push({ case: c.name, url, file, verdict });
      }
    }
  }
  log(`done  ${label} in ${result.seconds.toFixed(0)} s: ${outcome}`);
  for (const w of warnings) log(`warn  ${w}`);
  const done = { unit, results, warnings, seconds: result.seconds };
  if (result.code === 0 || unit.cases.length === 1) return done;
  // A grouped app failed, so some case in it fails on this target although its case.json does not isolate it
  // there. One failing case must not turn every verdict of the group into that error: split the group in halves
  // until the failing cases stand alone, and say which ones to isolate.
  log(`warn  ${label} failed as a group: splitting it to find the failing case(s)`);
  const half = Math.ceil(unit.cases.length / 2);
  const parts = [unit.cases.slice(0, half), unit.cases.slice(half)].map((cases, i) => ({
    target: unit.target,
    name: `${unit.name}.${i + 1}`,
    cases,
    appDir: `${unit.appDir}.${i + 1}`,
  }));
  const split = [];
  for (const part of parts) split.push(await buildUnit(part, opts));
  const merged = { unit, results: [], warnings: [...warnings], seconds: result.seconds };
  for (const d of split) {
    merged.results.push(...d.results);
    merged.warnings.push(...d.warnings);
    merged.seconds += d.seconds;
    if (d.unit.cases.length === 1 && d.results.some((r) => r.verdict.kind === 'error'))
      merged.warnings.push(`case ${d.unit.cases[0].name} fails on ${unit.target.id}: list "${unit.target.id}" in its case.json "isolate"`);
  }
  return merged;
}

async function runPool(items, jobs, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The record

function readRecord() {
  if (!fs.existsSync(RECORD_FILE)) return null;
  return JSON.parse(fs.readFileSync(RECORD_FILE, 'utf8'));
}

function entryKey(e) {
  return `${e.case}\u0000${e.file}`;
}

/** Puts fresh verdicts into a record, keeping what this run did not rebuild. */
function mergeRecord(old, built, versions) {
  const entries = new Map((old?.cases ?? []).map((e) => [entryKey(e), structuredClone(e)]));
  for (const r of built) {
    const key = entryKey(r);
    const e = entries.get(key) ?? { case: r.case, url: r.url, file: r.file, expect: {} };
    e.url = r.url;
    if (r.dev) e.dev = { ...e.dev, [r.target]: r.dev };
    else e.expect[r.target] = r.verdict;
    entries.set(key, e);
  }
  const order = TARGETS.map((t) => t.id);
  const cases = [...entries.values()]
    .sort((a, b) => (a.case === b.case ? a.file.localeCompare(b.file) : a.case.localeCompare(b.case)))
    .map((e) => ({
      ...e,
      expect: Object.fromEntries(order.filter((t) => t in e.expect).map((t) => [t, e.expect[t]])),
      ...(e.dev ? { dev: Object.fromEntries(order.filter((t) => t in e.dev).map((t) => [t, e.dev[t]])) } : {}),
    }));
  const next = { ...(old?.next ?? {}), ...versions };
  return {
    generatedAt: new Date().toISOString(),
    next: Object.fromEntries(order.filter((t) => t in next).map((t) => [t, next[t]])),
    cases,
  };
}

/** Every difference between the committed record and this run, for what this run covered. */
function compareRecord(old, built, versions, units) {
  const diffs = [];
  for (const [t, v] of Object.entries(versions))
    if (old?.next?.[t] !== v) diffs.push(`next version for ${t}: record ${old?.next?.[t] ?? '(none)'}, installed ${v}`);
  const oldEntries = new Map((old?.cases ?? []).map((e) => [entryKey(e), e]));
  const seen = new Set();
  for (const r of built) {
    const e = oldEntries.get(entryKey(r));
    seen.add(`${entryKey(r)}\u0000${r.target}`);
    const want = e?.expect?.[r.target];
    if (!want) diffs.push(`${r.case} ${r.file} [${r.target}]: not in the record; build says ${JSON.stringify(r.verdict)}`);
    else if (JSON.stringify(want) !== JSON.stringify(r.verdict))
      diffs.push(`${r.case} ${r.file} [${r.target}]: record ${JSON.stringify(want)}, build ${JSON.stringify(r.verdict)}`);
    else if (e.url !== r.url) diffs.push(`${r.case} ${r.file}: record url ${e.url}, now ${r.url}`);
  }
  // Entries the record has for the cases and targets this run built, but the build no longer produced.
  const covered = new Set(units.flatMap((u) => u.cases.map((c) => `${c.name}\u0000${u.target.id}`)));
  for (const e of old?.cases ?? [])
    for (const t of Object.keys(e.expect))
      if (covered.has(`${e.case}\u0000${t}`) && !seen.has(`${entryKey(e)}\u0000${t}`))
        diffs.push(`${e.case} ${e.file} [${t}]: in the record but no longer built`);
  return diffs;
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const targets = opts.targets ? opts.targets.map((id) => TARGETS.find((t) => t.id === id) ?? die(`unknown target ${id}`)) : TARGETS;
  const allCases = loadCases();
  let cases = allCases;
  if (opts.cases) {
    cases = opts.cases.map((n) => allCases.find((c) => c.name === n) ?? die(`unknown case ${n}`));
  }

  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const versions = {};
  for (const target of targets) versions[target.id] = ensureInstall(target.next).versions.next;
  if (opts.installOnly) return;

  if (opts.dev) return runDevMode(targets, cases, versions, opts);
  const units = planUnits(targets, cases);
  if (units.length === 0) die('nothing to build for these targets and cases');
  log(`${units.length} builds: ${units.map((u) => `${u.target.id}/${u.name}`).join(', ')}`);
  const server = opts.reparse ? { close() {} } : await startFetchServer();
  const started = Date.now();
  let done;
  try {
    done = await runPool(units, opts.jobs, (u) => buildUnit(u, opts));
  } finally {
    server.close();
  }
  const built = done.flatMap((d) => d.results.map((r) => ({ ...r, target: d.unit.target.id })));

  const perTarget = {};
  for (const d of done) perTarget[d.unit.target.id] = (perTarget[d.unit.target.id] ?? 0) + d.seconds;
  log(
    `build time per target: ${Object.entries(perTarget)
      .map(([t, s]) => `${t} ${Math.round(s)} s`)
      .join(', ')}; wall ${Math.round((Date.now() - started) / 1000)} s`,
  );
  const warnings = done.flatMap((d) => d.warnings);
  if (warnings.length) {
    log(`${warnings.length} warning(s):`);
    for (const w of warnings) console.log(`  ${w}`);
  }

  const old = readRecord();
  if (opts.check) {
    const diffs = compareRecord(old, built, versions, units);
    // What this run saw, as a record of its own, for a closer look at the differences.
    const seen = path.join(WORK_DIR, 'record.check.json');
    fs.writeFileSync(seen, JSON.stringify(mergeRecord(null, built, versions), null, 2) + '\n');
    if (diffs.length) {
      console.log(`\n${diffs.length} difference(s) from test/oracle/record.json (this run's verdicts: ${path.relative(REPO, seen)}):`);
      for (const d of diffs) console.log(`  ${d}`);
      process.exit(1);
    }
    log(`check: ${built.length} verdicts agree with the record`);
    return;
  }
  // A full run replaces the record, so cases that were removed or renamed leave it; a partial one updates it.
  const record = mergeRecord(opts.targets || opts.cases ? old : null, built, versions);
  fs.writeFileSync(RECORD_FILE, JSON.stringify(record, null, 2) + '\n');
  log(`wrote ${path.relative(REPO, RECORD_FILE)}: ${record.cases.length} route entries`);
}

/** `--dev`: each case on each target in an app of its own under `next dev`; results go to the record's `dev` fields. */
async function runDevMode(targets, cases, versions, opts) {
  if (!opts.cases) die('--dev needs --cases: it starts a dev server per case and target');
  const units = [];
  for (const target of targets)
    for (const c of cases.filter((c) => c.targets.includes(target.id)))
      units.push({ target, name: `dev-${c.name}`, cases: [c], appDir: path.join(WORK_DIR, target.id, `dev-${c.name}`) });
  if (units.length === 0) die('nothing to run for these targets and cases');
  const server = await startFetchServer();
  let done;
  try {
    done = await runPool(units, 1, (u) => devUnit(u, opts));
  } finally {
    server.close();
  }
  const results = done.flatMap((d) => d.results.map((r) => ({ ...r, target: d.unit.target.id })));
  const old = readRecord();
  if (opts.check) {
    const diffs = [];
    for (const r of results) {
      const want = old?.cases.find((e) => entryKey(e) === entryKey(r))?.dev?.[r.target];
      if (JSON.stringify(want) !== JSON.stringify(r.dev)) diffs.push(`${r.case} ${r.file} [${r.target}] dev: record ${JSON.stringify(want)}, now ${JSON.stringify(r.dev)}`);
    }
    for (const d of diffs) console.log(`  ${d}`);
    process.exit(diffs.length ? 1 : 0);
  }
  const record = mergeRecord(old, results, versions);
  fs.writeFileSync(RECORD_FILE, JSON.stringify(record, null, 2) + '\n');
  log(`wrote ${path.relative(REPO, RECORD_FILE)}: dev results for ${results.length} route entries`);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
