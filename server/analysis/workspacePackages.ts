import * as path from 'node:path';
import type { FileHost } from './host';
import { readTextOrUndefined } from './host';

// The packages of a monorepo by name, read from its workspace manifest (pnpm-workspace.yaml, or the
// `workspaces` of package.json for npm, yarn and bun), so that `@acme/types` resolves to its sources in a
// clone where nothing is installed. With node_modules installed the link there is followed instead.

/** How many patterns a manifest may list, folders a pattern's expansion may visit, and levels `**` descends. */
const MAX_PATTERNS = 64;
const MAX_FOLDERS = 5000;
const MAX_GLOB_DEPTH = 4;

/** The folder patterns of a workspace manifest in `dir`, or undefined when `dir` holds none. */
export function workspacePatternsIn(host: FileHost, dir: string, names: ReadonlyMap<string, boolean> | null): string[] | undefined {
  if (names?.get('pnpm-workspace.yaml')) {
    const text = readTextOrUndefined(host, path.join(dir, 'pnpm-workspace.yaml'));
    if (text !== undefined) return pnpmWorkspacePatterns(text);
  }
  if (!names?.get('package.json')) return undefined;
  const text = readTextOrUndefined(host, path.join(dir, 'package.json'));
  if (text === undefined) return undefined;
  let workspaces: unknown;
  try {
    workspaces = (JSON.parse(text) as { workspaces?: unknown } | null)?.workspaces;
  } catch {
    return undefined;
  }
  // npm and yarn take a list; yarn 1 also `{ packages: [...] }`.
  const list = Array.isArray(workspaces) ? workspaces : workspaces && typeof workspaces === 'object' ? (workspaces as { packages?: unknown }).packages : undefined;
  if (!Array.isArray(list)) return undefined;
  return list.filter((item): item is string => typeof item === 'string').slice(0, MAX_PATTERNS);
}

/**
 * The items of the top-level `packages:` list of a pnpm-workspace.yaml, block (`- "apps/*"`) or flow
 * (`packages: [apps/*]`) style. A line reader: nothing in the file can make the reading costly.
 */
export function pnpmWorkspacePatterns(yaml: string): string[] {
  const patterns: string[] = [];
  let inPackages = false;
  for (const line of yaml.split('\n')) {
    const content = line.trim();
    if (content === '' || content.startsWith('#')) continue;
    if (line.length - line.trimStart().length === 0 && !content.startsWith('-')) {
      inPackages = content.startsWith('packages:');
      const rest = inPackages ? withoutComment(content.slice('packages:'.length)).trim() : '';
      if (rest.startsWith('[') && rest.endsWith(']')) {
        for (const item of rest.slice(1, -1).split(',')) if (unquoted(item.trim())) patterns.push(unquoted(item.trim()));
        inPackages = false;
      }
      continue;
    }
    if (inPackages && content.startsWith('-')) {
      const item = unquoted(withoutComment(content.slice(1)).trim());
      if (item) patterns.push(item);
    }
    if (patterns.length >= MAX_PATTERNS) break;
  }
  return patterns;
}

function withoutComment(text: string): string {
  const at = text.indexOf(' #');
  return at === -1 ? text : text.slice(0, at);
}

function unquoted(text: string): string {
  const quote = text[0];
  return (quote === '"' || quote === "'") && text.length >= 2 && text[text.length - 1] === quote ? text.slice(1, -1) : text;
}

/**
 * The packages the patterns name, by their package.json `name`, each a folder under `root`. `!` patterns
 * exclude the folders they name exactly; `node_modules`, dot folders and symbolic links are never entered.
 */
export function listWorkspacePackages(host: FileHost, root: string, patterns: readonly string[]): Map<string, string> {
  const folders: string[] = [];
  const excluded = new Set<string>();
  let budget = MAX_FOLDERS;
  const subfolders = (dir: string): string[] => {
    if (budget <= 0) return [];
    budget--;
    try {
      return host
        .readDirectory(dir)
        .filter((entry) => entry.isDirectory && !entry.isSymbolicLink && entry.name !== 'node_modules' && !entry.name.startsWith('.'))
        .map((entry) => entry.name);
    } catch {
      return [];
    }
  };
  const expand = (dir: string, segments: readonly string[], index: number, depth: number): void => {
    if (budget <= 0) return;
    if (index === segments.length) {
      folders.push(dir);
      return;
    }
    const segment = segments[index];
    if (segment === '**') {
      expand(dir, segments, index + 1, depth);
      if (depth < MAX_GLOB_DEPTH) for (const name of subfolders(dir)) expand(path.join(dir, name), segments, index, depth + 1);
    } else if (segment.includes('*')) {
      for (const name of subfolders(dir)) if (matchesWildcard(segment, name)) expand(path.join(dir, name), segments, index + 1, depth);
    } else {
      expand(path.join(dir, segment), segments, index + 1, depth);
    }
  };
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).replace(/^\.\//, '').replace(/\/+$/, '');
    const segments = pattern.split('/').filter((segment) => segment !== '' && segment !== '.');
    // A pattern may not lead out of the workspace.
    if (segments.length === 0 || segments.includes('..') || path.isAbsolute(pattern)) continue;
    if (negated) excluded.add(path.join(root, ...segments));
    else expand(root, segments, 0, 0);
  }
  const packages = new Map<string, string>();
  for (const folder of folders) {
    if (excluded.has(folder)) continue;
    const text = readTextOrUndefined(host, path.join(folder, 'package.json'));
    if (text === undefined) continue;
    try {
      const name = (JSON.parse(text) as { name?: unknown } | null)?.name;
      if (typeof name === 'string' && name && !packages.has(name)) packages.set(name, folder);
    } catch {
      // A broken package.json names no package.
    }
  }
  return packages;
}

/**
 * True when `name` matches a folder pattern segment in which `*` stands for any run of characters. The usual
 * two-pointer walk, which backtracks only to the last star: at most the product of the two short lengths.
 */
export function matchesWildcard(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === name[n]) {
      p++;
      n++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = n;
    } else if (star !== -1) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
