import { findUrlConflicts, trieProblems } from './routeTrie';
import type { AppCheck } from './types';
import { urlEntries } from './urlEntries';

/** `/x` beside `/x/[[...slug]]`: both match `/x`. */
export const optionalCatchallConflict: AppCheck = {
  id: 'optional-catchall-conflict',
  scope: 'app',
  run({ routes, pages, context }) {
    const consequence = context.major === 15 ? '`next build` passes in Next.js 15, but `next dev` refuses to start.' : '`next build` and `next dev` fail.';
    const { entries, routeFiles } = urlEntries(routes, pages);
    return trieProblems(findUrlConflicts(entries), ['optional-catchall-conflict'], 'optional-catchall-conflict', routeFiles, consequence, () => context.major !== 15);
  },
};
