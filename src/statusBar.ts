// The status bar item: endpoint and problem totals when ready, a spinner while scanning, an error otherwise.
import * as vscode from 'vscode';
import type { RouteAtlasServer, ServerStatus } from './client';

const FOCUS_VIEW_COMMAND = 'routeAtlas.routes.focus';

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The item's text, tooltip and whether it shows as an error, for one status. */
export function describeStatus(status: ServerStatus): { text: string; tooltip: vscode.MarkdownString; error: boolean; label: string } {
  const tooltip = new vscode.MarkdownString('', true);
  // Only these two commands may run from the tooltip's links.
  tooltip.isTrusted = { enabledCommands: ['routeAtlas.showOutput', 'routeAtlas.restartServer'] };
  switch (status.state) {
    case 'ready': {
      const routes = status.routes ?? 0;
      const problems = status.problems ?? 0;
      const problemText = problems > 0 ? `  $(warning) ${problems}` : '';
      tooltip.appendMarkdown(`**Route Atlas**: ${plural(routes, 'endpoint')} in ${plural(status.apps ?? 0, 'app')}, ${plural(problems, 'problem')}.\n\n`);
      if (status.message) tooltip.appendText(`${status.message}\n\n`);
      tooltip.appendMarkdown('Click to show the Endpoints view.');
      return { text: `$(list-tree) ${plural(routes, 'endpoint')}${problemText}`, tooltip, error: false, label: `Route Atlas: ${plural(routes, 'endpoint')}, ${plural(problems, 'problem')}` };
    }
    case 'starting':
    case 'scanning':
      tooltip.appendMarkdown(`**Route Atlas**: ${status.state === 'starting' ? 'starting the server' : 'scanning'}…\n\n`);
      if (status.message) tooltip.appendText(status.message);
      return { text: '$(sync~spin) Route Atlas', tooltip, error: false, label: `Route Atlas: ${status.state}` };
    case 'error':
    case 'stopped':
      tooltip.appendMarkdown('**Route Atlas**: ');
      tooltip.appendText(status.message ?? 'The server reported an error.');
      tooltip.appendMarkdown('\n\n[Show Output](command:routeAtlas.showOutput) · [Restart Server](command:routeAtlas.restartServer)');
      return { text: '$(error) Route Atlas', tooltip, error: true, label: `Route Atlas: ${status.message ?? 'error'}` };
  }
}

export class ServerStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('routeAtlas.status', vscode.StatusBarAlignment.Left, 0);
  private readonly subscription: vscode.Disposable;

  constructor(server: RouteAtlasServer) {
    this.item.name = 'Route Atlas';
    this.item.command = FOCUS_VIEW_COMMAND;
    this.show(server.currentStatus);
    this.subscription = server.onDidChangeStatus((status) => this.show(status));
    this.item.show();
  }

  private show(status: ServerStatus): void {
    const { text, tooltip, error, label } = describeStatus(status);
    this.item.text = text;
    // Screen readers would otherwise read the icon names and the tooltip's markdown.
    this.item.accessibilityInformation = { label };
    this.item.tooltip = tooltip;
    this.item.backgroundColor = error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
