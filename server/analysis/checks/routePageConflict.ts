import type { Problem } from '../model';
import type { AppCheck } from './types';

const WHOLE_FILE = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/** Next.js's app path for a file: its path under the app dir without the extension (`/(shop)/cart/route`). */
export function appPathOf(file: string): string {
  const match = /(?:^|\/)(?:src\/)?app(\/.*)\.[^./]+$/.exec(file);
  return match ? match[1] : file;
}

/** A route handler and a page at one URL (also through route groups): the build cannot serve both. */
export const routePageConflict: AppCheck = {
  id: 'route-page-conflict',
  scope: 'app',
  run({ routes, pages, context }) {
    const pagesByUrl = new Map<string, string>();
    for (const page of pages) if (!pagesByUrl.has(page.url)) pagesByUrl.set(page.url, page.file);
    const problems: Problem[] = [];
    for (const route of routes) {
      if (route.kind !== 'route') continue;
      const page = pagesByUrl.get(route.url);
      if (!page) continue;
      const routePath = appPathOf(route.file);
      const pagePath = appPathOf(page);
      const message =
        context.bundler === 'turbopack'
          ? `Conflicting route and page at ${route.url}: route at ${routePath} and page at ${pagePath}`
          : `You cannot have two parallel pages that resolve to the same path. Please check ${pagePath} and ${routePath}.`;
      const devNote = context.major === 15 ? ' (`next dev` 15 serves the route and shows no error; `next build` fails.)' : '';
      problems.push({
        id: 'route-page-conflict',
        severity: 'error',
        failsBuild: true,
        file: route.file,
        span: route.methods.find((m) => m.span)?.span ?? WHOLE_FILE,
        message: message + devNote,
        related: [{ file: page, span: WHOLE_FILE, message: `the page at ${route.url}` }],
      });
    }
    return problems;
  },
};
