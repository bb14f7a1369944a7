// OpenAPI paths, parameters, operation ids and tags from Next.js URLs.
import { dynamicSegment } from '../analysis/urls';
import type { ParamKind, Route } from '../analysis/model';
import { encodePathSegment } from '../requests/requestText';

/** A path parameter as the document names it, with the segment it comes from. */
export interface PathParam {
  /** The name in the template and the parameter: the folder's name, or a safe stand-in (see `safeParamName`). */
  name: string;
  /** The name between the brackets of the folder, as Next.js passes it to the handler. */
  folderName: string;
  kind: ParamKind;
}

/** One OpenAPI path a route is served at: an optional catch-all gives two, with and without its segment. */
export interface RoutePath {
  template: string;
  params: PathParam[];
}

/**
 * The paths a route is served at, relative to the basePath (which goes into `servers`): `[id]` becomes
 * `{id}`, a catch-all `[...path]` one parameter `{path}` that stands for one or more segments, and an
 * optional catch-all `[[...slug]]` two paths, one without the segment and one with `{slug}`. Static
 * segments are percent-encoded as a client sends them, so that a folder named `{x}` or `a b` cannot
 * make a template of its own.
 */
export function routePaths(route: Route, basePath: string): RoutePath[] {
  let path = route.publicPath;
  if (basePath && path.startsWith(basePath)) path = path.slice(basePath.length);
  if (!path.startsWith('/')) path = '/' + path;
  const segments = path.split('/').slice(1);
  const used = new Set<string>();
  const parts: string[] = [];
  const params: PathParam[] = [];
  let optionalAt = -1;
  for (const segment of segments) {
    const param = dynamicSegment(segment);
    if (!param) {
      parts.push(encodePathSegment(segment));
      continue;
    }
    const name = uniqueName(safeParamName(param.name), used);
    if (param.kind === 'optionalCatchAll') optionalAt = parts.length;
    params.push({ name, folderName: param.name, kind: param.kind });
    parts.push(`{${name}}`);
  }
  const full: RoutePath = { template: '/' + parts.join('/'), params };
  if (optionalAt === -1) return [full];
  // Next.js allows an optional catch-all only as the last segment (a trailing slash may follow it).
  const bare = '/' + parts.filter((_, index) => index !== optionalAt).join('/');
  return [{ template: bare, params: params.filter((p) => p.kind !== 'optionalCatchAll') }, full];
}

/**
 * A parameter name that fits in a path template: letters, digits and `_.-~` stay, anything else (braces,
 * slashes, spaces, quotes) becomes `_`. Next.js passes the folder's own name to the handler; the
 * parameter says so when the two differ.
 */
export function safeParamName(name: string): string {
  const safe = name.replace(/[^\p{L}\p{N}_.~-]/gu, '_');
  return safe || '_';
}

function uniqueName(name: string, used: Set<string>): string {
  let candidate = name;
  for (let n = 2; used.has(candidate); n++) candidate = `${name}_${n}`;
  used.add(candidate);
  return candidate;
}

/**
 * `getApiUsersById` for GET /api/users/{id}: the method, then each segment's words capitalized, a
 * parameter as `By` and its name. Only letters and digits are kept, so the id is an identifier in most
 * languages a client is generated in.
 */
export function baseOperationId(method: string, template: string): string {
  const words: string[] = [];
  for (const segment of template.split('/')) {
    if (!segment) continue;
    const param = /^\{(.+)\}$/.exec(segment);
    const text = param ? param[1] : safeDecode(segment);
    const segmentWords = text.split(/[^\p{L}\p{N}]+/u).filter(Boolean).map(capitalize);
    if (segmentWords.length === 0) continue;
    words.push(...(param ? ['By', ...segmentWords] : segmentWords));
  }
  return method.toLowerCase() + (words.length > 0 ? words.join('') : 'Root');
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Hands out operation ids: the base id, or with `_2`, `_3` when an earlier operation took it. */
export class OperationIds {
  private readonly used = new Set<string>();

  take(method: string, template: string): string {
    return uniqueName(baseOperationId(method, template), this.used);
  }
}

/** Segments that say nothing about what an endpoint is about: `api`, versions (`v1`, `v2beta`). */
const GENERIC_SEGMENT = /^(api|v\d+[a-z]*)$/i;

/**
 * The tag of a path: its first static segment that is not `api` or a version, else its first static
 * segment; none for `/` or a path of parameters only.
 */
export function tagOf(template: string): string | undefined {
  const statics = template.split('/').filter((segment) => segment && !/^\{.+\}$/.test(segment)).map(safeDecode);
  return statics.find((segment) => !GENERIC_SEGMENT.test(segment)) ?? statics[0];
}
