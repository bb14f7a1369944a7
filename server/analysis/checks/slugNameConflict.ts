import { findUrlConflicts, sameShape, trieProblems } from './routeTrie';
import type { AppCheck } from './types';
import { urlEntries } from './urlEntries';

/** `[id]` and `[userId]` at one level: Next.js cannot tell which name a value belongs to. */
export const slugNameConflict: AppCheck = {
  id: 'slug-name-conflict',
  scope: 'app',
  run({ routes, pages, context }) {
    const consequence =
      context.major === 15 ? '`next build` passes in Next.js 15, but `next dev` refuses to start.' : context.major >= 16 ? '`next dev` prints "Ready" and exits at once, and `next build` fails when both end in the same leaf ("Ambiguous app routes").' : '`next build` and `next dev` fail.';
    const { entries, routeFiles } = urlEntries(routes, pages);
    return trieProblems(findUrlConflicts(entries), ['slug-name-conflict'], 'slug-name-conflict', routeFiles, consequence, (error) => context.major === 14 || (context.major >= 16 && sameShape(error.url, error.otherUrl)));
  },
};
