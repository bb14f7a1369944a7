import type { RouteCheck } from './types';

/** Next.js 15 made `params` a Promise: reading `params.id` gives undefined (and a warning in dev). */
export const paramsNotAwaited: RouteCheck = {
  id: 'params-not-awaited',
  scope: 'route',
  run({ route, context, handlers, relative }) {
    if (context.major < 15 || route.kind !== 'route') return [];
    const problems = [];
    const seen = new Set<string>();
    for (const [method, target] of handlers) {
      for (const read of target.site?.facts.syncParamsReads ?? []) {
        const file = relative(target.file);
        const key = `${file}:${read.span.line}:${read.span.column}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const newText = read.destructured ? `await ${read.targetText}` : `(await ${read.targetText})`;
        problems.push({
          id: 'params-not-awaited',
          severity: 'warning' as const,
          file,
          span: read.span,
          message: `\`${read.targetText}\` is a Promise in Next.js ${context.major}: await it before reading it (in ${method} ${route.url}).`,
          fix: { title: `Await ${read.targetText}`, edits: [{ file, span: read.target, newText }] },
        });
      }
    }
    return problems;
  },
};
