import type { Problem, Span } from '../model';

/** One URL of the app (a route or a page), with the file that defines it. */
export interface UrlEntry {
  url: string;
  file: string;
}

export type TrieErrorKind = 'slug-name-conflict' | 'duplicate-slug' | 'optional-catchall-conflict' | 'catchall-not-last' | 'catchall-mix';

export interface TrieError {
  kind: TrieErrorKind;
  /** Next.js's own message (shared/lib/router/utils/sorted-routes). */
  message: string;
  file: string;
  url: string;
  /** The other file of the conflict, when there is one. */
  other?: string;
  otherUrl?: string;
}

interface Owner {
  name: string;
  file: string;
  url: string;
}

interface UrlNode {
  children: Map<string, UrlNode>;
  leaf?: UrlEntry;
  slug?: Owner;
  rest?: Owner;
  optionalRest?: Owner;
}

function newNode(): UrlNode {
  return { children: new Map() };
}

/**
 * Inserts every URL into a tree of segments the way Next.js's route sorter does, but collects every
 * conflict with the files involved instead of stopping at the first throw.
 */
export function findUrlConflicts(entries: readonly UrlEntry[]): TrieError[] {
  // Four checks ask for the same answer in one run, over the same entries.
  let errors = conflictCache.get(entries);
  if (!errors) conflictCache.set(entries, (errors = computeUrlConflicts(entries)));
  return errors;
}

const conflictCache = new WeakMap<readonly UrlEntry[], TrieError[]>();

function computeUrlConflicts(entries: readonly UrlEntry[]): TrieError[] {
  const root = newNode();
  const errors: TrieError[] = [];
  for (const entry of entries) insert(root, entry, errors);
  collectOptionalCatchAllConflicts(root, '/', errors);
  return errors;
}

function insert(root: UrlNode, entry: UrlEntry, errors: TrieError[]): void {
  const segments = entry.url.split('/').filter(Boolean);
  const slugNames: string[] = [];
  let node = root;
  let catchAllSeen = false;
  for (const original of segments) {
    if (catchAllSeen) {
      errors.push({ kind: 'catchall-not-last', file: entry.file, url: entry.url, message: `Catch-all must be the last part of the URL in route "${entry.url}".` });
      return;
    }
    let key = original;
    if (original.startsWith('[') && original.endsWith(']')) {
      let name = original.slice(1, -1);
      let optional = false;
      if (name.startsWith('[') && name.endsWith(']')) {
        name = name.slice(1, -1);
        optional = true;
      }
      const catchAll = name.startsWith('...');
      if (catchAll) name = name.slice(3);
      const previousSlug = (owner: Owner | undefined): boolean => {
        if (owner && owner.name !== name) {
          errors.push({ kind: 'slug-name-conflict', file: entry.file, url: entry.url, other: owner.file, otherUrl: owner.url, message: `You cannot use different slug names for the same dynamic path ('${owner.name}' !== '${name}').` });
          return false;
        }
        if (slugNames.includes(name)) {
          errors.push({ kind: 'duplicate-slug', file: entry.file, url: entry.url, message: `You cannot have the same slug name "${name}" repeat within a single dynamic path` });
          return false;
        }
        slugNames.push(name);
        return true;
      };
      if (catchAll && optional) {
        if (node.rest) {
          errors.push({ kind: 'catchall-mix', file: entry.file, url: entry.url, other: node.rest.file, otherUrl: node.rest.url, message: `You cannot use both an required and optional catch-all route at the same level ("[...${node.rest.name}]" and "${original}" ).` });
          return;
        }
        if (!previousSlug(node.optionalRest)) return;
        node.optionalRest ??= { name, file: entry.file, url: entry.url };
        key = '[[...]]';
      } else if (catchAll) {
        if (node.optionalRest) {
          errors.push({ kind: 'catchall-mix', file: entry.file, url: entry.url, other: node.optionalRest.file, otherUrl: node.optionalRest.url, message: `You cannot use both an optional and required catch-all route at the same level ("[[...${node.optionalRest.name}]]" and "${original}").` });
          return;
        }
        if (!previousSlug(node.rest)) return;
        node.rest ??= { name, file: entry.file, url: entry.url };
        key = '[...]';
      } else {
        if (!previousSlug(node.slug)) return;
        node.slug ??= { name, file: entry.file, url: entry.url };
        key = '[]';
      }
      catchAllSeen = catchAll;
    }
    let child = node.children.get(key);
    if (!child) node.children.set(key, (child = newNode()));
    node = child;
  }
  node.leaf ??= entry;
}

function collectOptionalCatchAllConflicts(node: UrlNode, prefix: string, errors: TrieError[]): void {
  if (node.leaf && node.optionalRest) {
    const r = prefix === '/' ? '/' : prefix.slice(0, -1);
    errors.push({
      kind: 'optional-catchall-conflict',
      file: node.optionalRest.file,
      url: node.optionalRest.url,
      other: node.leaf.file,
      otherUrl: node.leaf.url,
      message: `You cannot define a route with the same specificity as an optional catch-all route ("${r}" and "${r}[[...${node.optionalRest.name}]]").`,
    });
  }
  for (const [key, child] of node.children) collectOptionalCatchAllConflicts(child, `${prefix}${key}/`, errors);
}

/** Turns trie errors of one kind into problems on the route files (pages are not ours to flag). */
export function trieProblems(
  errors: readonly TrieError[],
  kinds: readonly TrieErrorKind[],
  id: string,
  routeFiles: ReadonlyMap<string, Span>,
  consequence: string,
  failsBuild: (error: TrieError) => boolean,
): Problem[] {
  const problems: Problem[] = [];
  for (const error of errors) {
    if (!kinds.includes(error.kind)) continue;
    const file = routeFiles.has(error.file) ? error.file : error.other && routeFiles.has(error.other) ? error.other : undefined;
    if (!file) continue;
    const other = file === error.file ? error.other : error.file;
    const sentence = /[.!?)]$/.test(error.message) ? error.message : `${error.message}.`;
    problems.push({
      id,
      severity: 'error',
      failsBuild: failsBuild(error),
      file,
      span: routeFiles.get(file),
      message: `${sentence} ${consequence}`,
      related: other ? [{ file: other, span: { line: 1, column: 1, endLine: 1, endColumn: 1 }, message: 'the other route of the conflict' }] : undefined,
    });
  }
  return problems;
}

/** Next.js 16's build check: two paths are ambiguous when they match once every param name is `*`. */
export function sameShape(a: string | undefined, b: string | undefined): boolean {
  const shape = (url: string) => url.replace(/\[(\[?)(\.\.\.)?[^\]]+\]/g, '[$1$2*]');
  return a !== undefined && b !== undefined && shape(a) === shape(b);
}
