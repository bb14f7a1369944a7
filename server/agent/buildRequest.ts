// build_request: a request for one endpoint and method as cURL, fetch or an .http file, from the same builders
// as the editor's "Copy as cURL" and ".http export". It holds no secret: nothing is read from env files, the
// request history or a secret store, a base URL loses any user name and password, and a header the handler
// reads (Authorization, say) is named for the caller to fill in, never given a value.
import { HTTP_METHODS, type Route } from '../analysis/model';
import { buildUrl, catchAllSegments, ParamError, type ParamValues, queryString } from '../requests/buildRequest';
import { formatHttpFile, type HttpFileRequest, httpRequestsForRoute, pathWithVariables, variableName } from '../requests/httpFile';
import { DEFAULT_BASE_URL, draftRequest, formatCurl, formatFetch, joinUrl, toUrlTemplate } from '../requests/requestText';
import { APP_ARGUMENT, FILE_ARGUMENT, MAX_URL_LENGTH, URL_ARGUMENT } from './endpoints';
import { findEndpoint } from './find';
import { inert, methodNames } from './text';
import { type AgentContext, type AgentTool, type AgentToolResult, toolError } from './types';

const FORMATS = ['curl', 'fetch', 'http'] as const;
type Format = (typeof FORMATS)[number];

/** A base URL as given, checked: http(s) only, without user name, password, query or fragment. */
function readBaseUrl(text: string): { ok: true; url: string; notes: string[] } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, error: `baseUrl ${JSON.stringify(inert(text))} is not a URL; give one such as ${DEFAULT_BASE_URL}.` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, error: `baseUrl must be an http or https URL, got ${inert(url.protocol)}.` };
  const notes: string[] = [];
  if (url.username || url.password) {
    notes.push('The user name and password in baseUrl were left out: requests built here never carry credentials.');
    url.username = '';
    url.password = '';
  }
  url.search = '';
  url.hash = '';
  return { ok: true, url: url.href.replace(/\/+$/, ''), notes };
}

/** The method to build: the one asked for, else GET when the route has it, else its first. */
function chooseMethod(route: Route, asked: string | undefined): { ok: true; method: string } | { ok: false; error: string } {
  const served = route.kind === 'route' ? route.methods.map((m) => m.name as string) : ['GET', 'HEAD'];
  if (asked !== undefined) {
    if (served.includes(asked)) return { ok: true, method: asked };
    return { ok: false, error: `${inert(route.url)} does not answer ${asked}; it serves ${served.join(', ') || 'no method (every request gets 405)'}.` };
  }
  const own = route.kind === 'route' ? methodNames(route) : ['GET'];
  if (own.length === 0) return { ok: false, error: `${inert(route.url)} exports no HTTP method: every request gets 405.` };
  return { ok: true, method: own.includes('GET') ? 'GET' : own[0] };
}

function buildRequest(context: AgentContext, args: Record<string, unknown>): AgentToolResult {
  const found = findEndpoint(context, args);
  if (!found.ok) return toolError(found.error);
  const ref = found.value[0];
  const { route } = ref;
  const chosen = chooseMethod(route, args.method as string | undefined);
  if (!chosen.ok) return toolError(chosen.error);
  const method = chosen.method;
  const base = readBaseUrl((args.baseUrl as string | undefined) ?? DEFAULT_BASE_URL);
  if (!base.ok) return toolError(base.error);
  const format = args.format as Format;
  const notes = [...base.notes];
  if (found.value.length > 1) notes.push(`${found.value.length} endpoints match; this is for ${route.file}. Give app or file to choose another.`);

  const values: ParamValues = { ...(ref.params ?? {}) };
  for (const [name, value] of Object.entries((args.params as Record<string, string> | undefined) ?? {})) values[name] = value;
  const unknownParams = Object.keys((args.params as Record<string, string> | undefined) ?? {}).filter((name) => !route.params.some((p) => p.name === name));
  if (unknownParams.length > 0) {
    return toolError(`${inert(route.url)} has no param ${unknownParams.map((n) => JSON.stringify(inert(n))).join(', ')}; its params are ${route.params.map((p) => p.name).join(', ') || 'none'}.`);
  }
  const missing = route.params.filter((p) => p.kind !== 'optionalCatchAll' && (values[p.name] === undefined || catchAllSegments(values[p.name]).length === 0)).map((p) => p.name);
  const query = (args.query as Record<string, string> | undefined) ?? {};
  const info = route.methods.find((m) => m.name === method)?.request;

  let url: string;
  try {
    url = missing.length === 0 ? buildUrl(base.url, route.publicPath, values, query) : joinUrl(base.url, toUrlTemplate(route.publicPath)) + queryString(query);
  } catch (error) {
    if (error instanceof ParamError) return toolError(`${error.message} Give params.${error.param} a value.`);
    throw error;
  }
  if (missing.length > 0) notes.push(`Fill in ${missing.map((name) => `{${name}}`).join(', ')} (or pass params).`);
  const unsentQuery = (info?.query ?? []).filter((name) => !Object.hasOwn(query, name));
  if (unsentQuery.length > 0 && format !== 'http') notes.push(`The handler reads the query ${unsentQuery.join(', ')}; pass query to send values.`);
  if (info?.headers.length) notes.push(`The handler reads the header${info.headers.length === 1 ? '' : 's'} ${info.headers.join(', ')}; add ${info.headers.length === 1 ? 'it' : 'them'} yourself (no credential is ever filled in here).`);
  if (info?.body?.fields.length) notes.push(`The body has the ${info.body.fields.length === 1 ? 'field' : `${info.body.fields.length} fields`} the handler reads, left empty${info.body.schema ? `; ${info.body.schema} validates them` : ''}.`);
  if (info?.body && info.body.fields.length === 0) notes.push(`The handler reads a ${info.body.kind} body whose fields Route Atlas could not see.`);

  let text: string;
  if (format === 'http') {
    const requests: HttpFileRequest[] =
      route.kind === 'route' ? httpRequestsForRoute(route, method) : [{ name: `${method} ${route.publicPath}`, method, url: `{{baseUrl}}${pathWithVariables(route.publicPath)}`, headers: [] }];
    if (Object.keys(query).length > 0) for (const request of requests) request.url = `{{baseUrl}}${pathWithVariables(route.publicPath)}${queryString(query)}`;
    const variables: Record<string, string> = { baseUrl: base.url };
    for (const param of route.params) {
      const value = values[param.name];
      if (value !== undefined) variables[variableName(param.name)] = Array.isArray(value) ? value.map(encodeURIComponent).join('/') : encodeURIComponent(value);
    }
    text = formatHttpFile(requests, variables);
  } else {
    const draft = draftRequest(route, method, base.url);
    draft.url = url;
    text = format === 'curl' ? formatCurl(draft) : formatFetch(draft);
  }
  const structured: Record<string, unknown> = { method, url, format, request: text, notes, file: route.file, urlPattern: route.url };
  const lines = [`${method} ${inert(route.url)} as ${format === 'http' ? 'an .http file' : format}:`, '', text.trimEnd()];
  if (notes.length > 0) lines.push('', ...notes.map((note) => `- ${inert(note)}`));
  return { text: lines.join('\n'), structured };
}

export const BUILD_REQUEST: AgentTool = {
  name: 'build_request',
  title: 'Build request',
  referenceName: 'routeAtlasRequest',
  userDescription: 'Writes a request for a Next.js endpoint as cURL, fetch or an .http file.',
  description:
    'A ready-to-run request for one endpoint and method, as a cURL command, a fetch call or an .http file (REST Client, httpYac, JetBrains): the URL with params filled in (from a concrete url such as /api/users/42, or from params) or left as {placeholders}, a JSON or form body with the fields the handler reads left empty, and notes on the query names and headers it reads. The base URL defaults to http://localhost:3000 (next dev). Nothing secret is put in: credentials in baseUrl are dropped and headers such as Authorization are only named.',
  inputSchema: {
    type: 'object',
    properties: {
      url: URL_ARGUMENT,
      file: FILE_ARGUMENT,
      app: APP_ARGUMENT,
      method: { type: 'string', enum: [...HTTP_METHODS], description: 'The method (default: GET when the route has one, else its first).' },
      format: { type: 'string', enum: [...FORMATS], default: 'curl', description: 'curl (default), fetch, or http (an .http file).' },
      baseUrl: { type: 'string', maxLength: MAX_URL_LENGTH, default: DEFAULT_BASE_URL, description: 'Where the app runs (default http://localhost:3000).' },
      params: {
        type: 'object',
        additionalProperties: { type: 'string', maxLength: MAX_URL_LENGTH },
        maxProperties: 50,
        description: 'Values for dynamic segments by name: {"id": "42"}; a catch-all takes "a/b/c".',
      },
      query: {
        type: 'object',
        additionalProperties: { type: 'string', maxLength: MAX_URL_LENGTH },
        maxProperties: 50,
        description: 'Query parameters to send: {"page": "2"}.',
      },
    },
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      method: { type: 'string' },
      url: { type: 'string', description: 'The URL requested; {name} placeholders stand for params not given.' },
      format: { type: 'string', enum: [...FORMATS] },
      request: { type: 'string', description: 'The cURL command, fetch call or .http file text.' },
      notes: { type: 'array', items: { type: 'string' } },
      file: { type: 'string' },
      urlPattern: { type: 'string' },
    },
    required: ['method', 'url', 'format', 'request', 'notes', 'file', 'urlPattern'],
  },
  run: buildRequest,
};

