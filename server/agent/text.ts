// Writing workspace data as text for a model: locations as `file:line:col`, labels for verdicts and params,
// and workspace strings made inert.
import type { CachingVerdict, Location, Route, RouteParam, Span } from '../analysis/model';
import { printable } from '../printable';

/**
 * Workspace text made inert for an answer: a folder name with a line break in it must not start a line of its
 * own, where it could pass for another endpoint or for the tool's own words.
 */
export const inert = printable;

/** `file:line:col`, or `file` when there is no span. */
export function where(file: string, span?: Span): string {
  return inert(span ? `${file}:${span.line}:${span.column}` : file);
}

export function whereLocation(location: Location): string {
  return where(location.file, location.span);
}

/** Params one way, as the CLI writes them: `id`, a catch-all `...path`, an optional catch-all `...slug?`. */
export function paramLabel(param: RouteParam): string {
  return param.kind === 'dynamic' ? param.name : param.kind === 'catchAll' ? `...${param.name}` : `...${param.name}?`;
}

/** The methods a route exports itself (the ones Next.js adds are left out), or the metadata kind. */
export function methodNames(route: Route): string[] {
  return route.methods.filter((m) => !m.implicit).map((m) => m.name);
}

/** The verdict in the CLI's words: `static`, `isr 60s`, `dynamic (default)`, `dynamic: cookies()`, `per request (no GET)`. */
export function verdictLabel(route: Route): string {
  const caching = route.caching;
  if (!caching) return route.kind === 'route' ? 'per request (no GET)' : 'unknown';
  return verdictWords(caching);
}

export function verdictWords(caching: CachingVerdict): string {
  if (caching.kind === 'isr' || caching.kind === 'ssg-isr') return `${caching.kind} ${caching.revalidate}s`;
  if (caching.kind !== 'dynamic' || caching.because === undefined) return caching.kind;
  if (caching.because === 'default') return 'dynamic (default)';
  const method = /^also exports (\w+)$/.exec(caching.because);
  return method ? `dynamic (has ${method[1]})` : `dynamic: ${caching.because}`;
}

/** The first line of the route file that says something: the first exported method's. */
export function firstLine(route: Route): number {
  return route.methods.find((m) => !m.implicit && m.span)?.span?.line ?? 1;
}

/** A count with its noun: `1 route`, `3 routes`. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : plural}`;
}
