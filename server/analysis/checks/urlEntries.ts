import type { PageEntry, Route } from '../model';
import type { UrlEntry } from './routeTrie';

/** Every routed URL of an app (route handlers and pages; metadata routes have fixed names). */
export function urlEntries(routes: readonly Route[], pages: readonly PageEntry[]): { entries: UrlEntry[]; routeFiles: Set<string> } {
  const handlers = routes.filter((r) => r.kind === 'route' && !r.intercepting);
  const entries: UrlEntry[] = [...handlers.map((r) => ({ url: r.url, file: r.file })), ...pages.map((p) => ({ url: p.url, file: p.file }))];
  return { entries, routeFiles: new Set(handlers.map((r) => r.file)) };
}
