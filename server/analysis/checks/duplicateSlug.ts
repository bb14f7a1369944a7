import { findUrlConflicts, trieProblems } from './routeTrie';
import type { AppCheck } from './types';
import { urlEntries } from './urlEntries';

/** `/[id]/x/[id]`: one name for two values. */
export const duplicateSlug: AppCheck = {
  id: 'duplicate-slug',
  scope: 'app',
  run({ routes, pages, context }) {
    const { entries, routeFiles } = urlEntries(routes, pages);
    return trieProblems(findUrlConflicts(entries), ['duplicate-slug', 'catchall-mix'], 'duplicate-slug', routeFiles, context.major === 15 ? '`next build` passes in Next.js 15, but `next dev` refuses to start.' : '`next build` and `next dev` fail.', () => context.major !== 15);
  },
};
