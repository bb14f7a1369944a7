import type { RouteCheck } from './types';

/** `dynamic = 'error'` with a dynamic API: the build fails at prerender time. */
export const dynamicErrorDynamicApi: RouteCheck = {
  id: 'dynamic-error-dynamic-api',
  scope: 'route',
  run({ route }) {
    const caching = route.caching;
    const dynamic = route.segmentConfig.dynamic;
    if (caching?.kind !== 'error' || !dynamic?.known || dynamic.value !== 'error') return [];
    const reason = caching.reasons.find((r) => r.message.includes('`dynamic = "error"`'));
    if (!reason) return [];
    return [
      {
        id: 'dynamic-error-dynamic-api',
        severity: 'error',
        failsBuild: true,
        file: reason.location?.file ?? route.file,
        span: reason.location?.span,
        message: reason.message,
        related: dynamic.span ? [{ file: dynamic.file ?? route.file, span: dynamic.span, message: "`dynamic = 'error'` is set here" }] : undefined,
        fix: dynamic.span && (dynamic.file ?? route.file) === route.file ? { title: "Change to dynamic = 'force-dynamic'", edits: [{ file: route.file, span: dynamic.span, newText: "'force-dynamic'" }] } : undefined,
      },
    ];
  },
};
