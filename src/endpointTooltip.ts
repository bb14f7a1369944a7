// Hover text for the Endpoints view: what a route serves, why it is cached or not, and what is wrong with it.
import * as vscode from 'vscode';
import { ClientCommands, type RevealReasonArgs } from '../server/protocol';
import type { AppManifest, CachingKind, Location, Problem, RouteMethod } from '../server/analysis/model';
import { type AppNode, type EndpointNode, type MethodNode, explicitMethods, formatSeconds } from './endpointTree';
import { manifestFileUri } from './locations';

const REASONS_SHOWN = 3;
const PROBLEMS_SHOWN = 5;

/** Escapes text so that markdown shows it as written. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~$]/g, '\\$&');
}

/** Inline code that survives backticks in the text. */
function code(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const padding = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${padding}${text}${padding}${fence}`;
}

/** Server messages use markdown for code; keep each on one line so that it stays inside its list item. */
function oneLine(markdown: string): string {
  return markdown.replace(/\s*\n\s*/g, ' ');
}

function newTooltip(): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString('', true);
  // The links to reasons and handlers run this one command and nothing else.
  tooltip.isTrusted = { enabledCommands: [ClientCommands.revealReason] };
  return tooltip;
}

/** A link that opens a manifest location, shown as `file:line`. */
function locationLink(root: string, location: Location): string {
  // 0-based, as the server writes them into CodeLenses.
  const args: RevealReasonArgs = { uri: manifestFileUri(root, location.file).toString(), line: location.span.line - 1, column: location.span.column - 1 };
  const target = `command:${ClientCommands.revealReason}?${encodeURIComponent(JSON.stringify([args]))}`;
  return `[${escapeMarkdown(`${location.file}:${location.span.line}`)}](${target})`;
}

const CACHING_TITLES: Record<CachingKind, string> = {
  static: 'static, prerendered at build',
  isr: 'ISR, prerendered and regenerated',
  ssg: 'SSG, the generateStaticParams paths prerendered at build',
  'ssg-isr': 'SSG with ISR, the listed paths prerendered and regenerated',
  dynamic: 'dynamic, runs on every request',
  error: 'the build fails',
  unknown: 'unknown, Route Atlas could not decide',
};

const PARAM_KINDS = { dynamic: 'dynamic', catchAll: 'catch-all', optionalCatchAll: 'optional catch-all' } as const;

function appendProblems(tooltip: vscode.MarkdownString, problems: readonly Problem[]): void {
  if (problems.length === 0) return;
  tooltip.appendMarkdown('\n\n---\n\n**Problems**\n\n');
  for (const problem of problems.slice(0, PROBLEMS_SHOWN)) {
    const icon = problem.severity === 'error' ? '$(error)' : problem.severity === 'warning' ? '$(warning)' : '$(info)';
    tooltip.appendMarkdown(`- ${icon} ${oneLine(problem.message)} ${code(problem.id)}\n`);
  }
  if (problems.length > PROBLEMS_SHOWN) tooltip.appendMarkdown(`- …and ${problems.length - PROBLEMS_SHOWN} more in the Problems panel\n`);
}

export function endpointTooltip(node: EndpointNode): vscode.MarkdownString {
  const { route } = node;
  const tooltip = newTooltip();
  tooltip.appendMarkdown(`**${code(route.url)}**${route.kind === 'route' ? '' : ` ${escapeMarkdown(route.kind)}`}\n\n`);
  if (route.publicPath !== route.url) tooltip.appendMarkdown(`Requested as ${code(route.publicPath)}  \n`);
  tooltip.appendMarkdown(`File: ${code(route.file)}  \n`);
  tooltip.appendMarkdown(`App: ${escapeMarkdown(node.appLabel)}  \n`);
  if (route.kind === 'route') {
    const explicit = explicitMethods(route).map((m) => m.name);
    const implicit = route.methods.filter((m) => m.implicit).map((m) => m.name);
    const added = implicit.length > 0 ? ` (Next.js adds ${implicit.join(', ')})` : '';
    tooltip.appendMarkdown(`Methods: ${explicit.length > 0 ? explicit.join(', ') : 'none exported'}${added}  \n`);
  }
  if (route.params.length > 0) {
    tooltip.appendMarkdown(`Params: ${route.params.map((p) => `${code(p.name)} (${PARAM_KINDS[p.kind]})`).join(', ')}  \n`);
  }
  if (route.intercepting) tooltip.appendMarkdown('Intercepting route  \n');

  const caching = route.caching;
  tooltip.appendMarkdown('\n---\n\n');
  if (!caching) {
    tooltip.appendMarkdown('Caching: not applicable without a GET handler; other methods run on every request.');
  } else {
    const revalidate = caching.revalidate !== undefined ? ` every ${formatSeconds(caching.revalidate)}` : '';
    tooltip.appendMarkdown(`**Caching: ${escapeMarkdown(CACHING_TITLES[caching.kind] + revalidate)}**\n\n`);
    for (const reason of caching.reasons.slice(0, REASONS_SHOWN)) {
      const where = reason.location ? ` (${locationLink(node.root, reason.location)})` : '';
      tooltip.appendMarkdown(`- ${oneLine(reason.message)}${where}\n`);
    }
    if (caching.reasons.length > REASONS_SHOWN) tooltip.appendMarkdown(`- …and ${caching.reasons.length - REASONS_SHOWN} more\n`);
  }
  appendProblems(tooltip, node.problems);
  return tooltip;
}

function describeRequestInfo(method: RouteMethod): string[] {
  const info = method.request;
  if (!info) return ['Request: the handler’s code was not found, so what it reads is unknown.'];
  const lines: string[] = [];
  if (info.query.length > 0) lines.push(`Query: ${info.query.map(code).join(', ')}`);
  if (info.body) {
    const fields = info.body.fields.length > 0 ? `: ${info.body.fields.map(code).join(', ')}` : '';
    const schema = info.body.schema ? ` (validated by ${code(info.body.schema)})` : '';
    lines.push(`Body: ${info.body.kind}${fields}${schema}`);
  }
  if (info.headers.length > 0) lines.push(`Headers: ${info.headers.map(code).join(', ')}`);
  if (info.statuses.length > 0) lines.push(`Statuses: ${info.statuses.join(', ')}`);
  return lines;
}

export function methodTooltip(node: MethodNode): vscode.MarkdownString {
  const { method } = node;
  const endpoint = node.parent;
  const tooltip = newTooltip();
  tooltip.appendMarkdown(`**${method.name}** ${code(endpoint.route.url)}\n\n`);
  if (method.form) tooltip.appendMarkdown(`Exported as: ${escapeMarkdown(method.form)}  \n`);
  if (method.wrappers && method.wrappers.length > 0) tooltip.appendMarkdown(`Wrapped by: ${method.wrappers.map(code).join(' → ')}  \n`);
  if (method.definition) tooltip.appendMarkdown(`Handler: ${locationLink(endpoint.root, method.definition)}  \n`);
  for (const line of describeRequestInfo(method)) tooltip.appendMarkdown(`${line}  \n`);
  return tooltip;
}

export function appTooltip(node: AppNode): vscode.MarkdownString {
  const app: AppManifest = node.app;
  const tooltip = newTooltip();
  tooltip.appendMarkdown(`**${escapeMarkdown(node.label)}**\n\n`);
  tooltip.appendMarkdown(`Root: ${code(app.root)}  \nApp dir: ${code(app.appDir)}  \n`);
  const version = app.nextVersion.version ?? String(app.nextVersion.major);
  tooltip.appendMarkdown(`Next.js ${escapeMarkdown(version)} (from ${escapeMarkdown(app.nextVersion.source)}), analyzed as ${app.nextVersion.major}  \n`);
  tooltip.appendMarkdown(`Bundler: ${app.bundler}  \n`);
  if (app.config.basePath.known && app.config.basePath.value) tooltip.appendMarkdown(`basePath: ${code(app.config.basePath.value)}  \n`);
  tooltip.appendMarkdown(`Routes: ${app.routes.length}`);
  return tooltip;
}
