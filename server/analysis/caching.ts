import type { EffectKind } from './effects';
import type { TracedEffect } from './handlerEffects';
import type { CachingReason, CachingVerdict, HttpMethod, Location, Route } from './model';
import { type BuildContext, effectiveValue, validateSegmentConfig } from './segmentConfigRules';

/** What the classifier needs about the GET handler's code. */
export interface HandlerEvidence {
  /** Where GET is exported (or the metadata route's default export). */
  location?: Location;
  /** Effects of the handler and what it calls; undefined when its code could not be found. */
  effects?: TracedEffect[];
  /** Why the code could not be followed (a handler from a package, say). */
  missingReason?: string;
}

/** Request data reads: they make a prerendered route dynamic in every version. */
const REQUEST_READS: readonly EffectKind[] = ['cookies', 'headers', 'requestUrl', 'requestHeaders', 'requestCookies', 'searchParams', 'requestBody', 'requestPassed'];

/** cacheComponents profiles (`cacheLife`): revalidate seconds; short-lived ones are left out of prerenders. */
export const CACHE_LIFE_REVALIDATE: Record<string, number> = { default: 900, seconds: 1, minutes: 60, hours: 3600, days: 86400, weeks: 604800, max: 2592000 };
const SHORT_LIVED_PROFILES = new Set(['seconds']);

const ROUTE_MAKING_DYNAMIC_14: readonly HttpMethod[] = ['POST', 'DELETE', 'PATCH', 'OPTIONS'];
const ROUTE_MAKING_DYNAMIC_15: readonly HttpMethod[] = ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

function verdict(kind: CachingVerdict['kind'], reasons: CachingReason[], revalidate?: number): CachingVerdict {
  return revalidate !== undefined ? { kind, revalidate, reasons } : { kind, reasons };
}

/** A dynamic verdict, with the few words that say what made it so (CachingVerdict.because). */
function dynamicVerdict(because: string, reasons: CachingReason[]): CachingVerdict {
  return { kind: 'dynamic', because, reasons };
}

function describe(traced: TracedEffect): string {
  const via = traced.through.length > 0 ? ` in ${traced.through.join(' → ')}` : '';
  return `\`${traced.effect.text}\`${via}`;
}

function effectReason(traced: TracedEffect, relative: (abs: string) => string, what: string): CachingReason {
  const reason: CachingReason = { message: `${describe(traced)} ${what}`, location: { file: relative(traced.file), span: traced.effect.span } };
  if (traced.chain.length > 0) reason.chain = traced.chain;
  return reason;
}

/** An effect that leaves the handler's other effects unknown: a call that could not be resolved, or not followed. */
function unknownEffect(effects: readonly TracedEffect[]): TracedEffect | undefined {
  return effects.find((e) => e.effect.kind === 'unknownCall' || e.effect.kind === 'tooMuchWork');
}

function unknownReason(traced: TracedEffect, relative: (abs: string) => string): CachingReason {
  if (traced.effect.kind === 'tooMuchWork') {
    const message = `Following the handler's calls needs more work than Route Atlas allows for one route, so Route Atlas cannot tell whether it reads request data.`;
    return { message, location: { file: relative(traced.file), span: traced.effect.span } };
  }
  return effectReason(traced, relative, 'could not be resolved, so Route Atlas cannot tell whether it reads request data.');
}

function versionLabel(context: BuildContext): string {
  return context.cacheComponents ? `Next.js ${context.major} with cacheComponents` : `Next.js ${context.major}`;
}

/**
 * The caching verdict for a route's GET (or a metadata route) under one Next.js version and config,
 * following the rules real `next build` runs showed (see the README's verdict table). Every verdict
 * carries its reasons, each pointing at the code that decided it.
 */
export function classifyCaching(route: Route, context: BuildContext, evidence: HandlerEvidence, relative: (abs: string) => string): CachingVerdict | undefined {
  const label = versionLabel(context);
  if (route.kind !== 'route' && route.metadataSource === 'static') {
    return verdict('static', [{ message: `A static ${route.kind} file is served as is and prerendered at build.` }]);
  }
  const explicit = route.methods.filter((m) => !m.implicit).map((m) => m.name);
  if (route.kind === 'route' && !explicit.includes('GET')) return undefined;

  const config = route.segmentConfig;
  const issues = validateSegmentConfig(config, route.url, context);
  if (issues.length > 0) {
    return verdict(
      'error',
      issues.map((issue) => ({ message: `${issue.message}`, location: issue.file && issue.span ? { file: issue.file, span: issue.span } : undefined })),
    );
  }
  const compileError = useCacheCompileError(evidence.effects ?? [], context, relative);
  if (compileError) return compileError;
  const at = (key: keyof typeof config): Location | undefined => {
    const value = config[key];
    return value?.file && value.span ? { file: value.file, span: value.span } : undefined;
  };
  const dynamic = effectiveValue(config.dynamic, context.major);
  const revalidate = effectiveValue(config.revalidate, context.major);
  const runtime = effectiveValue(config.runtime, context.major);
  const hasStaticParams = config.generateStaticParams !== undefined;
  const isDynamicSegment = route.params.length > 0;
  const effects = evidence.effects ?? [];

  const dynamicMethod = explicit.find((m) => (context.major >= 15 || context.cacheComponents ? ROUTE_MAKING_DYNAMIC_15 : ROUTE_MAKING_DYNAMIC_14).includes(m));
  if (dynamicMethod) {
    const method = route.methods.find((m) => m.name === dynamicMethod);
    return dynamicVerdict(`also exports ${dynamicMethod}`, [
      {
        message: `Exporting ${dynamicMethod} makes the whole route dynamic in ${label}, so GET runs on every request.`,
        location: method?.span ? { file: route.file, span: method.span } : undefined,
      },
    ]);
  }

  if (context.cacheComponents) return classifyCacheComponents(route, evidence, effects, hasStaticParams, isDynamicSegment, relative);

  // Next.js 14, 15 and 16 without cacheComponents.
  for (const key of ['dynamic', 'revalidate', 'runtime'] as const) {
    const value = config[key];
    if (value && !value.known && value.destructured) {
      // Next reads these from the module at run time, so a value syntax cannot follow decides the verdict.
      return verdict('unknown', [{ message: `\`${key}\` is ${value.reason}, which Route Atlas cannot evaluate; its run-time value decides how ${label} renders the route.`, location: at(key) }]);
    }
  }
  if (runtime === 'edge' || runtime === 'experimental-edge') {
    return dynamicVerdict(`runtime = '${runtime}'`, [{ message: `\`runtime = '${runtime}'\` renders the route on every request.`, location: at('runtime') }]);
  }
  if (dynamic === 'force-dynamic') return dynamicVerdict('force-dynamic', [{ message: "`dynamic = 'force-dynamic'` renders the route on every request.", location: at('dynamic') }]);
  if (revalidate === 0) return dynamicVerdict('revalidate = 0', [{ message: '`revalidate = 0` renders the route on every request.', location: at('revalidate') }]);
  if (isDynamicSegment && !hasStaticParams) {
    return dynamicVerdict('no generateStaticParams', [
      { message: `The dynamic segment [${route.params[0].name}] has no generateStaticParams, so every path renders on request (even if params are never read).` },
    ]);
  }
  const optedIn = dynamic === 'force-static' || dynamic === 'error' || revalidate === false || (typeof revalidate === 'number' && revalidate > 0) || hasStaticParams || route.kind !== 'route';
  if (context.major >= 15 && !optedIn) {
    return dynamicVerdict('default', [
      {
        message: `${label} does not cache GET handlers unless you opt in: export \`dynamic = 'force-static'\`, a \`revalidate\` > 0 or \`generateStaticParams\` to prerender it.`,
        location: evidence.location,
      },
    ]);
  }
  const routeRevalidate = typeof revalidate === 'number' && revalidate > 0 ? revalidate : undefined;
  const prerendered = (reasons: CachingReason[], seconds: number | undefined): CachingVerdict => {
    if (hasStaticParams) return seconds !== undefined ? verdict('ssg-isr', reasons, seconds) : verdict('ssg', reasons);
    return seconds !== undefined ? verdict('isr', reasons, seconds) : verdict('static', reasons);
  };
  if (dynamic === 'force-static') {
    const reasons: CachingReason[] = [{ message: "`dynamic = 'force-static'` prerenders the route at build; request data reads return empty values.", location: at('dynamic') }];
    if (routeRevalidate !== undefined) reasons.push({ message: `\`revalidate = ${routeRevalidate}\` regenerates it at most every ${routeRevalidate} s.`, location: at('revalidate') });
    return prerendered(reasons, routeRevalidate);
  }
  if (!evidence.effects) {
    return verdict('unknown', [{ message: `${evidence.missingReason ?? 'The GET handler’s code could not be found'}, so Route Atlas cannot tell whether it reads request data.`, location: evidence.location }]);
  }
  const fetchCache = effectiveValue(config.fetchCache, context.major);
  const refused = refusedFetch(effects, fetchCache);
  if (refused) {
    const option = refused.effect.kind === 'fetchNoStore' ? 'no-store' : 'force-cache';
    return verdict('error', [
      effectReason(
        refused,
        relative,
        `fails the build: prerendering throws "cache: '${option}' used on fetch for <url> with 'export const fetchCache = '${fetchCache}'".`,
      ),
    ]);
  }
  const fetched = typeof fetchCache === 'string' ? effects.map((e) => underFetchCache(e, fetchCache)) : effects;
  const dynamicKinds: EffectKind[] = [...REQUEST_READS, 'noStore', 'fetchNoStore', ...(context.major >= 15 ? (['connection'] as EffectKind[]) : [])];
  const decisive = fetched.find((e) => dynamicKinds.includes(e.effect.kind));
  if (decisive) {
    if (dynamic === 'error') {
      return verdict('error', [
        effectReason(decisive, relative, `fails the build: Route ${route.url} with \`dynamic = "error"\` couldn't be rendered statically because it used ${usedName(decisive, context)}.`),
      ]);
    }
    return dynamicVerdict(decisive.effect.text, [effectReason(decisive, relative, dynamicWhy(decisive.effect.kind))]);
  }
  const unknown = unknownEffect(effects);
  if (unknown) return verdict('unknown', [unknownReason(unknown, relative)]);
  const fetchRevalidates = fetched.filter((e) => e.effect.kind === 'fetchRevalidate' && (e.effect.revalidate ?? 0) > 0);
  const candidates: Array<{ seconds: number; reason: CachingReason }> = fetchRevalidates.map((e) => ({
    seconds: e.effect.revalidate!,
    reason: effectReason(e, relative, `revalidates every ${e.effect.revalidate} s; the lowest revalidate wins.`),
  }));
  if (routeRevalidate !== undefined) candidates.push({ seconds: routeRevalidate, reason: { message: `\`revalidate = ${routeRevalidate}\` regenerates the route at most every ${routeRevalidate} s.`, location: at('revalidate') } });
  if (candidates.length > 0) {
    const lowest = candidates.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    return prerendered([lowest.reason], lowest.seconds);
  }
  const why = optedInReason(dynamic, revalidate, hasStaticParams, route, context, at);
  return prerendered([why], undefined);
}

/**
 * 'use cache' is a compile error without cacheComponents in 15 and 16, unless `experimental.useCache` is on; 14
 * does not know the directive and ignores it.
 */
function useCacheCompileError(effects: readonly TracedEffect[], context: BuildContext, relative: (abs: string) => string): CachingVerdict | undefined {
  if (context.cacheComponents || context.useCache || context.major < 15) return undefined;
  const found = effects.find((e) => e.effect.kind === 'useCache');
  if (!found) return undefined;
  const nextMessage =
    context.major === 15
      ? 'To use "use cache", please enable the experimental feature flag "useCache" in your Next.js config.'
      : 'To use "use cache", please enable the feature flag `cacheComponents` in your Next.js config.';
  return verdict('error', [effectReason(found, relative, `fails the build: ${nextMessage}`)]);
}

/** `cookies()`, `headers()` or `connection()` run inside a 'use cache' function, which cacheComponents refuses. */
export function requestReadInCache(effects: readonly TracedEffect[]): TracedEffect | undefined {
  return effects.find((e) => e.effect.cached && (e.effect.kind === 'cookies' || e.effect.kind === 'headers' || e.effect.kind === 'connection'));
}

/** Next's words for a request read inside 'use cache' (16.4.6, seen for `cookies()`). */
export function requestReadInCacheMessage(route: Route, traced: TracedEffect): string {
  return `Route "${route.url}": \`${traced.effect.kind}()\` can't be read inside \`"use cache"\`. Read it outside the cached function and pass what you need as an argument.`;
}

/** A fetch that `fetchCache` forbids: prerendering throws, and the build fails. */
export function refusedFetch(effects: readonly TracedEffect[], fetchCache: unknown): TracedEffect | undefined {
  if (fetchCache === 'only-cache') return effects.find((e) => e.effect.kind === 'fetchNoStore');
  if (fetchCache === 'only-no-store') return effects.find((e) => e.effect.kind === 'fetchForceCache');
  return undefined;
}

/** Which fetches each `fetchCache` value turns into no-store (what builds showed; an explicit `cache` option wins). */
const NO_STORE_UNDER: Record<string, readonly EffectKind[]> = {
  'default-no-store': ['fetchDefault'],
  'only-no-store': ['fetchDefault', 'fetchRevalidate'],
  'force-no-store': ['fetchDefault', 'fetchRevalidate'],
};

/** A fetch as the route's `fetchCache` makes it behave. */
function underFetchCache(traced: TracedEffect, fetchCache: string): TracedEffect {
  if (!Object.hasOwn(NO_STORE_UNDER, fetchCache) || !NO_STORE_UNDER[fetchCache].includes(traced.effect.kind)) return traced;
  return { ...traced, effect: { ...traced.effect, kind: 'fetchNoStore', text: `${traced.effect.text} under fetchCache = '${fetchCache}'` } };
}

function optedInReason(dynamic: unknown, revalidate: unknown, hasStaticParams: boolean, route: Route, context: BuildContext, at: (key: 'dynamic' | 'revalidate' | 'generateStaticParams') => Location | undefined): CachingReason {
  if (hasStaticParams) return { message: 'generateStaticParams lists the paths prerendered at build; other paths render on first request.', location: at('generateStaticParams') };
  if (dynamic === 'error') return { message: "`dynamic = 'error'` prerenders the route and fails the build if it reads request data; it reads none.", location: at('dynamic') };
  if (revalidate === false) return { message: '`revalidate = false` caches the prerendered response indefinitely.', location: at('revalidate') };
  if (route.kind !== 'route') return { message: `Metadata routes are prerendered at build when they read no request data.` };
  return { message: `GET reads no request data, so Next.js ${context.major} prerenders it at build; its response is frozen until the next build.` };
}

function dynamicWhy(kind: EffectKind): string {
  switch (kind) {
    case 'noStore':
      return 'opts out of caching, so the route renders on every request.';
    case 'fetchNoStore':
      return 'is not cached, so the route renders on every request.';
    case 'fetchDefault':
      return 'is not cached under cacheComponents, so the route renders on every request.';
    case 'time':
    case 'random':
      return 'differs per request under cacheComponents, so the route renders on every request.';
    case 'connection':
      return 'waits for a request, so the route renders on every request.';
    case 'requestPassed':
      return 'receives the request, which it reads, so the route renders on every request.';
    default:
      return 'reads request data, so the route renders on every request.';
  }
}

/** The expression name Next.js puts in its `dynamic = "error"` message. */
function usedName(traced: TracedEffect, context: BuildContext): string {
  const kind = traced.effect.kind;
  const call = context.major >= 16 ? '()' : '';
  if (kind === 'cookies' || kind === 'headers' || kind === 'connection') return `\`${kind}${call}\``;
  if (kind === 'requestUrl') return '`request.url`';
  if (kind === 'requestHeaders') return '`request.headers`';
  if (kind === 'requestCookies') return '`request.cookies`';
  if (kind === 'searchParams') return '`nextUrl.searchParams`';
  if (kind === 'noStore') return '`unstable_noStore()`';
  if (kind === 'fetchNoStore') return '`fetch` with no-store';
  return `\`${traced.effect.text}\``;
}

function classifyCacheComponents(
  route: Route,
  evidence: HandlerEvidence,
  traced: TracedEffect[],
  hasStaticParams: boolean,
  isDynamicSegment: boolean,
  relative: (abs: string) => string,
): CachingVerdict {
  const readInCache = requestReadInCache(traced);
  if (readInCache) return verdict('error', [effectReason(readInCache, relative, `fails the build: ${requestReadInCacheMessage(route, readInCache)}`)]);
  // What runs inside a 'use cache' function is cached with it: its own cacheLife effect stands for it.
  const effects = traced.filter((e) => !e.effect.cached);
  if (isDynamicSegment && !hasStaticParams) {
    return dynamicVerdict('no generateStaticParams', [{ message: `The dynamic segment [${route.params[0].name}] has no generateStaticParams, so every path renders on request.` }]);
  }
  const cachedHandler = effects.find((e) => e.effect.kind === 'useCache' && e.effect.inHandler);
  if (cachedHandler) {
    return verdict('error', [
      effectReason(
        cachedHandler,
        relative,
        "fails the build: a 'use cache' handler's Response cannot be cached (\"Only plain objects, and a few built-ins, can be passed to Client Components from Server Components. Classes or null prototypes are not supported.\"). Put 'use cache' in a function that returns the data instead.",
      ),
    ]);
  }
  if (!evidence.effects) {
    return verdict('unknown', [{ message: `${evidence.missingReason ?? 'The GET handler’s code could not be found'}, so Route Atlas cannot tell whether it reads request data.`, location: evidence.location }]);
  }
  const dynamicKinds: EffectKind[] = [...REQUEST_READS, 'connection', 'fetchNoStore', 'fetchDefault', 'time', 'random'];
  const decisive = effects.find((e) => dynamicKinds.includes(e.effect.kind) || (e.effect.kind === 'cacheLife' && SHORT_LIVED_PROFILES.has(e.effect.profile ?? '')));
  if (decisive) {
    const why = decisive.effect.kind === 'cacheLife' ? 'is a short-lived cache, which prerendering leaves out, so the route renders on every request.' : dynamicWhy(decisive.effect.kind);
    return dynamicVerdict(decisive.effect.text, [effectReason(decisive, relative, why)]);
  }
  const unknown = unknownEffect(effects);
  if (unknown) return verdict('unknown', [unknownReason(unknown, relative)]);
  const candidates: Array<{ seconds: number; reason: CachingReason }> = [];
  for (const e of effects) {
    if (e.effect.kind === 'fetchRevalidate' && (e.effect.revalidate ?? 0) > 0) {
      candidates.push({ seconds: e.effect.revalidate!, reason: effectReason(e, relative, `revalidates every ${e.effect.revalidate} s.`) });
    }
    if (e.effect.kind === 'cacheLife') {
      const profile = e.effect.profile ?? 'default';
      const seconds = Object.hasOwn(CACHE_LIFE_REVALIDATE, profile) ? CACHE_LIFE_REVALIDATE[profile] : undefined;
      if (seconds !== undefined) candidates.push({ seconds, reason: effectReason(e, relative, `is cached with the "${profile}" cacheLife profile (revalidate ${seconds} s).`) });
    }
  }
  if (candidates.length > 0) {
    const lowest = candidates.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    return hasStaticParams ? verdict('ssg-isr', [lowest.reason], lowest.seconds) : verdict('isr', [lowest.reason], lowest.seconds);
  }
  if (hasStaticParams) return verdict('ssg', [{ message: 'generateStaticParams lists the paths prerendered at build.' }]);
  return verdict('static', [{ message: 'With cacheComponents every GET that reads no request data and does no uncached I/O is prerendered at build.', location: evidence.location }]);
}
