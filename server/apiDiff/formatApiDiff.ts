// An ApiDiff as text for a terminal, as markdown for a pull-request comment, and as JSON for tools.
import type { Problem } from '../analysis/model';
import { markdownCode, markdownMessage, markdownText } from '../markdownText';
import { printable, printableJson } from '../printable';
import { type ApiChange, type ApiDiff, BREAKING_RULES, describeChange } from './compareManifests';

export const DIFF_FORMATS = ['text', 'markdown', 'json'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** The two revisions compared, for the heading. */
export interface DiffSides {
  /** The base as the user named it (`origin/main`) and the commit it resolved to. */
  base: { ref: string; commit: string };
  /** The head: a ref and its commit, or the work tree (uncommitted changes included). */
  head: { ref: string; commit: string } | { workTree: true };
  /** The scanned folder, relative to the repository's top (`.` for the top itself). */
  folder: string;
  /** Notes about the comparison itself (the folder did not exist in the base, say), in Route Atlas's words. */
  notes?: string[];
}

/** The first line of the markdown: a workflow finds its earlier comment by it and edits that one. */
export const MARKDOWN_MARKER = '<!-- route-atlas:api-diff -->';

/** The JSON format's version: its major changes on any incompatible change. */
export const DIFF_JSON_VERSION = '1.0';

export function formatApiDiff(diff: ApiDiff, sides: DiffSides, format: DiffFormat): string {
  if (format === 'json') return diffJson(diff, sides);
  if (format === 'markdown') return diffMarkdown(diff, sides);
  return diffText(diff, sides);
}

function headLabel(sides: DiffSides): string {
  return 'workTree' in sides.head ? 'the work tree' : `${sides.head.ref} (${sides.head.commit.slice(0, 12)})`;
}

function countsLine(diff: ApiDiff): string {
  const other = diff.changes.length - diff.breakingCount;
  const { introduced, fixed } = diff.problems;
  return `${plural(diff.breakingCount, 'breaking change')}, ${plural(other, 'other change')}; problems: ${introduced.length} introduced, ${fixed.length} fixed`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** True when the changes span more than one app, so that each line must say which. */
function manyApps(diff: ApiDiff): boolean {
  return new Set(diff.changes.map((change) => change.app)).size > 1;
}

// --- text ---------------------------------------------------------------------------------------------

function diffText(diff: ApiDiff, sides: DiffSides): string {
  const lines = [`API changes${sides.folder === '.' ? '' : ` in ${sides.folder}`}: ${sides.base.ref} (${sides.base.commit.slice(0, 12)}) → ${headLabel(sides)}`];
  for (const note of sides.notes ?? []) lines.push(`Note: ${note}`);
  lines.push(countsLine(diff));
  const withApp = manyApps(diff);
  const breaking = diff.changes.filter((change) => change.breaking);
  const other = diff.changes.filter((change) => !change.breaking);
  if (diff.changes.length === 0) lines.push('', 'No change to endpoints, methods, params, request fields or caching.');
  if (breaking.length > 0) lines.push('', 'Breaking:', ...alignColumns(breaking.map((change) => changeCells(change, withApp))));
  if (other.length > 0) lines.push('', 'Other changes:', ...alignColumns(other.map((change) => changeCells(change, withApp))));
  if (diff.problems.introduced.length > 0) lines.push('', 'Problems introduced:', ...diff.problems.introduced.map((problem) => `  ${problemLine(problem)}`));
  if (diff.problems.fixed.length > 0) lines.push('', 'Problems fixed:', ...diff.problems.fixed.map((problem) => `  ${problemLine(problem)}`));
  return lines.map(printable).join('\n') + '\n';
}

function changeCells(change: ApiChange, withApp: boolean): string[] {
  const endpoint = change.endpoint === '' ? `(app ${change.app})` : `${withApp ? `[${change.app}] ` : ''}${change.method ? `${change.method} ` : ''}${change.endpoint}`;
  return [endpoint, change.summary, change.file ? `${change.file}${change.line ? `:${change.line}` : ''}` : ''];
}

function problemLine(problem: Problem): string {
  const where = problem.file ? `${problem.file}:${problem.span?.line ?? 1}:${problem.span?.column ?? 1}` : '-';
  return `${where} ${problem.severity} ${problem.id} ${problem.message}`;
}

function alignColumns(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => '  ' + row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ').trimEnd());
}

// --- markdown -----------------------------------------------------------------------------------------

/**
 * Markdown for a pull-request comment. Every name from the workspace is a code span or escaped text
 * (server/markdownText.ts), so a folder named `@team` mentions nobody, `#12` links no issue, and no file
 * name can add a link, an image or HTML to the comment.
 */
function diffMarkdown(diff: ApiDiff, sides: DiffSides): string {
  const head = 'workTree' in sides.head ? 'the work tree' : `${markdownCode(sides.head.ref)} (${sides.head.commit.slice(0, 12)})`;
  const lines = [MARKDOWN_MARKER, '### Route Atlas: API changes', ''];
  lines.push(`${markdownCode(sides.base.ref)} (${sides.base.commit.slice(0, 12)}) → ${head}${sides.folder === '.' ? '' : `, in ${markdownCode(sides.folder)}`}`, '');
  for (const note of sides.notes ?? []) lines.push(`> ${markdownText(note)}`, '');
  const other = diff.changes.length - diff.breakingCount;
  const { introduced, fixed } = diff.problems;
  const breakingWords = plural(diff.breakingCount, 'breaking change');
  lines.push(`${diff.breakingCount > 0 ? `**${breakingWords}**` : breakingWords} · ${plural(other, 'other change')} · problems: ${introduced.length} introduced, ${fixed.length} fixed`);
  if (diff.changes.length === 0) lines.push('', 'No change to endpoints, methods, params, request fields or caching.');
  const withApp = manyApps(diff);
  const breaking = diff.changes.filter((change) => change.breaking);
  if (breaking.length > 0) lines.push('', '#### Breaking', '', ...breaking.map((change) => markdownChange(change, withApp)));
  const rest = diff.changes.filter((change) => !change.breaking);
  if (rest.length > 0) {
    // Long lists fold away, so that the breaking ones stay in sight.
    const fold = rest.length > 20;
    lines.push('', fold ? `<details><summary>Other changes (${rest.length})</summary>` : '#### Other changes', '', ...rest.map((change) => markdownChange(change, withApp)));
    if (fold) lines.push('', '</details>');
  }
  if (introduced.length + fixed.length > 0) {
    lines.push('', `<details${introduced.length > 0 ? ' open' : ''}><summary>Problems: ${introduced.length} introduced, ${fixed.length} fixed</summary>`, '');
    lines.push(...introduced.map((problem) => `- introduced: ${markdownProblem(problem)}`));
    lines.push(...fixed.map((problem) => `- fixed: ${markdownProblem(problem)}`));
    lines.push('', '</details>');
  }
  // The rules are Route Atlas's own words, written to read as plain markdown.
  lines.push('', `<sub>Breaking means: ${BREAKING_RULES.join('; ')}.</sub>`);
  return lines.join('\n') + '\n';
}

function markdownChange(change: ApiChange, withApp: boolean): string {
  const endpoint = change.endpoint === '' ? `app ${markdownCode(change.app)}` : markdownCode(`${change.method ? `${change.method} ` : ''}${change.endpoint}`);
  const app = withApp && change.endpoint !== '' ? ` in ${markdownCode(change.app)}` : '';
  const file = change.file ? ` (${markdownCode(`${change.file}${change.line ? `:${change.line}` : ''}`)})` : '';
  return `- ${endpoint}${app}: ${describeChange(change, markdownCode)}${file}`;
}

function markdownProblem(problem: Problem): string {
  const where = problem.file ? ` in ${markdownCode(`${problem.file}:${problem.span?.line ?? 1}`)}` : '';
  return `**${problem.severity}** ${markdownCode(problem.id)}${where}: ${markdownMessage(problem.message)}`;
}

// --- json ---------------------------------------------------------------------------------------------

/**
 * The JSON format (documented in the README, version DIFF_JSON_VERSION): the sides, the counts, every
 * change as ApiChange, and the problems introduced and fixed as the manifest writes problems.
 */
function diffJson(diff: ApiDiff, sides: DiffSides): string {
  const document = {
    version: DIFF_JSON_VERSION,
    base: sides.base,
    head: sides.head,
    folder: sides.folder,
    ...(sides.notes?.length ? { notes: sides.notes } : {}),
    summary: { breaking: diff.breakingCount, other: diff.changes.length - diff.breakingCount, problemsIntroduced: diff.problems.introduced.length, problemsFixed: diff.problems.fixed.length },
    changes: diff.changes,
    problems: diff.problems,
  };
  return printableJson(document) + '\n';
}
