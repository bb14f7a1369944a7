// The CLI as users install it: `npm run package:cli` packs an npm package of its own, which installs without
// any dependency and runs the scan, the subcommands and the MCP server from wherever npm put it.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

function run(command: string, args: string[], options: { cwd?: string } = {}) {
  const result = spawnSync(command, args, { cwd: options.cwd ?? REPO_ROOT, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the CLI npm package', function () {
  this.timeout(180_000);
  let prefix = '';
  let bin = '';
  let tarball = '';

  before(() => {
    const packed = run('node', ['esbuild.mjs', '--production', '--cli-package', '--quiet']);
    assert.equal(packed.status, 0, packed.stderr);
    tarball = path.join(REPO_ROOT, packed.stdout.trim());
    prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'route-atlas-cli-package-'));
    // Installed from the tarball alone, offline: it must need nothing from a registry.
    const installed = run('npm', ['install', '--global', '--offline', '--prefix', prefix, tarball]);
    assert.equal(installed.status, 0, installed.stderr);
    bin = path.join(prefix, 'bin', 'route-atlas');
  });
  after(() => {
    if (prefix) fs.rmSync(prefix, { recursive: true, force: true });
  });

  it('is a public package with a bin, no dependencies, and only what the CLI needs', () => {
    const listing = run('tar', ['tzf', tarball]).stdout.split('\n').filter(Boolean);
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'out', 'cli-package', 'package.json'), 'utf8'));
    assert.equal(manifest.private, undefined);
    assert.deepEqual(manifest.bin, { 'route-atlas': 'dist/cli.js' });
    assert.equal(manifest.dependencies, undefined);
    for (const file of ['package/dist/cli.js', 'package/dist/mcp.js', 'package/dist/typescript.js', 'package/README.md', 'package/LICENSE', 'package/test/sample-app/app/api/users/route.ts']) {
      assert.ok(listing.includes(file), `${file} in ${listing.join(', ')}`);
    }
    assert.ok(!listing.some((file) => file.includes('node_modules') || file.endsWith('.map')), listing.join(', '));
  });

  it('scans the bundled sample app when given no folder, and a folder when given one', () => {
    const sample = run(bin, [], { cwd: os.tmpdir() });
    assert.equal(sample.status, 0, sample.stderr);
    assert.match(sample.stdout, /sample-shop .*basePath: \/shop/);
    assert.match(sample.stdout, /\/api\/users\/\[id\]\s+GET,PUT,DELETE/);
    const fixture = run(bin, [path.join(REPO_ROOT, 'test', 'vscode', 'workspace'), '--json', '--no-cache'], { cwd: os.tmpdir() });
    assert.equal(fixture.status, 0, fixture.stderr);
    const urls = (JSON.parse(fixture.stdout) as { apps: Array<{ routes: Array<{ url: string }> }> }).apps[0].routes.map((route) => route.url);
    assert.ok(urls.includes('/api/users/[id]'), urls.join(', '));
  });

  it('writes OpenAPI and answers as an MCP server from the installed copy', async () => {
    const openapi = run(bin, ['openapi', path.join(REPO_ROOT, 'test', 'sample-app'), '--no-cache'], { cwd: os.tmpdir() });
    assert.equal(openapi.status, 0, openapi.stderr);
    assert.equal(JSON.parse(openapi.stdout).openapi, '3.1.0');

    const child = spawn(bin, ['mcp', path.join(REPO_ROOT, 'test', 'sample-app'), '--no-watch'], { stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error(`no answer from the MCP server: ${text}`)), 60_000);
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => {
          text += chunk;
          if (text.includes('\n')) {
            clearTimeout(timer);
            resolve(text.slice(0, text.indexOf('\n')));
          }
        });
        child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '0' } } }) + '\n');
      });
      assert.equal(JSON.parse(answer).result.serverInfo.name, 'route-atlas');
    } finally {
      child.kill();
    }
  });
});
