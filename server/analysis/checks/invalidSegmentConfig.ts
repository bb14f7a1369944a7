import type { Problem } from '../model';
import { validateSegmentConfig } from '../segmentConfigRules';
import type { RouteCheck } from './types';

/** Page segment config of Next.js 16.4 that a route file may export only with cacheComponents on. */
const CACHE_COMPONENTS_PAGE_CONFIG = new Set(['instant', 'prefetch', 'ensureStatic']);
/** Layout and page exports of Next.js 16.4 that fail the build when a route file exports them. */
const PARAM_MATCHING_EXPORTS = new Set(['unstable_paramMatching', 'unstable_generateParamMatching']);

/**
 * Segment config that `next build` rejects: invalid values, (15+) values it cannot read statically, and
 * (16.4) page-only config exported from a route file.
 */
export const invalidSegmentConfig: RouteCheck = {
  id: 'invalid-segment-config',
  scope: 'route',
  run({ route, context }) {
    const problems: Problem[] = [];
    if (!context.cacheComponents) {
      for (const issue of validateSegmentConfig(route.segmentConfig, route.url, context)) {
        problems.push({
          id: 'invalid-segment-config',
          severity: 'error',
          failsBuild: true,
          file: issue.file ?? route.file,
          span: issue.span,
          message: `${issue.message} (next build fails in Next.js ${context.major})`,
        });
      }
    }
    if (context.major < 16 || route.kind !== 'route') return problems;
    const routePage = route.url === '/' ? '/route' : `${route.url}/route`;
    for (const exported of route.otherExports) {
      let nextMessage: string | undefined;
      if (PARAM_MATCHING_EXPORTS.has(exported.name)) {
        nextMessage = `Route "${routePage}" cannot export parameter matching. It is only supported in layouts and pages.`;
      } else if (CACHE_COMPONENTS_PAGE_CONFIG.has(exported.name) && !context.cacheComponents) {
        // Builds of 16.4.6 word the `instant` check differently from the other two.
        nextMessage =
          exported.name === 'instant'
            ? 'Route segment config "instant" requires `nextConfig.cacheComponents` to be enabled.'
            : `Route "${routePage}" cannot use \`export const ${exported.name} = ...\` without enabling \`cacheComponents\`.`;
      }
      if (nextMessage) {
        problems.push({ id: 'invalid-segment-config', severity: 'error', failsBuild: true, file: route.file, span: exported.span, message: `${nextMessage} (next build fails in Next.js ${context.major})` });
      }
    }
    return problems;
  },
};
