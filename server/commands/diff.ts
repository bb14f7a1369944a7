// `route-atlas diff <base-ref> [<head-ref>] [dir]`: what changed in the API surface between two revisions,
// or between a revision and the work tree. Each revision is scanned by the same analysis as the work tree,
// through a FileHost over git's objects (server/analysis/gitHost.ts): nothing is checked out.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type FileHost } from '../analysis/host';
import { GitError, GitTreeHost, runGit } from '../analysis/gitHost';
import type { RouteManifest } from '../analysis/model';
import { SUPPORTED_MAJORS } from '../analysis/nextVersion';
import { readAnalysisFlag } from './analysisFlags';
import { ParseCache } from '../analysis/parseCache';
import { Workspace } from '../analysis/scan';
import { BREAKING_RULES, compareManifests } from '../apiDiff/compareManifests';
import { printable } from '../printable';
import { DIFF_FORMATS, type DiffFormat, type DiffSides, formatApiDiff } from '../apiDiff/formatApiDiff';

const USAGE = `Usage: route-atlas diff <base-ref> [<head-ref>] [dir] [options]

Compares the API surface of the Next.js apps under dir (default: the current folder) between two git
revisions, or between <base-ref> and the work tree (uncommitted changes included) when no <head-ref> is
given: endpoints and methods added and removed, path params changed, query params and body fields read,
GET caching verdicts, and problems introduced and fixed. Revisions are read from git's objects; nothing is
checked out.

Options:
  --format <f>          ${DIFF_FORMATS.join(', ')} (markdown: for a pull-request comment)
  --fail-on breaking    exit 1 when a change is breaking
  --next-version <N>    analyze both revisions as Next.js N (${SUPPORTED_MAJORS.join(', ')})
  --cache-components    analyze with cacheComponents on (--no-cache-components: off)
  --no-cache            neither read nor write the work tree's parse cache
  -h, --help            show this help

Breaking changes:
${BREAKING_RULES.map((rule) => `  - ${rule}`).join('\n')}

Exit codes: 0 compared, 1 with --fail-on breaking and a breaking change, 2 a usage error, a revision that
does not exist, a folder outside any git repository, or an internal error.
`;

interface DiffOptions {
  positionals: string[];
  format: DiffFormat;
  failOnBreaking: boolean;
  nextVersion?: number;
  cacheComponents?: boolean;
  cache: boolean;
}

/** A failure to tell the user in one line (and maybe a hint), ending the command with exit code 2. */
class DiffFailure extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly showUsage = false,
  ) {
    super(message);
  }
}

export function runDiffCommand(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  try {
    const options = parseDiffArgs(argv);
    if (options === 'help') {
      out.write(USAGE);
      return 0;
    }
    return diff(options, out, err);
  } catch (error) {
    if (!(error instanceof DiffFailure)) throw error;
    err.write(`route-atlas diff: ${printable(error.message)}\n`);
    if (error.hint) err.write(`${printable(error.hint)}\n`);
    if (error.showUsage) err.write(`\n${USAGE}`);
    return 2;
  }
}

function parseDiffArgs(argv: string[]): DiffOptions | 'help' {
  const options: DiffOptions = { positionals: [], format: 'text', failOnBreaking: false, cache: true };
  const valueOf = (arg: string, index: number): [string, number] => (arg.includes('=') ? [arg.slice(arg.indexOf('=') + 1), index] : [argv[index + 1] ?? '', index + 1]);
  let onlyPositionals = false;
  const usageFailure = (message: string): never => {
    throw new DiffFailure(message, undefined, true);
  };
  let flagEnd: number | undefined;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (onlyPositionals || !arg.startsWith('-') || arg === '-') {
      options.positionals.push(arg);
      continue;
    }
    if (arg === '--') onlyPositionals = true;
    else if (arg === '-h' || arg === '--help') return 'help';
    else if ((flagEnd = readAnalysisFlag(argv, index, options, usageFailure)) !== undefined) index = flagEnd;
    else if (arg === '--format' || arg.startsWith('--format=')) {
      const [value, next] = valueOf(arg, index);
      index = next;
      if (!(DIFF_FORMATS as readonly string[]).includes(value)) throw new DiffFailure(`--format must be one of ${DIFF_FORMATS.join(', ')}, got ${value || 'nothing'}`, undefined, true);
      options.format = value as DiffFormat;
    } else if (arg === '--fail-on' || arg.startsWith('--fail-on=')) {
      const [value, next] = valueOf(arg, index);
      index = next;
      if (value !== 'breaking') throw new DiffFailure(`--fail-on takes breaking, got ${value || 'nothing'}`, undefined, true);
      options.failOnBreaking = true;
    } else throw new DiffFailure(`unknown option ${arg}`, undefined, true);
  }
  if (options.positionals.length === 0) throw new DiffFailure('the base revision is missing (route-atlas diff origin/main)', undefined, true);
  if (options.positionals.length > 3) throw new DiffFailure(`at most a base, a head and a folder, got ${options.positionals.length} arguments`, undefined, true);
  return options;
}

/** The repository a folder is in: its top folder (real path) and whether its history is cut short. */
interface Repository {
  toplevel: string;
  shallow: boolean;
}

function repositoryOf(dir: string): Repository {
  let answer: string;
  try {
    answer = runGit(dir, ['rev-parse', '--show-toplevel', '--is-shallow-repository']);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    if (error.notInstalled) throw new DiffFailure('git is not installed or not on PATH: diff reads the revisions from git');
    throw new DiffFailure(`${dir} is not in a git repository: diff compares revisions of one`, `(git: ${error.message})`);
  }
  const [toplevel, shallow] = answer.trim().split('\n');
  if (!toplevel) throw new DiffFailure(`${dir} is inside a git folder but not in a work tree: diff needs a work tree`);
  return { toplevel: fs.realpathSync.native(toplevel), shallow: shallow === 'true' };
}

/** The commit a revision names, or undefined when there is none by that name here. */
function commitOf(repository: Repository, ref: string): string | undefined {
  try {
    // --end-of-options: a revision that starts with a dash is a name, not an option.
    return runGit(repository.toplevel, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]).trim() || undefined;
  } catch (error) {
    if (error instanceof GitError && !error.notInstalled) return undefined;
    throw error;
  }
}

function requireCommit(repository: Repository, ref: string): string {
  const commit = commitOf(repository, ref);
  if (commit) return commit;
  // CI checkouts are the usual reason: actions/checkout fetches one commit and no other branch.
  const hint = repository.shallow
    ? `This clone is shallow (git clone --depth, or actions/checkout's default fetch-depth: 1) and does not have it: fetch the base first (git fetch --depth=1 origin ${remoteBranchOf(ref)}), or check out with fetch-depth: 0.`
    : `If it is a branch of a remote, fetch it first (git fetch origin ${remoteBranchOf(ref)}).`;
  throw new DiffFailure(`unknown revision ${ref}: no commit by that name in ${repository.toplevel}`, hint);
}

/** The branch name a fetch command needs for `origin/main` (or `main`). */
function remoteBranchOf(ref: string): string {
  return ref.startsWith('origin/') ? ref.slice('origin/'.length) : ref;
}

function diff(options: DiffOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  const [baseRef, ...rest] = options.positionals;
  const { headRef, dir } = headAndFolder(rest);
  if (!fs.existsSync(dir)) throw new DiffFailure(`${dir} does not exist`);
  if (!fs.statSync(dir).isDirectory()) throw new DiffFailure(`${dir} is not a folder`);
  const folder = fs.realpathSync.native(dir);
  const repository = repositoryOf(folder);
  const baseCommit = requireCommit(repository, baseRef);
  const headCommit = headRef === undefined ? undefined : requireCommit(repository, headRef);
  const relativeFolder = toPosix(path.relative(repository.toplevel, folder)) || '.';
  const scanOptions = { nextVersion: options.nextVersion, cacheComponents: options.cacheComponents };
  const notes: string[] = [];

  const baseScan = scanRevision(repository, baseCommit, folder, scanOptions);
  if (!baseScan.folderExists) notes.push(`${relativeFolder} does not exist in ${baseRef}: every endpoint is new.`);
  let headScan: RevisionScan;
  if (headCommit === undefined) {
    // The work tree is scanned as \`route-atlas [dir]\` scans it, with its parse cache. A revision is not: its
    // entries would replace the work tree's, and reading every file from git to validate them costs more
    // than parsing a revision's few hundred routes (measured on dub).
    const cache = options.cache ? ParseCache.open(cacheFileFor(folder), folder) : undefined;
    headScan = scanWorkTree(folder, { ...scanOptions, cache });
    cache?.save();
  } else headScan = scanRevision(repository, headCommit, folder, scanOptions);
  if (!headScan.folderExists) notes.push(`${relativeFolder} does not exist in ${headRef}: every endpoint is gone.`);
  const routeCount = (manifest: RouteManifest) => manifest.apps.reduce((sum, app) => sum + app.routes.length, 0);
  err.write(
    `route-atlas diff: ${baseRef} ${routeCount(baseScan.manifest)} routes in ${baseScan.ms.toFixed(0)} ms (${baseScan.blobs} files read from git), ` +
      `${headRef ?? 'work tree'} ${routeCount(headScan.manifest)} routes in ${headScan.ms.toFixed(0)} ms\n`,
  );

  const renames = renamedFiles(repository, baseCommit, headCommit, relativeFolder);
  const apiDiff = compareManifests(baseScan.manifest, headScan.manifest, { renames });
  const sides: DiffSides = {
    base: { ref: baseRef, commit: baseCommit },
    head: headRef === undefined || headCommit === undefined ? { workTree: true } : { ref: headRef, commit: headCommit },
    folder: relativeFolder,
    ...(notes.length > 0 ? { notes } : {}),
  };
  out.write(formatApiDiff(apiDiff, sides, options.format));
  return options.failOnBreaking && apiDiff.breakingCount > 0 ? 1 : 0;
}

/**
 * The head revision and the folder from what follows the base. Of two, the second is a folder when one of
 * that name exists and no revision has it; a name that is both must be told apart by giving all three.
 */
function headAndFolder(rest: string[]): { headRef?: string; dir: string } {
  if (rest.length === 2) return { headRef: rest[0], dir: path.resolve(rest[1]) };
  if (rest.length === 0) return { dir: process.cwd() };
  const [arg] = rest;
  const asFolder = path.resolve(arg);
  const isFolder = fs.existsSync(asFolder) && fs.statSync(asFolder).isDirectory();
  if (!isFolder) return { headRef: arg, dir: process.cwd() };
  const repository = repositoryOf(fs.realpathSync.native(asFolder));
  if (commitOf(repository, arg) !== undefined) {
    throw new DiffFailure(`${arg} is both a revision and a folder`, `Name all three to tell them apart: route-atlas diff <base> HEAD ${arg} (or <base> <head> .).`);
  }
  return { dir: asFolder };
}

interface RevisionScan {
  manifest: RouteManifest;
  folderExists: boolean;
  ms: number;
  blobs: number;
}

interface RevisionScanOptions {
  nextVersion?: number;
  cacheComponents?: boolean;
  cache?: ParseCache;
}

function scanRevision(repository: Repository, commit: string, folder: string, options: RevisionScanOptions): RevisionScan {
  const started = performance.now();
  let host: GitTreeHost;
  try {
    host = GitTreeHost.open(repository.toplevel, commit);
  } catch (error) {
    if (error instanceof GitError) throw new DiffFailure(`cannot list the files of ${commit}: ${error.message}`);
    throw error;
  }
  try {
    return { ...scanWith(folder, options, host), ms: performance.now() - started, blobs: host.blobsRead };
  } finally {
    host.dispose();
  }
}

function scanWorkTree(folder: string, options: RevisionScanOptions): RevisionScan {
  const started = performance.now();
  return { ...scanWith(folder, options, undefined), ms: performance.now() - started, blobs: 0 };
}

function scanWith(folder: string, options: RevisionScanOptions, host: FileHost | undefined): Pick<RevisionScan, 'manifest' | 'folderExists'> {
  const folderExists = (host ? host.stat(folder) : statOrUndefined(folder))?.isDirectory ?? false;
  const manifest = new Workspace(folder, { ...options, host }).scan();
  // A folder missing from one revision is the diff's note, not a problem fixed or introduced.
  return { manifest: folderExists ? manifest : { ...manifest, problems: manifest.problems.filter((problem) => problem.id !== 'folder-missing') }, folderExists };
}

function statOrUndefined(abs: string): { isDirectory: boolean } | undefined {
  try {
    return { isDirectory: fs.statSync(abs).isDirectory() };
  } catch {
    return undefined;
  }
}

/**
 * Files git sees as renamed between the two revisions (or the base and the work tree), relative to the
 * scanned folder: their problems are matched across the rename instead of being reported fixed and new.
 */
function renamedFiles(repository: Repository, baseCommit: string, headCommit: string | undefined, relativeFolder: string): Map<string, string> {
  const renames = new Map<string, string>();
  let listing: string;
  try {
    // No external diff or text conversion runs, and no file-system monitor: names and statuses only.
    listing = runGit(repository.toplevel, ['-c', 'core.fsmonitor=false', 'diff', '--name-status', '-z', '-M', '--no-ext-diff', '--no-textconv', baseCommit, ...(headCommit ? [headCommit] : []), '--', relativeFolder]);
  } catch (error) {
    // Renames only make the problem lists shorter; without them the comparison still stands.
    if (error instanceof GitError) return renames;
    throw error;
  }
  const fields = listing.split('\0');
  const prefix = relativeFolder === '.' ? '' : `${relativeFolder}/`;
  const inFolder = (file: string) => (file.startsWith(prefix) ? file.slice(prefix.length) : undefined);
  for (let index = 0; index < fields.length; ) {
    const status = fields[index];
    if (!status) break;
    if (status.startsWith('R') || status.startsWith('C')) {
      const from = inFolder(fields[index + 1] ?? '');
      const to = inFolder(fields[index + 2] ?? '');
      if (status.startsWith('R') && from !== undefined && to !== undefined) renames.set(from, to);
      index += 3;
    } else index += 2;
  }
  return renames;
}

/** Where the scan keeps parse results for a folder, the same file as `route-atlas [dir]` uses (see cli.ts). */
function cacheFileFor(dir: string): string | undefined {
  const override = process.env.ROUTE_ATLAS_CACHE_DIR;
  if (override) return ParseCache.fileFor(path.resolve(override), dir);
  if (!fs.existsSync(path.join(dir, 'package.json')) && !fs.existsSync(path.join(dir, 'node_modules'))) return undefined;
  return ParseCache.fileFor(path.join(dir, 'node_modules', '.cache', 'route-atlas'), dir);
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}

