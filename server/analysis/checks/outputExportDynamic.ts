import type { RouteCheck } from './types';

/** `output: 'export'` writes every route to files at build: a handler that must run per request cannot be exported. */
export const outputExportDynamic: RouteCheck = {
  id: 'output-export-dynamic',
  scope: 'route',
  run({ route, config, context }) {
    if (!config.output?.known || config.output.value !== 'export' || !route.caching) return [];
    const kind = route.caching.kind;
    const exported = route.methods.filter((m) => !m.implicit && m.name !== 'GET' && m.name !== 'HEAD');
    if (exported.length > 0) {
      return [
        {
          id: 'output-export-dynamic',
          severity: 'error',
          failsBuild: true,
          file: route.file,
          span: exported[0].span,
          message: `\`output: 'export'\` only supports GET route handlers; ${exported.map((m) => m.name).join(', ')} at ${route.url} cannot be exported.`,
        },
      ];
    }
    if (kind !== 'dynamic' && kind !== 'isr' && kind !== 'ssg-isr') return [];
    const reason = route.caching.reasons[0];
    const forceDynamic = route.segmentConfig.dynamic?.known && route.segmentConfig.dynamic.value === 'force-dynamic';
    const nextMessage =
      forceDynamic || context.major < 15
        ? `export const dynamic = "force-dynamic" on page "${route.url}" cannot be used with "output: export".`
        : `export const dynamic = "force-static"/export const revalidate not configured on route "${route.url}" with "output: export".`;
    return [
      {
        id: 'output-export-dynamic',
        severity: 'error',
        failsBuild: true,
        file: reason?.location?.file ?? route.file,
        span: reason?.location?.span,
        message: `${nextMessage} GET ${route.url} is ${kind}: ${reason?.message ?? ''}`.trim(),
      },
    ];
  },
};
