import { findUrlConflicts, trieProblems } from './routeTrie';
import type { AppCheck } from './types';
import { urlEntries } from './urlEntries';

/** `/x/[...path]/y`: a catch-all swallows the rest of the URL, so nothing can follow it. */
export const catchallNotLast: AppCheck = {
  id: 'catchall-not-last',
  scope: 'app',
  run({ routes, pages, context }) {
    const consequence =
      context.major === 15 && context.bundler === 'webpack' ? '`next build` passes in Next.js 15 (webpack), but `next dev` refuses to start.' : '`next build` and `next dev` fail.';
    const { entries, routeFiles } = urlEntries(routes, pages);
    return trieProblems(findUrlConflicts(entries), ['catchall-not-last'], 'catchall-not-last', routeFiles, consequence, () => !(context.major === 15 && context.bundler === 'webpack'));
  },
};
