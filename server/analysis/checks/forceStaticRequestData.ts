import type { EffectKind } from '../effects';
import { effectiveValue } from '../segmentConfigRules';
import { setDynamicFix } from './quickFixes';
import type { RouteCheck } from './types';

/** What a request read returns while Next.js prerenders with `force-static`. */
const FORCE_STATIC_RESULT: Partial<Record<EffectKind, string>> = {
  cookies: 'an empty cookie store',
  requestCookies: 'an empty cookie store',
  headers: 'no headers',
  requestHeaders: 'no headers',
  requestUrl: 'the build-time URL (http://localhost:3000/...)',
  searchParams: 'null for every query parameter',
};

/**
 * `force-static` with request reads: the build runs the handler once with an empty request, so the
 * response never sees the user's cookies or headers. And `revalidate` with request reads is silently
 * ignored: the route is dynamic.
 */
export const forceStaticRequestData: RouteCheck = {
  id: 'force-static-request-data',
  scope: 'route',
  run({ route, context, evidence, summary, relative }) {
    if (context.cacheComponents) return [];
    const reads = (evidence.effects ?? []).filter((e) => FORCE_STATIC_RESULT[e.effect.kind] !== undefined);
    if (reads.length === 0) return [];
    const dynamic = effectiveValue(route.segmentConfig.dynamic, context.major);
    const revalidate = effectiveValue(route.segmentConfig.revalidate, context.major);
    const first = reads[0];
    const via = first.through.length > 0 ? ` (via ${first.through.join(' → ')})` : '';
    if (dynamic === 'force-static') {
      return [
        {
          id: 'force-static-request-data',
          severity: 'warning',
          file: relative(first.file),
          span: first.effect.span,
          message: `With \`dynamic = 'force-static'\`, \`${first.effect.text}\`${via} returns ${FORCE_STATIC_RESULT[first.effect.kind]}: the response is built once at build time, without the user's request.`,
          related: route.segmentConfig.dynamic?.span ? [{ file: route.segmentConfig.dynamic.file ?? route.file, span: route.segmentConfig.dynamic.span, message: "`dynamic = 'force-static'` is set here" }] : undefined,
          fix: setDynamicFix(route, summary, 'force-dynamic'),
        },
      ];
    }
    if (typeof revalidate === 'number' && revalidate > 0 && route.caching?.kind === 'dynamic' && dynamic !== 'error') {
      const config = route.segmentConfig.revalidate!;
      return [
        {
          id: 'force-static-request-data',
          severity: 'warning',
          file: config.file ?? route.file,
          span: config.span,
          message: `\`revalidate = ${revalidate}\` has no effect: \`${first.effect.text}\`${via} reads the request, so GET ${route.url} runs on every request and is never cached.`,
          related: [{ file: relative(first.file), span: first.effect.span, message: `\`${first.effect.text}\` reads the request here` }],
        },
      ];
    }
    return [];
  },
};
