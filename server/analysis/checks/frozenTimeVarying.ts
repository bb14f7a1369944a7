import type { EffectKind } from '../effects';
import { setDynamicFix } from './quickFixes';
import type { RouteCheck } from './types';

const TIME_VARYING: Partial<Record<EffectKind, string>> = {
  time: 'the time',
  random: 'a random value',
  env: 'an environment variable',
  database: 'a database read',
};

/**
 * A GET that Next.js prerenders at build but whose response depends on when or where it runs: the
 * value is computed once, during `next build`, and served to everyone until the next build.
 */
export const frozenTimeVarying: RouteCheck = {
  id: 'frozen-time-varying',
  scope: 'route',
  run({ route, context, evidence, summary, relative }) {
    const kind = route.caching?.kind;
    if (kind !== 'static' && kind !== 'ssg') return [];
    const traced = (evidence.effects ?? []).find((e) => TIME_VARYING[e.effect.kind] !== undefined && !(context.cacheComponents && e.effect.cached));
    if (!traced) return [];
    const refreshed = route.caching?.revalidate ? `refreshed at most every ${route.caching.revalidate} s` : 'until the next build';
    const via = traced.through.length > 0 ? ` (via ${traced.through.join(' → ')})` : '';
    return [
      {
        id: 'frozen-time-varying',
        severity: 'warning',
        file: relative(traced.file),
        span: traced.effect.span,
        message: `GET ${route.url} is prerendered at build, so \`${traced.effect.text}\`${via} reads ${TIME_VARYING[traced.effect.kind]} once during next build and every request gets that frozen value, ${refreshed}.`,
        related: traced.chain.length > 0 ? [{ ...traced.chain[0], message: 'called from the handler here' }] : undefined,
        fix: context.cacheComponents ? undefined : setDynamicFix(route, summary, 'force-dynamic'),
      },
    ];
  },
};
