// The Endpoints view's tooltips as VS Code MarkdownStrings; their text is built in tooltipMarkdown.ts.
import * as vscode from 'vscode';
import { type AppNode, type EndpointNode, type MethodNode } from './endpointTree';
import { manifestFileUri } from './locations';
import { TOOLTIP_COMMANDS, appTooltipMarkdown, endpointTooltipMarkdown, methodTooltipMarkdown } from './tooltipMarkdown';

const fileUri = (root: string, file: string) => manifestFileUri(root, file).toString();

/**
 * A tooltip that renders no HTML and, when it has links, runs only the commands it links to. Theme icons
 * (`$(warning)`) are on for the problem list.
 */
function newTooltip(markdown: string, hasLinks: boolean): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString(markdown, true);
  tooltip.supportHtml = false;
  if (hasLinks) tooltip.isTrusted = { enabledCommands: TOOLTIP_COMMANDS };
  return tooltip;
}

export function endpointTooltip(node: EndpointNode): vscode.MarkdownString {
  return newTooltip(endpointTooltipMarkdown(node, fileUri), true);
}

export function methodTooltip(node: MethodNode): vscode.MarkdownString {
  return newTooltip(methodTooltipMarkdown(node, fileUri), node.method.definition !== undefined);
}

export function appTooltip(node: AppNode): vscode.MarkdownString {
  return newTooltip(appTooltipMarkdown(node), false);
}
