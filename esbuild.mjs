// Bundles the extension, the language server and the CLI, and transpiles the tests.
// Type-checking is separate (`npm run typecheck`): esbuild only strips types.
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const args = process.argv.slice(2);
const production = args.includes('--production');
const quiet = args.includes('--quiet');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const withTests = args.includes('--tests');
const cliPackage = args.includes('--cli-package');

const bundles = [
  // The CLI runs from an npm install, so its dependencies stay in node_modules.
  { name: 'cli', entry: 'server/cli.ts', outfile: 'dist/cli.js', external: ['ts-morph'], banner: '#!/usr/bin/env node', noCompiler: true },
  // The MCP server's protocol side (the SDK), which dist/cli.js loads only for `route-atlas mcp`.
  { name: 'mcp', entry: 'server/commands/mcpMain.ts', outfile: 'dist/mcp.js', external: [], noCompiler: true },
  // The server ships inside the .vsix, which has no node_modules: bundle everything. Its main thread only
  // talks LSP and starts in a blink; the analysis (and the TypeScript parser) lives in the engine's bundle.
  { name: 'server', entry: 'server/lsp/main.ts', outfile: 'dist/server.js', external: [], noCompiler: true },
  { name: 'engine', entry: 'server/lsp/engine.ts', outfile: 'dist/engine.js', external: [], noCompiler: true },
  // The TypeScript compiler (the copy ts-morph ships), on its own: the CLI and the engine load it only when a
  // file must be parsed (server/analysis/typescriptBindings.ts), so a warm start never does.
  { name: 'typescript', entry: 'node_modules/@ts-morph/common/dist/typescript.js', outfile: 'dist/typescript.js', external: [] },
  { name: 'extension', entry: 'src/extension.ts', outfile: 'dist/extension.js', external: ['vscode'] },
  // The benchmark measures the analyzer bundled the same way (see test/bench/analyzer.ts).
  { name: 'bench-analyzer', entry: 'test/bench/analyzer.ts', outfile: 'out/bench/analyzer.js', external: ['ts-morph'], tests: true, noCompiler: true },
  { name: 'bench-typescript', entry: 'node_modules/@ts-morph/common/dist/typescript.js', outfile: 'out/bench/typescript.js', external: [], tests: true },
];

// The parse cache (server/analysis/parseCache.ts) keeps only what this exact build of the analysis wrote:
// its key is a digest of the analysis sources and of the parser they run on.
function analysisBuildId() {
  const hash = createHash('sha1');
  for (const file of listSources('server/analysis').sort()) hash.update(file).update(readFileSync(file));
  hash.update(readFileSync('node_modules/ts-morph/package.json'));
  return hash.digest('hex').slice(0, 16);
}
let define;

function log(message) {
  if (!quiet) process.stderr.write(message + '\n');
}

async function buildBundles(selected = bundles) {
  for (const bundle of selected) {
    if (only && !only.includes(bundle.name)) continue;
    if (!existsSync(bundle.entry) || (bundle.tests && !withTests)) continue;
    const result = await esbuild.build({
      entryPoints: [bundle.entry],
      outfile: bundle.outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: !production,
      minify: production,
      external: bundle.external,
      banner: bundle.banner ? { js: bundle.banner } : undefined,
      define,
      metafile: true,
      logLevel: 'warning',
    });
    const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
    if (bundle.name === 'extension' || bundle.noCompiler) assertNoCompiler(bundle.outfile, result.metafile);
    log(`${bundle.outfile}: ${(bytes / 1024).toFixed(0)} KiB`);
  }
}

// The extension host must never load the TypeScript compiler (all analysis lives in the server), and the
// server's main thread must not either (it would start seconds later and block while loading it).
function assertNoCompiler(outfile, metafile) {
  const offenders = Object.keys(metafile.inputs).filter((p) => /node_modules\/(typescript|ts-morph|@ts-morph)\//.test(p));
  if (offenders.length > 0) {
    throw new Error(`${outfile} pulls in the compiler: ${offenders.slice(0, 3).join(', ')}`);
  }
}

// Fixture apps are data, not code of ours: they are scanned, never compiled.
const FIXTURE_DIRS = new Set(['node_modules', 'test/fixtures', 'test/oracle/cases', 'test/oracle/.work', 'test/sample-app', 'test/vscode/workspace', 'test/vscode/next-app']);

function listSources(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules' || FIXTURE_DIRS.has(path.split('\\').join('/'))) continue;
    if (statSync(path).isDirectory()) listSources(path, out);
    else if (/\.ts$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

async function buildTests() {
  const entryPoints = [...listSources('server'), ...listSources('test'), ...listSources('src')];
  await esbuild.build({
    entryPoints,
    outdir: 'out',
    outbase: '.',
    bundle: false,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    define,
    logLevel: 'warning',
  });
  log(`out/: ${entryPoints.length} files transpiled (${relative('.', 'out')})`);
}

// The CLI as an npm package of its own (`npm run package:cli`): the extension's package.json is private and
// lists the editor's dependencies, while the CLI's bundles need nothing but Node. The package holds the CLI,
// the MCP server, the compiler bundle they load, and the sample app the CLI scans when given no folder.
const CLI_PACKAGE_DIR = 'out/cli-package';
const CLI_BUNDLES = new Set(['cli', 'mcp', 'typescript']);

async function buildCliPackage() {
  rmSync(CLI_PACKAGE_DIR, { recursive: true, force: true });
  const packaged = bundles.filter((b) => CLI_BUNDLES.has(b.name)).map((b) => ({ ...b, outfile: join(CLI_PACKAGE_DIR, b.outfile) }));
  await buildBundles(packaged);
  cpSync('test/sample-app', join(CLI_PACKAGE_DIR, 'test/sample-app'), { recursive: true, filter: (source) => !source.split(/[\\/]/).includes('node_modules') });
  cpSync('LICENSE', join(CLI_PACKAGE_DIR, 'LICENSE'));
  const extension = JSON.parse(readFileSync('package.json', 'utf8'));
  const manifest = {
    name: 'route-atlas',
    version: extension.version,
    description: 'Every Next.js App Router route handler from the command line: the route table, caching verdicts, checks for CI (text, JSON, SARIF, GitHub), OpenAPI 3.1, API diffs between git revisions, and an MCP server for coding agents.',
    license: extension.license,
    bin: { 'route-atlas': 'dist/cli.js' },
    files: ['dist', 'test/sample-app'],
    engines: { node: extension.engines.node },
    keywords: ['nextjs', 'next.js', 'app-router', 'route-handlers', 'openapi', 'mcp', 'cli'],
  };
  writeFileSync(join(CLI_PACKAGE_DIR, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  writeFileSync(
    join(CLI_PACKAGE_DIR, 'README.md'),
    [
      '# route-atlas',
      '',
      manifest.description,
      '',
      '```sh',
      'route-atlas [dir]                      # the route table (no dir: a bundled sample app)',
      'route-atlas [dir] --json               # the route manifest',
      'route-atlas [dir] --check --format github   # problems for CI: text, json, sarif, github',
      'route-atlas openapi [dir] -o openapi.json',
      'route-atlas diff origin/main HEAD [dir] --format markdown --fail-on breaking',
      'route-atlas mcp [dir]                  # an MCP server (stdio) for coding agents',
      '```',
      '',
      '`route-atlas --help` and `route-atlas <command> --help` say more. It reads the code and never runs it. Node 20 or later; no dependencies.',
      '',
    ].join('\n'),
  );
  const packed = spawnSync('npm', ['pack', '--pack-destination', 'out', '--json', CLI_PACKAGE_DIR.startsWith('.') ? CLI_PACKAGE_DIR : `./${CLI_PACKAGE_DIR}`], { encoding: 'utf8' });
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const [info] = JSON.parse(packed.stdout);
  log(`out/${info.filename}: ${(info.size / 1024 / 1024).toFixed(1)} MB packed, ${info.entryCount} files`);
  // The one line on stdout: where the tarball is, for scripts and tests.
  process.stdout.write(`out/${info.filename}\n`);
}

define = { ROUTE_ATLAS_BUILD_ID: JSON.stringify(analysisBuildId()) };
if (cliPackage) await buildCliPackage();
else await buildBundles();
if (withTests) await buildTests();
