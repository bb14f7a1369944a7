import type { PageEntry, Route, Span } from '../model';
import type { UrlEntry } from './routeTrie';

interface Entries {
  entries: UrlEntry[];
  /** Route handler files → where to point a problem: the first exported method, else line 1. */
  routeFiles: Map<string, Span>;
}

// Four checks ask for the same entries in one run over the same arrays.
const cache = new WeakMap<readonly Route[], { pages: readonly PageEntry[]; result: Entries }>();

/** Every routed URL of an app (route handlers and pages; metadata routes have fixed names). */
export function urlEntries(routes: readonly Route[], pages: readonly PageEntry[]): Entries {
  const cached = cache.get(routes);
  if (cached?.pages === pages) return cached.result;
  const result = computeUrlEntries(routes, pages);
  cache.set(routes, { pages, result });
  return result;
}

function computeUrlEntries(routes: readonly Route[], pages: readonly PageEntry[]): Entries {
  const handlers = routes.filter((r) => r.kind === 'route' && !r.intercepting);
  const entries: UrlEntry[] = [...handlers.map((r) => ({ url: r.url, file: r.file })), ...pages.map((p) => ({ url: p.url, file: p.file }))];
  const firstLine: Span = { line: 1, column: 1, endLine: 1, endColumn: 1 };
  return { entries, routeFiles: new Map(handlers.map((r) => [r.file, r.methods.find((m) => m.span)?.span ?? firstLine])) };
}
