// check: the problems `route-atlas --check` prints, the callers index's hints included, filtered and paged.
import type { Problem, Severity } from '../analysis/model';
import { compileGlob } from '../urlGlob';
import { APP_ARGUMENT } from './endpoints';
import { selectApps } from './find';
import type { JsonSchema } from './schema';
import { LOCATION_SCHEMA, structuredLocation } from './shapes';
import { count, inert, where } from './text';
import { type AgentContext, type AgentTool, type AgentToolResult, toolError } from './types';

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

interface Listed {
  problem: Problem;
  /** The folder's root, when there are several folders: a file is relative to it. */
  folder?: string;
}

/**
 * Whether a problem's file is the one asked about: a glob (`app/api/**`) when it has a star, else the file
 * itself or a folder above it.
 */
function fileFilter(file: string): (candidate: string | undefined) => boolean {
  const wanted = file.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  if (wanted.includes('*')) {
    const matches = compileGlob(wanted);
    return (candidate) => candidate !== undefined && matches(candidate);
  }
  return (candidate) => candidate !== undefined && (candidate === wanted || candidate.startsWith(`${wanted}/`));
}

function problemLine(problem: Problem): string {
  const at = problem.file ? where(problem.file, problem.span ?? { line: 1, column: 1, endLine: 1, endColumn: 1 }) : '-';
  return `${at} ${problem.severity} ${inert(problem.id)} ${inert(problem.message)}${problem.failsBuild ? ' [fails next build]' : ''}`;
}

function check(context: AgentContext, args: Record<string, unknown>): AgentToolResult {
  const severities = (args.severity as Severity[] | undefined) ?? [];
  const ids = (args.id as string[] | undefined) ?? [];
  const limit = args.limit as number;
  const offset = args.offset as number;
  const app = args.app as string | undefined;
  const inFile = typeof args.file === 'string' && args.file !== '' ? fileFilter(args.file) : undefined;
  const apps = selectApps(context, app);
  if (!apps.ok) return toolError(apps.error);
  const all: Listed[] = [];
  for (const folder of context.folders) {
    const label = context.folders.length > 1 ? folder.manifest.root : undefined;
    const chosenApps = apps.value.filter((ref) => ref.folder === folder).map((ref) => ref.app);
    // Problems that belong to no app (unreadable folders, symlink loops) matter whatever app is asked about.
    const problems = [...folder.manifest.problems, ...chosenApps.flatMap((a) => a.problems)];
    const hints = folder.callerProblems?.() ?? [];
    const inChosenApp = (file: string | undefined) => !app || (file !== undefined && chosenApps.some((a) => a.root === '.' || file === a.root || file.startsWith(`${a.root}/`)));
    for (const problem of problems) all.push({ problem, folder: label });
    for (const problem of hints) if (inChosenApp(problem.file)) all.push({ problem, folder: label });
  }
  const counts = { error: 0, warning: 0, info: 0 };
  let failsBuild = 0;
  const kept = all.filter(({ problem }) => {
    if (severities.length > 0 && !severities.includes(problem.severity)) return false;
    if (ids.length > 0 && !ids.includes(problem.id)) return false;
    if (inFile && !inFile(problem.file)) return false;
    counts[problem.severity]++;
    if (problem.failsBuild) failsBuild++;
    return true;
  });
  const page = kept.slice(offset, offset + limit);
  const leftOut = kept.length - page.length;
  const filtered = severities.length > 0 || ids.length > 0 || inFile !== undefined;
  const tally = SEVERITIES.filter((s) => counts[s] > 0).map((s) => count(counts[s], s));
  const lines = [
    kept.length === 0
      ? filtered
        ? `No problem matches (${count(all.length, 'problem')} in all).`
        : 'No problems.'
      : `${count(kept.length, 'problem')}${filtered ? ` match (of ${all.length.toLocaleString('en-US')})` : ''}: ${tally.join(', ')}${failsBuild > 0 ? `; ${failsBuild} fail${failsBuild === 1 ? 's' : ''} next build` : ''}.`,
  ];
  for (const { problem, folder } of page) lines.push(folder ? `${inert(folder)}: ${problemLine(problem)}` : problemLine(problem));
  if (leftOut > 0) {
    const nextOffset = offset + page.length;
    lines.push(`${count(leftOut, 'problem')} left out.${nextOffset < kept.length ? ` Call again with offset ${nextOffset}, or narrow with severity, id or file.` : ''}`);
  }
  const structured: Record<string, unknown> = {
    total: kept.length,
    counts,
    failsBuild,
    offset,
    returned: page.length,
    leftOut,
    problems: page.map(({ problem, folder }) => {
      const out: Record<string, unknown> = { severity: problem.severity, id: problem.id, message: problem.message };
      if (problem.file) out.location = structuredLocation(problem.file, problem.span);
      if (folder) out.folder = folder;
      if (problem.failsBuild) out.failsBuild = true;
      if (problem.fix) out.fix = problem.fix.title;
      return out;
    }),
  };
  if (offset + page.length < kept.length) structured.nextOffset = offset + page.length;
  return { text: lines.join('\n'), structured };
}

const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    severity: { type: 'string', enum: [...SEVERITIES] },
    id: { type: 'string', description: 'The check id (route-page-conflict, invalid-segment-config, …).' },
    message: { type: 'string' },
    location: LOCATION_SCHEMA,
    folder: { type: 'string' },
    failsBuild: { type: 'boolean', description: 'True when this makes `next build` fail for the app’s Next.js version and bundler.' },
    fix: { type: 'string', description: 'The title of the quick fix the editor offers.' },
  },
  required: ['severity', 'id', 'message'],
};

export const CHECK: AgentTool = {
  name: 'check',
  title: 'Check routes',
  referenceName: 'routeAtlasCheck',
  userDescription: 'Lists the problems Route Atlas finds in the Next.js routes: build failures, conflicts, caching pitfalls.',
  description:
    'The problems in the workspace’s Next.js routes, as `route-atlas --check` reports them: mistakes that make `next build` fail for the app’s Next.js version and bundler (route/page conflicts, invalid segment config, dynamic = "error" with cookies()…), ones that build but bite later (a GET whose time-dependent response is frozen at build, params read without await), and hints from the callers index (a mutation only the app’s own client code calls). Each as file:line:col severity id message. Filter by severity, check id, file (a path, a folder, or a glob such as app/api/**) or app; paged.',
  inputSchema: {
    type: 'object',
    properties: {
      severity: { type: 'array', items: { type: 'string', enum: [...SEVERITIES] }, maxItems: SEVERITIES.length, description: 'Only these severities.' },
      id: { type: 'array', items: { type: 'string', maxLength: 100 }, maxItems: 50, description: 'Only these check ids (route-page-conflict, frozen-time-varying, …).' },
      file: { type: 'string', maxLength: 4096, description: 'Only problems in this file or below this folder, relative to the workspace folder; with * a glob (app/api/**).' },
      app: APP_ARGUMENT,
      limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100, description: 'At most this many problems (default 100).' },
      offset: { type: 'integer', minimum: 0, maximum: 100_000_000, default: 0, description: 'Skip this many matching problems: the next page starts at the nextOffset of the last answer.' },
    },
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      total: { type: 'integer', description: 'Problems that match the filters.' },
      counts: { type: 'object', properties: { error: { type: 'integer' }, warning: { type: 'integer' }, info: { type: 'integer' } }, required: ['error', 'warning', 'info'] },
      failsBuild: { type: 'integer', description: 'How many of them fail next build.' },
      offset: { type: 'integer' },
      returned: { type: 'integer' },
      leftOut: { type: 'integer' },
      nextOffset: { type: 'integer' },
      problems: { type: 'array', items: PROBLEM_SCHEMA },
    },
    required: ['total', 'counts', 'failsBuild', 'offset', 'returned', 'leftOut', 'problems'],
  },
  run: check,
};
