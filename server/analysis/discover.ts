import * as path from 'node:path';
import type { FileHost } from './host';
import type { Problem } from './model';
import { NEXT_CONFIG_FILES } from './nextConfig';
import { nextDependencyRange, type PackageJson, readPackageJson } from './nextVersion';
import { hasAncestorIn, isInSkippedDir, isWithin, SKIPPED_DIRS, spellInside } from './folders';
import { nextScriptTargets } from './nextScripts';

export { SKIPPED_DIRS };

export interface AppCandidate {
  root: string;
  configFile?: string;
  packageJson?: PackageJson;
  /** The app dir Next.js uses (`app` wins over `src/app`), absolute. */
  appDir: string;
  /** Set when `src/app` exists but `app` shadows it. */
  ignoredAppDir?: string;
  /** The package whose scripts run this project from outside it (`next build app` in the parent's package.json). */
  launcher?: { dir: string; packageJson: PackageJson };
}

/** Where discovery may go. */
export interface DiscoveryScope {
  /** Folders not to search (those of nested workspace folders, which own their apps). */
  excluded?: ReadonlySet<string>;
  /**
   * Symbolic links are followed only to targets inside this folder (default: the folder searched), and
   * what is reached through one is named by its path in this folder.
   */
  boundary?: string;
  /** Called with each folder before it is listed (a checkpoint: it may throw to stop the walk). */
  onFolder?: (dir: string) => void;
}

export interface DiscoveryResult {
  apps: AppCandidate[];
  problems: Problem[];
  /** Folders package scripts run `next` in (`next build app`), whether or not they hold a project yet. */
  launched: string[];
}

/**
 * Finds every Next.js project under `root`: a folder with next.config.*, a package.json whose scripts run
 * `next dev|build|start` there or that depends on `next` (and runs it nowhere else), or a folder a
 * package's scripts run `next` in (`next build app`); with an `app` or `src/app` folder. The deepest
 * project owns its files: a folder whose app dir is itself a project is not one. Folders reached through
 * a symbolic link are named by their real path (a link back into its own ancestry is reported as a loop),
 * and unreadable folders are reported instead of failing.
 */
export function discoverApps(host: FileHost, root: string, toRel: (abs: string) => string, scope: DiscoveryScope = {}): DiscoveryResult {
  const candidates = new Map<string, AppCandidate>();
  const problems: Problem[] = [];
  const visitedReal = new Set<string>();
  const boundary = scope.boundary ?? root;
  const boundaryReal = realpathOrUndefined(host, boundary) ?? boundary;
  const spell = (real: string) => spellInside(real, boundary, boundaryReal);
  // An app's own app dir is walked for routes, not searched for more apps: for `src/app` the skip is
  // one level below the app's root, so the set is shared by the whole walk.
  const appDirs = new Set<string>();
  /** Folders package scripts run `next` in, with the package that does. */
  const launched = new Map<string, { dir: string; packageJson: PackageJson }>();

  const consider = (dir: string, evidence: ProjectEvidence) => {
    for (const target of evidence.launches) {
      const real = realpathOrUndefined(host, target);
      const spelled = real === undefined ? target : spell(real);
      if (!launched.has(spelled)) launched.set(spelled, { dir, packageJson: evidence.packageJson! });
    }
    const launcher = launched.get(dir);
    if (!evidence.isApp && !launcher) return;
    const dirs = appDirsOf(host, dir);
    if (!dirs) {
      if (evidence.configName) {
        problems.push({
          id: 'no-app-dir',
          severity: 'info',
          file: toRel(path.join(dir, evidence.configName)),
          message: `${toRel(dir)} has ${evidence.configName} but no app/ or src/app/ folder, so it has no App Router routes.`,
        });
      }
      return;
    }
    // A project inside the folder that would be this one's app dir owns it; this folder only launches it.
    if (isProjectWithAppDir(host, dirs.appDir, launched)) return;
    candidates.set(dir, {
      root: dir,
      configFile: evidence.configName ? path.join(dir, evidence.configName) : undefined,
      packageJson: evidence.packageJson,
      ...dirs,
      ...(launcher ? { launcher } : {}),
    });
    appDirs.add(dirs.appDir);
  };

  const visit = (dir: string, depth: number, realDir?: string) => {
    if (depth > 40) return;
    scope.onFolder?.(dir);
    let real = realDir;
    if (real === undefined) {
      try {
        real = host.realpath(dir);
      } catch {
        return;
      }
    }
    if (visitedReal.has(real)) return;
    visitedReal.add(real);
    let entries;
    try {
      entries = host.readDirectory(dir);
    } catch (error) {
      problems.push(unreadableProblem(dir, error, toRel));
      return;
    }
    consider(dir, appRootOf(host, dir, new Set(entries.map((e) => e.name))));
    for (const entry of entries) {
      if (SKIPPED_DIRS.has(entry.name)) continue;
      const child = path.join(dir, entry.name);
      if (appDirs.has(child) || scope.excluded?.has(child)) continue;
      if (entry.isDirectory) visit(child, depth + 1, path.join(real, entry.name));
      else if (entry.isSymbolicLink) {
        const link = checkLink(host, child, dir, boundaryReal, toRel);
        if (link.problem) problems.push(link.problem);
        // The folder is walked under its real path, so that it has one name whichever spelling comes first.
        if (link.follow && link.isDirectory && link.real !== undefined) {
          const spelled = spell(link.real);
          if (!appDirs.has(spelled) && !scope.excluded?.has(spelled)) visit(spelled, depth + 1, link.real);
        }
      }
    }
  };
  visit(root, 0);
  // A script may run `next` in a folder the walk met before the script (`next dev ../web`), or in one
  // it never enters (inside another project's app dir).
  for (const target of launched.keys()) {
    if (candidates.has(target) || !isWithin(target, root) || isInSkippedDir(root, target) || isExcludedBy(target, scope.excluded)) continue;
    if (!host.stat(target)?.isDirectory) continue;
    consider(target, appRootOf(host, target, existingProjectFiles(host, target)));
  }
  const apps = [...candidates.values()];
  apps.sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0));
  return { apps, problems, launched: [...launched.keys()] };
}

/** What a folder's own files say about it being a Next.js project. */
export interface ProjectEvidence {
  configName?: string;
  packageJson?: PackageJson;
  /** A project by its own files: a next.config, a script running `next` here, or a `next` dependency it runs nowhere else. */
  isApp: boolean;
  /** Folders its package's scripts run `next` in, other than itself, absolute. */
  launches: string[];
}

/** Whether a folder with these entries is a project root (see ProjectEvidence). */
export function appRootOf(host: FileHost, dir: string, names: ReadonlySet<string>): ProjectEvidence {
  const configName = NEXT_CONFIG_FILES.find((name) => names.has(name));
  const packageJson = names.has('package.json') ? readPackageJson(host, path.join(dir, 'package.json')) : undefined;
  const targets = nextScriptTargets(packageJson?.scripts);
  const dependsOnNext = nextDependencyRange(packageJson) !== undefined;
  return {
    configName,
    packageJson,
    isApp: configName !== undefined || targets.runsHere || (dependsOnNext && targets.elsewhere.length === 0),
    launches: targets.elsewhere.map((relative) => path.join(dir, relative)),
  };
}

/** The app dir Next.js uses in a project root (`app`, else `src/app`), or undefined when it has neither. */
export function appDirsOf(host: FileHost, root: string): { appDir: string; ignoredAppDir?: string } | undefined {
  const appDir = path.join(root, 'app');
  const srcAppDir = path.join(root, 'src', 'app');
  const hasApp = host.stat(appDir)?.isDirectory ?? false;
  const hasSrcApp = host.stat(srcAppDir)?.isDirectory ?? false;
  if (!hasApp && !hasSrcApp) return undefined;
  return { appDir: hasApp ? appDir : srcAppDir, ...(hasApp && hasSrcApp ? { ignoredAppDir: srcAppDir } : {}) };
}

/**
 * True when `dir` is the root of a project with an app dir of its own. Looks with `stat` only (no listing),
 * so that an app dir that is not a project is still listed once, by the walk of its app.
 */
export function isProjectWithAppDir(host: FileHost, dir: string, launched?: { has(dir: string): boolean }): boolean {
  const names = existingProjectFiles(host, dir);
  if (names.size === 0 && !launched?.has(dir)) return false;
  if (!launched?.has(dir) && !appRootOf(host, dir, names).isApp) return false;
  return appDirsOf(host, dir) !== undefined;
}

/** The next.config files and package.json a folder holds, found with `stat`. */
function existingProjectFiles(host: FileHost, dir: string): Set<string> {
  const names = new Set<string>();
  for (const name of [...NEXT_CONFIG_FILES, 'package.json']) if (host.stat(path.join(dir, name))?.isFile) names.add(name);
  return names;
}

function isExcludedBy(dir: string, excluded: ReadonlySet<string> | undefined): boolean {
  return excluded !== undefined && excluded.size > 0 && (excluded.has(dir) || hasAncestorIn(dir, excluded));
}

/** What a walk does with a symbolic link it meets: follow it or not, and the problem to report. */
export interface LinkCheck {
  follow: boolean;
  isDirectory: boolean;
  isFile: boolean;
  /** The target's real path, when the link is followed. */
  real?: string;
  problem?: Problem;
}

/**
 * Decides about one symbolic link: a link that loops (into its own ancestry, or in a cycle the system
 * refuses with ELOOP) or that leaves the workspace (to another project, to `/etc`, to `/`) is reported and
 * not followed; a link whose target is missing or unreadable is skipped quietly, as a dangling link is
 * common and harmless.
 */
export function checkLink(host: FileHost, link: string, parentDir: string, boundaryReal: string, toRel: (abs: string) => string): LinkCheck {
  const target = host.stat(link);
  if (target?.error === 'ELOOP') return { follow: false, isDirectory: false, isFile: false, problem: symlinkLoopProblem(link, toRel) };
  if (!target || (!target.isDirectory && !target.isFile)) return { follow: false, isDirectory: false, isFile: false };
  if (target.isDirectory && isLinkIntoAncestry(host, link, parentDir)) return { follow: false, isDirectory: true, isFile: false, problem: symlinkLoopProblem(link, toRel) };
  const real = realpathOrUndefined(host, link);
  if (real === undefined) return { follow: false, isDirectory: false, isFile: false };
  if (real !== boundaryReal && !real.startsWith(boundaryReal + path.sep)) {
    return { follow: false, isDirectory: target.isDirectory, isFile: target.isFile, problem: linkOutsideProblem(link, real, toRel) };
  }
  return { follow: true, isDirectory: target.isDirectory, isFile: target.isFile, real };
}

function realpathOrUndefined(host: FileHost, file: string): string | undefined {
  try {
    return host.realpath(file);
  } catch {
    return undefined;
  }
}

export function linkOutsideProblem(link: string, target: string, toRel: (abs: string) => string): Problem {
  return {
    id: 'symlink-outside',
    severity: 'info',
    file: toRel(link),
    message: `${toRel(link)} is a symbolic link to ${target}, outside the workspace folder; Route Atlas does not follow it. Open that folder in the workspace to analyze it.`,
  };
}

/** True when a symbolic link points at its own folder or one of its ancestors. */
export function isLinkIntoAncestry(host: FileHost, link: string, parentDir: string): boolean {
  let target: string;
  let parentReal: string;
  try {
    target = host.realpath(link);
    parentReal = host.realpath(parentDir);
  } catch {
    return true;
  }
  return parentReal === target || parentReal.startsWith(target + path.sep);
}

export function symlinkLoopProblem(link: string, toRel: (abs: string) => string): Problem {
  return {
    id: 'symlink-loop',
    severity: 'warning',
    file: toRel(link),
    message: `${toRel(link)} is a symbolic link back into its own folder tree; it was not followed.`,
  };
}

export function unreadableProblem(dir: string, error: unknown, toRel: (abs: string) => string): Problem {
  const code = (error as NodeJS.ErrnoException)?.code ?? 'error';
  return {
    id: 'unreadable-folder',
    severity: 'warning',
    file: toRel(dir),
    message: `${toRel(dir) || '.'} could not be read (${code}); routes below it are missing.`,
  };
}
