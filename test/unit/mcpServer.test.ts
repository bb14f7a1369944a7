// The real `route-atlas mcp` (node dist/cli.js mcp <folder>, built by `node esbuild.mjs --tests`), driven by the
// MCP SDK's own client over stdio.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { AGENT_TOOLS } from '../../server/agent/tools';
import { agentFixture, USERS_ROUTE } from './agentToolsFixture';
import { makeTree, nextApp, removeTree, writeFiles } from './tempTree';

const repoRoot = path.resolve(__dirname, '../../..');
const cli = path.join(repoRoot, 'dist/cli.js');

interface CallResult {
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

interface Served {
  client: Client;
  stderr: () => string;
  call(name: string, args?: Record<string, unknown>): Promise<CallResult & { text: string; ms: number }>;
  close(): Promise<void>;
}

/**
 * Starts the server on a folder. Its parse cache goes beside the folder, unless `cacheInside`: then it is
 * where the CLI keeps it, in the folder's node_modules/.cache.
 */
async function serve(folder: string, options: { cacheInside?: boolean } = {}): Promise<Served> {
  const env = { ...process.env } as Record<string, string>;
  if (options.cacheInside) delete env.ROUTE_ATLAS_CACHE_DIR;
  else env.ROUTE_ATLAS_CACHE_DIR = path.join(folder, '..', `${path.basename(folder)}-cache`);
  const transport = new StdioClientTransport({ command: process.execPath, args: [cli, 'mcp', folder], stderr: 'pipe', env });
  let stderr = '';
  transport.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const client = new Client({ name: 'route-atlas-test', version: '0.0.0' });
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    async call(name, args = {}) {
      const started = performance.now();
      const result = (await client.callTool({ name, arguments: args })) as CallResult;
      const text = result.content.map((c) => c.text ?? '').join('\n');
      return { ...result, text, ms: performance.now() - started };
    },
    close: () => client.close(),
  };
}

/** Polls `probe` until it gives a value, or fails after `timeoutMs`: no fixed sleep decides a test. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function urlsOf(server: Served, args: Record<string, unknown> = {}): Promise<string[]> {
  const result = await server.call('list_endpoints', { limit: 500, ...args });
  assert.ok(!result.isError, result.text);
  return (result.structuredContent!.endpoints as Array<{ url: string }>).map((e) => e.url);
}

describe('route-atlas mcp (the real server over stdio)', function () {
  this.timeout(60_000);
  let parent: string;
  let root: string;
  let server: Served | undefined;

  beforeEach(() => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'route-atlas-mcp-'));
    root = path.join(parent, 'app-under-test');
    fs.mkdirSync(root);
    writeFiles(root, agentFixture());
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    removeTree(parent);
  });

  it('lists the five tools with their JSON Schemas as they are, and answers each one', async () => {
    server = await serve(root);
    const { tools } = await server.client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      ['list_endpoints', 'get_endpoint', 'check', 'explain_caching', 'build_request'],
    );
    for (const tool of tools) {
      const own = AGENT_TOOLS.find((t) => t.name === tool.name)!;
      assert.deepEqual(tool.inputSchema, own.inputSchema);
      assert.deepEqual(tool.outputSchema, own.outputSchema);
      assert.equal(tool.annotations?.readOnlyHint, true);
    }
    // The SDK client checks each structuredContent against the tool's outputSchema and throws when it breaks it.
    assert.ok((await urlsOf(server)).includes('/api/users/[id]'));
    const endpoint = await server.call('get_endpoint', { url: '/shop/api/users/42' });
    assert.match(endpoint.text, /^params: id \(dynamic\) = "42"$/m);
    const check = await server.call('check', { severity: ['error'] });
    assert.match(check.text, /error route-page-conflict/);
    const caching = await server.call('explain_caching', { url: '/api/plain' });
    assert.match(caching.text, /^Verdict: dynamic \(default\)$/m);
    const request = await server.call('build_request', { url: '/api/users', method: 'POST', format: 'curl' });
    assert.match(request.text, /^curl 'http:\/\/localhost:3000\/shop\/api\/users' \\$/m);
  });

  it('answers mistakes as tool results with isError, never as protocol errors', async () => {
    server = await serve(root);
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['get_endpoint', { url: '/api/nothing/here' }, /^No endpoint matches \/api\/nothing\/here\./],
      ['list_endpoints', { url: 'users' }, /must start with \/ or \*/],
      ['list_endpoints', { mehtod: ['GET'] }, /Unknown argument: "mehtod"\. The arguments are: url, method, caching, app, limit, offset\./],
      ['check', { severity: ['fatal'] }, /"severity\[0\]" must be one of error, warning, info/],
      ['no_such_tool', {}, /There is no tool "no_such_tool"/],
    ];
    for (const [name, args, expected] of cases) {
      const result = await server.call(name, args);
      assert.equal(result.isError, true, `${name}: ${result.text}`);
      assert.match(result.text, expected);
      assert.equal(result.structuredContent, undefined);
    }
  });

  it('sees a route file added, edited (in place and by an atomic rename) and deleted while it runs', async () => {
    server = await serve(root);
    assert.ok(!(await urlsOf(server)).includes('/api/fresh'));
    const fresh = path.join(root, 'app/api/fresh/route.ts');
    writeFiles(root, { 'app/api/fresh/route.ts': 'export function GET() {\n  return Response.json({});\n}\n' });
    await eventually('the new route', async () => ((await urlsOf(server!)).includes('/api/fresh') ? true : undefined));

    fs.appendFileSync(fresh, 'export function POST() {\n  return new Response(null);\n}\n');
    await eventually('POST in the edited route', async () => ((await urlsOf(server!, { method: ['POST'] })).includes('/api/fresh') ? true : undefined));

    // Editors that save atomically write a temporary file and rename it over the old one.
    const temporary = path.join(root, 'app/api/fresh/.route.ts.tmp');
    fs.writeFileSync(temporary, 'export function DELETE() {\n  return new Response(null);\n}\n');
    fs.renameSync(temporary, fresh);
    await eventually('the renamed-over route', async () => {
      const methods = (await server!.call('get_endpoint', { url: '/api/fresh' })).structuredContent?.endpoints as Array<{ methods: Array<{ name: string; implicit?: boolean }> }> | undefined;
      const names = methods?.[0]?.methods.filter((m) => !m.implicit).map((m) => m.name);
      return names?.join() === 'DELETE' ? true : undefined;
    });

    fs.rmSync(fresh);
    await eventually('the deleted route to go', async () => (!(await urlsOf(server!)).includes('/api/fresh') ? true : undefined));

    // A folder tree made in one go: the watch on the new folder starts after its files may be written.
    fs.mkdirSync(path.join(root, 'app/api/deep/er/still'), { recursive: true });
    fs.writeFileSync(path.join(root, 'app/api/deep/er/still/route.ts'), 'export function GET() {\n  return Response.json({});\n}\n');
    await eventually('a route in a new folder tree', async () => ((await urlsOf(server!)).includes('/api/deep/er/still') ? true : undefined));

    // A change in a module a route imports changes the route's verdict.
    fs.writeFileSync(path.join(root, 'lib/session.ts'), 'export async function readSession() {\n  return "nobody";\n}\n');
    await eventually('the session route to become ISR', async () => {
      const result = await server!.call('explain_caching', { url: '/api/session' });
      return /^Verdict: isr 30s$/m.test(result.text) ? true : undefined;
    });
  });

  it('survives symbolic-link loops in the workspace and keeps following changes', async () => {
    fs.symlinkSync(path.join(root, 'app'), path.join(root, 'app/api/loop'));
    fs.symlinkSync('self', path.join(root, 'app/self'));
    server = await serve(root);
    const urls = await urlsOf(server);
    assert.ok(urls.includes('/api/users'));
    assert.ok(!urls.some((url) => url.includes('/loop/')), urls.join(' '));
    const problems = await server.call('check', { id: ['symlink-loop'] });
    assert.match(problems.text, /app\/api\/loop/);
    fs.symlinkSync(path.join(root, 'app/api'), path.join(root, 'app/api/users/again'));
    writeFiles(root, { 'app/api/after-loop/route.ts': 'export function GET() {\n  return Response.json({});\n}\n' });
    await eventually('a route added after the loops', async () => ((await urlsOf(server!)).includes('/api/after-loop') ? true : undefined));
  });

  it('says the folder is gone when it is deleted, and serves it again when it comes back', async () => {
    server = await serve(root, { cacheInside: true });
    assert.ok((await urlsOf(server)).includes('/api/users'));
    fs.rmSync(root, { recursive: true, force: true });
    await eventually('the folder to be reported missing', async () => {
      const result = await server!.call('list_endpoints', {});
      return result.isError && /does not exist/.test(result.text) ? true : undefined;
    });
    assert.equal(fs.existsSync(root), false, 'the server must not create the folder again (its parse cache lives inside)');
    fs.mkdirSync(root);
    writeFiles(root, nextApp({ 'app/api/reborn/route.ts': 'export function GET() {\n  return Response.json({});\n}\n' }));
    const urls = await eventually('the folder back', async () => {
      const result = await server!.call('list_endpoints', {});
      return result.isError ? undefined : (result.structuredContent!.endpoints as Array<{ url: string }>).map((e) => e.url);
    });
    assert.deepEqual(urls, ['/api/reborn']);
  });

  it('does not make a deleted folder again when it exits (its parse cache lived inside it)', async () => {
    server = await serve(root, { cacheInside: true });
    assert.ok((await urlsOf(server)).includes('/api/users'));
    fs.rmSync(root, { recursive: true, force: true });
    await eventually('the folder to be reported missing', async () => ((await server!.call('list_endpoints', {})).isError ? true : undefined));
    await server.close();
    server = undefined;
    assert.equal(fs.existsSync(root), false);
  });

  it('answers hostile calls promptly', async () => {
    server = await serve(root);
    await urlsOf(server);
    const hostile: Array<[string, Record<string, unknown>]> = [
      ['list_endpoints', { url: '/' + '*'.repeat(500_000) }],
      ['list_endpoints', { url: '/' + '**a'.repeat(170) }],
      ['get_endpoint', { url: '/' + 'a/'.repeat(1000) }],
      ['build_request', Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, 'v']))],
      ['check', { file: '*'.repeat(4096) }],
    ];
    for (const [name, args] of hostile) {
      const result = await server.call(name, args);
      assert.ok(result.ms < 3000, `${name} took ${result.ms.toFixed(0)} ms`);
      assert.ok(result.text.length < 5000, `${name} answered ${result.text.length} characters`);
    }
  });
});

describe('route-atlas mcp as a process', function () {
  this.timeout(60_000);
  let root: string;
  beforeEach(() => (root = makeTree(nextApp({ 'app/api/users/route.ts': USERS_ROUTE }))));
  afterEach(() => removeTree(root));

  it('writes nothing but JSON-RPC to stdout, logs to stderr, and exits 0 once stdin closes', async () => {
    const child = spawn(process.execPath, [cli, 'mcp', root, '--no-cache'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const send = (message: object) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
    send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });
    send({ method: 'notifications/initialized' });
    send({ id: 2, method: 'tools/call', params: { name: 'list_endpoints', arguments: {} } });
    await eventually('the tools/call answer', async () => (stdout.includes('"id":2') ? true : undefined));
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, stderr);
    const messages = stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { jsonrpc: string; id: number; result: { content: Array<{ text: string }> } });
    assert.ok(messages.every((m) => m.jsonrpc === '2.0'));
    assert.match(messages.find((m) => m.id === 2)!.result.content[0].text, /\/api\/users {2}GET,POST/);
    assert.match(stderr, /route-atlas mcp: Scanned .*: 1 app\(s\), 1 routes/);
  });

  it('prints its usage with --help, and exits 2 for a folder that does not exist', () => {
    const help = spawnSync(process.execPath, [cli, 'mcp', '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: route-atlas mcp \[dir\]/);
    const missing = spawnSync(process.execPath, [cli, 'mcp', path.join(root, 'nope')], { encoding: 'utf8', input: '' });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /is not a folder/);
  });

  it('keeps the plain scan free of the MCP SDK: dist/cli.js <dir> never loads dist/mcp.js', () => {
    const record = path.join(root, 'loaded.json');
    const preload = path.join(root, 'record-modules.js');
    fs.writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify(Object.keys(require.cache))));\n`);
    const scan = spawnSync(process.execPath, ['--require', preload, cli, root, '--no-cache'], { encoding: 'utf8' });
    assert.equal(scan.status, 0, scan.stderr);
    const loaded = JSON.parse(fs.readFileSync(record, 'utf8')) as string[];
    assert.ok(loaded.includes(cli), 'the record holds the CLI itself');
    assert.deepEqual(loaded.filter((file) => file.endsWith(`${path.sep}mcp.js`) || file.includes('modelcontextprotocol')), []);
    assert.doesNotMatch(fs.readFileSync(cli, 'utf8'), /StdioServerTransport/);
  });
});
