import type { RouteParam } from './model';

export interface SegmentUrl {
  /** The URL pattern as Next.js writes it, starting with `/`. */
  url: string;
  params: RouteParam[];
  intercepting: boolean;
  /** The folder that keeps this path out of routing (`_private`), when there is one. */
  privateFolder?: string;
}

const INTERCEPTION_MARKER = /^\((\.{1,3}|\.\.(?:\)\(\.\.)+)\)/;

/** A folder name that is a route group, `(marketing)`; interception markers are not groups. */
export function isRouteGroup(segment: string): boolean {
  return segment.startsWith('(') && segment.endsWith(')') && !INTERCEPTION_MARKER.test(segment);
}

/** A parallel-route slot, `@modal`. */
export function isParallelSlot(segment: string): boolean {
  return segment.startsWith('@');
}

/** A private folder, `_lib`; `%5F` escapes the underscore into an ordinary segment. */
export function isPrivateFolder(segment: string): boolean {
  return segment.startsWith('_');
}

export function dynamicSegment(segment: string): RouteParam | undefined {
  let match = /^\[\[\.\.\.([^\]]+)\]\]$/.exec(segment);
  if (match) return { name: match[1], kind: 'optionalCatchAll' };
  match = /^\[\.\.\.([^\]]+)\]$/.exec(segment);
  if (match) return { name: match[1], kind: 'catchAll' };
  match = /^\[([^\]]+)\]$/.exec(segment);
  if (match) return { name: match[1], kind: 'dynamic' };
  return undefined;
}


/**
 * The URL of a folder under the app dir, from its folder names (app dir excluded), following Next.js's
 * `normalizeAppPath`: groups and slots vanish, everything else is kept as written, `%5F` decodes to `_`.
 */
export function urlOfSegments(segments: readonly string[]): SegmentUrl {
  const parts: string[] = [];
  const params: RouteParam[] = [];
  let intercepting = false;
  let privateFolder: string | undefined;
  for (const segment of segments) {
    if (isPrivateFolder(segment) && privateFolder === undefined) privateFolder = segment;
    if (isRouteGroup(segment) || isParallelSlot(segment)) continue;
    if (INTERCEPTION_MARKER.test(segment)) intercepting = true;
    const param = dynamicSegment(segment);
    if (param) params.push(param);
    parts.push(segment.replace(/^%5F/i, '_'));
  }
  return { url: '/' + parts.join('/'), params, intercepting, privateFolder };
}

/**
 * `basePath` + url, with the trailing slash Next.js redirects to when `trailingSlash` is on. Like Next's
 * own redirects, paths that look like files (`feed.xml`) and `.well-known` paths keep no slash.
 */
export function publicPathOf(url: string, basePath: string, trailingSlash: boolean): string {
  let path = url === '/' ? basePath || '/' : basePath + url;
  if (trailingSlash && !path.endsWith('/') && !looksLikeFile(path) && !path.includes('/.well-known')) path += '/';
  return path;
}

/** True when the last segment has an extension (`feed.xml`, not `.env`), looking at that segment only. */
function looksLikeFile(path: string): boolean {
  const segment = path.slice(path.lastIndexOf('/') + 1);
  const dot = segment.lastIndexOf('.');
  return dot > 0 && /^\w+$/.test(segment.slice(dot + 1));
}
