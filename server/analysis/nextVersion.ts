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
export function detectNextVersion(host: FileHost, appRoot: string, pkg: PackageJson | undefined, toRel: (abs: string) => string, options: { parentPackages?: boolean } = {}): NextVersionInfo {
  for (let dir = appRoot; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'node_modules', 'next', 'package.json');
    const installed = readPackageJson(host, file) as { version?: string } | undefined;
    const major = majorOf(installed?.version);
    if (installed?.version && major !== undefined) return { version: installed.version, major, source: 'installed', file: toRel(file) };
    if (path.dirname(dir) === dir) break;
  }
  const own = declaredRange(host, appRoot, pkg);
  if (own.major !== undefined) return { version: own.range, major: own.major, source: 'package.json', file: toRel(path.join(appRoot, 'package.json')) };
  // A project without a `next` of its own (an example in a monorepo, a project a parent's script builds) uses
  // the one its workspace declares: the nearest package.json above it that names `next`, inside the folder.
  for (let dir = path.dirname(appRoot); options.parentPackages !== false && dir !== path.dirname(dir) && !toRel(dir).startsWith('..'); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    const parent = declaredRange(host, dir, readPackageJson(host, file));
    if (parent.major !== undefined) return { version: parent.range, major: parent.major, source: 'package.json', file: toRel(file) };
  }
  return { version: own.range, major: LATEST_KNOWN_MAJOR, source: 'default' };
}

/** The `next` range a package.json declares, through a pnpm catalog, and its major when it has one. */
function declaredRange(host: FileHost, dir: string, pkg: PackageJson | undefined): { range?: string; major?: number } {
  let range = nextDependencyRange(pkg);
  if (range?.startsWith('catalog:')) range = catalogRange(host, dir, range.slice('catalog:'.length)) ?? range;
  return { range, major: majorOf(range) };
}

/** The first major number in a version or range: `^15.2.0` → 15, `~14.2` → 14; undefined for `latest`. */
export function majorOf(version: string | undefined): number | undefined {
  if (!version) return undefined;
  // The first run of digits that no letter or underscore follows. Each run is looked at once: a pattern
  // that backtracked into the run would be quadratic in a long run of digits.
  for (const match of version.matchAll(/\d+/g)) {
    if (!/\w/.test(version.charAt(match.index + match[0].length))) return Number(match[0]);
  }
  return undefined;
}

/** Looks `next` up in the nearest pnpm-workspace.yaml catalog (default or named). */
function catalogRange(host: FileHost, appRoot: string, catalogName: string): string | undefined {
  for (let dir = appRoot; ; dir = path.dirname(dir)) {
    const text = readTextOrUndefined(host, path.join(dir, 'pnpm-workspace.yaml'));
    if (text !== undefined) return catalogEntry(text, catalogName, 'next');
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The range a pnpm catalog gives a package: the default catalog is `catalog:` or `catalogs: default:`,
 * a named one `catalogs: <name>:`. Reads only the block mappings such a file uses, one line at a time,
 * so that nothing in the file (or in the catalog name from package.json) can make the reading costly.
 */
export function catalogEntry(yaml: string, catalogName: string, packageName: string): string | undefined {
  const name = catalogName.trim() || 'default';
  // The keys of the mappings that enclose the current line, with their indentation.
  const open: Array<{ indent: number; key: string }> = [];
  const inWantedCatalog = () =>
    (open.length === 1 && open[0].key === 'catalog' && name === 'default') || (open.length === 2 && open[0].key === 'catalogs' && open[1].key === name);
  // Lines deeper than a `key: |` or `key: >` belong to its text block.
  let blockIndent = -1;
  for (const line of yaml.split('\n')) {
    const content = line.trimStart();
    const indent = line.length - content.length;
    if (content.trim() === '' || content.startsWith('#')) continue;
    if (blockIndent >= 0 && indent > blockIndent) continue;
    blockIndent = -1;
    while (open.length > 0 && open[open.length - 1].indent >= indent) open.pop();
    const entry = yamlEntry(content);
    if (!entry) continue;
    if (entry.value === '') open.push({ indent, key: entry.key });
    else if (/^[|>][-+0-9]*$/.test(entry.value)) blockIndent = indent;
    else if (entry.key === packageName && inWantedCatalog()) return entry.value;
  }
  return undefined;
}

/** `key: value` of one YAML line (indentation removed), keys and values quoted or plain, comments dropped. */
function yamlEntry(text: string): { key: string; value: string } | undefined {
  if (text.startsWith('- ') || text.trim() === '-') return undefined;
  let key: string;
  let rest: string;
  if (text.startsWith('"') || text.startsWith("'")) {
    const quoted = yamlQuoted(text);
    if (!quoted) return undefined;
    key = quoted.value;
    rest = text.slice(quoted.end).trimStart();
    if (!rest.startsWith(':')) return undefined;
    rest = rest.slice(1);
  } else {
    // A plain key ends at the first colon followed by a space or the end of the line.
    let colon = text.indexOf(':');
    while (colon !== -1 && colon + 1 < text.length && text[colon + 1] !== ' ' && text[colon + 1] !== '\t' && text[colon + 1] !== '\r') colon = text.indexOf(':', colon + 1);
    if (colon === -1) return undefined;
    key = text.slice(0, colon).trim();
    rest = text.slice(colon + 1);
  }
  rest = rest.trim();
  if (rest.startsWith('"') || rest.startsWith("'")) return { key, value: yamlQuoted(rest)?.value ?? '' };
  // A comment starts at a `#` after a space (or at the start of the value).
  const comment = rest.startsWith('#') ? 0 : rest.search(/\s#/);
  return { key, value: (comment === -1 ? rest : rest.slice(0, comment)).trim() };
}

/** A quoted YAML scalar at the start of `text`: `'it''s'` or `"a\"b"`, and where it ends. */
function yamlQuoted(text: string): { value: string; end: number } | undefined {
  const quote = text[0];
  let value = '';
  for (let i = 1; i < text.length; i++) {
    const char = text[i];
    if (quote === "'" && char === "'") {
      if (text[i + 1] !== "'") return { value, end: i + 1 };
      value += "'";
      i++;
    } else if (quote === '"' && char === '"') {
      return { value, end: i + 1 };
    } else if (quote === '"' && char === '\\' && i + 1 < text.length) {
      value += text[++i];
    } else {
      value += char;
    }
  }
  return undefined;
}

/** Which bundler `next build` uses: the build script's flag, else the version's default. */
export function detectBundler(pkg: PackageJson | undefined, major: number): 'webpack' | 'turbopack' {
  // A flag counts when it follows `next build` in the same command; each command is searched once.
  const flags: string[] = [];
  for (const command of (pkg?.scripts?.build ?? '').split(/[&|;]/)) {
    const build = /next\s+build\b/.exec(command);
    if (build) flags.push(command.slice(build.index + build[0].length));
  }
  if (flags.some((f) => /--(turbopack|turbo)\b/.test(f))) return 'turbopack';
  if (flags.some((f) => /--webpack\b/.test(f))) return 'webpack';
  return major >= 16 ? 'turbopack' : 'webpack';
}
