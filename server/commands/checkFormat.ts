// How `route-atlas --check --format` writes problems: text lines, a JSON document, SARIF 2.1.0 for code
// scanning, or GitHub Actions workflow commands that annotate the pull request.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location, Problem, Severity, Span } from '../analysis/model';
import { GENERATOR_VERSION } from '../analysis/workspace';
import { printableButLineBreaks, printableJson } from '../printable';

export const CHECK_FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

export interface CheckFormatOptions {
  /** The scanned folder, absolute: problem files are relative to it. Without it, they are taken as they are. */
  root?: string;
  /**
   * The folder that `github` and `sarif` paths are relative to: GitHub resolves them from the repository's
   * checkout. Default: GITHUB_WORKSPACE when it holds the scanned folder, else the working directory when it
   * does, else the scanned folder.
   */
  baseDir?: string;
}

export function formatCheck(problems: readonly Problem[], format: CheckFormat, formatProblem: (problem: Problem) => string, options: CheckFormatOptions = {}): string {
  switch (format) {
    case 'json':
      return checkJson(problems, options);
    case 'sarif':
      return checkSarif(problems, options);
    case 'github':
      return githubCommands(problems, options);
    default:
      return problems.map((problem) => formatProblem(problem) + '\n').join('');
  }
}

// --- what each check is ---------------------------------------------------------------------------------

interface CheckDescription {
  /** One sentence: what the problem is. */
  description: string;
  /** Its usual severity (some checks raise or lower it per case: the result says). */
  level: Severity;
  /** The Next.js documentation page about what the check is about. */
  docs?: string;
}

const NEXT_DOCS = 'https://nextjs.org/docs/app';
const ROUTE_DOCS = `${NEXT_DOCS}/api-reference/file-conventions/route`;
const SEGMENT_CONFIG_DOCS = `${NEXT_DOCS}/api-reference/file-conventions/route-segment-config`;
const DYNAMIC_ROUTES_DOCS = `${NEXT_DOCS}/api-reference/file-conventions/dynamic-routes`;
const NEXT_CONFIG_DOCS = `${NEXT_DOCS}/api-reference/config/next-config-js`;

/**
 * Every problem id the analysis reports, with what it means: the checks of server/analysis/checks/ (a unit
 * test keeps this in step with ROUTE_CHECKS and APP_CHECKS) and the problems of the scan itself. SARIF's
 * rules and the annotations' help come from here.
 */
export const CHECK_DESCRIPTIONS: Readonly<Record<string, CheckDescription>> = {
  'route-page-conflict': { description: 'A route and a page resolve to the same URL (also across route groups); next build fails.', level: 'error', docs: ROUTE_DOCS },
  'duplicate-route': { description: 'Two route groups resolve to the same URL: Turbopack fails the build, webpack keeps one of them silently.', level: 'error', docs: `${NEXT_DOCS}/api-reference/file-conventions/route-groups` },
  'duplicate-route-file': { description: 'Two route files in one folder (route.ts beside route.js): only one of them is served.', level: 'warning', docs: ROUTE_DOCS },
  'slug-name-conflict': { description: 'Dynamic segments with different names at one level ([id] beside [userId]); next build fails.', level: 'error', docs: DYNAMIC_ROUTES_DOCS },
  'duplicate-slug': { description: 'The same dynamic segment name twice in one path; next build fails.', level: 'error', docs: DYNAMIC_ROUTES_DOCS },
  'optional-catchall-conflict': { description: 'A route beside an optional catch-all that also matches its URL (/x beside /x/[[...slug]]); next build fails.', level: 'error', docs: DYNAMIC_ROUTES_DOCS },
  'catchall-not-last': { description: 'A catch-all segment that is not the last one in its path; next build fails.', level: 'error', docs: DYNAMIC_ROUTES_DOCS },
  'default-export-only': { description: 'A route file with only a default export: every request gets 405.', level: 'error', docs: ROUTE_DOCS },
  'no-methods': { description: 'A route file that exports no HTTP method handler.', level: 'warning', docs: ROUTE_DOCS },
  'lowercase-method': { description: 'A handler exported under a lower-case method name (get), which Next.js does not call.', level: 'error', docs: ROUTE_DOCS },
  'invalid-route-export': { description: 'A route file exports something that is neither a method handler nor segment config.', level: 'error', docs: ROUTE_DOCS },
  'invalid-handler-type': { description: "A route handler's parameter or return type that next build's type check rejects (params typed as a plain object in 15+, a first argument that is not a Request).", level: 'error', docs: ROUTE_DOCS },
  'invalid-segment-config': { description: 'A segment config export with an invalid value, or one Next.js cannot read statically.', level: 'error', docs: SEGMENT_CONFIG_DOCS },
  'segment-config-cache-components': { description: 'Segment config that cacheComponents rejects.', level: 'error', docs: `${NEXT_CONFIG_DOCS}/cacheComponents` },
  'dynamic-error-dynamic-api': { description: "dynamic = 'error' on a route that reads request data (cookies(), headers(), ...); next build fails.", level: 'error', docs: SEGMENT_CONFIG_DOCS },
  'fetch-cache-conflict': { description: "A fetch that the route's fetchCache forbids (no-store under only-cache, force-cache under only-no-store): prerendering throws.", level: 'error', docs: SEGMENT_CONFIG_DOCS },
  'unavailable-api': { description: "An API the app's Next.js version does not have (connection() in Next.js 14).", level: 'error', docs: `${NEXT_DOCS}/api-reference/functions/connection` },
  'frozen-time-varying': { description: 'A prerendered GET that uses the time, randomness, environment or a database: the value is frozen at build.', level: 'warning', docs: SEGMENT_CONFIG_DOCS },
  'force-static-request-data': { description: "force-static on a route that reads request data, which is empty at build; or revalidate ignored because of such reads.", level: 'warning', docs: SEGMENT_CONFIG_DOCS },
  'params-not-awaited': { description: 'Route params read without await on Next.js 15 and later, where params is a promise.', level: 'warning', docs: 'https://nextjs.org/docs/messages/sync-dynamic-apis' },
  'error-status-200': { description: 'An error response sent without a status, so it answers 200.', level: 'warning', docs: ROUTE_DOCS },
  'output-export-dynamic': { description: "output: 'export' with a handler that cannot be prerendered; next build fails.", level: 'error', docs: `${NEXT_DOCS}/guides/static-exports` },
  'server-action-candidate': { description: "A mutation called only from the app's own client components: a Server Action may serve it better.", level: 'info', docs: `${NEXT_DOCS}/api-reference/directives/use-server` },
  'private-folder-route': { description: 'A route file in a private folder (_name), which Next.js does not serve.', level: 'info', docs: `${NEXT_DOCS}/getting-started/project-structure` },
  'syntax-error': { description: 'A syntax error; the exports before it are still listed.', level: 'error' },
  'file-too-large': { description: 'A file over the size limit, listed but not parsed.', level: 'warning' },
  'binary-file': { description: 'A binary file with a source file name, not parsed.', level: 'warning' },
  'unreadable-file': { description: 'A file that could not be read.', level: 'warning' },
  'unreadable-folder': { description: 'A folder that could not be listed.', level: 'warning' },
  'folder-missing': { description: 'The folder to analyze does not exist.', level: 'warning' },
  'folder-too-deep': { description: 'A folder nested deeper below the app dir than Route Atlas looks.', level: 'warning' },
  'symlink-loop': { description: 'A symbolic link into a loop; not followed.', level: 'warning' },
  'symlink-outside': { description: 'A symbolic link out of the workspace; not followed.', level: 'warning' },
  'too-deep': { description: 'Syntax nested deeper than the analysis goes; the file is skipped.', level: 'warning' },
  'too-much-work': { description: 'A route whose linking or call chains need more steps than the analysis takes; its verdict is unknown.', level: 'warning' },
  'analysis-stopped': { description: 'A file the analysis stopped on (it made no progress) and skips until it changes.', level: 'warning' },
  'internal-error': { description: 'A bug in Route Atlas met on this file or check; everything else is analyzed.', level: 'warning' },
  'no-app-dir': { description: 'A Next.js app root without an app/ or src/app/ folder.', level: 'info', docs: `${NEXT_DOCS}/getting-started/project-structure` },
  'src-app-ignored': { description: 'Both app/ and src/app/ exist; Next.js uses app/ and ignores src/app/.', level: 'warning', docs: `${NEXT_DOCS}/api-reference/file-conventions/src-folder` },
  'unresolved-export-star': { description: 'An export * from a module that could not be found; methods it may export are unknown.', level: 'warning', docs: ROUTE_DOCS },
  'config-not-found': { description: 'A next.config without an export Route Atlas can find; Next.js defaults assumed.', level: 'warning', docs: NEXT_CONFIG_DOCS },
  'config-not-static': { description: 'A next.config whose exported config is not a literal Route Atlas can read.', level: 'warning', docs: NEXT_CONFIG_DOCS },
  'config-unknown-value': { description: 'A next.config value that is not a literal (an environment variable, a call); it is reported, never guessed.', level: 'warning', docs: NEXT_CONFIG_DOCS },
  'config-wrapped': { description: 'A next.config wrapped in a plugin call; the config inside it was read.', level: 'info', docs: NEXT_CONFIG_DOCS },
  'config-invalid-value': { description: 'A next.config value Next.js rejects.', level: 'error', docs: NEXT_CONFIG_DOCS },
  'tsconfig-extends-cycle': { description: 'tsconfig files that extend each other in a cycle.', level: 'warning' },
  'tsconfig-extends-too-deep': { description: 'A chain of tsconfig extends longer than Route Atlas follows.', level: 'warning' },
};

function descriptionOf(id: string): CheckDescription {
  return Object.hasOwn(CHECK_DESCRIPTIONS, id) ? CHECK_DESCRIPTIONS[id] : { description: `Route Atlas problem ${id}.`, level: 'warning' };
}

// --- paths ----------------------------------------------------------------------------------------------

/** Turns a problem's file (relative to the scanned folder) into one relative to the base folder. */
function pathMapper(options: CheckFormatOptions): { base?: string; map: (file: string) => string } {
  const root = options.root;
  if (!root) return { map: (file) => file };
  const candidates = options.baseDir !== undefined ? [options.baseDir] : [process.env.GITHUB_WORKSPACE, process.cwd()];
  const holder = candidates.find((dir) => dir !== undefined && dir !== '' && isWithin(root, path.resolve(dir)));
  const base = holder === undefined ? root : path.resolve(holder);
  const prefix = path.relative(base, root).split(path.sep).join('/');
  return { base, map: (file) => (prefix === '' ? file : `${prefix}/${file}`) };
}

function isWithin(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

// --- json -----------------------------------------------------------------------------------------------

/** The JSON format's version: its major changes on any incompatible change. */
export const CHECK_JSON_VERSION = '1.0';

function checkJson(problems: readonly Problem[], options: CheckFormatOptions): string {
  const count = (severity: Severity) => problems.filter((problem) => problem.severity === severity).length;
  const document = {
    version: CHECK_JSON_VERSION,
    ...(options.root ? { root: options.root } : {}),
    summary: { errors: count('error'), warnings: count('warning'), infos: count('info'), failsBuild: problems.filter((problem) => problem.failsBuild).length },
    problems: problems.map((problem) => ({
      id: problem.id,
      severity: problem.severity,
      message: problem.message,
      ...(problem.file !== undefined ? { file: problem.file, ...position(problem.span) } : {}),
      ...(problem.failsBuild ? { failsBuild: true } : {}),
      ...(problem.related?.length ? { related: problem.related.map((related) => ({ file: related.file, ...position(related.span), message: related.message })) } : {}),
      ...(problem.fix ? { fix: problem.fix } : {}),
    })),
  };
  return printableJson(document) + '\n';
}

/** A span as flat fields; a problem on a whole file is at line 1, column 1. */
function position(span: Span | undefined): { line: number; column: number; endLine?: number; endColumn?: number } {
  if (!span) return { line: 1, column: 1 };
  return { line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn };
}

// --- sarif ----------------------------------------------------------------------------------------------

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
/** The base id the artifact URIs are relative to (the name GitHub's and Microsoft's tools use). */
const SOURCE_ROOT = '%SRCROOT%';

/**
 * SARIF 2.1.0: one run, a rule per problem id (every catalogued check, plus any other id that occurs), and a
 * result per problem with its location, related locations and fix. Columns count UTF-16 code units, as the
 * analysis does. Paths are relative URIs under %SRCROOT%, each segment percent-encoded (a folder `[id]`
 * becomes `%5Bid%5D`), so that GitHub code scanning places them in the repository.
 */
function checkSarif(problems: readonly Problem[], options: CheckFormatOptions): string {
  const { base, map } = pathMapper(options);
  const ids = [...new Set([...Object.keys(CHECK_DESCRIPTIONS), ...problems.map((problem) => problem.id)])].sort();
  const ruleIndex = new Map(ids.map((id, index) => [id, index]));
  const rules = ids.map((id) => {
    const { description, level, docs } = descriptionOf(id);
    return {
      id,
      shortDescription: { text: description },
      ...(docs ? { helpUri: docs } : {}),
      help: { text: docs ? `${description} See ${docs}` : description },
      defaultConfiguration: { level: SARIF_LEVEL[level] },
      properties: { tags: ['nextjs', 'route-handlers'] },
    };
  });
  const physical = (file: string, span: Span | undefined) => ({
    artifactLocation: { uri: uriOf(map(file)), uriBaseId: SOURCE_ROOT },
    region: span ? { startLine: span.line, startColumn: span.column, endLine: span.endLine, endColumn: span.endColumn } : { startLine: 1 },
  });
  const results = problems.map((problem) => ({
    ruleId: problem.id,
    ruleIndex: ruleIndex.get(problem.id)!,
    level: SARIF_LEVEL[problem.severity],
    message: { text: problem.message },
    ...(problem.file !== undefined ? { locations: [{ physicalLocation: physical(problem.file, problem.span) }] } : {}),
    ...(problem.related?.length
      ? { relatedLocations: problem.related.map((related: Location & { message: string }, index) => ({ id: index + 1, physicalLocation: physical(related.file, related.span), message: { text: related.message } })) }
      : {}),
    ...(problem.fix
      ? {
          fixes: [
            {
              description: { text: problem.fix.title },
              artifactChanges: groupEdits(problem.fix.edits).map(([file, edits]) => ({
                artifactLocation: { uri: uriOf(map(file)), uriBaseId: SOURCE_ROOT },
                replacements: edits.map((edit) => ({
                  deletedRegion: { startLine: edit.span.line, startColumn: edit.span.column, endLine: edit.span.endLine, endColumn: edit.span.endColumn },
                  insertedContent: { text: edit.newText },
                })),
              })),
            },
          ],
        }
      : {}),
    ...(problem.failsBuild ? { properties: { failsBuild: true } } : {}),
  }));
  const log = {
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Route Atlas', semanticVersion: GENERATOR_VERSION, rules } },
        ...(base ? { originalUriBaseIds: { [SOURCE_ROOT]: { uri: `${pathToFileURL(base).href.replace(/\/?$/, '/')}` } } } : {}),
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return printableJson(log) + '\n';
}

/** A relative path as a URI reference: each segment percent-encoded, `/` kept. */
function uriOf(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function groupEdits<T extends { file: string }>(edits: readonly T[]): Array<[string, T[]]> {
  const byFile = new Map<string, T[]>();
  for (const edit of edits) {
    const list = byFile.get(edit.file);
    if (list) list.push(edit);
    else byFile.set(edit.file, [edit]);
  }
  return [...byFile];
}

// --- github ---------------------------------------------------------------------------------------------

const GITHUB_COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };


/**
 * A workflow command's message, escaped as GitHub's toolkit does (`escapeData`): `%` first, then CR and LF,
 * so that the message stays on the command's line whatever it holds, and reads as it was in the annotation.
 */
export function escapeGithubData(text: string): string {
  return printableButLineBreaks(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value (`escapeProperty`): as data, and `:` and `,`, which end a property. */
export function escapeGithubProperty(text: string): string {
  return escapeGithubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * One GitHub Actions workflow command per problem: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`
 * (`warning`, and `notice` for an info). GitHub turns them into annotations on the pull request's files.
 */
function githubCommands(problems: readonly Problem[], options: CheckFormatOptions): string {
  const { map } = pathMapper(options);
  return problems
    .map((problem) => {
      const properties: Array<[string, string | number]> = [];
      if (problem.file !== undefined) {
        properties.push(['file', map(problem.file)]);
        const span = problem.span;
        if (span) properties.push(['line', span.line], ['col', span.column], ['endLine', span.endLine], ['endColumn', span.endColumn]);
      }
      properties.push(['title', `Route Atlas: ${problem.id}${problem.failsBuild ? ' (fails next build)' : ''}`]);
      const related = (problem.related ?? []).map((item) => `\n${map(item.file)}:${item.span.line}:${item.span.column}: ${item.message}`).join('');
      const command = `::${GITHUB_COMMAND[problem.severity]} ${properties.map(([name, value]) => `${name}=${escapeGithubProperty(String(value))}`).join(',')}::${escapeGithubData(problem.message + related)}`;
      return command + '\n';
    })
    .join('');
}
