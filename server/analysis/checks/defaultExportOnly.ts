import type { RouteCheck } from './types';

/** A route file with a default export and no named method: Next.js answers 405 to everything. */
export const defaultExportOnly: RouteCheck = {
  id: 'default-export-only',
  scope: 'route',
  run({ route, context }) {
    if (route.kind !== 'route' || route.methods.some((m) => !m.implicit)) return [];
    const defaultExport = route.otherExports.find((e) => e.kind === 'default');
    if (!defaultExport) return [];
    // webpack builds type-check every route module; Turbopack's validator only checks .ts files.
    const isTs = /\.(ts|tsx)$/.test(route.file);
    const buildFails = context.bundler === 'webpack' || isTs;
    return [
      {
        id: 'default-export-only',
        severity: buildFails ? 'error' : 'warning',
        failsBuild: buildFails,
        file: route.file,
        span: defaultExport.span,
        message: `Detected default export in '${route.file}'. Export a named export for each HTTP method instead (export async function GET ...); every request gets 405${buildFails ? ' and next build fails its type check' : ''}.`,
      },
    ];
  },
};
