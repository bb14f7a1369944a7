import * as path from 'node:path';

/** Folders never searched: dependencies, build output, VCS data. */
export const SKIPPED_DIRS = new Set(['node_modules', '.next', 'out', 'dist', '.git', '.turbo', '.vercel', 'coverage', '.svn', '.hg']);

/** True when `file` is `dir` or lies inside it. */
export function isWithin(file: string, dir: string): boolean {
  return file === dir || file.startsWith(dir + path.sep);
}

/** True when a folder above `abs` (not `abs` itself) is in `dirs`: a walk up the path, so linear in its depth. */
export function hasAncestorIn(abs: string, dirs: { has(dir: string): boolean }): boolean {
  for (let dir = path.dirname(abs), previous = abs; dir !== previous; previous = dir, dir = path.dirname(dir)) {
    if (dirs.has(dir)) return true;
  }
  return false;
}

/** True when some folder on the way from `root` down to `abs` is one discovery never enters. */
export function isInSkippedDir(root: string, abs: string): boolean {
  const relative = path.relative(root, abs);
  return relative.split(path.sep).some((name) => SKIPPED_DIRS.has(name));
}

/**
 * The path of a real location as it is spelled inside `root`, whose own real path is `rootReal`: a file
 * reached through a symbolic link gets one name, whichever spelling a walk or an event used.
 */
export function spellInside(real: string, root: string, rootReal: string): string {
  if (root === rootReal || !isWithin(real, rootReal)) return real;
  return path.join(root, path.relative(rootReal, real));
}
