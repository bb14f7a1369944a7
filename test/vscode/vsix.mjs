#!/usr/bin/env node
// Packages the extension, installs the .vsix into a real VS Code (code-server's own installer), and runs
// the whole real-VS-Code suite (and, with --ui, the UI checks) against the installed copy: what a user
// gets from the Marketplace, production bundles included.
//
//   node test/vscode/vsix.mjs [--ui] [--screenshots <dir>] [run.mjs options...]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureInstalled, paths } from './install.mjs';
import { REPO_ROOT, log } from './lib.mjs';

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, stdio: 'inherit', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

const started = Date.now();
ensureInstalled({ quiet: true });
run('npm', ['run', 'package', '--silent']);
const vsix = join(REPO_ROOT, 'route-atlas.vsix');
log(`packaged ${vsix} (${(statSync(vsix).size / 1024 / 1024).toFixed(2)} MB)`);

const p = paths();
const extensionsDir = mkdtempSync(join(tmpdir(), 'route-atlas-vsix-'));
const env = { ...process.env, HOME: extensionsDir, XDG_DATA_HOME: join(extensionsDir, 'data'), XDG_CONFIG_HOME: join(extensionsDir, 'config') };
delete env.NODE_OPTIONS;
run(p.node, [p.entry, '--extensions-dir', extensionsDir, '--install-extension', vsix], { env });
const installed = readdirSync(extensionsDir).find((name) => name.startsWith('route-atlas.route-atlas-'));
if (!installed || !existsSync(join(extensionsDir, installed, 'dist', 'server.js'))) {
  throw new Error(`code-server did not install the .vsix into ${extensionsDir} (found: ${readdirSync(extensionsDir).join(', ')})`);
}
log(`installed into ${join(extensionsDir, installed)}`);

// The suite runs against the installed copy; --no-build because packaging just built everything.
run('node', ['esbuild.mjs', '--tests', '--quiet']);
const result = spawnSync('node', ['test/vscode/run.mjs', '--no-build', '--extension', join(extensionsDir, installed), ...process.argv.slice(2)], { cwd: REPO_ROOT, stdio: 'inherit' });
rmSync(extensionsDir, { recursive: true, force: true });
log(`.vsix check finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(result.status ?? 1);
