// `.http` files, the plain-text request format that REST Client, httpYac and the JetBrains HTTP client all
// read, and their environment files `http-client.env.json` / `http-client.private.env.json`. Exporting to
// this format keeps a person's requests usable without Route Atlas. Pure functions; no vscode.
//
// Folder, param, query and field names come from the workspace, and the three clients evaluate what they read:
// a line break starts a header or a request, `{{$processEnv NAME}}` reads the user's environment in REST
// Client, and httpYac runs `{{ … }}` as JavaScript. None of them has an escape for a literal `{{`, so names are
// written where braces are data: percent-encoded in URLs (as Copy as cURL does), `\u007b` in JSON strings.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HandlerRequestInfo, Route } from '../analysis/model';
import { jsonBodyTemplate, paramsOfPath } from './buildRequest';
import { encodePathSegment } from './requestText';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** One request of an `.http` file. */
export interface HttpFileRequest {
  /** The `### name` line: what the three clients list the request as. */
  name: string;
  method: string;
  /** The URL as written: `{{baseUrl}}/api/users/{{id}}?q=`. */
  url: string;
  headers: Array<[name: string, value: string]>;
  body?: string;
}

const DYNAMIC_SEGMENT = /^\[\[?(?:\.\.\.)?([^\]]+)\]?\]$/;

/**
 * A route's path with `{{name}}` variables for its params: `/api/users/[id]` → `/api/users/{{id}}`; the
 * other segments percent-encoded. An optional catch-all keeps its slash, so its variable may be empty only
 * when the URL allows a trailing slash; that is rare enough to leave to the person who fills it in.
 */
export function pathWithVariables(publicPath: string): string {
  return publicPath
    .split('/')
    .map((segment) => {
      const match = DYNAMIC_SEGMENT.exec(segment);
      return match ? `{{${variableName(match[1])}}}` : encodePathSegment(segment);
    })
    .join('/');
}

/** A route's path as a request name shows it: params in brackets as in the folder names, the rest as in the URL. */
function readablePath(publicPath: string): string {
  return publicPath
    .split('/')
    .map((segment) => {
      const brackets = /^(\[\[?(?:\.\.\.)?)(.+?)(\]\]?)$/.exec(segment);
      return brackets ? brackets[1] + encodePathSegment(brackets[2]) + brackets[3] : encodePathSegment(segment);
    })
    .join('/');
}

/** JSON text with every `{` that starts a `{{` written `\u007b`: in JSON that pair can only be inside a string. */
function withoutTemplates(json: string): string {
  return json.replace(/\{(?=\{)/g, '\\u007b');
}

/** A param name as a variable name all three clients accept (letters, digits, `_`, `-`, `.`). */
export function variableName(name: string): string {
  return name.replace(/[^\w.-]/g, '_');
}

/**
 * The requests for one route: one per method it exports itself (HEAD and OPTIONS that Next.js adds are left
 * out), each with the query names the handler reads, a JSON body template for the fields it reads, and a
 * bearer token variable where the handler reads the Authorization header.
 */
export function httpRequestsForRoute(route: Pick<Route, 'publicPath' | 'methods' | 'url'>, only?: string): HttpFileRequest[] {
  const requests: HttpFileRequest[] = [];
  for (const method of route.methods) {
    if (method.implicit) continue;
    if (only && method.name !== only.toUpperCase()) continue;
    const info: HandlerRequestInfo | undefined = method.request;
    const query = info?.query.length ? `?${info.query.map((q) => `${encodeURIComponent(q)}=`).join('&')}` : '';
    const request: HttpFileRequest = {
      name: `${method.name} ${readablePath(route.publicPath)}`,
      method: method.name,
      url: `{{baseUrl}}${pathWithVariables(route.publicPath)}${query}`,
      headers: [],
    };
    if (info?.headers.some((h) => h.toLowerCase() === 'authorization')) request.headers.push(['Authorization', 'Bearer {{token}}']);
    if (info?.body && METHODS_WITH_BODY.has(method.name)) {
      if (info.body.kind === 'json') {
        request.headers.push(['Content-Type', 'application/json']);
        request.body = withoutTemplates(jsonBodyTemplate(info.body.fields));
      } else if (info.body.kind === 'formData') {
        request.headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
        request.body = info.body.fields.map((f) => `${encodeURIComponent(f)}=`).join('&');
      } else {
        request.headers.push(['Content-Type', 'text/plain']);
        request.body = '';
      }
    }
    requests.push(request);
  }
  return requests;
}

/** The variables an `.http` file's requests use, in first-seen order. */
export function variablesOf(requests: readonly HttpFileRequest[]): string[] {
  const names = new Set<string>();
  for (const request of requests) {
    for (const text of [request.url, ...request.headers.map(([, v]) => v), request.body ?? '']) {
      for (const match of text.matchAll(/\{\{([\w.-]+)\}\}/g)) names.add(match[1]);
    }
  }
  return [...names];
}

/** What the clients may read as the end of a line, and the other control characters. */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Text for one line of the file: control characters (line breaks among them) percent-encoded, as in a URL.
 * Request lines, names and the values of variables (a base URL, a param) are all URL text.
 */
function oneLine(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (char) => encodeURIComponent(char));
}

/** A variable's value: one line, and braces percent-encoded so that it refers to no other variable. */
function variableValue(value: string): string {
  return oneLine(value).replace(/[{}]/g, (char) => encodeURIComponent(char));
}

/** Comment lines: a `#` before every line the text has, and no `{{` (a client that reads comments sees no template). */
function commentLines(text: string): string[] {
  return text
    .split(/\r\n|[\n\r\u0085\u2028\u2029]/)
    .map((line) => `# ${line.replace(CONTROL_CHARACTERS, ' ').replace(/\{(?=\{)/g, '{ ')}`.trimEnd());
}

/**
 * An `.http` file. `variables` are written at the top as `@name = value` (all three clients read these);
 * leave `baseUrl` out of them when an http-client.env.json provides it, because a file variable would hide
 * the environment's value. Requests are separated by `### name` lines. No value adds a line of its own.
 */
export function formatHttpFile(requests: readonly HttpFileRequest[], variables: Record<string, string> = {}, header?: string): string {
  const lines: string[] = [];
  if (header) lines.push(...commentLines(header), '');
  const declared = Object.entries(variables);
  for (const [name, value] of declared) lines.push(`@${variableName(name)} = ${variableValue(value)}`);
  if (declared.length > 0) lines.push('');
  requests.forEach((request, index) => {
    if (index > 0) lines.push('');
    lines.push(`### ${oneLine(request.name)}`, `${request.method} ${oneLine(request.url)}`);
    for (const [name, value] of request.headers) lines.push(`${oneLine(name)}: ${oneLine(value)}`);
    if (request.body !== undefined) lines.push('', request.body);
  });
  return `${lines.join('\n')}\n`;
}

/** The params of a set of requests' routes, as variables: each route's `[id]` becomes `{{id}}`. */
export function paramVariables(routes: ReadonlyArray<Pick<Route, 'publicPath'>>): string[] {
  const names = new Set<string>();
  for (const route of routes) for (const param of paramsOfPath(route.publicPath)) names.add(variableName(param.name));
  return [...names];
}

// ---- environments

/** `{ "dev": { "baseUrl": "…" }, "prod": { … } }`, as http-client.env.json holds them. */
export type HttpClientEnvironments = Record<string, Record<string, string>>;

export const ENV_FILE = 'http-client.env.json';
export const PRIVATE_ENV_FILE = 'http-client.private.env.json';

/** Environment names tried, in order, when no environment is chosen: the local development one. */
const PREFERRED_ENVIRONMENTS = ['dev', 'development', 'local'];

/** Parses an environment file; non-string values are turned into strings, other shapes dropped. */
export function parseEnvironments(text: string): HttpClientEnvironments {
  const parsed: unknown = JSON.parse(text);
  const environments: HttpClientEnvironments = {};
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return environments;
  for (const [name, variables] of Object.entries(parsed)) {
    if (!variables || typeof variables !== 'object' || Array.isArray(variables)) continue;
    environments[name] = {};
    for (const [key, value] of Object.entries(variables as Record<string, unknown>)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') environments[name][key] = String(value);
    }
  }
  return environments;
}

/** What the environment files of a folder hold, merged: private values over public ones, per environment. */
export interface EnvironmentFiles {
  /** The folder the files were found in. */
  dir: string;
  environments: HttpClientEnvironments;
  /** Files that exist but do not parse, with the reason. */
  errors: string[];
}

/**
 * Reads http-client.env.json and http-client.private.env.json from the first of `dirs` that has either
 * (the app folder first, then the workspace folder). Returns undefined when none has them.
 */
export function readEnvironmentFiles(dirs: readonly string[], read: (file: string) => string | undefined = readText): EnvironmentFiles | undefined {
  for (const dir of dirs) {
    const publicText = read(path.join(dir, ENV_FILE));
    const privateText = read(path.join(dir, PRIVATE_ENV_FILE));
    if (publicText === undefined && privateText === undefined) continue;
    const result: EnvironmentFiles = { dir, environments: {}, errors: [] };
    for (const [file, text] of [
      [ENV_FILE, publicText],
      [PRIVATE_ENV_FILE, privateText],
    ] as const) {
      if (text === undefined) continue;
      try {
        for (const [name, variables] of Object.entries(parseEnvironments(text))) {
          result.environments[name] = { ...result.environments[name], ...variables };
        }
      } catch (error) {
        result.errors.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return result;
  }
  return undefined;
}

/**
 * The environment to use: the chosen one when it exists, else `dev`, `development` or `local`, else the
 * only one. Undefined when the choice is not clear (several environments, none of them a local one).
 */
export function pickEnvironment(environments: HttpClientEnvironments, chosen?: string): { name: string; variables: Record<string, string> } | undefined {
  const names = Object.keys(environments);
  const name = chosen && environments[chosen] ? chosen : (PREFERRED_ENVIRONMENTS.find((n) => environments[n]) ?? (names.length === 1 ? names[0] : undefined));
  return name === undefined ? undefined : { name, variables: environments[name] };
}

/** An environment's base URL: its `baseUrl` variable, else `host` when it is a full http(s) URL. */
export function environmentBaseUrl(variables: Record<string, string>): string | undefined {
  for (const key of ['baseUrl', 'host']) {
    const value = variables[key];
    if (value && /^https?:\/\/[^/]/i.test(value)) return value.replace(/\/+$/, '');
  }
  return undefined;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
