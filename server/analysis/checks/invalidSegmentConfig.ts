import { validateSegmentConfig } from '../segmentConfigRules';
import type { RouteCheck } from './types';

/** Segment config that `next build` rejects: invalid values, or (15+) values it cannot read statically. */
export const invalidSegmentConfig: RouteCheck = {
  id: 'invalid-segment-config',
  scope: 'route',
  run({ route, context }) {
    if (context.cacheComponents) return [];
    return validateSegmentConfig(route.segmentConfig, route.url, context).map((issue) => ({
      id: 'invalid-segment-config',
      severity: 'error',
      failsBuild: true,
      file: issue.file ?? route.file,
      span: issue.span,
      message: `${issue.message} (next build fails in Next.js ${context.major})`,
    }));
  },
};
