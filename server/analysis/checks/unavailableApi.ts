import { requestReadInCache, requestReadInCacheMessage } from '../caching';
import type { Problem } from '../model';
import type { RouteCheck } from './types';

/**
 * An API the app's Next.js does not have, or does not have enabled: `connection()` arrived in 15 (importing it
 * in 14 is a type error that fails the build); `'use cache'` needs cacheComponents in 16 and
 * `experimental.useCache` in 15 (the compiler stops on it), and even then cannot cache a handler's Response.
 */
export const unavailableApi: RouteCheck = {
  id: 'unavailable-api',
  scope: 'route',
  run({ route, context, evidence, relative }) {
    const effects = evidence.effects ?? [];
    const problem = (traced: (typeof effects)[number], message: string): Problem => ({
      id: 'unavailable-api',
      severity: 'error',
      failsBuild: true,
      file: relative(traced.file),
      span: traced.effect.span,
      message,
    });
    if (context.major < 15) {
      const connection = effects.find((e) => e.effect.kind === 'connection');
      return connection
        ? [problem(connection, `Type error: Module '"next/server"' has no exported member 'connection'. connection() needs Next.js 15 or later; ${route.url} uses it with Next.js ${context.major}.`)]
        : [];
    }
    const readInCache = context.cacheComponents ? requestReadInCache(effects) : undefined;
    if (readInCache) return [problem(readInCache, `${requestReadInCacheMessage(route, readInCache)} Prerendering fails the build.`)];
    // experimental.useCache lets the directive compile without cacheComponents: both builds pass (oracle).
    if (!context.cacheComponents && context.useCache) return [];
    const useCache = effects.find((e) => e.effect.kind === 'useCache' && (!context.cacheComponents || e.effect.inHandler));
    if (!useCache) return [];
    if (context.cacheComponents) {
      return [
        problem(
          useCache,
          `Only plain objects, and a few built-ins, can be passed to Client Components from Server Components. Classes or null prototypes are not supported. A 'use cache' GET handler cannot cache its Response: prerendering ${route.url} fails the build. Put 'use cache' in a function that returns the data.`,
        ),
      ];
    }
    const flag = context.major === 15 ? 'the experimental feature flag "useCache"' : 'the feature flag `cacheComponents`';
    return [problem(useCache, `To use "use cache", please enable ${flag} in your Next.js config. ${useCache.effect.text} fails the build in Next.js ${context.major}.`)];
  },
};
