// The Endpoints view's shape, built from the server's manifests: apps (only when there are several), then
// URL path segments, then endpoints and their methods. Pure data with parent links, so that `reveal` can
// walk upwards and plain Node can test it; routesTree.ts renders it.
import { type AppManifest, type CachingVerdict, HTTP_METHODS, type Problem, type Route, type RouteMethod, type RouteManifest } from '../server/analysis/model';

export interface AppNode {
  type: 'app';
  id: string;
  label: string;
  app: AppManifest;
  /** The scanned folder, absolute: route files are relative to it. */
  root: string;
  parent?: undefined;
  children: PathNode[];
}

/** A path segment that only groups other URLs (`/api`). */
export interface SegmentNode {
  type: 'segment';
  id: string;
  label: string;
  path: string;
  parent?: AppNode | PathNode;
  children: PathNode[];
}

/** A URL a route file serves. Its children are its methods, then the URLs below it. */
export interface EndpointNode {
  type: 'endpoint';
  id: string;
  label: string;
  route: Route;
  app: AppManifest;
  appLabel: string;
  root: string;
  /** The problems reported on the route file. */
  problems: Problem[];
  parent?: AppNode | PathNode;
  methods: MethodNode[];
  children: PathNode[];
}

/** One explicitly exported method of an endpoint. */
export interface MethodNode {
  type: 'method';
  id: string;
  method: RouteMethod;
  parent: EndpointNode;
}

export type PathNode = SegmentNode | EndpointNode;
export type EndpointTreeNode = AppNode | PathNode | MethodNode;

export interface EndpointTree {
  roots: Array<AppNode | PathNode>;
  endpoints: EndpointNode[];
  appCount: number;
}

export const EMPTY_TREE: EndpointTree = { roots: [], endpoints: [], appCount: 0 };

interface Trie {
  segment: string;
  path: string;
  routes: Route[];
  children: Map<string, Trie>;
}

/** Static segments first, then `[id]`, `[...all]`, `[[...all]]`: the order in which Next.js matches them. */
function segmentRank(segment: string): number {
  if (segment.startsWith('[[...')) return 3;
  if (segment.startsWith('[...')) return 2;
  if (segment.startsWith('[')) return 1;
  return 0;
}

function compareSegments(a: string, b: string): number {
  return segmentRank(a) - segmentRank(b) || a.localeCompare(b);
}

export function explicitMethods(route: Route): RouteMethod[] {
  return route.methods.filter((m) => !m.implicit);
}

function lastPathPart(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p.length > 0);
  return parts[parts.length - 1] ?? path;
}

function appLabelOf(app: AppManifest, manifest: RouteManifest): string {
  if (app.name) return app.name;
  return app.root === '.' ? lastPathPart(manifest.root) : app.root;
}

function buildTrie(routes: readonly Route[]): Trie {
  const root: Trie = { segment: '', path: '/', routes: [], children: new Map() };
  for (const route of routes) {
    let node = root;
    for (const segment of route.url.split('/').filter((s) => s.length > 0)) {
      let child = node.children.get(segment);
      if (!child) {
        child = { segment, path: node.path === '/' ? `/${segment}` : `${node.path}/${segment}`, routes: [], children: new Map() };
        node.children.set(segment, child);
      }
      node = child;
    }
    node.routes.push(route);
  }
  return root;
}

interface AppContext {
  app: AppManifest;
  appLabel: string;
  root: string;
  idPrefix: string;
  problemsByFile: Map<string, Problem[]>;
  endpoints: EndpointNode[];
}

function endpointNode(context: AppContext, route: Route, label: string, parent: AppNode | PathNode | undefined): EndpointNode {
  const node: EndpointNode = {
    type: 'endpoint',
    id: `${context.idPrefix}:${route.url}:${route.file}`,
    label,
    route,
    app: context.app,
    appLabel: context.appLabel,
    root: context.root,
    problems: context.problemsByFile.get(route.file) ?? [],
    parent,
    methods: [],
    children: [],
  };
  // Metadata routes answer GET only and say nothing more per method, so they get no method children.
  if (route.kind === 'route') {
    node.methods = explicitMethods(route).map((method) => ({ type: 'method', id: `${node.id}#${method.name}`, method, parent: node }));
  }
  context.endpoints.push(node);
  return node;
}

function pathNodes(context: AppContext, trie: Trie, parent: AppNode | PathNode | undefined): PathNode[] {
  const nodes: PathNode[] = [];
  for (const child of [...trie.children.values()].sort((a, b) => compareSegments(a.segment, b.segment))) {
    if (child.routes.length === 0) {
      const segment: SegmentNode = { type: 'segment', id: `${context.idPrefix}:${child.path}/`, label: child.segment, path: child.path, parent, children: [] };
      segment.children = pathNodes(context, child, segment);
      nodes.push(segment);
      continue;
    }
    const [first, ...duplicates] = child.routes;
    const endpoint = endpointNode(context, first, child.segment, parent);
    endpoint.children = pathNodes(context, child, endpoint);
    nodes.push(endpoint);
    // Two files for one URL are a conflict the diagnostics report; the tree shows both side by side.
    for (const duplicate of duplicates) nodes.push(endpointNode(context, duplicate, child.segment, parent));
  }
  return nodes;
}

function appPathNodes(context: AppContext, parent: AppNode | undefined): PathNode[] {
  const trie = buildTrie(context.app.routes);
  const rootEndpoints = trie.routes.map((route) => endpointNode(context, route, '/', parent));
  return [...rootEndpoints, ...pathNodes(context, trie, parent)];
}

function problemsByFile(app: AppManifest, manifest: RouteManifest): Map<string, Problem[]> {
  const byFile = new Map<string, Problem[]>();
  for (const problem of [...app.problems, ...manifest.problems]) {
    if (!problem.file) continue;
    const list = byFile.get(problem.file) ?? [];
    list.push(problem);
    byFile.set(problem.file, list);
  }
  return byFile;
}

/** Builds the tree of every app in every workspace folder. */
export function buildEndpointTree(folders: ReadonlyArray<{ uri: string; manifest: RouteManifest }>): EndpointTree {
  const apps = folders.flatMap((folder) => folder.manifest.apps.map((app) => ({ folder, app })));
  const endpoints: EndpointNode[] = [];
  const showApps = apps.length > 1;
  const roots: Array<AppNode | PathNode> = [];
  for (const { folder, app } of apps) {
    const context: AppContext = {
      app,
      appLabel: appLabelOf(app, folder.manifest),
      root: folder.manifest.root,
      idPrefix: `${folder.uri}#${app.root}`,
      problemsByFile: problemsByFile(app, folder.manifest),
      endpoints,
    };
    if (!showApps) {
      roots.push(...appPathNodes(context, undefined));
      continue;
    }
    const appNode: AppNode = { type: 'app', id: context.idPrefix, label: context.appLabel, app, root: context.root, children: [] };
    appNode.children = appPathNodes(context, appNode);
    roots.push(appNode);
  }
  return { roots, endpoints, appCount: apps.length };
}

/** What a filter leaves of the tree: the endpoints it matches, and every node on the way to one of them. */
export interface FilteredTree {
  /** Matched endpoints and their ancestors. */
  visible: Set<EndpointTreeNode>;
  /** The endpoints the filter matches; the other visible endpoints only lead to them. */
  matched: Set<EndpointNode>;
}

/** The matched endpoints and their ancestors (a segment or endpoint that only leads to matches is kept for the path). */
export function filterTree(tree: EndpointTree, keep: (endpoint: EndpointNode) => boolean): FilteredTree {
  const visible = new Set<EndpointTreeNode>();
  const matched = new Set<EndpointNode>();
  const visit = (node: AppNode | PathNode): boolean => {
    let shown = node.type === 'endpoint' && keep(node);
    if (shown) matched.add(node as EndpointNode);
    for (const child of node.children) shown = visit(child) || shown;
    if (shown) visible.add(node);
    return shown;
  };
  for (const root of tree.roots) visit(root);
  return { visible, matched };
}

/**
 * The children a filtered view shows: only visible nodes, and a method only under a matched endpoint and,
 * with `method:` in the filter, only the methods it names.
 */
export function filteredChildren(children: readonly EndpointTreeNode[], filtered: FilteredTree, methods: readonly string[]): EndpointTreeNode[] {
  return children.filter((child) => {
    if (child.type !== 'method') return filtered.visible.has(child);
    if (!filtered.matched.has(child.parent)) return false;
    return methods.length === 0 || methods.includes(child.method.name);
  });
}

/** The children `getChildren` shows for a node. */
export function childrenOf(node: EndpointTreeNode): EndpointTreeNode[] {
  switch (node.type) {
    case 'app':
    case 'segment':
      return node.children;
    case 'endpoint':
      return [...node.methods, ...node.children];
    case 'method':
      return [];
  }
}

/** Above this many explicit methods the description names the first few and counts the rest. */
const METHODS_NAMED = 4;

/**
 * The explicit methods as a description: `GET POST`. A catch-all proxy that exports every method would fill the
 * row (`GET HEAD POST PUT DELETE PATCH OPTIONS`, cut at the default sidebar width): it says `every method`, and
 * five or six say `GET POST PUT +3`; the method rows below it name them all.
 */
export function methodList(route: Route): string {
  const names = explicitMethods(route).map((m) => m.name);
  if (names.length <= METHODS_NAMED) return names.join(' ');
  if (names.length === HTTP_METHODS.length) return 'every method';
  return `${names.slice(0, METHODS_NAMED - 1).join(' ')} +${names.length - (METHODS_NAMED - 1)}`;
}


/** 60 → `60s`, 3600 → `1h`, 86400 → `1d`: how long a cached response lives, in the badge's few characters. */
export function formatSeconds(seconds: number): string {
  const units: Array<[suffix: string, size: number]> = [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ];
  for (const [suffix, size] of units) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${suffix}`;
  }
  return `${seconds}s`;
}

/** The short caching text after the methods: `static`, `ISR 1h`, `SSG`, `dynamic`... */
export function cachingBadge(caching: CachingVerdict | undefined): string {
  if (!caching) return '';
  const every = caching.revalidate !== undefined ? ` ${formatSeconds(caching.revalidate)}` : '';
  switch (caching.kind) {
    case 'static':
      return 'static';
    case 'isr':
      return `ISR${every}`;
    case 'ssg':
      return 'SSG';
    case 'ssg-isr':
      return `SSG + ISR${every}`;
    case 'dynamic':
      return dynamicBadge(caching.because);
    case 'error':
      return 'build error';
    case 'unknown':
      return 'caching unknown';
  }
}

/**
 * Most GETs of a Next.js 15 or 16 app are dynamic because nothing opted them in: that is said as the default,
 * apart from a GET made dynamic by something in its code (`dynamic: cookies()`), which is worth a look.
 */
function dynamicBadge(because: string | undefined): string {
  if (because === undefined) return 'dynamic';
  if (because === 'default') return 'dynamic (default)';
  const method = /^also exports (\w+)$/.exec(because);
  if (method) return `dynamic (has ${method[1]})`;
  return `dynamic: ${because.length > BADGE_REASON_LENGTH ? because.slice(0, BADGE_REASON_LENGTH - 1) + '…' : because}`;
}

const BADGE_REASON_LENGTH = 24;

/**
 * An endpoint's description: its methods and the GET's caching in one word, `GET POST · dynamic`, or a metadata
 * route's kind. It must fit a sidebar of the default width below a few levels of URL, so the reason goes on the
 * GET's own row and in the tooltip; a GET dynamic only by default gets no word at all (its icon is greyed), so
 * that the exceptions (`static`, `ISR 1h`, `dynamic` because of its code, `build error`) stand out.
 */
export function endpointDescription(route: Route): string {
  if (route.kind !== 'route') return route.kind;
  const methods = methodList(route) || 'no methods';
  const caching = route.caching;
  if (caching?.kind === 'dynamic' && caching.because === 'default') return methods;
  const badge = caching?.kind === 'dynamic' ? 'dynamic' : cachingBadge(caching);
  return badge ? `${methods} · ${badge}` : methods;
}


/**
 * A method's description: its wrappers, outermost first (`withAuth → withLogging`), and for GET the caching
 * verdict with its reason (`dynamic: cookies()`, `dynamic (default)`). The export form is in the tooltip.
 */
export function methodDescription(method: RouteMethod, route: Route): string {
  const parts: string[] = [];
  if (method.wrappers && method.wrappers.length > 0) parts.push(method.wrappers.join(' → '));
  if (method.name === 'GET' && route.kind === 'route') {
    const badge = cachingBadge(route.caching);
    if (badge) parts.push(badge);
  }
  return parts.join(' · ');
}

/** The worst severity among problems, when it is worth a warning icon. */
export function worstSeverity(problems: readonly Problem[]): 'error' | 'warning' | undefined {
  if (problems.some((p) => p.severity === 'error')) return 'error';
  if (problems.some((p) => p.severity === 'warning')) return 'warning';
  return undefined;
}
