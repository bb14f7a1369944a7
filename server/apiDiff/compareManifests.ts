// What changed in the API surface between two manifests: endpoints, methods, path params, what handlers
// read, caching verdicts and problems. Pure: two RouteManifests in, plain data out, so that the CLI's
// `diff` command and the editor can both use it.
import { type AppManifest, type CachingVerdict, type HandlerRequestInfo, HTTP_METHODS, type Problem, type Route, type RouteManifest, type RouteMethod, type RouteParam } from '../analysis/model';

export type ApiChangeKind =
  | 'endpoint-added'
  | 'endpoint-removed'
  | 'method-added'
  | 'method-removed'
  | 'param-renamed'
  | 'param-kind-changed'
  | 'query-added'
  | 'query-removed'
  | 'body-added'
  | 'body-removed'
  | 'body-kind-changed'
  | 'body-field-added'
  | 'body-field-removed'
  | 'caching-changed'
  | 'base-path-changed';

/** One change of the API surface. */
export interface ApiChange {
  kind: ApiChangeKind;
  /** True when a request that worked before may fail now; see BREAKING_RULES. */
  breaking: boolean;
  /** The app root, relative to the scanned folder (`.` for the folder itself). */
  app: string;
  /** The endpoint as clients request it (basePath included): the head's, or the base's when it was removed. Empty for an app-wide change. */
  endpoint: string;
  /** The route's kind when it is not a Route Handler (`sitemap`, `icon`, ...). */
  routeKind?: string;
  /** The method the change is about, for method, query and body changes and for GET caching. */
  method?: string;
  /** What it was and what it is: a verdict in the words of the CLI's table (`isr 60s`), a param as in the URL (`[[...slug]]`), a name. */
  before?: string;
  after?: string;
  /** For `body-added`: the fields the handler reads. */
  fields?: string[];
  /** A consequence in Route Atlas's own words (never workspace text): `now runs on every request`. */
  detail?: string;
  /** One line that says what changed, plain text (workspace names in it are not escaped): describeChange's. */
  summary: string;
  /** The route file: the head's, or the base's for a removal; relative to the scanned folder. */
  file?: string;
  line?: number;
}

export interface ApiDiff {
  changes: ApiChange[];
  /** Problems present in the head and not in the base, and the other way round (positions are not compared). */
  problems: { introduced: Problem[]; fixed: Problem[] };
  breakingCount: number;
}

export interface CompareOptions {
  /** Files renamed between the two revisions (base path → head path, relative to the scanned folder), so that their problems are matched. */
  renames?: ReadonlyMap<string, string>;
}

/** What counts as breaking, one line each: the README and `diff --help` say the same. */
export const BREAKING_RULES: readonly string[] = [
  'an endpoint removed (its URL pattern, path param names aside, no longer served)',
  'a method removed from an endpoint',
  'a path param narrowed: a catch-all that became a single segment, an optional catch-all that became required',
  'the body read in another encoding: JSON that became form data, or form data that became JSON',
  "the app's basePath changed (every URL moves)",
];

/** URLs a param kind matches, from the fewest to the most: a change to a lower rank drops URLs that matched. */
const PARAM_RANK: Record<RouteParam['kind'], number> = { dynamic: 0, catchAll: 1, optionalCatchAll: 2 };
const KIND_ORDER: readonly ApiChangeKind[] = [
  'base-path-changed',
  'endpoint-removed',
  'endpoint-added',
  'param-kind-changed',
  'param-renamed',
  'method-removed',
  'method-added',
  'query-removed',
  'query-added',
  'body-kind-changed',
  'body-removed',
  'body-added',
  'body-field-removed',
  'body-field-added',
  'caching-changed',
];

export function compareManifests(base: RouteManifest, head: RouteManifest, options: CompareOptions = {}): ApiDiff {
  const changes: ApiChange[] = [];
  for (const [before, after] of pairApps(base.apps, head.apps)) compareApps(before, after, changes);
  changes.sort(compareChanges);
  const problems = compareProblems(allProblems(base), allProblems(head), options.renames ?? new Map());
  return { changes, problems, breakingCount: changes.filter((change) => change.breaking).length };
}

/**
 * Apps of the two revisions that are the same app: by root, then by package name; when each side has
 * exactly one app, those two, wherever they moved. An app with no partner has all its endpoints added or removed.
 */
function pairApps(base: readonly AppManifest[], head: readonly AppManifest[]): Array<[AppManifest | undefined, AppManifest | undefined]> {
  if (base.length === 1 && head.length === 1) return [[base[0], head[0]]];
  const pairs: Array<[AppManifest | undefined, AppManifest | undefined]> = [];
  const unpaired = new Set(head);
  const partnerOf = (app: AppManifest): AppManifest | undefined => {
    const byRoot = [...unpaired].find((candidate) => candidate.root === app.root);
    if (byRoot) return byRoot;
    const byName = [...unpaired].filter((candidate) => candidate.name !== undefined && candidate.name === app.name);
    return byName.length === 1 ? byName[0] : undefined;
  };
  for (const app of base) {
    const partner = partnerOf(app);
    if (partner) unpaired.delete(partner);
    pairs.push([app, partner]);
  }
  for (const app of unpaired) pairs.push([undefined, app]);
  return pairs;
}

function compareApps(base: AppManifest | undefined, head: AppManifest | undefined, changes: ApiChange[]): void {
  const app = (head ?? base)!.root;
  if (base && head) {
    const before = basePathOf(base);
    const after = basePathOf(head);
    if (before !== after) {
      record(changes, { kind: 'base-path-changed', breaking: true, app, endpoint: '', before, after, file: head.config.file });
    }
  }
  const baseRoutes = firstByShape(base?.routes ?? []);
  const headRoutes = firstByShape(head?.routes ?? []);
  const removed: Route[] = [];
  for (const [shape, route] of baseRoutes) {
    const partner = headRoutes.get(shape);
    if (partner) compareRoutes(app, route, partner, changes);
    else removed.push(route);
  }
  const added = [...headRoutes].filter(([shape]) => !baseRoutes.has(shape)).map(([, route]) => route);
  // A param whose kind changed gives the URL another shape; when one removed and one added route share
  // their shape but for the kinds of params, they are one endpoint whose params changed.
  const addedByLooseShape = groupBy(added, (route) => looseShapeOf(route.url));
  const removedByLooseShape = groupBy(removed, (route) => looseShapeOf(route.url));
  for (const [loose, [before, ...moreBefore]] of removedByLooseShape) {
    const candidates = addedByLooseShape.get(loose);
    if (moreBefore.length > 0 || candidates?.length !== 1) continue;
    compareRoutes(app, before, candidates[0], changes);
    removed.splice(removed.indexOf(before), 1);
    added.splice(added.indexOf(candidates[0]), 1);
  }
  for (const route of removed) {
    record(changes, { ...where(app, route), kind: 'endpoint-removed', breaking: true, before: methodList(route) });
  }
  for (const route of added) {
    record(changes, { ...where(app, route), kind: 'endpoint-added', breaking: false, after: methodList(route) });
  }
}

function compareRoutes(app: string, base: Route, head: Route, changes: ApiChange[]): void {
  const at = where(app, head);
  head.params.forEach((param, index) => {
    const before = base.params[index];
    if (!before) return;
    if (before.kind !== param.kind) {
      const narrowed = PARAM_RANK[param.kind] < PARAM_RANK[before.kind];
      record(changes, { ...at, kind: 'param-kind-changed', breaking: narrowed, before: paramLabel(before), after: paramLabel(param) });
    }
    if (before.name !== param.name) {
      record(changes, { ...at, kind: 'param-renamed', breaking: false, before: before.name, after: param.name });
    }
  });
  const baseServed = new Set(base.methods.map((m) => m.name));
  const headServed = new Set(head.methods.map((m) => m.name));
  for (const method of explicitMethods(base)) {
    if (!headServed.has(method.name)) record(changes, { ...at, kind: 'method-removed', breaking: true, method: method.name });
  }
  for (const method of explicitMethods(head)) {
    if (!baseServed.has(method.name)) record(changes, { ...at, line: method.span?.line ?? at.line, kind: 'method-added', breaking: false, method: method.name });
  }
  for (const method of explicitMethods(head)) {
    const before = base.methods.find((m) => m.name === method.name);
    if (before?.request && method.request) compareRequests(at, method, before.request, method.request, changes);
  }
  // Only the verdict counts: `dynamic (default)` and `dynamic: cookies()` answer alike.
  if (base.caching && head.caching && (base.caching.kind !== head.caching.kind || base.caching.revalidate !== head.caching.revalidate)) {
    const cachingBefore = cachingLabel(base.caching);
    const cachingAfter = cachingLabel(head.caching);
    const method = head.kind === 'route' ? 'GET' : undefined;
    record(changes, { ...at, kind: 'caching-changed', breaking: false, method, before: cachingBefore, after: cachingAfter, detail: cachingConsequence(base.caching, head.caching) });
  }
}

/** Adds a change with its summary in plain words. */
function record(changes: ApiChange[], change: Omit<ApiChange, 'summary'>): void {
  // Fields without a value are left out, so that the JSON and the objects tests compare hold only what is known.
  const defined = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined)) as Omit<ApiChange, 'summary'>;
  changes.push({ ...defined, summary: describeChange(defined, (text) => text) });
}

/**
 * What a change is, in one line. `code` writes workspace text (names, labels) as the output needs it: as
 * is for plain text, as a code span for markdown; every other word is Route Atlas's own.
 */
export function describeChange(change: Omit<ApiChange, 'summary'>, code: (text: string) => string): string {
  const before = change.before ?? '';
  const after = change.after ?? '';
  switch (change.kind) {
    case 'base-path-changed':
      return `basePath changed from ${before ? code(before) : 'none'} to ${after ? code(after) : 'none'}: every URL of the app moves`;
    case 'endpoint-removed':
      return `endpoint removed${before ? ` (${before})` : ''}`;
    case 'endpoint-added':
      return `endpoint added${after ? ` (${after})` : ''}`;
    case 'param-kind-changed':
      return `path param ${code(before)} became ${code(after)}: ${change.breaking ? 'URLs it matched before no longer match' : 'it matches more URLs than before'}`;
    case 'param-renamed':
      return `path param renamed from ${code(before)} to ${code(after)} (the URLs it matches are the same)`;
    case 'method-removed':
      return `${change.method} removed: requests get 405`;
    case 'method-added':
      return `${change.method} added`;
    case 'query-removed':
      return `query param ${code(before)} no longer read`;
    case 'query-added':
      return `query param ${code(after)} now read`;
    case 'body-added':
      return `now reads a ${bodyKindLabel(after)} body${change.fields?.length ? ` (fields ${change.fields.map(code).join(', ')})` : ''}`;
    case 'body-removed':
      return `no longer reads the ${bodyKindLabel(before)} body`;
    case 'body-kind-changed':
      return `body read as ${bodyKindLabel(after)} instead of ${bodyKindLabel(before)}`;
    case 'body-field-removed':
      return `body field ${code(before)} no longer read`;
    case 'body-field-added':
      return `body field ${code(after)} now read`;
    case 'caching-changed':
      return `caching ${code(before)} → ${code(after)}${change.detail ? `: ${change.detail}` : ''}`;
  }
}

function compareRequests(at: Location, method: RouteMethod, base: HandlerRequestInfo, head: HandlerRequestInfo, changes: ApiChange[]): void {
  const on = { ...at, line: method.span?.line ?? at.line, method: method.name };
  for (const name of base.query) if (!head.query.includes(name)) record(changes, { ...on, kind: 'query-removed', breaking: false, before: name });
  for (const name of head.query) if (!base.query.includes(name)) record(changes, { ...on, kind: 'query-added', breaking: false, after: name });
  const before = base.body;
  const after = head.body;
  if (!before && after) {
    record(changes, { ...on, kind: 'body-added', breaking: false, after: after.kind, fields: [...after.fields] });
    return;
  }
  if (before && !after) {
    record(changes, { ...on, kind: 'body-removed', breaking: false, before: before.kind });
    return;
  }
  if (!before || !after) return;
  if (before.kind !== after.kind) {
    // A client must change how it encodes the body between JSON and form data; a handler that read the raw
    // text (often to check a signature, then parse it) took whatever came, so a change from or to it is not.
    const breaking = before.kind !== 'text' && after.kind !== 'text';
    record(changes, { ...on, kind: 'body-kind-changed', breaking, before: before.kind, after: after.kind });
    return;
  }
  for (const field of before.fields) if (!after.fields.includes(field)) record(changes, { ...on, kind: 'body-field-removed', breaking: false, before: field });
  for (const field of after.fields) if (!before.fields.includes(field)) record(changes, { ...on, kind: 'body-field-added', breaking: false, after: field });
}

/**
 * Problems matched by id, file and message, as many times as they occur; positions move with every edit
 * above them, so they are not compared. A base problem in a renamed file is matched under its new name.
 */
function compareProblems(base: Problem[], head: Problem[], renames: ReadonlyMap<string, string>): ApiDiff['problems'] {
  const keyOf = (problem: Problem, renamed: boolean): string => {
    let { file, message } = problem;
    const moved = renamed && file !== undefined ? renames.get(file) : undefined;
    if (moved !== undefined && file !== undefined) {
      // Messages quote their file; the old name is replaced as plain text, never as a pattern.
      message = message.split(file).join(moved);
      file = moved;
    }
    return `${problem.id}\0${problem.severity}\0${file ?? ''}\0${message}`;
  };
  const unmatchedBase = new Map<string, Problem[]>();
  for (const problem of base) {
    const key = keyOf(problem, true);
    const list = unmatchedBase.get(key);
    if (list) list.push(problem);
    else unmatchedBase.set(key, [problem]);
  }
  const introduced: Problem[] = [];
  for (const problem of head) {
    const same = unmatchedBase.get(keyOf(problem, false));
    if (same && same.length > 0) same.shift();
    else introduced.push(problem);
  }
  const fixed = [...unmatchedBase.values()].flat();
  return { introduced, fixed };
}

function allProblems(manifest: RouteManifest): Problem[] {
  return [...manifest.problems, ...manifest.apps.flatMap((app) => app.problems)];
}

/** A URL pattern with its param names left out: `/users/[id]` and `/users/[userId]` are one endpoint for clients. */
function shapeOf(url: string): string {
  return url
    .split('/')
    .map((segment) => (segment.startsWith('[[...') ? '[[...]]' : segment.startsWith('[...') ? '[...]' : segment.startsWith('[') ? '[]' : segment))
    .join('/');
}

/** The shape with the kinds of params left out too. */
function looseShapeOf(url: string): string {
  return url
    .split('/')
    .map((segment) => (segment.startsWith('[') ? '[*]' : segment))
    .join('/');
}

/** Routes by shape; of two routes with one shape (a duplicate-route problem), the first stands for both. */
function firstByShape(routes: readonly Route[]): Map<string, Route> {
  const byShape = new Map<string, Route>();
  for (const route of routes) {
    const shape = shapeOf(route.url);
    if (!byShape.has(shape)) byShape.set(shape, route);
  }
  return byShape;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Where a change is: the app, the endpoint and the route file. */
type Location = Pick<ApiChange, 'app' | 'endpoint' | 'routeKind' | 'file' | 'line'>;

function where(app: string, route: Route): Location {
  const line = explicitMethods(route)[0]?.span?.line;
  return { app, endpoint: route.publicPath, ...(route.kind === 'route' ? {} : { routeKind: route.kind }), file: route.file, ...(line === undefined ? {} : { line }) };
}

function explicitMethods(route: Route): RouteMethod[] {
  return route.methods.filter((method) => !method.implicit);
}

function methodList(route: Route): string {
  return route.kind === 'route' ? explicitMethods(route).map((m) => m.name).join(', ') : route.kind;
}

function basePathOf(app: AppManifest): string {
  return app.config.basePath.known ? app.config.basePath.value : '';
}

/** Params as the CLI's table writes them: `id`, `...path`, `...slug?`. */
function paramLabel(param: RouteParam): string {
  return param.kind === 'dynamic' ? `[${param.name}]` : param.kind === 'catchAll' ? `[...${param.name}]` : `[[...${param.name}]]`;
}

/** A verdict in the words of the CLI's table: `isr 60s`, `dynamic (default)`, `dynamic: cookies()`. */
export function cachingLabel(caching: CachingVerdict): string {
  if (caching.kind === 'isr' || caching.kind === 'ssg-isr') return `${caching.kind} ${caching.revalidate}s`;
  if (caching.kind !== 'dynamic' || caching.because === undefined) return caching.kind;
  if (caching.because === 'default') return 'dynamic (default)';
  const method = /^also exports (\w+)$/.exec(caching.because);
  return method ? `dynamic (has ${method[1]})` : `dynamic: ${caching.because}`;
}

/** What a verdict change means for the responses clients get. */
function cachingConsequence(before: CachingVerdict, after: CachingVerdict): string | undefined {
  const prerendered = (kind: string) => kind === 'static' || kind === 'ssg';
  const revalidated = (kind: string) => kind === 'isr' || kind === 'ssg-isr';
  if (after.kind === 'dynamic' && (prerendered(before.kind) || revalidated(before.kind))) return 'now runs on every request';
  if (prerendered(after.kind) && !prerendered(before.kind)) return 'now answered from the build, the same for every request until the next build';
  if (revalidated(after.kind) && !revalidated(before.kind)) return `now answered from a cache renewed at most every ${after.revalidate} s`;
  if (after.kind === 'error') return 'the build now fails';
  return undefined;
}

function bodyKindLabel(kind: string): string {
  return kind === 'json' ? 'JSON' : kind === 'formData' ? 'form data' : kind;
}

function compareChanges(a: ApiChange, b: ApiChange): number {
  if (a.app !== b.app) return a.app < b.app ? -1 : 1;
  if (a.endpoint !== b.endpoint) return a.endpoint < b.endpoint ? -1 : 1;
  const methodA = a.method ? HTTP_METHODS.indexOf(a.method as (typeof HTTP_METHODS)[number]) : -1;
  const methodB = b.method ? HTTP_METHODS.indexOf(b.method as (typeof HTTP_METHODS)[number]) : -1;
  if (methodA !== methodB) return methodA - methodB;
  return KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind);
}
