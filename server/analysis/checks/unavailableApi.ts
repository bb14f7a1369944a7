import type { RouteCheck } from './types';

/** `connection()` arrived in Next.js 15: importing it in 14 is a type error that fails the build. */
export const unavailableApi: RouteCheck = {
  id: 'unavailable-api',
  scope: 'route',
  run({ route, context, evidence, relative }) {
    if (context.major >= 15) return [];
    return (evidence.effects ?? [])
      .filter((e) => e.effect.kind === 'connection')
      .slice(0, 1)
      .map((e) => ({
        id: 'unavailable-api',
        severity: 'error' as const,
        failsBuild: true,
        file: relative(e.file),
        span: e.effect.span,
        message: `Type error: Module '"next/server"' has no exported member 'connection'. connection() needs Next.js 15 or later; ${route.url} uses it with Next.js ${context.major}.`,
      }));
  },
};
