import * as path from 'node:path';
import type { FileHost } from './host';
import type { Problem } from './model';
import { NEXT_CONFIG_FILES } from './nextConfig';
import { nextDependencyRange, type PackageJson, readPackageJson } from './nextVersion';
import { SKIPPED_DIRS } from './folders';

export { SKIPPED_DIRS };

export interface AppCandidate {
  root: string;
  configFile?: string;
  packageJson?: PackageJson;
  /** The app dir Next.js uses (`app` wins over `src/app`), absolute. */
  appDir: string;
  /** Set when `src/app` exists but `app` shadows it. */
  ignoredAppDir?: string;
}

/** Where discovery may go. */
export interface DiscoveryScope {
  /** Folders not to search (those of nested workspace folders, which own their apps). */
  excluded?: ReadonlySet<string>;
  /** Symbolic links are followed only to targets inside this folder (default: the folder searched). */
  boundary?: string;
  /** Called with each folder before it is listed (a checkpoint: it may throw to stop the walk). */
  onFolder?: (dir: string) => void;
}

export interface DiscoveryResult {
  apps: AppCandidate[];
  problems: Problem[];
}

/**
 * Finds every Next.js app under `root`: a folder with next.config.* or a package.json depending on
 * `next`, that has an `app` or `src/app` folder. Follows symbolic links once (a link back into its own
 * ancestry is reported as a loop) and reports unreadable folders instead of failing.
 */
export function discoverApps(host: FileHost, root: string, toRel: (abs: string) => string, scope: DiscoveryScope = {}): DiscoveryResult {
  const apps: AppCandidate[] = [];
  const problems: Problem[] = [];
  const visitedReal = new Set<string>();
  const boundary = scope.boundary ?? root;
  const boundaryReal = realpathOrUndefined(host, boundary) ?? boundary;
  // An app's own app dir is walked for routes, not searched for more apps: for `src/app` the skip is
  // one level below the app's root, so the set is shared by the whole walk.
  const appDirs = new Set<string>();

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
    const { configName, packageJson, isApp } = appRootOf(host, dir, new Set(entries.map((e) => e.name)));
    if (isApp) {
      const appDir = path.join(dir, 'app');
      const srcAppDir = path.join(dir, 'src', 'app');
      const hasApp = host.stat(appDir)?.isDirectory ?? false;
      const hasSrcApp = host.stat(srcAppDir)?.isDirectory ?? false;
      if (hasApp || hasSrcApp) {
        apps.push({
          root: dir,
          configFile: configName ? path.join(dir, configName) : undefined,
          packageJson,
          appDir: hasApp ? appDir : srcAppDir,
          ignoredAppDir: hasApp && hasSrcApp ? srcAppDir : undefined,
        });
        appDirs.add(hasApp ? appDir : srcAppDir);
      } else if (configName) {
        problems.push({
          id: 'no-app-dir',
          severity: 'info',
          file: toRel(path.join(dir, configName)),
          message: `${toRel(dir)} has ${configName} but no app/ or src/app/ folder, so it has no App Router routes.`,
        });
      }
    }
    for (const entry of entries) {
      if (SKIPPED_DIRS.has(entry.name)) continue;
      const child = path.join(dir, entry.name);
      if (appDirs.has(child) || scope.excluded?.has(child)) continue;
      if (entry.isDirectory) visit(child, depth + 1, path.join(real, entry.name));
      else if (entry.isSymbolicLink) {
        const link = checkLink(host, child, dir, boundaryReal, toRel);
        if (link.problem) problems.push(link.problem);
        if (link.follow && link.isDirectory) visit(child, depth + 1);
      }
    }
  };
  visit(root, 0);
  apps.sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0));
  return { apps, problems };
}

/** Whether a folder with these entries is an app root: it has a next.config or a package.json depending on `next`. */
export function appRootOf(host: FileHost, dir: string, names: ReadonlySet<string>): { configName?: string; packageJson?: PackageJson; isApp: boolean } {
  const configName = NEXT_CONFIG_FILES.find((name) => names.has(name));
  const packageJson = names.has('package.json') ? readPackageJson(host, path.join(dir, 'package.json')) : undefined;
  return { configName, packageJson, isApp: configName !== undefined || nextDependencyRange(packageJson) !== undefined };
}

/** What a walk does with a symbolic link it meets: follow it or not, and the problem to report. */
export interface LinkCheck {
  follow: boolean;
  isDirectory: boolean;
  isFile: boolean;
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
  return { follow: true, isDirectory: target.isDirectory, isFile: target.isFile };
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
