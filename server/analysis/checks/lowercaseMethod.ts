import type { RouteCheck } from './types';

/** `export function get` is not a handler: Next.js only calls upper-case method names. */
export const lowercaseMethod: RouteCheck = {
  id: 'lowercase-method',
  scope: 'route',
  run({ route, context, summary }) {
    if (route.kind !== 'route') return [];
    return route.otherExports
      .filter((e) => e.kind === 'lowercaseMethod')
      .map((e) => {
        const upper = e.name.toUpperCase();
        const entry = summary.exports.get(e.name);
        const renamable = entry?.type === 'local' && entry.declared && !e.file && e.span;
        // webpack builds reject the export in their type check; Turbopack's only when no method is left.
        const isTs = /\.(ts|tsx)$/.test(route.file);
        const buildFails = context.bundler === 'webpack' || (isTs && !route.methods.some((m) => !m.implicit));
        return {
          id: 'lowercase-method',
          severity: buildFails ? ('error' as const) : ('warning' as const),
          failsBuild: buildFails,
          file: e.file ?? route.file,
          span: e.span,
          message: `Detected lowercase method '${e.name}' in '${route.file}'. Export the uppercase '${upper}' method name to fix this error; until then ${upper} answers 405.`,
          fix: renamable ? { title: `Rename '${e.name}' to '${upper}'`, edits: [{ file: route.file, span: e.span!, newText: upper }] } : undefined,
        };
      });
  },
};
