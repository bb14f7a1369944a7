#!/usr/bin/env node
// Packages the extension, installs the .vsix into a real VS Code (code-server's own installer), and runs
// the whole real-VS-Code suite (and, with --ui, the UI checks) against the installed copy: what a user
// gets from the Marketplace, production bundles included.
//
//   node test/vscode/vsix.mjs [--ui] [--screenshots <dir>] [run.mjs options...]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureInstalled, paths } from './install.mjs';
import { REPO_ROOT, log } from './lib.mjs';

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, stdio: 'inherit', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

/**
 * What the extension's page shows comes from the installed package: the user README (media/marketplace/README.md,
 * packed as readme.md), the pictures it names, and a 128x128 PNG icon. Each picture is named relative to the
 * package root and packed there, so that vsce's link rewriting (once package.json names the public repository)
 * turns it into the https URL VS Code's extension page requires.
 */
function checkExtensionPage(installedDir) {
  const manifest = JSON.parse(readFileSync(join(installedDir, 'package.json'), 'utf8'));
  const readmeName = readdirSync(installedDir).find((name) => name.toLowerCase() === 'readme.md');
  if (!readmeName) throw new Error(`no readme.md in the installed extension (${readdirSync(installedDir).join(', ')})`);
  const readme = readFileSync(join(installedDir, readmeName), 'utf8');
  if (/npm test|npm install && npm run scan/.test(readme)) throw new Error('the packaged readme.md is the developers\' README, not the user README');
  const pictures = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  if (pictures.length === 0) throw new Error('the packaged readme.md shows no picture');
  for (const picture of pictures) {
    if (/^[a-z]+:/i.test(picture)) throw new Error(`the README's picture ${picture} is not packaged with the extension`);
    if (!existsSync(join(installedDir, picture))) throw new Error(`the README's picture ${picture} is not in the installed extension: a broken image on its page`);
  }
  const icon = readFileSync(join(installedDir, manifest.icon ?? 'no-icon'));
  const isPng = icon.subarray(1, 4).toString('latin1') === 'PNG';
  const [width, height] = [icon.readUInt32BE(16), icon.readUInt32BE(20)];
  if (!isPng || width < 128 || width !== height) throw new Error(`the icon ${manifest.icon} is not a square PNG of at least 128 px (${isPng ? `${width}x${height}` : 'not a PNG'})`);
  for (const field of ['categories', 'keywords', 'galleryBanner']) if (!manifest[field]) throw new Error(`package.json has no ${field}`);
  log(`extension page: readme.md with ${pictures.length} packaged pictures, a ${width}x${height} icon`);
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
checkExtensionPage(join(extensionsDir, installed));

// The suite runs against the installed copy; --no-build because packaging just built everything.
run('node', ['esbuild.mjs', '--tests', '--quiet']);
const result = spawnSync('node', ['test/vscode/run.mjs', '--no-build', '--extension', join(extensionsDir, installed), ...process.argv.slice(2)], { cwd: REPO_ROOT, stdio: 'inherit' });
rmSync(extensionsDir, { recursive: true, force: true });
log(`.vsix check finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(result.status ?? 1);
