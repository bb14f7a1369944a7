// Finding the endpoint a tool call means: by URL pattern (`/api/users/[id]`, `/api/users/{id}`), by a concrete
// path routed the way Next.js routes it (`/api/users/42`, with or without basePath, or a whole URL), or by
// file. Every step is linear in the routes and in the length of what was asked.
import type { AppManifest, Route } from '../analysis/model';
import { inert } from './text';
import type { AgentContext, AgentFolder } from './types';

export interface AppRef {
  folder: AgentFolder;
  app: AppManifest;
}

export interface RouteRef extends AppRef {
  route: Route;
  /** The values a concrete path gives the route's params: `{ id: '42' }`, `{ slug: ['a', 'b'] }`. */
  params?: Record<string, string | string[]>;
  /** How the route was found, for the answer to say. */
  matchedBy: 'pattern' | 'path' | 'file' | 'handler';
}

export type Found<T> = { ok: true; value: T } | { ok: false; error: string };

/** The apps to look in: all of them, or those whose name or root is `app`. */
export function selectApps(context: AgentContext, app: string | undefined): Found<AppRef[]> {
  const all: AppRef[] = context.folders.flatMap((folder) => folder.manifest.apps.map((a) => ({ folder, app: a })));
  if (app === undefined || app === '') return { ok: true, value: all };
  const wanted = app.replace(/\/+$/, '') || '.';
  const chosen = all.filter(({ app: a }) => a.name === wanted || a.root === wanted);
  if (chosen.length > 0) return { ok: true, value: chosen };
  const known = all.slice(0, 20).map(({ app: a }) => (a.name ? `${a.name} (${a.root})` : a.root));
  return {
    ok: false,
    error: all.length === 0 ? 'No Next.js app was found in the workspace.' : `No app is named ${JSON.stringify(inert(app))}. The apps are: ${inert(known.join(', '))}${all.length > 20 ? ', …' : ''}.`,
  };
}

/** A URL pattern with each dynamic segment as `{name}` or `{...name}`: `/api/[id]` and `/api/{id}` compare equal. */
function patternKey(url: string): string {
  const segments = url.split('/').map((segment) => {
    const optional = /^\[\[\.\.\.(.+)\]\]$/.exec(segment);
    if (optional) return `{...${optional[1]}}`;
    const catchAll = /^\[\.\.\.(.+)\]$/.exec(segment);
    if (catchAll) return `{...${catchAll[1]}}`;
    const dynamic = /^\[(.+)\]$/.exec(segment);
    return dynamic ? `{${dynamic[1]}}` : segment;
  });
  const joined = segments.join('/');
  return joined.length > 1 ? joined.replace(/\/+$/, '') : joined;
}

/** The path part of what was asked: a whole URL loses its origin, any query and fragment; a leading `/` is added. */
export function pathOf(url: string): Found<string> {
  let text = url.trim();
  if (/^https?:\/\//i.test(text)) {
    try {
      text = new URL(text).pathname;
    } catch {
      return { ok: false, error: `${JSON.stringify(inert(url))} is not a URL that can be read.` };
    }
  }
  const end = text.search(/[?#]/);
  if (end !== -1) text = text.slice(0, end);
  if (!text.startsWith('/')) text = `/${text}`;
  return { ok: true, value: text };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * How well a concrete path fits a route pattern, compared lexicographically (lower is better), one entry per
 * segment as Next.js orders routes: 0 a static segment, 1 a dynamic one, 2 a catch-all, 3 an optional
 * catch-all (which ends the pattern). Undefined when the path does not reach the route.
 */
function rankPath(pattern: readonly string[], segments: readonly string[]): { rank: number[]; params: Record<string, string | string[]> } | undefined {
  const rank: number[] = [];
  const params: Record<string, string | string[]> = {};
  for (let j = 0; j < pattern.length; j++) {
    const part = pattern[j];
    if (part.startsWith('[[...') && part.endsWith(']]')) {
      if (j > segments.length) return undefined;
      params[part.slice(5, -2)] = segments.slice(j);
      return { rank: [...rank, 3], params };
    }
    if (part.startsWith('[...') && part.endsWith(']')) {
      if (j >= segments.length) return undefined;
      params[part.slice(4, -1)] = segments.slice(j);
      return { rank: [...rank, 2], params };
    }
    if (j >= segments.length) return undefined;
    if (part.startsWith('[') && part.endsWith(']')) {
      // A placeholder asked for (`[userId]`, `{id}`) fits the segment but is no value for it.
      if (!isPlaceholder(segments[j])) params[part.slice(1, -1)] = segments[j];
      rank.push(1);
    } else if (part === segments[j]) rank.push(0);
    else return undefined;
  }
  return segments.length === pattern.length ? { rank, params } : undefined;
}

function isPlaceholder(segment: string): boolean {
  return (segment.startsWith('[') && segment.endsWith(']')) || (segment.startsWith('{') && segment.endsWith('}'));
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? -1;
    const y = b[i] ?? -1;
    if (x !== y) return x - y;
  }
  return 0;
}

const segmentsOf = (path: string): string[] => path.split('/').filter(Boolean);

/** The route of one app a concrete path reaches, as Next.js picks it: the best rank, the first of equals. */
function routePath(app: AppManifest, segments: readonly string[]): { route: Route; params: Record<string, string | string[]> } | undefined {
  let best: { route: Route; rank: number[]; params: Record<string, string | string[]> } | undefined;
  for (const route of app.routes) {
    if (route.intercepting) continue;
    const fit = rankPath(segmentsOf(route.url), segments);
    if (fit && (!best || compareRanks(fit.rank, best.rank) < 0)) best = { route, ...fit };
  }
  return best && { route: best.route, params: best.params };
}

/** The routes a URL means, in each app asked about: by pattern first, then as a concrete path. */
export function findByUrl(apps: readonly AppRef[], url: string): Found<RouteRef[]> {
  const path = pathOf(url);
  if (!path.ok) return path;
  const key = patternKey(path.value);
  const byPattern: RouteRef[] = [];
  for (const ref of apps) {
    for (const route of ref.app.routes) {
      if (patternKey(route.url) === key || patternKey(route.publicPath) === key) byPattern.push({ ...ref, route, matchedBy: 'pattern' });
    }
  }
  if (byPattern.length > 0) return { ok: true, value: byPattern };
  const segments = segmentsOf(path.value).map(decodeSegment);
  const byPath: RouteRef[] = [];
  for (const ref of apps) {
    const basePath = ref.app.config.basePath.known ? segmentsOf(ref.app.config.basePath.value) : [];
    // A path that starts with the basePath is what a client requests; one without it is the route's own URL.
    const withoutBase = basePath.length > 0 && basePath.every((part, i) => segments[i] === part) ? segments.slice(basePath.length) : undefined;
    const hit = (withoutBase && routePath(ref.app, withoutBase)) || routePath(ref.app, segments);
    if (hit) byPath.push({ ...ref, route: hit.route, params: hit.params, matchedBy: 'path' });
  }
  if (byPath.length > 0) return { ok: true, value: byPath };
  return { ok: false, error: `No endpoint matches ${inert(path.value)}.${suggestions(apps, segments)}` };
}

/** Up to five routes whose URLs start the way the asked one does, for an answer that found nothing. */
function suggestions(apps: readonly AppRef[], segments: readonly string[]): string {
  const scored: Array<{ url: string; shared: number }> = [];
  for (const { app } of apps) {
    for (const route of app.routes) {
      const parts = segmentsOf(route.url);
      let shared = 0;
      while (shared < parts.length && shared < segments.length && (parts[shared] === segments[shared] || parts[shared].startsWith('['))) shared++;
      scored.push({ url: route.url, shared });
    }
  }
  if (scored.length === 0) return ' The workspace has no endpoints.';
  scored.sort((a, b) => b.shared - a.shared || (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  const unique = [...new Set(scored.slice(0, 20).map((s) => s.url))].slice(0, 5);
  return ` Closest: ${inert(unique.join(', '))}. list_endpoints lists them all (url takes a glob such as /api/**).`;
}

/** A file as the manifest writes it: relative to the folder root, `/` separators, no `./`. */
function relativeFile(folder: AgentFolder, file: string): string {
  let text = file.trim().replace(/\\/g, '/');
  const root = folder.manifest.root.replace(/\\/g, '/').replace(/\/+$/, '');
  if (text.startsWith(`${root}/`)) text = text.slice(root.length + 1);
  while (text.startsWith('./')) text = text.slice(2);
  return text;
}

/** The routes of a file: its route file, else routes whose file ends with it, else routes whose handler it holds. */
export function findByFile(apps: readonly AppRef[], file: string): Found<RouteRef[]> {
  const exact: RouteRef[] = [];
  const suffix: RouteRef[] = [];
  const handler: RouteRef[] = [];
  for (const ref of apps) {
    const wanted = relativeFile(ref.folder, file);
    if (wanted === '') continue;
    for (const route of ref.app.routes) {
      if (route.file === wanted) exact.push({ ...ref, route, matchedBy: 'file' });
      else if (route.file.endsWith(`/${wanted}`)) suffix.push({ ...ref, route, matchedBy: 'file' });
      else if (route.methods.some((m) => m.definition?.file === wanted)) handler.push({ ...ref, route, matchedBy: 'handler' });
    }
  }
  const found = exact.length > 0 ? exact : suffix.length > 0 ? suffix : handler;
  if (found.length > 0) return { ok: true, value: found };
  return { ok: false, error: `No route file or handler module is ${JSON.stringify(inert(file))}. Give a path relative to the workspace folder (app/api/users/route.ts), or a URL.` };
}

/** The routes that `url` or `file` name, in the app asked about: what get_endpoint, explain_caching and build_request start from. */
export function findEndpoint(context: AgentContext, args: { url?: unknown; file?: unknown; app?: unknown }): Found<RouteRef[]> {
  const url = typeof args.url === 'string' && args.url.trim() !== '' ? args.url : undefined;
  const file = typeof args.file === 'string' && args.file.trim() !== '' ? args.file : undefined;
  if ((url === undefined) === (file === undefined)) {
    return { ok: false, error: 'Give either url (a pattern such as /api/users/[id], or a path such as /api/users/42) or file (app/api/users/route.ts), not both.' };
  }
  const apps = selectApps(context, typeof args.app === 'string' ? args.app : undefined);
  if (!apps.ok) return apps;
  if (apps.value.length === 0) return { ok: false, error: noAppMessage(context) };
  return url !== undefined ? findByUrl(apps.value, url) : findByFile(apps.value, file!);
}

/** Why there is nothing to answer from: no app found, or a folder that is gone. */
export function noAppMessage(context: AgentContext): string {
  const missing = context.folders.flatMap((f) => f.manifest.problems).find((p) => p.id === 'folder-missing');
  if (missing) return inert(missing.message);
  const roots = context.folders.map((f) => f.manifest.root).join(', ');
  return `No Next.js app with an app/ or src/app/ folder was found under ${inert(roots)}.`;
}
