// list_endpoints and get_endpoint: the route table, paged, and one endpoint in full.
import { HTTP_METHODS, type Route, type RouteMethod, type SegmentConfig, type StaticValue } from '../analysis/model';
import { compileGlob } from '../urlGlob';
import { type AppRef, findEndpoint, noAppMessage, type RouteRef, selectApps } from './find';
import type { JsonSchema } from './schema';
import {
  APP_SCHEMA,
  appHeading,
  CACHING_FILTERS,
  LOCATION_SCHEMA,
  structuredApp,
  structuredLocation,
  structuredVerdict,
  VERDICT_SCHEMA,
} from './shapes';
import { count, firstLine, inert, methodNames, paramLabel, verdictLabel, where, whereLocation } from './text';
import { type AgentContext, type AgentTool, type AgentToolResult, toolError } from './types';

/** Long enough for any real URL glob; a longer one is a mistake or an attack. */
export const MAX_GLOB_LENGTH = 512;
/** Long enough for any URL a person or a model means; the path of a whole URL is cut from it. */
export const MAX_URL_LENGTH = 2048;
export const MAX_FILE_LENGTH = 4096;
const MAX_APP_LENGTH = 1000;

export const URL_ARGUMENT: JsonSchema = {
  type: 'string',
  maxLength: MAX_URL_LENGTH,
  description:
    'The endpoint: its URL pattern as Next.js writes it (/api/users/[id]; {id} works too), or a concrete path routed the way Next.js routes it (/api/users/42, with or without basePath; a whole http:// URL is fine).',
};
export const FILE_ARGUMENT: JsonSchema = {
  type: 'string',
  maxLength: MAX_FILE_LENGTH,
  description: 'Instead of url: the route file (app/api/users/route.ts, relative to the workspace folder or absolute), or a module that holds a handler.',
};
export const APP_ARGUMENT: JsonSchema = {
  type: 'string',
  maxLength: MAX_APP_LENGTH,
  description: 'Only this app of a monorepo: its package name or its folder (apps/web).',
};

const ENDPOINT_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    url: { type: 'string', description: 'The URL pattern, without basePath.' },
    publicPath: { type: 'string', description: 'What a client requests: basePath + url.' },
    app: { type: 'string', description: 'The app root.' },
    kind: { type: 'string', description: '`route`, or a metadata route kind (sitemap, robots, icon, …).' },
    methods: { type: 'array', items: { type: 'string' }, description: 'Exported methods; Next.js adds HEAD and OPTIONS itself.' },
    params: { type: 'array', items: { type: 'string' }, description: '`id`, `...path` (catch-all), `...slug?` (optional catch-all).' },
    caching: { type: 'string', description: 'The GET verdict in short words.' },
    cachingKind: { type: 'string' },
    file: { type: 'string' },
    line: { type: 'integer' },
  },
  required: ['url', 'publicPath', 'app', 'kind', 'methods', 'params', 'caching', 'cachingKind', 'file', 'line'],
};

/** Whether a glob can be a URL glob at all: it starts like a URL, and holds nothing a URL cannot. */
function checkGlob(glob: string): string | undefined {
  if (glob === '') return 'The url glob is empty; leave it out to list every endpoint.';
  if (!glob.startsWith('/') && !glob.startsWith('*')) return `The url glob ${JSON.stringify(inert(glob))} must start with / or *, as URLs do: /api/users/** for example.`;
  if (/[\s\u0000-\u001f\u007f]/.test(glob)) return `The url glob ${JSON.stringify(inert(glob))} holds whitespace or control characters, which no URL has.`;
  return undefined;
}

function cachingKindOf(route: Route): string {
  return route.caching?.kind ?? 'none';
}

function keepsCaching(route: Route, wanted: readonly string[]): boolean {
  const kind = cachingKindOf(route);
  if (wanted.includes(kind)) return true;
  return wanted.includes('default') && kind === 'dynamic' && route.caching?.because === 'default';
}

function listEndpoints(context: AgentContext, args: Record<string, unknown>): AgentToolResult {
  const url = args.url as string | undefined;
  const methods = (args.method as string[] | undefined) ?? [];
  const caching = (args.caching as string[] | undefined) ?? [];
  const limit = args.limit as number;
  const offset = args.offset as number;
  let matches: ((text: string) => boolean) | undefined;
  if (url !== undefined) {
    const problem = checkGlob(url);
    if (problem) return toolError(problem);
    matches = compileGlob(url);
  }
  const apps = selectApps(context, args.app as string | undefined);
  if (!apps.ok) return toolError(apps.error);
  if (apps.value.length === 0) return toolError(noAppMessage(context));
  const kept: Array<{ ref: AppRef; route: Route }> = [];
  let all = 0;
  for (const ref of apps.value) {
    for (const route of ref.app.routes) {
      all++;
      if (methods.length > 0 && !route.methods.some((m) => !m.implicit && methods.includes(m.name))) continue;
      if (caching.length > 0 && !keepsCaching(route, caching)) continue;
      if (matches && !matches(route.url) && !(route.publicPath !== route.url && matches(route.publicPath))) continue;
      kept.push({ ref, route });
    }
  }
  const page = kept.slice(offset, offset + limit);
  const leftOut = kept.length - page.length;
  const filtered = url !== undefined || methods.length > 0 || caching.length > 0;
  const lines: string[] = [];
  const summary = filtered ? `${count(kept.length, 'endpoint')} of ${all.toLocaleString('en-US')} match` : count(kept.length, 'endpoint');
  lines.push(page.length === kept.length ? `${summary}.` : `${summary}; showing ${page.length === 0 ? 'none' : `${offset + 1}-${offset + page.length}`}.`);
  let heading: AppRef | undefined;
  for (const { ref, route } of page) {
    if (ref !== heading && apps.value.length > 1) lines.push('', `${inert(appHeading(ref.app))}:`);
    heading = ref;
    lines.push(endpointLine(route));
  }
  if (leftOut > 0) {
    const next = offset + page.length < kept.length ? ` Call again with offset ${offset + page.length} for the next ${Math.min(limit, kept.length - offset - page.length)},` : '';
    lines.push('', `${count(leftOut, 'endpoint')} left out.${next}${next ? ' or' : ''} narrow with url (a glob such as /api/users/**), method, caching or app.`);
  }
  if (kept.length === 0 && url !== undefined && !url.includes('*')) lines.push(`A url without * matches one URL pattern exactly; get_endpoint routes a concrete path such as /api/users/42.`);
  if (apps.value.length === 1) lines.unshift(`${inert(appHeading(apps.value[0].app))}`);
  const structured: Record<string, unknown> = {
    total: kept.length,
    offset,
    returned: page.length,
    leftOut,
    apps: apps.value.map(({ app }) => structuredApp(app)),
    endpoints: page.map(({ route }) => endpointSummary(route)),
  };
  if (offset + page.length < kept.length) structured.nextOffset = offset + page.length;
  return { text: lines.join('\n'), structured };
}

/** One line of the list: `/api/users/[id]  GET,PUT,DELETE  params id  dynamic (has PUT)  app/api/users/[id]/route.ts:5`. */
function endpointLine(route: Route): string {
  const methods = route.kind === 'route' ? methodNames(route).join(',') || '(no methods)' : `(${route.kind}${route.metadataSource === 'static' ? ', static file' : ''})`;
  const params = route.params.length > 0 ? `  params ${route.params.map(paramLabel).join(', ')}` : '';
  const publicPath = route.publicPath !== route.url ? `  public ${route.publicPath}` : '';
  return inert(`${route.url}  ${methods}${params}  ${verdictLabel(route)}  ${route.file}:${firstLine(route)}${publicPath}`);
}

function endpointSummary(route: Route): Record<string, unknown> {
  return {
    url: route.url,
    publicPath: route.publicPath,
    app: route.appRoot,
    kind: route.kind,
    methods: methodNames(route),
    params: route.params.map(paramLabel),
    caching: verdictLabel(route),
    cachingKind: cachingKindOf(route),
    file: route.file,
    line: firstLine(route),
  };
}

export const LIST_ENDPOINTS: AgentTool = {
  name: 'list_endpoints',
  title: 'List endpoints',
  referenceName: 'routeAtlasEndpoints',
  userDescription: 'Lists the Next.js route handlers of the workspace with their methods, params and GET caching.',
  description:
    'Lists the Next.js App Router endpoints (route.ts handlers and metadata routes such as sitemap.xml) of the workspace, read from the code as it is now: URL pattern, exported methods, dynamic params, the GET caching verdict for the app’s Next.js version, and file:line. Filter by url glob (* within a segment, ** across: /api/users/**), method, caching verdict or app; the list is paged (limit, offset) and says how many were left out. Use get_endpoint for one endpoint in full.',
  inputSchema: {
    type: 'object',
    properties: {
      url: { type: 'string', maxLength: MAX_GLOB_LENGTH, description: 'Only URLs matching this glob: * within a segment, ** across segments (/api/users/**, /api/*/settings). Matched against the URL pattern and the public path (with basePath).' },
      method: { type: 'array', items: { type: 'string', enum: [...HTTP_METHODS] }, maxItems: HTTP_METHODS.length, description: 'Only routes that export one of these methods (upper case).' },
      caching: {
        type: 'array',
        items: { type: 'string', enum: [...CACHING_FILTERS] },
        maxItems: CACHING_FILTERS.length,
        description: 'Only routes whose GET verdict is one of these. `default`: dynamic only because nothing opted it in to caching (Next.js 15/16); `none`: the route has no GET.',
      },
      app: APP_ARGUMENT,
      limit: { type: 'integer', minimum: 1, maximum: 500, default: 100, description: 'At most this many endpoints (default 100).' },
      offset: { type: 'integer', minimum: 0, maximum: 100_000_000, default: 0, description: 'Skip this many matching endpoints: the next page starts at the nextOffset of the last answer.' },
    },
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      total: { type: 'integer', description: 'Endpoints that match the filters.' },
      offset: { type: 'integer' },
      returned: { type: 'integer' },
      leftOut: { type: 'integer', description: 'Matching endpoints not in this answer.' },
      nextOffset: { type: 'integer', description: 'The offset of the next page, when there is one.' },
      apps: { type: 'array', items: APP_SCHEMA },
      endpoints: { type: 'array', items: ENDPOINT_SCHEMA },
    },
    required: ['total', 'offset', 'returned', 'leftOut', 'apps', 'endpoints'],
  },
  run: listEndpoints,
};

// ---- get_endpoint

/** At most this many endpoints in one answer: a URL can match one route in each app of a large monorepo. */
const MAX_DETAILED = 5;

function staticValueText(value: StaticValue<unknown>): string {
  if (value.known) return JSON.stringify(value.value);
  return `not statically known (${value.reason})`;
}

function segmentConfigEntries(config: SegmentConfig): Array<[string, StaticValue<unknown>]> {
  return Object.entries(config).filter((entry): entry is [string, StaticValue<unknown>] => entry[1] !== undefined);
}

/** At most MAX_LISTED names in text (the structured content has them all): a 40-field body is not read field by field. */
const MAX_LISTED = 12;

export function listed(names: readonly string[]): string {
  return names.length <= MAX_LISTED ? names.join(', ') : `${names.slice(0, MAX_LISTED).join(', ')}, … ${names.length - MAX_LISTED} more`;
}

function methodDetail(route: Route, method: RouteMethod): Record<string, unknown> {
  const out: Record<string, unknown> = { name: method.name };
  if (method.implicit) out.implicit = true;
  if (method.form) out.form = method.form;
  if (method.span) out.location = structuredLocation(route.file, method.span);
  if (method.definition) out.definition = structuredLocation(method.definition.file, method.definition.span);
  if (method.wrappers?.length) out.wrappers = method.wrappers;
  if (method.request) {
    out.query = method.request.query;
    out.headers = method.request.headers;
    out.statuses = method.request.statuses;
    if (method.request.body) out.body = { ...method.request.body };
  }
  return out;
}

const METHOD_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    implicit: { type: 'boolean', description: 'Added by Next.js (HEAD where GET exists, OPTIONS always).' },
    form: { type: 'string', description: 'How it is exported: function, const, wrapped, alias, destructured, imported, reexport, exportStar.' },
    location: LOCATION_SCHEMA,
    definition: LOCATION_SCHEMA,
    wrappers: { type: 'array', items: { type: 'string' } },
    query: { type: 'array', items: { type: 'string' }, description: 'Query parameter names the handler reads.' },
    headers: { type: 'array', items: { type: 'string' }, description: 'Request headers the handler reads by name.' },
    statuses: { type: 'array', items: { type: 'integer' } },
    body: {
      type: 'object',
      properties: { kind: { type: 'string', enum: ['json', 'formData', 'text'] }, fields: { type: 'array', items: { type: 'string' } }, schema: { type: 'string' } },
      required: ['kind', 'fields'],
    },
  },
  required: ['name'],
};

const DETAIL_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    url: { type: 'string' },
    publicPath: { type: 'string' },
    app: APP_SCHEMA,
    kind: { type: 'string' },
    file: { type: 'string' },
    matchedBy: { type: 'string', enum: ['pattern', 'path', 'file', 'handler'] },
    params: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          kind: { type: 'string', enum: ['dynamic', 'catchAll', 'optionalCatchAll'] },
          value: { description: 'From the concrete path asked about: a string, or the segments of a catch-all.' },
        },
        required: ['name', 'kind'],
      },
    },
    methods: { type: 'array', items: METHOD_SCHEMA },
    caching: VERDICT_SCHEMA,
    segmentConfig: { type: 'object', additionalProperties: { type: 'string' }, description: 'Segment-config exports as read statically (JSON text of the value).' },
    problems: {
      type: 'array',
      items: {
        type: 'object',
        properties: { severity: { type: 'string' }, id: { type: 'string' }, message: { type: 'string' }, location: LOCATION_SCHEMA, failsBuild: { type: 'boolean' } },
        required: ['severity', 'id', 'message'],
      },
    },
  },
  required: ['url', 'publicPath', 'app', 'kind', 'file', 'matchedBy', 'params', 'methods', 'caching', 'segmentConfig', 'problems'],
};

function detail(ref: RouteRef): { text: string[]; structured: Record<string, unknown> } {
  const { route, app } = ref;
  const lines: string[] = [];
  const methods = methodNames(route);
  lines.push(inert(`${route.kind === 'route' ? methods.join(',') || '(no methods)' : `(${route.kind})`} ${route.url}`));
  lines.push(inert(`app: ${appHeading(app)}`));
  lines.push(inert(`file: ${route.file}`));
  if (route.publicPath !== route.url) lines.push(inert(`public path: ${route.publicPath}`));
  const params = route.params.map((param) => {
    const value = ref.params?.[param.name];
    return value === undefined ? { name: param.name, kind: param.kind } : { name: param.name, kind: param.kind, value };
  });
  if (params.length > 0) {
    const shown = params.map((p) => `${paramLabel(p)} (${p.kind})${'value' in p ? ` = ${JSON.stringify(p.value)}` : ''}`);
    lines.push(inert(`params: ${shown.join(', ')}`));
  }
  for (const method of route.methods) {
    if (method.implicit) continue;
    const head = [`${method.name}`];
    if (method.span) head.push(`at ${where(route.file, method.span)}`);
    // `wrapped` says no more than the wrappers that follow it.
    if (method.form && !(method.form === 'wrapped' && method.wrappers?.length)) head.push(`(${method.form})`);
    if (method.wrappers?.length) head.push(`wrapped by ${method.wrappers.join(' → ')}`);
    // The handler's own place is news only when it is in another file (an imported or re-exported handler).
    if (method.definition && method.definition.file !== route.file) head.push(`handler at ${whereLocation(method.definition)}`);
    lines.push(inert(head.join(' ')));
    const request = method.request;
    if (!request) {
      lines.push('  request: the handler’s code could not be followed');
      continue;
    }
    const facts: string[] = [];
    if (request.query.length) facts.push(`query ${request.query.join(', ')}`);
    if (request.body) facts.push(`body ${request.body.kind}${request.body.fields.length ? ` {${listed(request.body.fields)}}` : ''}${request.body.schema ? ` validated by ${request.body.schema}` : ''}`);
    if (request.headers.length) facts.push(`headers ${request.headers.join(', ')}`);
    if (request.statuses.length) facts.push(`statuses ${request.statuses.join(', ')}`);
    lines.push(inert(`  ${facts.length > 0 ? facts.join('; ') : 'reads no query, body or header by name'}`));
  }
  const implicit = route.methods.filter((m) => m.implicit).map((m) => m.name);
  if (implicit.length > 0) lines.push(`${implicit.join(', ')}: added by Next.js`);
  if (route.kind === 'route' && methods.length === 0) lines.push('No HTTP method is exported: every request gets 405.');
  lines.push(inert(`caching (GET): ${verdictLabel(route)}`));
  for (const reason of route.caching?.reasons ?? []) {
    const at = reason.location ? ` (${whereLocation(reason.location)})` : '';
    const chain = reason.chain?.length ? ` via ${reason.chain.map(whereLocation).join(' → ')}` : '';
    lines.push(inert(`  - ${reason.message}${at}${chain}`));
  }
  const config: Record<string, string> = {};
  for (const [name, value] of segmentConfigEntries(route.segmentConfig)) config[name] = staticValueText(value);
  const configText = Object.entries(config).map(([name, value]) => `${name} = ${value}`);
  if (configText.length > 0) lines.push(inert(`segment config: ${configText.join('; ')}`));
  const problems = app.problems.filter((p) => p.file === route.file);
  for (const problem of problems.slice(0, 10)) lines.push(inert(`problem: ${where(problem.file!, problem.span)} ${problem.severity} ${problem.id} ${problem.message}`));
  if (problems.length > 10) lines.push(`… ${problems.length - 10} more problems: check with file ${inert(route.file)}`);
  const structured: Record<string, unknown> = {
    url: route.url,
    publicPath: route.publicPath,
    app: structuredApp(app),
    kind: route.kind,
    file: route.file,
    matchedBy: ref.matchedBy,
    params,
    methods: route.methods.map((m) => methodDetail(route, m)),
    caching: structuredVerdict(route),
    segmentConfig: config,
    problems: problems.map((p) => {
      const out: Record<string, unknown> = { severity: p.severity, id: p.id, message: p.message };
      if (p.file) out.location = structuredLocation(p.file, p.span);
      if (p.failsBuild) out.failsBuild = true;
      return out;
    }),
  };
  return { text: lines, structured };
}

function getEndpoint(context: AgentContext, args: Record<string, unknown>): AgentToolResult {
  const found = findEndpoint(context, args);
  if (!found.ok) return toolError(found.error);
  const shown = found.value.slice(0, MAX_DETAILED);
  const parts = shown.map(detail);
  const text: string[] = [];
  if (found.value.length > 1) text.push(`${found.value.length} endpoints match${found.value.length > shown.length ? `; the first ${shown.length} are shown (give app to choose one)` : ' (one per app, or several files for one URL)'}.`, '');
  parts.forEach((part, i) => {
    if (i > 0) text.push('');
    text.push(...part.text);
  });
  return { text: text.join('\n'), structured: { total: found.value.length, endpoints: parts.map((p) => p.structured) } };
}

export const GET_ENDPOINT: AgentTool = {
  name: 'get_endpoint',
  title: 'Get endpoint',
  referenceName: 'routeAtlasEndpoint',
  userDescription: 'Shows one Next.js endpoint in full: params, query, body, headers, statuses, handlers and caching.',
  description:
    'One Next.js endpoint in full, found by URL pattern (/api/users/[id]), by a concrete path matched the way Next.js routes it (/api/users/42 reaches /api/users/[id] and gives id = "42"), or by file: its params, and per method the query names, body kind, fields and validating schema, headers read, literal statuses, file:line of the export and of the handler, wrappers (withAuth…), then the GET caching verdict with its reasons and locations, segment config and the problems of the file.',
  inputSchema: {
    type: 'object',
    properties: { url: URL_ARGUMENT, file: FILE_ARGUMENT, app: APP_ARGUMENT },
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: { total: { type: 'integer', description: 'Endpoints that match; at most 5 are detailed.' }, endpoints: { type: 'array', items: DETAIL_SCHEMA } },
    required: ['total', 'endpoints'],
  },
  run: getEndpoint,
};
