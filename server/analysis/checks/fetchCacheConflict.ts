import { refusedFetch } from '../caching';
import { effectiveValue } from '../segmentConfigRules';
import type { RouteCheck } from './types';

/**
 * A fetch that the route's `fetchCache` forbids: `cache: 'no-store'` under `'only-cache'`, `cache: 'force-cache'`
 * under `'only-no-store'`. Prerendering the GET throws, so `next build` fails wherever the route is prerendered
 * (always in 14; once opted in from 15). Builds of 14, 15 and 16 all failed this way.
 */
export const fetchCacheConflict: RouteCheck = {
  id: 'fetch-cache-conflict',
  scope: 'route',
  run({ route, context, evidence, relative }) {
    if (context.cacheComponents || route.kind !== 'route') return [];
    const fetchCache = effectiveValue(route.segmentConfig.fetchCache, context.major);
    const refused = refusedFetch(evidence.effects ?? [], fetchCache);
    if (!refused) return [];
    const option = refused.effect.kind === 'fetchNoStore' ? 'no-store' : 'force-cache';
    const prerendered = route.caching?.kind === 'error';
    const nextMessage = `cache: '${option}' used on fetch for <url> with 'export const fetchCache = '${String(fetchCache)}'`;
    return [
      {
        id: 'fetch-cache-conflict',
        severity: prerendered ? 'error' : 'warning',
        failsBuild: prerendered,
        file: relative(refused.file),
        span: refused.effect.span,
        message: prerendered
          ? `${nextMessage}: prerendering ${route.url} throws, so next build fails (Next.js ${context.major}).`
          : `${nextMessage}: ${route.url} is not prerendered, so the build passes, but every request to it throws.`,
      },
    ];
  },
};
