// The Endpoints view's filter: free words plus `key:value` tokens. Pure, so it needs no VS Code to test.
import type { CachingKind, HttpMethod, Problem, Route, RouteKind } from '../server/analysis/model';

// A copy of model.ts's HTTP_METHODS: the extension imports only types from the analysis core.
const HTTP_METHOD_NAMES = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const satisfies readonly HttpMethod[];
// `default`: dynamic only because nothing opted the GET in (Next.js 15 and 16), apart from `dynamic`, which is all of them.
const CACHE_VALUES = ['static', 'isr', 'ssg', 'ssg-isr', 'dynamic', 'default', 'error', 'unknown', 'none'] as const satisfies readonly (CachingKind | 'default' | 'none')[];
const KIND_VALUES = [
  'route',
  'metadata',
  'sitemap',
  'robots',
  'manifest',
  'icon',
  'apple-icon',
  'favicon',
  'opengraph-image',
  'twitter-image',
] as const satisfies readonly (RouteKind | 'metadata')[];

export interface EndpointFilter {
  /** The filter as typed, trimmed. */
  text: string;
  /** Lower-case words that must all occur in the URL, the public path, the file or the app's name. */
  words: string[];
  /** `method:GET,POST`: an explicit method among these. */
  methods: string[];
  /** `cache:dynamic`: the GET verdict among these; `none` for routes without one. */
  caching: string[];
  /** `kind:sitemap`; `kind:metadata` stands for every metadata route. */
  kinds: string[];
  /** `has:problems`. */
  withProblems: boolean;
  /** Tokens that can match nothing, for the filter box to point out. */
  mistakes: string[];
}

/** What the filter looks at in one endpoint. */
export interface FilterSubject {
  route: Route;
  problems: readonly Problem[];
  appLabel?: string;
}

/** Completions the filter box offers for `key:value` tokens. */
export const FILTER_TOKENS: readonly string[] = [
  ...HTTP_METHOD_NAMES.map((m) => `method:${m}`),
  ...CACHE_VALUES.map((c) => `cache:${c}`),
  'kind:route',
  'kind:metadata',
  'has:problems',
];

function splitValues(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/** Parses what was typed; returns undefined when nothing was (an empty filter shows everything). */
export function parseEndpointFilter(input: string): EndpointFilter | undefined {
  const text = input.trim();
  if (text === '') return undefined;
  const filter: EndpointFilter = { text, words: [], methods: [], caching: [], kinds: [], withProblems: false, mistakes: [] };
  for (const token of text.split(/\s+/)) {
    const keyed = /^(method|cache|kind|has|is):(.*)$/i.exec(token);
    if (!keyed) {
      filter.words.push(token.toLowerCase());
      continue;
    }
    const key = keyed[1].toLowerCase();
    const values = splitValues(keyed[2]);
    switch (key) {
      case 'method':
        for (const value of values.map((v) => v.toUpperCase())) {
          filter.methods.push(value);
          if (!(HTTP_METHOD_NAMES as readonly string[]).includes(value)) filter.mistakes.push(`${value} is not an HTTP method Next.js serves`);
        }
        break;
      case 'cache':
        for (const value of values.map((v) => v.toLowerCase())) {
          filter.caching.push(value);
          if (!(CACHE_VALUES as readonly string[]).includes(value)) filter.mistakes.push(`cache:${value} is none of ${CACHE_VALUES.join(', ')}`);
        }
        break;
      case 'kind':
        for (const value of values.map((v) => v.toLowerCase())) {
          filter.kinds.push(value);
          if (!(KIND_VALUES as readonly string[]).includes(value)) filter.mistakes.push(`kind:${value} is none of ${KIND_VALUES.join(', ')}`);
        }
        break;
      default:
        // `has:problems` and `is:problem` read equally well; accept both and their singular/plural.
        for (const value of values.map((v) => v.toLowerCase())) {
          if (value === 'problems' || value === 'problem') filter.withProblems = true;
          else filter.mistakes.push(`${key}:${value} is unknown (try has:problems)`);
        }
    }
  }
  return filter;
}

/** Whether an endpoint passes every part of the filter. */
export function matchesEndpointFilter(filter: EndpointFilter, subject: FilterSubject): boolean {
  const { route } = subject;
  if (filter.words.length > 0) {
    const haystack = [route.url, route.publicPath, route.file, subject.appLabel ?? ''].join('\n').toLowerCase();
    if (!filter.words.every((word) => haystack.includes(word))) return false;
  }
  if (filter.methods.length > 0) {
    const explicit = route.methods.filter((m) => !m.implicit).map((m) => m.name as string);
    if (!filter.methods.some((method) => explicit.includes(method))) return false;
  }
  if (filter.caching.length > 0) {
    const byDefault = route.caching?.kind === 'dynamic' && route.caching.because === 'default';
    if (!filter.caching.includes(route.caching?.kind ?? 'none') && !(byDefault && filter.caching.includes('default'))) return false;
  }
  if (filter.kinds.length > 0) {
    const kindMatches = filter.kinds.some((kind) => kind === route.kind || (kind === 'metadata' && route.kind !== 'route'));
    if (!kindMatches) return false;
  }
  if (filter.withProblems && subject.problems.length === 0) return false;
  return true;
}
