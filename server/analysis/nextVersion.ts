import * as path from 'node:path';
import type { FileHost } from './host';
import { readTextOrUndefined } from './host';
import type { NextVersionInfo } from './model';

/** The newest major the analysis knows; used when nothing says which version an app uses. */
export const LATEST_KNOWN_MAJOR = 16;
export const SUPPORTED_MAJORS = [14, 15, 16];

export interface PackageJson {
  name?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
}

export function readPackageJson(host: FileHost, file: string): PackageJson | undefined {
  const text = readTextOrUndefined(host, file);
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as PackageJson) : undefined;
  } catch {
    return undefined;
  }
}

export function nextDependencyRange(pkg: PackageJson | undefined): string | undefined {
  return pkg?.dependencies?.next ?? pkg?.devDependencies?.next ?? pkg?.peerDependencies?.next;
}

/**
 * The Next.js version an app really uses: the installed package (walking up for hoisted monorepo
 * installs), else the range its package.json asks for (pnpm catalogs included), else the newest known.
 */
export function detectNextVersion(host: FileHost, appRoot: string, pkg: PackageJson | undefined, toRel: (abs: string) => string): NextVersionInfo {
  for (let dir = appRoot; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'node_modules', 'next', 'package.json');
    const installed = readPackageJson(host, file) as { version?: string } | undefined;
    const major = majorOf(installed?.version);
    if (installed?.version && major !== undefined) return { version: installed.version, major, source: 'installed', file: toRel(file) };
    if (path.dirname(dir) === dir) break;
  }
  let range = nextDependencyRange(pkg);
  if (range?.startsWith('catalog:')) range = catalogRange(host, appRoot, range.slice('catalog:'.length)) ?? range;
  const major = majorOf(range);
  if (range && major !== undefined) return { version: range, major, source: 'package.json', file: toRel(path.join(appRoot, 'package.json')) };
  return { version: range, major: LATEST_KNOWN_MAJOR, source: 'default' };
}

/** The first major number in a version or range: `^15.2.0` → 15, `~14.2` → 14; undefined for `latest`. */
export function majorOf(version: string | undefined): number | undefined {
  const match = version ? /(\d+)(?:\.|\s|$|\b)/.exec(version) : null;
  return match ? Number(match[1]) : undefined;
}

/** Looks `next` up in the nearest pnpm-workspace.yaml catalog (default or named). */
function catalogRange(host: FileHost, appRoot: string, catalogName: string): string | undefined {
  for (let dir = appRoot; ; dir = path.dirname(dir)) {
    const text = readTextOrUndefined(host, path.join(dir, 'pnpm-workspace.yaml'));
    if (text !== undefined) {
      const section = catalogName && catalogName !== 'default' ? new RegExp(`^catalogs:\\s*$[\\s\\S]*?^\\s+${catalogName}:\\s*$([\\s\\S]*?)(?=^\\S|^\\s{0,2}\\S+:\\s*$|$(?![\\s\\S]))`, 'm') : /^catalog:\s*$([\s\S]*?)(?=^\S|$(?![\s\S]))/m;
      const block = section.exec(text)?.[1] ?? '';
      const match = /^\s+['"]?next['"]?:\s*['"]?([^'"\s#]+)/m.exec(block);
      return match?.[1];
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Which bundler `next build` uses: the build script's flag, else the version's default. */
export function detectBundler(pkg: PackageJson | undefined, major: number): 'webpack' | 'turbopack' {
  const build = pkg?.scripts?.build ?? '';
  if (/next\s+build\b[^&|;]*--(turbopack|turbo)\b/.test(build)) return 'turbopack';
  if (/next\s+build\b[^&|;]*--webpack\b/.test(build)) return 'webpack';
  return major >= 16 ? 'turbopack' : 'webpack';
}
