import type { Problem, Route } from '../model';
import { appPathOf } from './routePageConflict';
import type { AppCheck } from './types';

const WHOLE_FILE = { line: 1, column: 1, endLine: 1, endColumn: 1 };

function folderOf(file: string): string {
  return file.slice(0, file.lastIndexOf('/'));
}

/**
 * Two route files in different folders at one URL (`(a)/x/route.ts` and `(b)/x/route.ts`, or a
 * route beside a generated metadata route). Turbopack fails the build; webpack keeps one silently.
 */
export const duplicateRoute: AppCheck = {
  id: 'duplicate-route',
  scope: 'app',
  run({ routes, context }) {
    const byUrl = new Map<string, Route[]>();
    for (const route of routes) {
      const list = byUrl.get(route.url) ?? [];
      list.push(route);
      byUrl.set(route.url, list);
    }
    const problems: Problem[] = [];
    for (const [url, list] of byUrl) {
      const folders = new Set(list.map((r) => folderOf(r.file)));
      if (list.length < 2 || folders.size < 2) continue;
      const [first, ...rest] = list;
      for (const route of rest) {
        if (folderOf(route.file) === folderOf(first.file)) continue;
        const turbopack = context.bundler === 'turbopack';
        problems.push({
          id: 'duplicate-route',
          severity: turbopack ? 'error' : 'warning',
          failsBuild: turbopack,
          file: route.file,
          span: route.methods.find((m) => m.span)?.span ?? WHOLE_FILE,
          message: turbopack
            ? `Conflicting routes at ${url}: ${appPathOf(first.file)} and ${appPathOf(route.file)} (next build with Turbopack fails).`
            : `${appPathOf(first.file)} and ${appPathOf(route.file)} both resolve to ${url}; webpack builds keep one of them silently, Turbopack builds fail.`,
          related: [{ file: first.file, span: WHOLE_FILE, message: `also resolves to ${url}` }],
        });
      }
    }
    return problems;
  },
};
