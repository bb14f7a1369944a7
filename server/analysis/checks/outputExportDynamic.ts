import type { Route } from '../model';
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
    if (kind !== 'dynamic') return [];
    const reason = route.caching.reasons[0];
    const message = exportFailure(route, context.major, reason?.message ?? '');
    return [
      {
        id: 'output-export-dynamic',
        severity: 'error',
        failsBuild: true,
        file: reason?.location?.file ?? route.file,
        span: reason?.location?.span,
        message: `${message} (GET ${route.url} is dynamic: ${reason?.message ?? ''})`,
      },
    ];
  },
};

/**
 * Next.js's own failure for a dynamic handler under `output: 'export'`: the export turns `dynamic = 'auto'`
 * into `'error'`, so request reads fail with the `dynamic = "error"` message; an explicit
 * `force-dynamic` and (15+) a handler that never opted in have messages of their own.
 */
function exportFailure(route: Route, major: number, reason: string): string {
  if (route.segmentConfig.dynamic?.known && route.segmentConfig.dynamic.value === 'force-dynamic') {
    return `export const dynamic = "force-dynamic" on page "${route.url}" cannot be used with "output: export".`;
  }
  if (/unless you opt in/.test(reason)) {
    return `export const dynamic = "force-static"/export const revalidate not configured on route "${route.url}" with "output: export".`;
  }
  const used = /^`([^`]+)`/.exec(reason)?.[1];
  if (used) {
    const name = major >= 16 || !/^(cookies|headers|connection)\(\)$/.test(used) ? used : used.replace('()', '');
    return `Route ${route.url} with \`dynamic = "error"\` couldn't be rendered statically because it used \`${name}\`.`;
  }
  if (route.params.length > 0) return `Route "${route.url}" is missing "generateStaticParams()" so it cannot be used with "output: export" config.`;
  return `Route ${route.url} cannot be exported statically with "output: export".`;
}
