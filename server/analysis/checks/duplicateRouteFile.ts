import type { Problem, Route } from '../model';
import type { AppCheck } from './types';

const WHOLE_FILE = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/** `route.ts` beside `route.js`: Next.js picks one, and `next build` 15 and `next dev` 15 pick differently. */
export const duplicateRouteFile: AppCheck = {
  id: 'duplicate-route-file',
  scope: 'app',
  run({ routes }) {
    const byFolder = new Map<string, Route[]>();
    for (const route of routes) {
      if (route.kind !== 'route') continue;
      const folder = route.file.slice(0, route.file.lastIndexOf('/'));
      const list = byFolder.get(folder) ?? [];
      list.push(route);
      byFolder.set(folder, list);
    }
    const problems: Problem[] = [];
    for (const list of byFolder.values()) {
      if (list.length < 2) continue;
      for (const route of list.slice(1)) {
        problems.push({
          id: 'duplicate-route-file',
          severity: 'warning',
          file: route.file,
          span: WHOLE_FILE,
          message: `Duplicate page detected. ${list[0].file} and ${route.file} resolve to ${route.url}; which one Next.js serves differs between dev and build. Delete one.`,
          related: [{ file: list[0].file, span: WHOLE_FILE, message: `also resolves to ${route.url}` }],
        });
      }
    }
    return problems;
  },
};
