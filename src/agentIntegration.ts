// Route Atlas for VS Code's agents: the language model tools of package.json (`routeAtlas_list_endpoints`,
// ...) answered by the running language server, and the `route-atlas mcp` server this extension ships,
// offered to VS Code's MCP support. Both APIs are newer than the oldest VS Code this extension runs on
// (engines.vscode), so they are looked up at run time and skipped where missing; their types are declared
// here as far as they are used.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RouteAtlasServer } from './client';

const TOOL_PREFIX = 'routeAtlas_';
export const MCP_PROVIDER_ID = 'routeAtlas.mcpServers';

interface LanguageModelToolInvocationOptions {
  input: unknown;
}

interface LanguageModelToolApi {
  registerTool(name: string, tool: { invoke(options: LanguageModelToolInvocationOptions, token: vscode.CancellationToken): Promise<unknown> }): vscode.Disposable;
  registerMcpServerDefinitionProvider?(id: string, provider: { onDidChangeMcpServerDefinitions?: vscode.Event<void>; provideMcpServerDefinitions(): unknown[] }): vscode.Disposable;
}

type Constructor = new (...args: unknown[]) => unknown;

interface NewerVscode {
  lm?: Partial<LanguageModelToolApi>;
  LanguageModelToolResult?: Constructor;
  LanguageModelTextPart?: Constructor;
  McpStdioServerDefinition?: Constructor;
}

const newer = vscode as unknown as NewerVscode;

/** What the MCP provider offers for a workspace folder: the command VS Code runs, as data (tests start it too). */
export interface McpServerLaunch {
  label: string;
  command: string;
  args: string[];
  env: Record<string, string>;
}

/**
 * The shipped CLI's MCP server for each workspace folder, run by the Node.js inside VS Code (Electron
 * runs as plain Node with ELECTRON_RUN_AS_NODE).
 */
export function mcpServerLaunches(extensionPath: string): McpServerLaunch[] {
  return (vscode.workspace.workspaceFolders ?? [])
    .filter((folder) => folder.uri.scheme === 'file')
    .map((folder) => ({
      label: (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? `Route Atlas (${folder.name})` : 'Route Atlas',
      command: process.execPath,
      args: [path.join(extensionPath, 'dist', 'cli.js'), 'mcp', folder.uri.fsPath],
      env: { ELECTRON_RUN_AS_NODE: '1' },
    }));
}

/** The tool names package.json declares: the single list of which tools VS Code knows. */
function declaredTools(extension: vscode.Extension<unknown>): string[] {
  const tools = (extension.packageJSON as { contributes?: { languageModelTools?: Array<{ name?: unknown }> } }).contributes?.languageModelTools ?? [];
  return tools.map((tool) => tool.name).filter((name): name is string => typeof name === 'string' && name.startsWith(TOOL_PREFIX));
}

export function registerAgentIntegration(context: vscode.ExtensionContext, server: RouteAtlasServer): vscode.Disposable[] {
  const disposables: vscode.Disposable[] = [];
  const lm = newer.lm;
  const { LanguageModelToolResult, LanguageModelTextPart, McpStdioServerDefinition } = newer;

  if (lm?.registerTool && LanguageModelToolResult && LanguageModelTextPart) {
    for (const name of declaredTools(context.extension)) {
      disposables.push(
        lm.registerTool(name, {
          invoke: async (options, token) => {
            const answer = await server.runAgentTool({ name: name.slice(TOOL_PREFIX.length), arguments: options.input ?? {} }, token);
            // A model reads the text; an error is said in words, as the tool's own errors are.
            const text = answer?.text ?? 'The Route Atlas language server is not running; restart it with "Route Atlas: Restart Language Server".';
            return new LanguageModelToolResult([new LanguageModelTextPart(text)]);
          },
        }),
      );
    }
  }

  if (lm?.registerMcpServerDefinitionProvider && McpStdioServerDefinition) {
    const changed = new vscode.EventEmitter<void>();
    disposables.push(
      changed,
      vscode.workspace.onDidChangeWorkspaceFolders(() => changed.fire()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => changed.fire()),
      lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
        onDidChangeMcpServerDefinitions: changed.event,
        // A process started on a workspace the person does not trust yet is what Restricted Mode is there to
        // prevent, even one that only reads files: it is offered once they trust the folder.
        provideMcpServerDefinitions: () =>
          !vscode.workspace.isTrusted ? [] : mcpServerLaunches(context.extensionPath).map((launch) => new McpStdioServerDefinition(launch.label, launch.command, launch.args, launch.env, String(context.extension.packageJSON.version))),
      }),
    );
  }
  return disposables;
}
