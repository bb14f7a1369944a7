// Route Atlas beyond the tree, in a real VS Code: the "Export OpenAPI" command writes a document built from the
// fixture's code, the language model tools answer through vscode.lm.invokeTool, and the MCP server the
// extension offers to VS Code starts and lists its tools over stdio.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { until } from './poll';

const EXTENSION_ID = 'route-atlas.route-atlas';

interface McpServerLaunch {
  label: string;
  command: string;
  args: string[];
  env: Record<string, string>;
}

interface LmApi {
  tools: ReadonlyArray<{ name: string }>;
  invokeTool(name: string, options: { input: unknown; toolInvocationToken: undefined }): Thenable<{ content: unknown[] }>;
}

function textOf(result: { content: unknown[] }): string {
  return result.content.map((part) => (part as { value?: unknown }).value).filter((v): v is string => typeof v === 'string').join('');
}

/** Sends JSON-RPC lines to a child on stdin and resolves each answer by id from its stdout. */
function jsonRpcOver(child: ReturnType<typeof spawn>) {
  const pending = new Map<number, (message: Record<string, unknown>) => void>();
  let buffer = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buffer += chunk;
    for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (!line) continue;
      const message = JSON.parse(line) as Record<string, unknown>;
      if (typeof message.id === 'number') pending.get(message.id)?.(message);
    }
  });
  let nextId = 1;
  return {
    request(method: string, params: unknown): Promise<Record<string, unknown>> {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer to ${method} within 60 s`)), 60_000);
        pending.set(id, (message) => {
          clearTimeout(timer);
          resolve(message);
        });
        child.stdin!.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
      });
    },
    notify(method: string, params: unknown) {
      child.stdin!.write(JSON.stringify({ jsonrpc: '2.0', method, params }) + '\n');
    },
  };
}

describe('Route Atlas for other tools, in a real VS Code', () => {
  let api: { mcpServerLaunches(): McpServerLaunch[]; treeRows(): Array<{ label: string }> };
  before(async () => {
    api = await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    // The commands below need a finished scan of the fixture.
    await until('the first scan', () => api.treeRows().some((row) => row.label === 'users'));
  });

  it('exports the OpenAPI document of the workspace with "Export OpenAPI"', async () => {
    const folder = vscode.workspace.workspaceFolders![0];
    const target = vscode.Uri.file(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'route-atlas-openapi-')), 'api.yaml'));
    const jsonTarget = vscode.Uri.file(target.fsPath.replace(/\.yaml$/, '.json'));
    const written = await vscode.commands.executeCommand<string | undefined>('routeAtlas.exportOpenApi', { folder: folder.uri.toString(), uri: jsonTarget.toString() });
    assert.equal(written, jsonTarget.toString());
    const document = JSON.parse(fs.readFileSync(jsonTarget.fsPath, 'utf8'));
    assert.equal(document.openapi, '3.1.0');
    assert.deepEqual(Object.keys(document.paths['/api/users']).sort(), ['get', 'post']);
    assert.ok(document.paths['/api/users/{id}'], `a path with its param: ${Object.keys(document.paths).join(', ')}`);
    assert.equal(document.paths['/api/users/{id}'].get.parameters[0].name, 'id');

    await vscode.commands.executeCommand('routeAtlas.exportOpenApi', { folder: folder.uri.toString(), uri: target.toString() });
    const yaml = fs.readFileSync(target.fsPath, 'utf8');
    assert.match(yaml, /^openapi: "?3\.1\.0"?$/m, 'a .yaml target gets YAML');
    assert.match(yaml, /^ {2}"?\/api\/users"?:$/m);
  });

  it('answers the language model tools through vscode.lm.invokeTool', async function () {
    const lm = (vscode as unknown as { lm?: Partial<LmApi> }).lm;
    if (!lm?.invokeTool || !lm.tools) this.skip();
    const names = lm.tools!.map((tool) => tool.name).filter((name) => name.startsWith('routeAtlas_'));
    assert.ok(names.includes('routeAtlas_list_endpoints') && names.includes('routeAtlas_get_endpoint'), names.join(', '));

    const listed = textOf(await lm.invokeTool!('routeAtlas_list_endpoints', { input: { url: '/api/users/**' }, toolInvocationToken: undefined }));
    assert.match(listed, /\/api\/users\/\[id\]/);
    assert.doesNotMatch(listed, /\/api\/health/, 'the url filter applies');

    const endpoint = textOf(await lm.invokeTool!('routeAtlas_get_endpoint', { input: { url: '/api/users/42' }, toolInvocationToken: undefined }));
    assert.match(endpoint, /app\/api\/users\/\[id\]\/route\.ts/);

    const request = textOf(await lm.invokeTool!('routeAtlas_build_request', { input: { url: '/api/users/42', method: 'GET', format: 'curl' }, toolInvocationToken: undefined }));
    assert.match(request, /curl[^\n]*http:\/\/localhost:3000\/api\/users\/42/);
  });

  it('offers an MCP server that starts from the shipped CLI and lists its tools', async () => {
    const launches = api.mcpServerLaunches();
    assert.equal(launches.length, 1);
    const [launch] = launches;
    assert.equal(launch.args[1], 'mcp');
    assert.ok(fs.existsSync(launch.args[0]), `the CLI ships in the extension: ${launch.args[0]}`);
    const child = spawn(launch.command, launch.args, { env: { ...process.env, ...launch.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      const rpc = jsonRpcOver(child);
      const initialized = await rpc.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'route-atlas-test', version: '0' } });
      assert.equal((initialized.result as { serverInfo: { name: string } }).serverInfo.name, 'route-atlas');
      rpc.notify('notifications/initialized', {});
      const listed = await rpc.request('tools/list', {});
      const tools = (listed.result as { tools: Array<{ name: string }> }).tools.map((tool) => tool.name);
      assert.ok(tools.includes('list_endpoints') && tools.includes('build_request'), tools.join(', '));
      const called = await rpc.request('tools/call', { name: 'list_endpoints', arguments: { method: 'POST' } });
      const text = ((called.result as { content: Array<{ text: string }> }).content[0]).text;
      assert.match(text, /\/api\/users/);
    } finally {
      child.kill();
    }
  });
});
