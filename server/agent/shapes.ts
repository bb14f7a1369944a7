// The structured forms the tools share (a location, a verdict, an app), with their JSON Schemas beside them
// so that each tool's outputSchema and what it returns are written from one place.
import type { AppManifest, CachingReason, Location, Route, Span } from '../analysis/model';
import type { JsonSchema } from './schema';
import { verdictLabel } from './text';

export interface StructuredLocation {
  file: string;
  line?: number;
  column?: number;
}

export const LOCATION_SCHEMA: JsonSchema = {
  type: 'object',
  properties: { file: { type: 'string' }, line: { type: 'integer' }, column: { type: 'integer' } },
  required: ['file'],
};

export function structuredLocation(file: string, span?: Span): StructuredLocation {
  return span ? { file, line: span.line, column: span.column } : { file };
}

export function fromLocation(location: Location): StructuredLocation {
  return structuredLocation(location.file, location.span);
}

/** The caching kinds a route can be filtered by: the verdicts, `default` (dynamic only for want of an opt-in) and `none` (no GET). */
export const CACHING_FILTERS = ['static', 'isr', 'ssg', 'ssg-isr', 'dynamic', 'default', 'error', 'unknown', 'none'] as const;

export const REASON_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    message: { type: 'string' },
    location: LOCATION_SCHEMA,
    chain: { type: 'array', items: LOCATION_SCHEMA, description: 'Calls from the handler to the reason, outermost first.' },
  },
  required: ['message'],
};

export function structuredReason(reason: CachingReason): Record<string, unknown> {
  const out: Record<string, unknown> = { message: reason.message };
  if (reason.location) out.location = fromLocation(reason.location);
  if (reason.chain?.length) out.chain = reason.chain.map(fromLocation);
  return out;
}

export const VERDICT_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['static', 'isr', 'ssg', 'ssg-isr', 'dynamic', 'error', 'unknown', 'none'], description: '`none`: the route has no GET, so it runs per request.' },
    label: { type: 'string', description: 'In the CLI’s words: `isr 60s`, `dynamic (default)`, `dynamic: cookies()`.' },
    revalidate: { type: 'integer' },
    because: { type: 'string', description: 'For dynamic: what made it so (`default`, `cookies()`, `also exports POST`, …).' },
    reasons: { type: 'array', items: REASON_SCHEMA },
  },
  required: ['kind', 'label', 'reasons'],
};

export function structuredVerdict(route: Route): Record<string, unknown> {
  const caching = route.caching;
  const out: Record<string, unknown> = { kind: caching?.kind ?? 'none', label: verdictLabel(route), reasons: (caching?.reasons ?? []).map(structuredReason) };
  if (caching?.revalidate !== undefined) out.revalidate = caching.revalidate;
  if (caching?.because !== undefined) out.because = caching.because;
  return out;
}

export const APP_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    root: { type: 'string', description: 'Relative to the workspace folder; `.` for the folder itself.' },
    name: { type: 'string' },
    nextVersion: { type: 'string', description: 'The version the analysis assumes, and where it was read.' },
    nextMajor: { type: 'integer' },
    cacheComponents: { type: 'boolean' },
    bundler: { type: 'string' },
    basePath: { type: 'string' },
  },
  required: ['root', 'nextMajor'],
};

export function structuredApp(app: AppManifest): Record<string, unknown> {
  const out: Record<string, unknown> = { root: app.root };
  if (app.name) out.name = app.name;
  out.nextVersion = nextVersionLabel(app);
  out.nextMajor = app.nextVersion.major;
  out.cacheComponents = cacheComponentsOf(app);
  out.bundler = app.bundler;
  if (app.config.basePath.known && app.config.basePath.value) out.basePath = app.config.basePath.value;
  return out;
}

/** `15.5.0 (installed)`, `^15.5.0 (package.json)`, `16 (default)`. */
export function nextVersionLabel(app: AppManifest): string {
  return `${app.nextVersion.version ?? app.nextVersion.major} (${app.nextVersion.source})`;
}

export function cacheComponentsOf(app: AppManifest): boolean {
  return app.config.cacheComponents.known ? app.config.cacheComponents.value : false;
}

/** An app as a heading line: `sample-shop [.] Next.js ^15.5.0 (package.json), basePath /shop`. */
export function appHeading(app: AppManifest): string {
  const extras: string[] = [];
  if (app.config.basePath.known && app.config.basePath.value) extras.push(`basePath ${app.config.basePath.value}`);
  if (cacheComponentsOf(app)) extras.push('cacheComponents');
  return `${app.name ?? app.root} [${app.root}] Next.js ${nextVersionLabel(app)}${extras.length ? `, ${extras.join(', ')}` : ''}`;
}
