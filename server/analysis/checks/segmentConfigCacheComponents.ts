import { validateSegmentConfig } from '../segmentConfigRules';
import { removeLineFix } from './quickFixes';
import type { RouteCheck } from './types';

/** `cacheComponents` rejects `dynamic`, `revalidate`, `fetchCache`, `dynamicParams` and `runtime` exports. */
export const segmentConfigCacheComponents: RouteCheck = {
  id: 'segment-config-cache-components',
  scope: 'route',
  run({ route, context, summary }) {
    if (!context.cacheComponents) return [];
    return validateSegmentConfig(route.segmentConfig, route.url, context).map((issue) => {
      const value = route.segmentConfig[issue.key];
      return {
        id: 'segment-config-cache-components',
        severity: 'error' as const,
        failsBuild: true,
        file: issue.file ?? route.file,
        span: issue.span,
        message: `${issue.message} With cacheComponents, caching is declared with 'use cache' and cacheLife instead.`,
        fix: value?.file === route.file && value.span ? removeLineFix(route.file, value.span.line, summary, `Remove the \`${issue.key}\` export`) : undefined,
      };
    });
  },
};
