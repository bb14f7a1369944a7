import type { RouteCheck } from './types';

/** Exports Next.js 14 and 15 (webpack type check) accept in a route file besides the methods. */
const ALLOWED_EXPORTS = new Set(['generateStaticParams', 'dynamic', 'revalidate', 'fetchCache', 'runtime', 'preferredRegion', 'maxDuration', 'dynamicParams', 'config', 'experimental_ppr']);

/** Page and layout config of Next.js 16.4: the invalid-segment-config check says what a route file's export of it does. */
const PAGE_CONFIG_16 = new Set(['instant', 'prefetch', 'ensureStatic', 'unstable_dynamicStaleTime', 'unstable_paramMatching', 'unstable_generateParamMatching']);

/**
 * A helper or constant exported from a route file. Next.js ignores it, and the type check of
 * `next build` in 14 and 15 fails with `"x" is not a valid Route export field.`
 */
export const invalidRouteExport: RouteCheck = {
  id: 'invalid-route-export',
  scope: 'route',
  run({ route, context }) {
    if (route.kind !== 'route') return [];
    // The check lives in the type file webpack builds generate (14, 15, and 16 with --webpack), for .js too.
    const buildFails = context.bundler === 'webpack';
    return route.otherExports
      .filter((e) => e.kind === 'other' && !ALLOWED_EXPORTS.has(e.name) && !(context.major >= 16 && !buildFails && PAGE_CONFIG_16.has(e.name)))
      .map((e) => ({
        id: 'invalid-route-export',
        severity: buildFails ? ('error' as const) : ('warning' as const),
        failsBuild: buildFails,
        file: route.file,
        span: e.span,
        message: buildFails
          ? `"${e.name}" is not a valid Route export field. next build fails its type check (Next.js ${context.major}, webpack); move it to another module.`
          : `"${e.name}" is exported from a route file but Next.js does not use it; move it to another module (webpack builds reject it).`,
      }));
  },
};
