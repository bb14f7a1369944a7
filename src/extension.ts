// Entry point: wires the language client, the Endpoints view, the status bar and the commands together.
import * as vscode from 'vscode';
import { ClientCommands } from '../server/protocol';
import { CLIENT_NAME, RouteAtlasServer } from './client';
import { registerCommands } from './commands';
import { mcpServerLaunches, type McpServerLaunch, registerAgentIntegration } from './agentIntegration';
import { exportOpenApi } from './openApiExport';
import { RoutesTree } from './routesTree';
import { ServerStatusBar } from './statusBar';

/** The commands the server may put into CodeLenses because this client implements them. */
const IMPLEMENTED_CLIENT_COMMANDS = [ClientCommands.sendRequest, ClientCommands.revealReason, ClientCommands.showCallers];

let server: RouteAtlasServer | undefined;

/** One row of the Endpoints view as it renders: what tests and other extensions can read. */
export interface TreeRow {
  depth: number;
  label: string;
  description?: string;
  contextValue?: string;
  /** The tooltip: plain text, or markdown with what it may run and render. */
  tooltip?: string | TooltipMarkdown;
}

export interface TooltipMarkdown {
  markdown: string;
  isTrusted: boolean | { readonly enabledCommands: readonly string[] };
  supportHtml: boolean;
}

function tooltipOf(item: vscode.TreeItem): TreeRow['tooltip'] {
  const tooltip = item.tooltip;
  if (!(tooltip instanceof vscode.MarkdownString)) return tooltip;
  return { markdown: tooltip.value, isTrusted: tooltip.isTrusted ?? false, supportHtml: tooltip.supportHtml ?? false };
}

/** What `activate` returns: a read-only view of the extension's state, used by the real-VS-Code tests. */
export interface RouteAtlasApi {
  /** Every row of the Endpoints view, depth first, as labels and descriptions. */
  treeRows(): TreeRow[];
  /** The server's manifest version the view shows (it grows with every rebuild, a rescan included). */
  manifestVersion(): number;
  /** How many manifest answers the view applied as changes to what it showed, instead of taking them whole. */
  manifestChangesApplied(): number;
  /** When things happened, in ms since the epoch: what the editor benchmark measures. */
  timings(): StartTimings;
  /** The MCP servers offered to VS Code: the shipped CLI's `mcp` command per workspace folder. */
  mcpServerLaunches(): McpServerLaunch[];
}

/** When activation began, the server answered, the view first had endpoints, and the view was complete. */
export interface StartTimings {
  activatedAt: number;
  /** When the last session's endpoints were shown (before the server's own, when there were any). */
  restoredAt?: number;
  serverStartedAt?: number;
  firstEndpointsAt?: number;
  completeAt?: number;
}

export async function activate(context: vscode.ExtensionContext): Promise<RouteAtlasApi> {
  const timings: StartTimings = { activatedAt: Date.now() };
  const outputChannel = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(outputChannel);

  server = new RouteAtlasServer(context, outputChannel, IMPLEMENTED_CLIENT_COMMANDS);
  const storage = context.storageUri;
  const snapshotFile = storage?.scheme === 'file' ? vscode.Uri.joinPath(storage, 'endpoints.json').fsPath : undefined;
  const tree = new RoutesTree(server, outputChannel, snapshotFile);
  // The last session's endpoints show while the server starts and scans; its own replace them.
  void tree.restoreSnapshot().then(() => {
    if (tree.restoredAt !== undefined) timings.restoredAt = tree.restoredAt;
  });
  const activeServer = server;
  context.subscriptions.push(
    server,
    tree,
    new ServerStatusBar(server),
    ...registerCommands(context, server, tree),
    ...registerAgentIntegration(context, server),
    vscode.commands.registerCommand('routeAtlas.exportOpenApi', (options?: unknown) => exportOpenApi(activeServer, outputChannel, options)),
    server.onDidChangeStatus((status) => {
      void vscode.commands.executeCommand('setContext', 'routeAtlas.serverReady', activeServer.isReady);
      void vscode.commands.executeCommand('setContext', 'routeAtlas.serverStopped', status.state === 'stopped');
      void vscode.commands.executeCommand('setContext', 'routeAtlas.serverState', status.state);
    }),
  );
  void vscode.commands.executeCommand('setContext', 'routeAtlas.serverReady', false);
  void vscode.commands.executeCommand('setContext', 'routeAtlas.serverStopped', false);
  void vscode.commands.executeCommand('setContext', 'routeAtlas.noApps', false);

  // The view and the commands above work without a server (restart is one of them), so a failed start
  // is shown, with the way to its details, rather than failing the activation. VS Code shows nothing
  // when an extension fails to activate, so saying so is ours to do.
  context.subscriptions.push(
    tree.onDidLoad(() => {
      if (tree.endpoints.length > 0) timings.firstEndpointsAt ??= Date.now();
      if (activeServer.currentStatus.state === 'ready') timings.completeAt ??= Date.now();
    }),
  );
  try {
    await server.start();
    timings.serverStartedAt = Date.now();
  } catch (error) {
    void server.showStartFailure(error);
  }
  return {
    treeRows: () => treeRows(tree),
    manifestVersion: () => tree.shownVersion,
    manifestChangesApplied: () => tree.answersTaken.changes,
    timings: () => ({ ...timings }),
    mcpServerLaunches: () => mcpServerLaunches(context.extensionPath),
  };
}

function treeRows(tree: RoutesTree): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (nodes: ReturnType<RoutesTree['getChildren']>, depth: number) => {
    for (const node of nodes) {
      const item = tree.getTreeItem(node);
      const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      rows.push({ depth, label, description: typeof item.description === 'string' ? item.description : undefined, contextValue: item.contextValue, tooltip: tooltipOf(item) });
      walk(tree.getChildren(node), depth + 1);
    }
  };
  walk(tree.getChildren(), 0);
  return rows;
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}
