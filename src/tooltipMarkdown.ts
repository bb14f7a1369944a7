// The markdown of the Endpoints view's tooltips: what a route serves, why it is cached or not, and what is
// wrong with it. Pure strings, so that plain Node tests read exactly what VS Code renders; endpointTooltip.ts
// wraps them for the tree. Every piece of workspace text goes through server/markdownText.ts, because these
// tooltips are trusted to run revealReason links and a file name or an import specifier must not add one.
import type { AppManifest, CachingKind, Location, Problem, RouteMethod } from '../server/analysis/model';
import { markdownCode as code, markdownCommandLink, markdownMessage, markdownText as text } from '../server/markdownText';
import { ClientCommands, type RevealReasonArgs } from '../server/protocol';
import { type AppNode, type EndpointNode, type MethodNode, explicitMethods, formatSeconds } from './endpointTree';

/** A manifest file (relative to the scanned root, `/` separators) as a URI string. */
export type FileUri = (root: string, file: string) => string;

/** The commands the tooltips link to: the only ones their MarkdownString may run. */
export const TOOLTIP_COMMANDS = [ClientCommands.revealReason];

const REASONS_SHOWN = 3;
const PROBLEMS_SHOWN = 5;

/** A link that opens a manifest location, shown as `file:line`. */
function locationLink(fileUri: FileUri, root: string, location: Location): string {
  // 0-based, as the server writes them into CodeLenses.
  const args: RevealReasonArgs = { uri: fileUri(root, location.file), line: location.span.line - 1, column: location.span.column - 1 };
  return markdownCommandLink(`${location.file}:${location.span.line}`, ClientCommands.revealReason, [args]);
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

function problemLines(problems: readonly Problem[]): string {
  if (problems.length === 0) return '';
  let markdown = '\n\n---\n\n**Problems**\n\n';
  for (const problem of problems.slice(0, PROBLEMS_SHOWN)) {
    const icon = problem.severity === 'error' ? '$(error)' : problem.severity === 'warning' ? '$(warning)' : '$(info)';
    markdown += `- ${icon} ${markdownMessage(problem.message)} ${code(problem.id)}\n`;
  }
  if (problems.length > PROBLEMS_SHOWN) markdown += `- …and ${problems.length - PROBLEMS_SHOWN} more in the Problems panel\n`;
  return markdown;
}

export function endpointTooltipMarkdown(node: EndpointNode, fileUri: FileUri): string {
  const { route } = node;
  let markdown = `**${code(route.url)}**${route.kind === 'route' ? '' : ` ${text(route.kind)}`}\n\n`;
  if (route.publicPath !== route.url) markdown += `Requested as ${code(route.publicPath)}  \n`;
  markdown += `File: ${code(route.file)}  \n`;
  markdown += `App: ${text(node.appLabel)}  \n`;
  if (route.kind === 'route') {
    const explicit = explicitMethods(route).map((m) => m.name);
    const implicit = route.methods.filter((m) => m.implicit).map((m) => m.name);
    const added = implicit.length > 0 ? ` (Next.js adds ${implicit.join(', ')})` : '';
    markdown += `Methods: ${explicit.length > 0 ? explicit.join(', ') : 'none exported'}${added}  \n`;
  }
  if (route.params.length > 0) {
    markdown += `Params: ${route.params.map((p) => `${code(p.name)} (${PARAM_KINDS[p.kind]})`).join(', ')}  \n`;
  }
  if (route.intercepting) markdown += 'Intercepting route  \n';

  const caching = route.caching;
  markdown += '\n---\n\n';
  if (!caching) {
    markdown += 'Caching: not applicable without a GET handler; other methods run on every request.';
  } else {
    const revalidate = caching.revalidate !== undefined ? ` every ${formatSeconds(caching.revalidate)}` : '';
    markdown += `**Caching: ${text(CACHING_TITLES[caching.kind] + revalidate)}**\n\n`;
    for (const reason of caching.reasons.slice(0, REASONS_SHOWN)) {
      const where = reason.location ? ` (${locationLink(fileUri, node.root, reason.location)})` : '';
      markdown += `- ${markdownMessage(reason.message)}${where}\n`;
    }
    if (caching.reasons.length > REASONS_SHOWN) markdown += `- …and ${caching.reasons.length - REASONS_SHOWN} more\n`;
  }
  return markdown + problemLines(node.problems);
}

function describeRequestInfo(method: RouteMethod): string[] {
  const info = method.request;
  if (!info) return ['Request: the handler’s code was not found, so what it reads is unknown.'];
  const lines: string[] = [];
  if (info.query.length > 0) lines.push(`Query: ${info.query.map(code).join(', ')}`);
  if (info.body) {
    const fields = info.body.fields.length > 0 ? `: ${info.body.fields.map(code).join(', ')}` : '';
    const schema = info.body.schema ? ` (validated by ${code(info.body.schema)})` : '';
    lines.push(`Body: ${text(info.body.kind)}${fields}${schema}`);
  }
  if (info.headers.length > 0) lines.push(`Headers: ${info.headers.map(code).join(', ')}`);
  if (info.statuses.length > 0) lines.push(`Statuses: ${info.statuses.join(', ')}`);
  return lines;
}

export function methodTooltipMarkdown(node: MethodNode, fileUri: FileUri): string {
  const { method } = node;
  const endpoint = node.parent;
  let markdown = `**${method.name}** ${code(endpoint.route.url)}\n\n`;
  if (method.form) markdown += `Exported as: ${text(method.form)}  \n`;
  if (method.wrappers && method.wrappers.length > 0) markdown += `Wrapped by: ${method.wrappers.map(code).join(' → ')}  \n`;
  if (method.definition) markdown += `Handler: ${locationLink(fileUri, endpoint.root, method.definition)}  \n`;
  for (const line of describeRequestInfo(method)) markdown += `${line}  \n`;
  return markdown;
}

export function appTooltipMarkdown(node: AppNode): string {
  const app: AppManifest = node.app;
  let markdown = `**${text(node.label)}**\n\n`;
  markdown += `Root: ${code(app.root)}  \nApp dir: ${code(app.appDir)}  \n`;
  const version = app.nextVersion.version ?? String(app.nextVersion.major);
  markdown += `Next.js ${text(version)} (from ${text(app.nextVersion.source)}), analyzed as ${app.nextVersion.major}  \n`;
  markdown += `Bundler: ${app.bundler}  \n`;
  if (app.config.basePath.known && app.config.basePath.value) markdown += `basePath: ${code(app.config.basePath.value)}  \n`;
  markdown += `Routes: ${app.routes.length}`;
  return markdown;
}
