// Synthetic Next.js workspaces for the benchmark: one app with N route files, deterministic from a seed.
//
// The app looks like a large real one: most handlers under src/app/api, a handful of route groups,
// dynamic segments of every kind, every export form the analyzer understands (see ExportForm in
// server/analysis/model.ts), wrappers and handler modules shared by many routes (so per-file caching
// matters), zod bodies, segment config, pages (~20% of the route count), UI files and metadata files.
// Lib modules are written only when some route imports them, so no lib file is dead weight in the floor.
//
// Everything comes from one seeded PRNG consumed in a fixed order: the same (routeCount, seed,
// GENERATOR_VERSION) always produces byte-identical files. Bump GENERATOR_VERSION on any change to the
// output so cached workspaces are regenerated.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';

export const GENERATOR_VERSION = 1;
/** Written last into the workspace root; a workspace without it is incomplete. */
export const META_FILE = '.route-atlas-bench.json';

export type BenchForm = 'function' | 'const' | 'wrapped' | 'alias' | 'destructured' | 'imported' | 'reexport' | 'exportStar';

export interface GeneratedMethod {
  name: string;
  form: BenchForm;
}

export interface GeneratedRoute {
  /** Relative to the workspace root, `/` separators. */
  file: string;
  url: string;
  /** Folders between the app dir and the file (groups included). */
  depth: number;
  /** Under a catch-all: nothing may be nested below it. */
  terminal: boolean;
  profile: string;
  lines: number;
  methods: GeneratedMethod[];
}

export interface GeneratedMeta {
  generatorVersion: number;
  seed: number;
  routeCount: number;
  /** Relative to the workspace root. */
  appDir: string;
  routes: GeneratedRoute[];
  pages: string[];
  metadataFiles: string[];
  libFiles: string[];
  /** UI convention files (layout, loading, ...) and colocated modules. */
  otherFiles: string[];
  totals: { files: number; bytes: number };
  stats: GeneratorStats;
}

export interface GeneratorStats {
  profiles: Record<string, number>;
  forms: Record<string, number>;
  methods: Record<string, number>;
  depth: Record<string, number>;
  lines: Record<string, number>;
  segmentConfig: Record<string, number>;
  params: Record<string, number>;
  bodies: Record<string, number>;
  wrappers: Record<string, number>;
  otherExports: Record<string, number>;
  underGroup: number;
}

// ---------------------------------------------------------------------------------------------
// Randomness

export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = (seed * 0x9e3779b1) >>> 0 || 0x2545f491;
  }
  /** mulberry32: fast, good enough, and the same on every platform. */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let x = this.next() * total;
    for (const [value, w] of entries) {
      if (w <= 0) continue;
      if ((x -= w) < 0) return value;
    }
    return entries.filter(([, w]) => w > 0).at(-1)![0];
  }
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = [...items];
    const out: T[] = [];
    while (out.length < k && copy.length > 0) out.push(copy.splice(Math.floor(this.next() * copy.length), 1)[0]);
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const RESOURCE_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['users', 'User'], ['posts', 'Post'], ['comments', 'Comment'], ['orders', 'Order'], ['products', 'Product'],
  ['invoices', 'Invoice'], ['teams', 'Team'], ['projects', 'Project'], ['tasks', 'Task'], ['events', 'Event'],
  ['sessions', 'Session'], ['payments', 'Payment'], ['subscriptions', 'Subscription'], ['files', 'File'],
  ['uploads', 'Upload'], ['reports', 'Report'], ['notifications', 'Notification'], ['messages', 'Message'],
  ['channels', 'Channel'], ['tags', 'Tag'], ['categories', 'Category'], ['reviews', 'Review'], ['carts', 'Cart'],
  ['coupons', 'Coupon'], ['customers', 'Customer'], ['accounts', 'Account'], ['audit-logs', 'AuditLog'],
  ['metrics', 'Metric'], ['feeds', 'Feed'], ['integrations', 'Integration'], ['tokens', 'Token'],
  ['api-keys', 'ApiKey'], ['members', 'Member'], ['invites', 'Invite'], ['roles', 'Role'],
  ['permissions', 'Permission'], ['shipments', 'Shipment'], ['warehouses', 'Warehouse'], ['articles', 'Article'],
  ['assets', 'Asset'], ['workspaces', 'Workspace'], ['organizations', 'Organization'],
  ['environments', 'Environment'], ['deployments', 'Deployment'], ['builds', 'Build'], ['alerts', 'Alert'],
  ['dashboards', 'Dashboard'], ['segments', 'Segment'],
];
const NAMESPACES = ['admin', 'billing', 'internal', 'public', 'partner', 'mobile', 'v1', 'v2', 'analytics', 'platform', 'ops', 'search'];
const ACTIONS = ['stats', 'export', 'import', 'history', 'activity', 'archive', 'publish', 'preview', 'summary', 'batch', 'sync', 'status', 'callback', 'verify', 'refresh', 'download', 'upload', 'settings', 'count', 'recent', 'bulk', 'restore', 'duplicate', 'avatar'];
const GROUPS = ['(internal)', '(v1)', '(public)', '(admin)', '(partners)', '(beta)', '(legacy)'];
const PAGE_TOP = ['dashboard', 'settings', 'docs', 'blog', 'account', 'projects', 'help', 'reports', 'inbox', 'onboarding'];
const PAGE_WORDS = ['overview', 'general', 'members', 'billing', 'security', 'notifications', 'integrations', 'profile', 'activity', 'usage', 'new', 'edit', 'history', 'guides', 'reference', 'changelog', 'pricing', 'about', 'careers', 'legal', 'privacy', 'terms', 'faq', 'contact'];
const FIELDS = ['name', 'title', 'email', 'description', 'status', 'amount', 'currency', 'quantity', 'price', 'url', 'role', 'visibility', 'dueDate', 'priority', 'ownerId', 'parentId', 'metadata', 'tags', 'notes', 'color', 'slug', 'locale', 'timezone', 'enabled'];
const QUERY = ['page', 'limit', 'q', 'sort', 'order', 'cursor', 'status', 'from', 'to', 'tag', 'include', 'fields', 'after', 'before', 'filter', 'locale', 'since', 'type', 'owner'];
const HEADERS = ['authorization', 'x-api-key', 'x-request-id', 'x-forwarded-for', 'user-agent', 'if-none-match', 'x-tenant-id', 'accept-language'];
const AREAS = ['billing', 'admin', 'analytics', 'integrations', 'internal', 'partner', 'mobile', 'search', 'platform', 'ops', 'reporting', 'sync'];

/** Methods each shared handler module exports (`export *` targets). */
const SHARED: Record<string, string[]> = {
  health: ['GET', 'HEAD'],
  webhook: ['POST'],
  proxy: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  preflight: ['OPTIONS'],
  status: ['GET'],
  metrics: ['GET', 'HEAD', 'POST'], // export * from './health' + its own POST
};

interface Resource {
  plural: string;
  /** `User` */
  one: string;
  /** `Users`, `AuditLogs` */
  many: string;
  /** `users`, `auditLogs` */
  camel: string;
  fields: string[];
}

function pascalOf(kebab: string): string {
  return kebab.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

function camelOf(kebab: string): string {
  const p = pascalOf(kebab);
  return p[0].toLowerCase() + p.slice(1);
}

// ---------------------------------------------------------------------------------------------
// The folder tree

type ParamKind = 'dynamic' | 'catchAll' | 'optionalCatchAll';
type NodeKind = 'root' | 'static' | 'group' | ParamKind;

interface TreeNode {
  name: string;
  /** Relative to the app dir, `/` separators, '' for the app dir itself. */
  dir: string;
  url: string;
  depth: number;
  parent?: TreeNode;
  kind: NodeKind;
  params: Array<{ name: string; kind: ParamKind }>;
  terminal: boolean;
  hasFile: boolean;
  resource?: number;
  route?: { methods: GeneratedMethod[] };
  groupDepth: number;
}

/** Static and dynamic children per URL (not per folder), so route groups never produce conflicts. */
interface UrlSlot {
  statics: Set<string>;
  dyn?: TreeNode;
}

// ---------------------------------------------------------------------------------------------
// Source text

class Source {
  private readonly imports = new Map<string, { values: string[]; types: string[] }>();
  readonly config: string[] = [];
  readonly decls: string[] = [];
  readonly body: string[] = [];
  readonly tail: string[] = [];

  value(module: string, name: string): string {
    const entry = this.entry(module);
    if (!entry.values.includes(name)) entry.values.push(name);
    return name.includes(' as ') ? name.split(' as ')[1] : name;
  }
  type(module: string, name: string): string {
    const entry = this.entry(module);
    if (!entry.types.includes(name) && !entry.values.includes(name)) entry.types.push(name);
    return name;
  }
  private entry(module: string) {
    let entry = this.imports.get(module);
    if (!entry) this.imports.set(module, (entry = { values: [], types: [] }));
    return entry;
  }
  block(target: string[], lines: string[]): void {
    if (target.length > 0) target.push('');
    target.push(...lines);
  }
  lineCount(): number {
    return this.render().split('\n').length;
  }
  render(): string {
    const out: string[] = [];
    for (const [module, { values, types }] of this.imports) {
      const names = [...values, ...types.map((t) => (values.length === 0 ? t : `type ${t}`))];
      if (names.length === 0) continue;
      const keyword = values.length === 0 ? 'import type' : 'import';
      out.push(`${keyword} { ${names.join(', ')} } from '${module}';`);
    }
    for (const section of [this.config, this.decls, this.body, this.tail]) {
      if (section.length === 0) continue;
      if (out.length > 0) out.push('');
      out.push(...section);
    }
    return out.join('\n') + '\n';
  }
}

function indent(lines: string[], by = '  '): string[] {
  return lines.map((l) => (l === '' ? l : by + l));
}

// ---------------------------------------------------------------------------------------------
// The generator

interface Body {
  lines: string[];
  usesReq: boolean;
  usesParams: boolean;
}

interface RouteCtx {
  src: Source;
  node: TreeNode;
  res: Resource;
  svc: string;
  req: string;
  reqType: 'NextRequest' | 'Request';
  paramsStyle: 'destructure' | 'context' | 'routeContext';
}

class AppGenerator {
  readonly rng: Rng;
  readonly files = new Map<string, string | Buffer>();
  readonly appDir = 'src/app';
  private readonly resources: Resource[];
  private readonly slots = new Map<string, UrlSlot>();
  private readonly takenUrls = new Set<string>();
  private readonly root: TreeNode;
  private readonly routeNodes: TreeNode[][] = [[], [], [], [], [], [], []];
  private readonly pageNodes: TreeNode[][] = [[], [], [], [], [], [], []];
  private apiNode!: TreeNode;
  readonly routes: GeneratedRoute[] = [];
  readonly pages: string[] = [];
  readonly metadataFiles: string[] = [];
  readonly otherFiles: string[] = [];
  readonly stats: GeneratorStats = {
    profiles: {}, forms: {}, methods: {}, depth: {}, lines: {}, segmentConfig: {}, params: {}, bodies: {}, wrappers: {}, otherExports: {}, underGroup: 0,
  };
  // Lib modules some file imports; written at the end.
  private readonly usedServices = new Map<string, number>();
  private readonly usedSchemas = new Set<number>();
  private readonly usedHandlers = new Set<number>();
  private readonly usedShared = new Set<string>();
  private readonly usedLib = new Set<string>();
  private readonly areaCount: number;

  constructor(readonly routeCount: number, readonly seed: number) {
    this.rng = new Rng(seed);
    this.resources = RESOURCE_NAMES.map(([plural, one], i) => {
      const r = new Rng(seed * 7919 + i + 1);
      return { plural, one, many: pascalOf(plural), camel: camelOf(plural), fields: r.sample(FIELDS, r.int(4, 7)) };
    });
    // Service modules grow with the app (about one per 40 routes), like real lib folders do.
    this.areaCount = Math.min(AREAS.length, Math.round(routeCount / 400));
    this.root = { name: '', dir: '', url: '/', depth: 0, kind: 'root', params: [], terminal: false, hasFile: false, groupDepth: 0 };
    this.slots.set('/', { statics: new Set() });
  }

  private bump(table: Record<string, number>, key: string, by = 1): void {
    table[key] = (table[key] ?? 0) + by;
  }

  // ----- tree --------------------------------------------------------------------------------

  private slot(url: string): UrlSlot {
    let s = this.slots.get(url);
    if (!s) this.slots.set(url, (s = { statics: new Set() }));
    return s;
  }

  private addChild(parent: TreeNode, name: string, kind: NodeKind, paramName?: string): TreeNode {
    const url = kind === 'group' ? parent.url : parent.url === '/' ? `/${name}` : `${parent.url}/${name}`;
    const params = paramName ? [...parent.params, { name: paramName, kind: kind as ParamKind }] : parent.params;
    const node: TreeNode = {
      name,
      dir: parent.dir ? `${parent.dir}/${name}` : name,
      url,
      depth: parent.depth + 1,
      parent,
      kind,
      params,
      terminal: kind === 'catchAll' || kind === 'optionalCatchAll',
      hasFile: false,
      resource: parent.resource,
      groupDepth: parent.groupDepth + (kind === 'group' ? 1 : 0),
    };
    const base = name.replace(/-\d+$/, '');
    const r = RESOURCE_NAMES.findIndex(([p]) => p === base);
    if (kind === 'static' && r >= 0) node.resource = r;
    const slot = this.slot(parent.url);
    if (kind === 'static') slot.statics.add(name);
    else if (kind !== 'group') slot.dyn = node;
    return node;
  }

  private uniqueStatic(parent: TreeNode, pick: () => string): string {
    const slot = this.slot(parent.url);
    for (let i = 0; i < 4; i++) {
      const name = pick();
      if (!slot.statics.has(name)) return name;
    }
    const base = pick();
    for (let n = 2; ; n++) if (!slot.statics.has(`${base}-${n}`)) return `${base}-${n}`;
  }

  private paramName(parent: TreeNode, kind: ParamKind): string {
    const taken = new Set(parent.params.map((p) => p.name));
    const resource = parent.resource !== undefined ? this.resources[parent.resource] : undefined;
    const candidates =
      kind === 'dynamic'
        ? this.rng.weighted<string[]>([
            [[resource ? `${camelOf(resource.one)}Id` : 'id', 'id'], 50],
            [['id', 'key'], 35],
            [['slug', 'handle'], 15],
          ])
        : [this.rng.pick(['slug', 'path', 'segments', 'rest']), 'slug', 'path'];
    for (const c of [...candidates, 'id', 'key', 'slug', 'itemId', 'childId']) if (!taken.has(c)) return c;
    for (let n = 2; ; n++) if (!taken.has(`${candidates[0]}${n}`)) return `${candidates[0]}${n}`;
  }

  /** A new (or, for a dynamic segment, the existing) child folder of `parent`. */
  private child(parent: TreeNode, area: 'route' | 'page'): TreeNode | undefined {
    const rng = this.rng;
    const slot = this.slot(parent.url);
    // Dynamic segments sit below a collection (`users/[userId]`), not right under `api` and rarely
    // right under another dynamic segment.
    const shallow = area === 'route' && (parent === this.apiNode || (parent.kind === 'group' && parent.parent === this.apiNode));
    const underParam = parent.kind !== 'static' && parent.kind !== 'group' && parent.kind !== 'root';
    const collection = parent.kind === 'static' && RESOURCE_NAMES.some(([p]) => p === parent.name.replace(/-\d+$/, ''));
    const kind = rng.weighted<'static' | 'group' | ParamKind>([
      ['static', 70],
      ['dynamic', shallow ? 0 : underParam ? 2 : collection ? 40 : 12],
      ['catchAll', underParam ? 0 : area === 'route' ? 2.5 : 2],
      ['optionalCatchAll', underParam ? 0 : area === 'route' ? 1.5 : 1],
      ['group', parent.depth >= 1 && parent.groupDepth === 0 ? 4 : 0],
    ]);
    if (kind === 'group') {
      const taken = new Set(this.childrenNames(parent));
      const name = GROUPS.find((g) => !taken.has(g));
      if (!name) return undefined;
      return this.register(this.addChild(parent, name, 'group'), area);
    }
    if (kind !== 'static') {
      // One dynamic child per URL: `[id]` and `[slug]` side by side is a Next.js build error.
      if (slot.dyn) return slot.dyn.parent === parent ? slot.dyn : undefined;
      if (kind === 'optionalCatchAll') {
        // [[...slug]] also matches the parent URL itself.
        if (this.takenUrls.has(parent.url)) return undefined;
        this.takenUrls.add(parent.url);
      }
      const pname = this.paramName(parent, kind);
      const name = kind === 'dynamic' ? `[${pname}]` : kind === 'catchAll' ? `[...${pname}]` : `[[...${pname}]]`;
      return this.register(this.addChild(parent, name, kind, pname), area);
    }
    const name = this.uniqueStatic(parent, () => this.staticWord(parent, area));
    return this.register(this.addChild(parent, name, 'static'), area);
  }

  private readonly names = new Map<TreeNode, string[]>();
  private childrenNames(parent: TreeNode): string[] {
    return this.names.get(parent) ?? [];
  }

  private register(node: TreeNode, area: 'route' | 'page'): TreeNode {
    const list = this.names.get(node.parent!) ?? [];
    list.push(node.name);
    this.names.set(node.parent!, list);
    if (!node.terminal && node.depth < 6) (area === 'route' ? this.routeNodes : this.pageNodes)[node.depth].push(node);
    return node;
  }

  private staticWord(parent: TreeNode, area: 'route' | 'page'): string {
    const rng = this.rng;
    if (area === 'page') return rng.chance(0.7) ? rng.pick(PAGE_WORDS) : rng.pick(RESOURCE_NAMES)[0];
    const shallow = parent === this.apiNode || (parent.kind === 'group' && parent.parent === this.apiNode);
    if (shallow) return rng.chance(0.8) ? rng.pick(RESOURCE_NAMES)[0] : rng.pick(NAMESPACES);
    if (parent.kind === 'dynamic') return rng.chance(0.5) ? rng.pick(ACTIONS) : rng.pick(RESOURCE_NAMES)[0];
    return rng.weighted<() => string>([
      [() => rng.pick(ACTIONS), 45],
      [() => rng.pick(RESOURCE_NAMES)[0], 45],
      [() => rng.pick(NAMESPACES), 10],
    ])();
  }

  private pickParent(nodes: TreeNode[][], weights: number[]): TreeNode {
    const depth = this.rng.weighted(weights.map((w, d) => [d, nodes[d].length > 0 ? w : 0] as const));
    if (depth === 1 && nodes === this.routeNodes && this.rng.chance(0.8)) return this.apiNode;
    return this.rng.pick(nodes[depth]);
  }

  private path(node: TreeNode, file: string): string {
    return node.dir ? `${this.appDir}/${node.dir}/${file}` : `${this.appDir}/${file}`;
  }

  // ----- the app -----------------------------------------------------------------------------

  generate(): void {
    const rng = this.rng;
    this.apiNode = this.register(this.addChild(this.root, 'api', 'static'), 'route');
    for (const top of ['webhooks', 'cron']) this.register(this.addChild(this.root, top, 'static'), 'route');

    this.fixedRoutes();
    const routeWeights = [0, 2, 4, 4, 3, 2];
    let guard = 0;
    while (this.routes.length < this.routeCount) {
      if (++guard > this.routeCount * 100) throw new Error('generator made no progress');
      const parent = this.pickParent(this.routeNodes, routeWeights);
      const node = this.child(parent, 'route');
      if (!node || node.hasFile || node.kind === 'group') continue;
      // Some folders only hold other folders (namespaces such as api/admin).
      if (node.kind === 'static' && node.depth < 6 && rng.chance(0.08) && !node.route) continue;
      if (this.takenUrls.has(node.url)) continue;
      this.placeRoute(node);
    }
    this.pagesAndUi();
    this.metadata();
    this.libModules();
    this.rootFiles();
  }

  private fixedRoutes(): void {
    if (this.routeCount < 20) return;
    const auth = this.addChild(this.addChild(this.apiNode, 'auth', 'static'), '[...nextauth]', 'catchAll', 'nextauth');
    this.placeRoute(auth, 'authHandlers');
    this.placeRoute(this.addChild(this.apiNode, 'health', 'static'), 'healthStar');
    this.placeRoute(this.addChild(this.addChild(this.apiNode, 'trpc', 'static'), '[trpc]', 'dynamic', 'trpc'), 'trpc');
    this.placeRoute(this.addChild(this.apiNode, 'graphql', 'static'), 'graphql');
    this.placeRoute(this.addChild(this.root, 'rss.xml', 'static'), 'rss');
  }

  private resourceOf(node: TreeNode): Resource {
    if (node.resource === undefined) node.resource = this.rng.int(0, this.resources.length - 1);
    return this.resources[node.resource];
  }

  private serviceModule(res: Resource): string {
    const i = this.resources.indexOf(res);
    if (this.areaCount === 0 || this.rng.chance(0.4)) {
      this.usedServices.set(`services/${res.plural}`, i);
      return `@/lib/services/${res.plural}`;
    }
    const area = AREAS[this.rng.int(0, this.areaCount - 1)];
    this.usedServices.set(`services/${area}/${res.plural}`, i);
    return `@/lib/services/${area}/${res.plural}`;
  }

  private placeRoute(node: TreeNode, fixed?: string): void {
    const rng = this.rng;
    node.hasFile = true;
    this.takenUrls.add(node.url);
    const res = this.resourceOf(node);
    const src = new Source();
    const ctx: RouteCtx = {
      src,
      node,
      res,
      svc: '',
      req: rng.chance(0.6) ? 'request' : 'req',
      reqType: rng.chance(0.55) ? 'NextRequest' : 'Request',
      paramsStyle: rng.weighted([['destructure', 75], ['context', 15], ['routeContext', 10]] as const),
    };
    ctx.svc = this.serviceModule(res);
    if (rng.chance(0.05)) {
      // Some codebases import lib modules by relative path instead of the `@/` alias.
      const rel = posix.relative(posix.dirname(this.path(node, 'route.ts')), 'src/lib/' + ctx.svc.slice('@/lib/'.length));
      ctx.svc = rel.startsWith('.') ? rel : './' + rel;
    }

    const profile =
      fixed ??
      rng.weighted<string>([
        ['function', 30],
        ['const', 9],
        ['wrapped', 16],
        ['alias', 6],
        ['handlerAlias', 7],
        ['destructured', 5],
        ['imported', 6],
        ['reexport', node.parent?.route?.methods.some((m) => m.name === 'GET') ? 6 : 0],
        ['colocated', 2],
        ['exportStar', 7],
        ['mixed', 8],
      ]);
    const methods: GeneratedMethod[] = [];
    this.routeBody(ctx, profile, methods);
    if (profile !== 'healthStar' && profile !== 'authHandlers') this.segmentConfig(ctx);
    this.otherExports(ctx);

    // Pad to a realistic size with helper blocks (types, mappers, parsers): 20-150 lines, most
    // around 40-70. Files that only re-export stay at the short end.
    const thin = ['reexport', 'colocated', 'exportStar', 'destructured', 'imported', 'authHandlers', 'healthStar', 'trpc'].includes(profile);
    const target = thin ? 20 + Math.floor(15 * rng.next()) : 20 + Math.floor(130 * Math.pow(rng.next(), 1.7));
    const blocks = this.paddingBlocks(ctx);
    while (src.lineCount() < target && blocks.length > 0) src.block(src.decls, blocks.splice(Math.floor(rng.next() * blocks.length), 1)[0]());

    const text = src.render();
    const file = this.path(node, 'route.ts');
    this.files.set(file, text);
    node.route = { methods };
    const lines = text.split('\n').length - 1;
    this.routes.push({ file, url: node.url, depth: node.depth, terminal: node.terminal, profile, lines, methods });
    const s = this.stats;
    this.bump(s.profiles, profile);
    for (const m of methods) {
      this.bump(s.forms, m.form);
      this.bump(s.methods, m.name);
    }
    this.bump(s.depth, String(node.depth));
    this.bump(s.lines, lines < 40 ? '20-39' : lines < 60 ? '40-59' : lines < 90 ? '60-89' : lines < 120 ? '90-119' : lines <= 150 ? '120-150' : '>150');
    const last = node.params.at(-1);
    this.bump(s.params, node.params.length === 0 ? 'none' : node.kind === 'static' ? `static under ${last!.kind}` : node.kind);
    if (node.groupDepth > 0) s.underGroup++;
  }

  // ----- route modules -----------------------------------------------------------------------

  private routeBody(ctx: RouteCtx, profile: string, methods: GeneratedMethod[]): void {
    const { rng, src } = { rng: this.rng, src: ctx.src };
    const add = (name: string, form: BenchForm) => methods.push({ name, form });
    switch (profile) {
      case 'function':
      case 'const':
      case 'wrapped':
      case 'mixed': {
        const wrapper = this.pickWrapper(ctx);
        for (const m of this.pickMethods(ctx.node)) {
          const form: BenchForm =
            profile === 'mixed' ? rng.pick(['function', 'const', 'wrapped'] as const) : profile === 'wrapped' ? (rng.chance(0.75) ? 'wrapped' : 'function') : (profile as BenchForm);
          this.handler(ctx, m, form, form === 'wrapped' ? (profile === 'mixed' ? this.pickWrapper(ctx) : wrapper) : undefined);
          add(m, form);
        }
        if (profile === 'mixed' && methods.some((m) => m.name === 'GET') && !methods.some((m) => m.name === 'HEAD') && rng.chance(0.4)) {
          src.block(src.tail, ['export const HEAD = GET;']);
          add('HEAD', 'alias');
        }
        return;
      }
      case 'alias': {
        this.handler(ctx, 'GET', 'function');
        add('GET', 'function');
        const others = this.pickMethods(ctx.node).filter((m) => m !== 'GET' && m !== 'POST' && m !== 'HEAD');
        for (const m of others.slice(0, 2)) {
          this.handler(ctx, m, 'function');
          add(m, 'function');
        }
        const aliased = rng.chance(0.6) ? 'POST' : 'HEAD';
        src.block(src.tail, [rng.chance(0.7) ? `export const ${aliased} = GET;` : `export { GET as ${aliased} };`]);
        add(aliased, 'alias');
        return;
      }
      case 'handlerAlias': {
        const names = rng.weighted<string[]>([
          [['GET', 'POST'], 50],
          [['GET', 'POST', 'PUT', 'DELETE'], 25],
          [['GET', 'HEAD'], 10],
          [['POST', 'PUT', 'PATCH'], 15],
        ]);
        this.switchHandler(ctx, names);
        src.block(src.tail, [`export { ${names.map((n) => `handler as ${n}`).join(', ')} };`]);
        for (const n of names) add(n, 'alias');
        return;
      }
      case 'destructured': {
        if (rng.chance(0.4)) {
          this.usedLib.add('auth-handlers');
          src.value('@/lib/auth-handlers', 'handlers');
          src.block(src.body, ['export const { GET, POST } = handlers;']);
          add('GET', 'destructured');
          add('POST', 'destructured');
        } else {
          const i = this.resources.indexOf(ctx.res);
          this.usedHandlers.add(i);
          const obj = src.value(`@/lib/handlers/${ctx.res.plural}`, `${ctx.res.camel}Handlers`);
          const names = rng.pick([['GET', 'POST'], ['GET', 'PUT', 'DELETE'], ['GET', 'PATCH', 'DELETE'], ['GET', 'POST', 'PUT', 'DELETE']]);
          src.block(src.body, [`export const { ${names.join(', ')} } = ${obj};`]);
          for (const n of names) add(n, 'destructured');
        }
        return;
      }
      case 'imported': {
        const i = this.resources.indexOf(ctx.res);
        this.usedHandlers.add(i);
        const module = `@/lib/handlers/${ctx.res.plural}`;
        const names = rng.chance(0.5) ? ['GET', 'POST'] : [rng.pick(['GET', 'POST'])];
        if (rng.chance(0.5)) {
          for (const n of names) src.value(module, n);
          src.block(src.tail, [`export { ${names.join(', ')} };`]);
        } else {
          const local = names.map((n) => `${n === 'GET' ? 'list' : 'create'}${n === 'GET' ? ctx.res.many : ctx.res.one}Handler`);
          names.forEach((n, k) => src.value(module, `${n} as ${local[k]}`));
          src.block(src.tail, [`export { ${names.map((n, k) => `${local[k]} as ${n}`).join(', ')} };`]);
        }
        for (const n of names) add(n, 'imported');
        if (!names.includes('POST') && rng.chance(0.3)) {
          this.handler(ctx, 'DELETE', 'function');
          add('DELETE', 'function');
        }
        return;
      }
      case 'reexport': {
        const parentMethods = ctx.node.parent!.route!.methods.map((m) => m.name);
        const names = parentMethods.includes('POST') && rng.chance(0.4) ? ['GET', 'POST'] : ['GET'];
        src.block(src.body, [`export { ${names.join(', ')} } from '../route';`]);
        for (const n of names) add(n, 'reexport');
        if (rng.chance(0.5)) {
          const own = rng.pick(['PUT', 'PATCH', 'DELETE']);
          this.handler(ctx, own, 'function');
          add(own, 'function');
        }
        return;
      }
      case 'colocated': {
        // route.ts re-exports from a sibling module: `export { GET, POST } from './handlers'`.
        const inner = new Source();
        const innerCtx: RouteCtx = { ...ctx, src: inner };
        const names = rng.chance(0.6) ? ['GET', 'POST'] : ['GET'];
        for (const n of names) this.handler(innerCtx, n, 'function');
        const file = this.path(ctx.node, 'handlers.ts');
        this.files.set(file, inner.render());
        this.otherFiles.push(file);
        src.block(src.body, [`export { ${names.join(', ')} } from './handlers';`]);
        for (const n of names) add(n, 'reexport');
        return;
      }
      case 'exportStar': {
        const name = rng.weighted<string>([['health', 25], ['webhook', 20], ['proxy', 15], ['preflight', 10], ['status', 15], ['metrics', 15]]);
        this.usedShared.add(name);
        src.block(src.body, [`export * from '@/lib/shared-handlers/${name}';`]);
        for (const n of SHARED[name]) add(n, 'exportStar');
        const own = ['GET', 'POST', 'DELETE', 'OPTIONS'].filter((m) => !SHARED[name].includes(m));
        if (rng.chance(0.3) && own.length > 0) {
          const m = rng.pick(own);
          this.handler(ctx, m, 'function');
          add(m, 'function');
        }
        return;
      }
      case 'authHandlers':
        this.usedLib.add('auth-handlers');
        src.value('@/lib/auth-handlers', 'handlers');
        src.block(src.body, ['export const { GET, POST } = handlers;']);
        add('GET', 'destructured');
        add('POST', 'destructured');
        return;
      case 'healthStar':
        this.usedShared.add('health');
        src.block(src.body, [`export * from '@/lib/shared-handlers/health';`]);
        add('GET', 'exportStar');
        add('HEAD', 'exportStar');
        return;
      case 'trpc':
        this.usedLib.add('trpc');
        src.value('@trpc/server/adapters/fetch', 'fetchRequestHandler');
        src.value('@/lib/trpc', 'appRouter');
        src.value('@/lib/trpc', 'createContext');
        src.block(src.body, [
          'const handler = (req: Request) =>',
          '  fetchRequestHandler({',
          "    endpoint: '/api/trpc',",
          '    req,',
          '    router: appRouter,',
          '    createContext: () => createContext({ headers: req.headers }),',
          '  });',
        ]);
        src.block(src.tail, ['export { handler as GET, handler as POST };']);
        add('GET', 'alias');
        add('POST', 'alias');
        return;
      case 'graphql':
        src.value('next/server', 'NextResponse');
        src.block(src.body, [
          'export async function GET(request: Request) {',
          "  const query = request.method === 'GET' ? new URL(request.url).searchParams.get('query') : (await request.json()).query;",
          '  if (!query) {',
          "    return NextResponse.json({ errors: [{ message: 'Missing query' }] }, { status: 400 });",
          '  }',
          '  return NextResponse.json({ data: null });',
          '}',
        ]);
        src.block(src.tail, ['export const POST = GET;']);
        add('GET', 'function');
        add('POST', 'alias');
        return;
      case 'rss':
        this.usedLib.add('config');
        src.value('@/lib/config', 'SITE_URL');
        src.config.push('export const revalidate = 3600;');
        src.block(src.body, [
          'export async function GET() {',
          '  const res = await fetch(`${SITE_URL}/api/posts?limit=20`, { next: { revalidate: 3600 } });',
          '  const posts: Array<{ slug: string; title: string }> = await res.json();',
          '  const items = posts.map((p) => `<item><title>${p.title}</title><link>${SITE_URL}/blog/${p.slug}</link></item>`);',
          '  return new Response(`<rss version="2.0"><channel>${items.join(\'\')}</channel></rss>`, {',
          "    headers: { 'content-type': 'application/rss+xml' },",
          '  });',
          '}',
        ]);
        add('GET', 'function');
        return;
      default:
        throw new Error(`unknown profile ${profile}`);
    }
  }

  private pickMethods(node: TreeNode): string[] {
    const rng = this.rng;
    const item = node.kind === 'dynamic';
    const out: string[] = [];
    if (rng.chance(item ? 0.9 : 0.85)) out.push('GET');
    if (rng.chance(item ? 0.15 : 0.45)) out.push('POST');
    if (rng.chance(item ? 0.15 : 0.06)) out.push('PUT');
    if (rng.chance(item ? 0.3 : 0.06)) out.push('PATCH');
    if (rng.chance(item ? 0.45 : 0.1)) out.push('DELETE');
    if (rng.chance(0.03)) out.push('OPTIONS');
    if (out.includes('GET') && rng.chance(0.02)) out.push('HEAD');
    if (out.length === 0) out.push('POST');
    return out;
  }

  private pickWrapper(ctx: RouteCtx): (inner: string) => string {
    const { src } = ctx;
    const rng = this.rng;
    const kind = rng.weighted<string>([
      ['withAuth', 40],
      ['withAuth+role', 15],
      ['withRateLimit(withAuth)', 15],
      ['withErrorHandler', 15],
      ['compose', 10],
      ['withRole', 5],
    ]);
    const use = (module: string, name: string) => {
      this.usedLib.add(module.slice('@/lib/'.length));
      return src.value(module, name);
    };
    return (inner) => {
      this.bump(this.stats.wrappers, kind);
      switch (kind) {
        case 'withAuth':
          return `${use('@/lib/auth', 'withAuth')}(${inner})`;
        case 'withAuth+role':
          return `${use('@/lib/auth', 'withAuth')}(${inner}, { role: 'admin' })`;
        case 'withRateLimit(withAuth)':
          return `${use('@/lib/middleware', 'withRateLimit')}(${use('@/lib/auth', 'withAuth')}(${inner}), { limit: ${rng.pick([10, 30, 60, 100])} })`;
        case 'withErrorHandler':
          return `${use('@/lib/http', 'withErrorHandler')}(${inner})`;
        case 'compose':
          return `${use('@/lib/middleware', 'compose')}(${use('@/lib/middleware', 'withLogging')}, ${use('@/lib/auth', 'withAuth')})(${inner})`;
        default:
          return `${use('@/lib/auth', 'withRole')}('admin')(${inner})`;
      }
    };
  }

  private paramsType(node: TreeNode): string {
    const fields = node.params.map((p) => (p.kind === 'dynamic' ? `${p.name}: string` : p.kind === 'catchAll' ? `${p.name}: string[]` : `${p.name}?: string[]`));
    return `{ ${fields.join('; ')} }`;
  }

  /** One exported handler in the given form. */
  private handler(ctx: RouteCtx, method: string, form: BenchForm, wrap?: (inner: string) => string): void {
    const { src, node } = ctx;
    const rng = this.rng;
    const wrapped = form === 'wrapped' && wrap !== undefined;
    const paramsRef = wrapped ? 'params' : ctx.paramsStyle === 'destructure' ? 'params' : ctx.paramsStyle === 'context' ? 'context.params' : 'ctx.params';
    const body = this.methodBody(ctx, method, paramsRef);
    const R = ctx.req;
    let args: string;
    if (wrapped) {
      args = body.usesParams ? `${R}, { params }` : body.usesReq ? R : '';
    } else {
      const reqParam = `${body.usesReq ? R : `_${R}`}: ${ctx.reqType === 'NextRequest' ? src.type('next/server', 'NextRequest') : 'Request'}`;
      if (body.usesParams) {
        const second =
          ctx.paramsStyle === 'destructure'
            ? `{ params }: { params: Promise<${this.paramsType(node)}> }`
            : ctx.paramsStyle === 'context'
              ? `context: { params: Promise<${this.paramsType(node)}> }`
              : `ctx: RouteContext<'${node.url}'>`;
        args = `${reqParam}, ${second}`;
      } else if (body.usesReq) {
        args = reqParam;
      } else {
        args = '';
      }
    }
    const doc = rng.chance(0.2) ? [`/** ${method} ${node.url} */`] : [];
    if (form === 'function') {
      const isAsync = method !== 'OPTIONS' || rng.chance(0.5);
      src.block(src.body, [...doc, `export ${isAsync ? 'async ' : ''}function ${method}(${args}) {`, ...indent(body.lines), '}']);
    } else if (form === 'const') {
      if (rng.chance(0.2)) src.block(src.body, [...doc, `export const ${method} = async function (${args}) {`, ...indent(body.lines), '};']);
      else src.block(src.body, [...doc, `export const ${method} = async (${args}) => {`, ...indent(body.lines), '};']);
    } else {
      const inner = `async (${args}) => {\n${indent(body.lines).join('\n')}\n}`;
      const text = wrap!(inner);
      src.block(src.body, [...doc, ...`export const ${method} = ${text};`.split('\n')]);
    }
  }

  private switchHandler(ctx: RouteCtx, names: string[]): void {
    const { src } = ctx;
    const R = ctx.req;
    const cases: string[] = [];
    let usesParams = false;
    for (const n of names) {
      const body = this.methodBody(ctx, n, 'params');
      usesParams ||= body.usesParams;
      cases.push(`case '${n}': {`, ...indent(body.lines), '}');
    }
    const reqType = ctx.reqType === 'NextRequest' ? src.type('next/server', 'NextRequest') : 'Request';
    const nr = src.value('next/server', 'NextResponse');
    const second = usesParams ? `, { params }: { params: Promise<${this.paramsType(ctx.node)}> }` : '';
    const lines = [`switch (${R}.method) {`, ...indent(cases), '  default:', `    return ${nr}.json({ error: 'Method not allowed' }, { status: 405 });`, '}'];
    if (this.rng.chance(0.3)) {
      const wrap = this.pickWrapper(ctx);
      const text = wrap(`async (${R}${usesParams ? ', { params }' : ''}) => {\n${indent(lines).join('\n')}\n}`);
      src.block(src.body, `const handler = ${text};`.split('\n'));
    } else {
      src.block(src.body, [`async function handler(${R}: ${reqType}${second}) {`, ...indent(lines), '}']);
    }
  }

  // ----- handler bodies ----------------------------------------------------------------------

  private readParams(ctx: RouteCtx, paramsRef: string): { lines: string[]; id: string } {
    const params = ctx.node.params;
    const last = params[params.length - 1];
    const names = params.length > 1 && this.rng.chance(0.3) ? params.map((p) => p.name) : [last.name];
    const lines = [`const { ${names.join(', ')} } = await ${paramsRef};`];
    if (last.kind === 'catchAll') {
      lines.push(`const segmentPath = ${last.name}.join('/');`);
      return { lines, id: 'segmentPath' };
    }
    if (last.kind === 'optionalCatchAll') {
      lines.push(`const segmentPath = (${last.name} ?? []).join('/');`);
      return { lines, id: 'segmentPath' };
    }
    return { lines, id: last.name };
  }

  private svc(ctx: RouteCtx, fn: 'list' | 'get' | 'create' | 'update' | 'delete' | 'count'): string {
    const r = ctx.res;
    const name = fn === 'list' || fn === 'count' ? `${fn}${r.many}` : `${fn}${r.one}`;
    return ctx.src.value(ctx.svc, name);
  }

  private schema(ctx: RouteCtx, kind: 'Create' | 'Update'): string {
    const rng = this.rng;
    const { src, res } = ctx;
    if (rng.chance(0.2)) {
      // A schema declared in the route file.
      const name = `${kind}${res.one}Body`;
      if (!src.decls.some((l) => l.startsWith(`const ${name} `))) {
        const z = src.value('zod', 'z');
        const fields = res.fields.slice(0, rng.int(2, res.fields.length));
        src.block(src.decls, [`const ${name} = ${z}.object({`, ...fields.map((f) => `  ${f}: ${this.zodType(f)}${kind === 'Update' ? '.optional()' : ''},`), '});']);
      }
      return name;
    }
    this.usedSchemas.add(this.resources.indexOf(res));
    return src.value(`@/lib/schemas/${res.plural}`, `${kind}${res.one}Schema`);
  }

  private zodType(field: string): string {
    if (field === 'email') return 'z.string().email()';
    if (field === 'url') return 'z.string().url()';
    if (['amount', 'quantity', 'price', 'priority'].includes(field)) return 'z.number().int().nonnegative()';
    if (field === 'enabled') return 'z.boolean()';
    if (field === 'tags') return 'z.array(z.string()).max(20)';
    if (field === 'metadata') return 'z.record(z.string(), z.unknown())';
    if (field === 'dueDate') return 'z.coerce.date()';
    if (field === 'status') return "z.enum(['draft', 'active', 'archived'])";
    return 'z.string().min(1).max(200)';
  }

  private methodBody(ctx: RouteCtx, method: string, paramsRef: string): Body {
    switch (method) {
      case 'GET':
        return this.getBody(ctx, paramsRef);
      case 'POST':
        return this.postBody(ctx, paramsRef);
      case 'PUT':
      case 'PATCH':
        return this.updateBody(ctx, paramsRef);
      case 'DELETE':
        return this.deleteBody(ctx, paramsRef);
      case 'HEAD':
        return { lines: [`const total = await ${this.svc(ctx, 'count')}();`, "return new Response(null, { headers: { 'x-total-count': String(total) } });"], usesReq: false, usesParams: false };
      default:
        return {
          lines: [
            'return new Response(null, {',
            '  status: 204,',
            '  headers: {',
            "    'Access-Control-Allow-Origin': '*',",
            "    'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',",
            "    'Access-Control-Allow-Headers': 'content-type, authorization',",
            '  },',
            '});',
          ],
          usesReq: false,
          usesParams: false,
        };
    }
  }

  private json(ctx: RouteCtx): string {
    return this.rng.chance(0.75) ? `${ctx.src.value('next/server', 'NextResponse')}.json` : 'Response.json';
  }

  private getBody(ctx: RouteCtx, paramsRef: string): Body {
    const rng = this.rng;
    const { src, res } = ctx;
    const R = ctx.req;
    const lines: string[] = [];
    let usesReq = false;
    let usesParams = false;
    const hasParams = ctx.node.params.length > 0;
    const variant = rng.weighted<string>([['list', 40], ['one', hasParams ? 35 : 0], ['static', 15], ['session', 12], ['upstream', 8]]);
    this.bump(this.stats.bodies, `GET:${variant}`);
    const json = this.json(ctx);
    if (rng.chance(0.12) && variant !== 'static') {
      const h = rng.pick(HEADERS);
      lines.push(`const ${camelOf(h.replace(/^x-/, ''))} = ${R}.headers.get('${h}');`);
      usesReq = true;
    }
    if (variant === 'list') {
      usesReq = true;
      if (ctx.reqType === 'NextRequest' && rng.chance(0.5)) lines.push(`const searchParams = ${R}.nextUrl.searchParams;`);
      else lines.push(`const { searchParams } = new URL(${R}.url);`);
      const qs = rng.sample(QUERY.filter((q) => q !== 'page' && q !== 'limit'), rng.int(0, 3));
      lines.push("const page = Number(searchParams.get('page') ?? '1');");
      lines.push("const limit = Math.min(Number(searchParams.get('limit') ?? '20'), 100);");
      for (const q of qs) lines.push(`const ${q} = searchParams.get('${q}');`);
      if (rng.chance(0.15)) lines.push("const tags = searchParams.getAll('tag');");
      if (rng.chance(0.1)) lines.push("const includeArchived = searchParams.has('archived');");
      let scope = '';
      if (hasParams && rng.chance(0.6)) {
        const p = this.readParams(ctx, paramsRef);
        lines.push(...p.lines);
        usesParams = true;
        scope = `, parentId: ${p.id}`;
      }
      lines.push(`const items = await ${this.svc(ctx, 'list')}({ page, limit${qs.length ? ', ' + qs.join(', ') : ''}${scope} });`);
      lines.push(`return ${json}({ items, page, limit });`);
    } else if (variant === 'one') {
      const p = this.readParams(ctx, paramsRef);
      usesParams = true;
      lines.push(...p.lines);
      lines.push(`const ${camelOf(res.one)} = await ${this.svc(ctx, 'get')}(${p.id});`);
      lines.push(`if (!${camelOf(res.one)}) {`, `  return ${json}({ error: '${res.one} not found' }, { status: 404 });`, '}');
      if (rng.chance(0.2)) {
        usesReq = true;
        lines.push(`if (${R}.headers.get('if-none-match') === ${camelOf(res.one)}.etag) {`, '  return new Response(null, { status: 304 });', '}');
      }
      lines.push(`return ${json}(${camelOf(res.one)});`);
    } else if (variant === 'static') {
      if (rng.chance(0.5)) {
        lines.push(`const items = await ${this.svc(ctx, 'list')}({ limit: 100 });`);
      } else {
        const rv = rng.pick([60, 300, 600, 3600]);
        this.usedLib.add('config');
        const base = src.value('@/lib/config', 'API_BASE');
        lines.push(`const res = await fetch(\`\${${base}}/${res.plural}\`, { next: { revalidate: ${rv} } });`);
        lines.push('const items = await res.json();');
      }
      lines.push(`return ${json}(items);`);
    } else if (variant === 'session') {
      const nr = src.value('next/server', 'NextResponse');
      if (rng.chance(0.6)) {
        const cookies = src.value('next/headers', 'cookies');
        lines.push(`const cookieStore = await ${cookies}();`, "const session = cookieStore.get('session')?.value;");
        lines.push('if (!session) {', `  return ${nr}.json({ error: 'Unauthorized' }, { status: 401 });`, '}');
        lines.push(`const items = await ${this.svc(ctx, 'list')}({ ownerId: session });`);
      } else {
        const headers = src.value('next/headers', 'headers');
        lines.push(`const headerList = await ${headers}();`, "const tenant = headerList.get('x-tenant-id');");
        lines.push('if (!tenant) {', `  return ${nr}.json({ error: 'Missing tenant' }, { status: 400 });`, '}');
        lines.push(`const items = await ${this.svc(ctx, 'list')}({ tenant });`);
      }
      lines.push(`return ${nr}.json({ items });`);
    } else {
      usesReq = true;
      this.usedLib.add('config');
      const base = src.value('@/lib/config', 'API_BASE');
      let path = `/${res.plural}`;
      if (hasParams) {
        const p = this.readParams(ctx, paramsRef);
        lines.push(...p.lines);
        usesParams = true;
        path += `/\${${p.id}}`;
      }
      lines.push(`const upstream = await fetch(\`\${${base}}${path}\`, {`, "  cache: 'no-store',", `  headers: { authorization: ${R}.headers.get('authorization') ?? '' },`, '});');
      lines.push('if (!upstream.ok) {', `  return ${json}({ error: 'Upstream error' }, { status: 502 });`, '}');
      lines.push(`return ${json}(await upstream.json());`);
    }
    return { lines, usesReq, usesParams };
  }

  private postBody(ctx: RouteCtx, paramsRef: string): Body {
    const rng = this.rng;
    const { src, res } = ctx;
    const R = ctx.req;
    const lines: string[] = [];
    let usesParams = false;
    const json = this.json(ctx);
    const variant = rng.weighted<string>([['parse', 35], ['safeParse', 15], ['destructure', 20], ['props', 8], ['formData', 12], ['text', 10]]);
    this.bump(this.stats.bodies, `POST:${variant}`);
    let scope = '';
    if (ctx.node.params.length > 0 && rng.chance(0.5) && variant !== 'text') {
      const p = this.readParams(ctx, paramsRef);
      lines.push(...p.lines);
      usesParams = true;
      scope = `, parentId: ${p.id}`;
    }
    const create = () => this.svc(ctx, 'create');
    switch (variant) {
      case 'parse': {
        const schema = this.schema(ctx, 'Create');
        lines.push(`const body = ${schema}.parse(await ${R}.json());`);
        lines.push(`const created = await ${create()}({ ...body${scope} });`);
        lines.push(`return ${json}(created, { status: 201 });`);
        break;
      }
      case 'safeParse': {
        const schema = this.schema(ctx, 'Create');
        lines.push(`const parsed = ${schema}.safeParse(await ${R}.json());`);
        lines.push('if (!parsed.success) {', `  return ${json}({ errors: parsed.error.flatten() }, { status: ${rng.pick([400, 422])} });`, '}');
        lines.push(`const created = await ${create()}({ ...parsed.data${scope} });`);
        lines.push(`return ${json}(created, { status: 201 });`);
        break;
      }
      case 'destructure': {
        const fields = res.fields.slice(0, rng.int(1, Math.min(4, res.fields.length)));
        lines.push(`const { ${fields.join(', ')} } = await ${R}.json();`);
        lines.push(`if (!${fields[0]}) {`, `  return ${json}({ error: '${fields[0]} is required' }, { status: 400 });`, '}');
        lines.push(`const created = await ${create()}({ ${fields.join(', ')}${scope} });`);
        lines.push(`return ${json}(created, { status: 201 });`);
        break;
      }
      case 'props': {
        const fields = res.fields.slice(0, rng.int(1, 3));
        lines.push(`const body = await ${R}.json();`);
        lines.push(`const created = await ${create()}({ ${fields.map((f) => `${f}: body.${f}`).join(', ')}${scope} });`);
        lines.push(`return ${json}(created, { status: 201 });`);
        break;
      }
      case 'formData': {
        lines.push(`const form = await ${R}.formData();`, "const file = form.get('file');", "const title = form.get('title');");
        lines.push('if (!(file instanceof Blob)) {', `  return ${json}({ error: 'file is required' }, { status: 400 });`, '}');
        lines.push(`const created = await ${create()}({ title: String(title ?? ''), size: file.size${scope} });`);
        lines.push(`return ${json}(created, { status: 201 });`);
        break;
      }
      default: {
        this.usedLib.add('http');
        const verify = src.value('@/lib/http', 'verifySignature');
        const header = rng.pick(['stripe-signature', 'x-hub-signature-256', 'x-signature', 'svix-signature']);
        lines.push(`const payload = await ${R}.text();`, `const signature = ${R}.headers.get('${header}');`);
        lines.push(`if (!signature || !(await ${verify}(payload, signature))) {`, "  return new Response('Invalid signature', { status: 401 });", '}');
        lines.push(`await ${create()}(JSON.parse(payload));`, 'return new Response(null, { status: 200 });');
      }
    }
    return { lines, usesReq: true, usesParams };
  }

  private updateBody(ctx: RouteCtx, paramsRef: string): Body {
    const rng = this.rng;
    const { res } = ctx;
    const R = ctx.req;
    const lines: string[] = [];
    const json = this.json(ctx);
    let id = 'body.id';
    let usesParams = false;
    if (ctx.node.params.length > 0) {
      const p = this.readParams(ctx, paramsRef);
      lines.push(...p.lines);
      id = p.id;
      usesParams = true;
    }
    const variant = rng.weighted<string>([['parse', 50], ['destructure', 30], ['safeParse', 20]]);
    this.bump(this.stats.bodies, `UPDATE:${variant}`);
    if (variant === 'parse') {
      lines.push(`const body = ${this.schema(ctx, 'Update')}.parse(await ${R}.json());`);
    } else if (variant === 'safeParse') {
      lines.push(`const parsed = ${this.schema(ctx, 'Update')}.safeParse(await ${R}.json());`);
      lines.push('if (!parsed.success) {', `  return ${json}({ errors: parsed.error.flatten() }, { status: 422 });`, '}');
      lines.push('const body = parsed.data;');
    } else {
      const fields = res.fields.slice(0, rng.int(1, Math.min(3, res.fields.length)));
      lines.push(`const { ${[...(id === 'body.id' ? ['id'] : []), ...fields].join(', ')} } = await ${R}.json();`);
      lines.push(`const body = { ${fields.join(', ')} };`);
      if (id === 'body.id') id = 'id';
    }
    lines.push(`const updated = await ${this.svc(ctx, 'update')}(${id}, body);`);
    lines.push('if (!updated) {', `  return ${json}({ error: '${res.one} not found' }, { status: 404 });`, '}');
    lines.push(`return ${json}(updated);`);
    return { lines, usesReq: true, usesParams };
  }

  private deleteBody(ctx: RouteCtx, paramsRef: string): Body {
    const R = ctx.req;
    const lines: string[] = [];
    if (ctx.node.params.length > 0) {
      const p = this.readParams(ctx, paramsRef);
      lines.push(...p.lines, `await ${this.svc(ctx, 'delete')}(${p.id});`, 'return new Response(null, { status: 204 });');
      return { lines, usesReq: false, usesParams: true };
    }
    const json = this.json(ctx);
    lines.push(`const id = new URL(${R}.url).searchParams.get('id');`);
    lines.push('if (!id) {', `  return ${json}({ error: 'id is required' }, { status: 400 });`, '}');
    lines.push(`await ${this.svc(ctx, 'delete')}(id);`, 'return new Response(null, { status: 204 });');
    return { lines, usesReq: true, usesParams: false };
  }

  // ----- the rest of a route file ------------------------------------------------------------

  private segmentConfig(ctx: RouteCtx): void {
    const rng = this.rng;
    const { src, node } = ctx;
    if (!rng.chance(0.35)) return;
    const c = src.config;
    const bump = (key: string) => this.bump(this.stats.segmentConfig, key);
    if (rng.chance(0.5)) {
      c.push(`export const dynamic = '${rng.weighted([['force-dynamic', 50], ['force-static', 20], ['auto', 15], ['error', 5]] as const)}';`);
      bump('dynamic');
    }
    if (rng.chance(0.4)) {
      const v = rng.weighted<string>([['60', 25], ['300', 15], ['3600', 15], ['0', 10], ['false', 10], ['86400', 5], ['ONE_HOUR', 10], ['60 * 60', 10]]);
      if (v === 'ONE_HOUR') {
        this.usedLib.add('config');
        src.value('@/lib/config', 'ONE_HOUR');
      }
      c.push(`export const revalidate = ${v};`);
      bump('revalidate');
    }
    if (rng.chance(0.12)) {
      c.push(`export const runtime = '${rng.chance(0.6) ? 'nodejs' : 'edge'}';`);
      bump('runtime');
    }
    if (rng.chance(0.1)) {
      c.push(`export const maxDuration = ${rng.pick([30, 60, 300])};`);
      bump('maxDuration');
    }
    if (rng.chance(0.05)) {
      c.push(`export const fetchCache = '${rng.pick(['force-no-store', 'default-cache', 'only-cache'])}';`);
      bump('fetchCache');
    }
    if (rng.chance(0.05)) {
      c.push(`export const preferredRegion = ${rng.pick(["'iad1'", "['iad1', 'sfo1']", "'auto'", "'home'"])};`);
      bump('preferredRegion');
    }
    if (node.params.length > 0 && rng.chance(0.15)) {
      const sample = node.params.map((p) => (p.kind === 'dynamic' ? `${p.name}: '1'` : `${p.name}: ['a', 'b']`)).join(', ');
      c.push('export const dynamicParams = false;', '', 'export async function generateStaticParams() {', `  return [{ ${sample} }];`, '}');
      bump('dynamicParams');
      bump('generateStaticParams');
    }
    if (c.length === 0) {
      c.push("export const dynamic = 'force-dynamic';");
      bump('dynamic');
    }
  }

  private otherExports(ctx: RouteCtx): void {
    const rng = this.rng;
    const { src } = ctx;
    const kind = rng.weighted<string>([['none', 96], ['helper', 2], ['config', 1], ['lowercase', 0.5], ['default', 0.5]]);
    if (kind === 'none') return;
    this.bump(this.stats.otherExports, kind);
    if (kind === 'helper') src.block(src.tail, ['export function cacheKey(...parts: string[]) {', "  return parts.join(':');", '}']);
    else if (kind === 'config') src.block(src.tail, ['export const config = {', '  api: { bodyParser: false },', '};']);
    else if (kind === 'lowercase') src.block(src.tail, ['// Not served: Next.js only dispatches upper-case method names.', 'export async function get() {', "  return Response.json({ ok: true });", '}']);
    else src.block(src.tail, ['export default async function handler() {', "  return Response.json({ ok: true });", '}']);
  }

  /** Helper blocks a route file may carry besides its handlers; each at most once per file. */
  private paddingBlocks(ctx: RouteCtx): Array<() => string[]> {
    const rng = this.rng;
    const { res } = ctx;
    const one = res.one;
    const fieldList = (k: number) => rng.sample(res.fields, Math.min(res.fields.length, k));
    return [
      () => [`interface ${one}Row {`, '  id: string;', ...rng.sample(FIELDS, rng.int(3, 9)).map((f) => `  ${f}${rng.chance(0.3) ? '?' : ''}: ${this.tsType(f)};`), '  createdAt: string;', '  updatedAt?: string;', '}'],
      () => ['function toDto(row: Record<string, unknown>) {', '  return {', '    id: String(row.id),', ...fieldList(rng.int(2, 6)).map((f) => `    ${f}: row.${f} ?? null,`), '    createdAt: new Date(String(row.createdAt)).toISOString(),', '  };', '}'],
      () => [`const MAX_PAGE_SIZE = ${rng.pick([50, 100, 200])};`, `const CACHE_TAG = '${res.plural}';`, `const ALLOWED_SORT = [${fieldList(2).map((f) => `'${f}'`).join(', ')}, 'createdAt'] as const;`],
      () => [
        "function parseSort(value: string | null): { field: string; direction: 'asc' | 'desc' } {",
        "  if (!value) return { field: 'createdAt', direction: 'desc' };",
        "  const direction = value.startsWith('-') ? 'desc' : 'asc';",
        "  const field = value.replace(/^[-+]/, '');",
        `  return { field: [${res.fields.map((f) => `'${f}'`).join(', ')}].includes(field) ? field : 'createdAt', direction };`,
        '}',
      ],
      () => [
        'function parsePagination(searchParams: URLSearchParams) {',
        "  const page = Math.max(1, Number.parseInt(searchParams.get('page') ?? '1', 10) || 1);",
        "  const perPage = Math.min(100, Math.max(1, Number.parseInt(searchParams.get('perPage') ?? '25', 10) || 25));",
        '  return { page, perPage, offset: (page - 1) * perPage };',
        '}',
      ],
      () => ['function errorResponse(status: number, message: string, details?: unknown) {', '  return Response.json({ error: message, details }, { status });', '}'],
      () => ['function isValidId(value: unknown): value is string {', '  return typeof value === \'string\' && /^[a-z0-9_-]{6,64}$/i.test(value);', '}'],
      () => [
        'function buildFilter(searchParams: URLSearchParams) {',
        '  const filter: Record<string, string> = {};',
        `  for (const key of [${fieldList(rng.int(2, 4)).map((f) => `'${f}'`).join(', ')}]) {`,
        '    const value = searchParams.get(key);',
        '    if (value) filter[key] = value;',
        '  }',
        '  return filter;',
        '}',
      ],
      () => [
        'function parseDateRange(from: string | null, to: string | null) {',
        '  const start = from ? new Date(from) : new Date(Date.now() - 30 * 24 * 3600 * 1000);',
        '  const end = to ? new Date(to) : new Date();',
        '  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || start > end) {',
        '    return undefined;',
        '  }',
        '  return { start, end };',
        '}',
      ],
      () => [
        'function etagOf(value: unknown): string {',
        '  const text = JSON.stringify(value);',
        '  let hash = 0;',
        '  for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) | 0;',
        '  return `W/"${(hash >>> 0).toString(16)}"`;',
        '}',
      ],
      () => [
        'function toCsv(rows: Array<Record<string, unknown>>): string {',
        '  if (rows.length === 0) return \'\';',
        '  const columns = Object.keys(rows[0]);',
        '  const escape = (v: unknown) => `"${String(v ?? \'\').replaceAll(\'"\', \'""\')}"`;',
        "  return [columns.join(','), ...rows.map((row) => columns.map((c) => escape(row[c])).join(','))].join('\\n');",
        '}',
      ],
      () => [
        '/**',
        ` * ${res.many} endpoints (${ctx.node.url}).`,
        ' *',
        ' * Lists are paginated with `page` and `limit`; errors are `{ error: string }` with a 4xx/5xx status.',
        ' * Authentication, where needed, is done by the wrappers in @/lib/auth.',
        ' */',
      ],
      () => ["const cacheHeaders = {", "  'Cache-Control': 'private, max-age=0, must-revalidate',", "  Vary: 'Authorization',", '} as const;'],
      () => [`const ${one.toUpperCase()}_STATUS = {`, "  draft: 'draft',", "  active: 'active',", "  archived: 'archived',", '} as const;', '', `type ${one}Status = (typeof ${one.toUpperCase()}_STATUS)[keyof typeof ${one.toUpperCase()}_STATUS];`],
    ];
  }

  private tsType(field: string): string {
    if (['amount', 'quantity', 'price', 'priority'].includes(field)) return 'number';
    if (field === 'enabled') return 'boolean';
    if (field === 'tags') return 'string[]';
    if (field === 'metadata') return 'Record<string, unknown>';
    return 'string';
  }

  // ----- pages, UI files, metadata -----------------------------------------------------------

  private pagesAndUi(): void {
    const rng = this.rng;
    const pageCount = Math.round(this.routeCount * 0.2);
    this.write(this.path(this.root, 'layout.tsx'), this.layout('RootLayout', true), this.otherFiles);
    this.write(this.path(this.root, 'not-found.tsx'), "export default function NotFound() {\n  return <p>Not found</p>;\n}\n", this.otherFiles);
    this.write(this.path(this.root, 'page.tsx'), this.page(this.root, 'HomePage'), this.pages);
    this.root.hasFile = true;
    this.takenUrls.add('/');
    const marketing = this.register(this.addChild(this.root, '(marketing)', 'group'), 'page');
    this.write(this.path(marketing, 'layout.tsx'), this.layout('MarketingLayout', false), this.otherFiles);
    const tops = PAGE_TOP.slice(0, Math.max(2, Math.min(PAGE_TOP.length, Math.round(pageCount / 20))));
    for (const t of tops) {
      const node = this.register(this.addChild(this.root, t, 'static'), 'page');
      this.write(this.path(node, 'layout.tsx'), this.layout(`${pascalOf(t)}Layout`, false), this.otherFiles);
      if (rng.chance(0.5)) this.write(this.path(node, 'loading.tsx'), 'export default function Loading() {\n  return <p>Loading…</p>;\n}\n', this.otherFiles);
      if (this.pages.length < pageCount) this.placePage(node);
    }
    const weights = [3, 4, 4, 3, 2, 1];
    let guard = 0;
    while (this.pages.length < pageCount) {
      if (++guard > pageCount * 100 + 1000) throw new Error('page generator made no progress');
      const parent = this.pickParent(this.pageNodes, weights);
      const node = this.child(parent, 'page');
      if (!node || node.hasFile || node.kind === 'group' || this.takenUrls.has(node.url)) continue;
      this.placePage(node);
      if (node.kind === 'dynamic' && rng.chance(0.05)) this.write(this.path(node, 'error.tsx'), "'use client';\n\nexport default function Error({ reset }: { reset: () => void }) {\n  return <button onClick={reset}>Try again</button>;\n}\n", this.otherFiles);
    }
  }

  private placePage(node: TreeNode): void {
    node.hasFile = true;
    this.takenUrls.add(node.url);
    this.write(this.path(node, 'page.tsx'), this.page(node, `${pascalOf(node.name.replace(/[^a-z0-9-]/gi, '') || 'Index')}Page`), this.pages);
  }

  private write(file: string, text: string | Buffer, list: string[]): void {
    this.files.set(file, text);
    list.push(file);
  }

  private layout(name: string, root: boolean): string {
    if (root) {
      return [
        "import type { Metadata } from 'next';",
        '',
        "export const metadata: Metadata = { title: { default: 'Acme', template: '%s · Acme' } };",
        '',
        `export default function ${name}({ children }: { children: React.ReactNode }) {`,
        '  return (',
        '    <html lang="en">',
        '      <body>{children}</body>',
        '    </html>',
        '  );',
        '}',
        '',
      ].join('\n');
    }
    return `export default function ${name}({ children }: { children: React.ReactNode }) {\n  return <section>{children}</section>;\n}\n`;
  }

  private page(node: TreeNode, name: string): string {
    const rng = this.rng;
    // Pages only use service modules some route already imports, so no lib file exists for pages alone.
    const used = [...this.usedServices.keys()];
    const svcKey = used.length > 0 ? rng.pick(used) : undefined;
    const src = new Source();
    const res = svcKey ? this.resources[this.usedServices.get(svcKey)!] : undefined;
    if (rng.chance(0.2)) src.config.push(`export const revalidate = ${rng.pick([60, 300, 3600])};`);
    const props = node.params.length > 0 ? `{ params }: { params: Promise<${this.paramsType(node)}> }` : '';
    const lines: string[] = [];
    if (node.params.length > 0) lines.push(`const { ${node.params.map((p) => p.name).join(', ')} } = await params;`);
    if (res && svcKey) {
      const list = src.value(`@/lib/${svcKey}`, `list${res.many}`);
      lines.push(`const items = await ${list}({ limit: 20 });`);
    } else lines.push('const items: Array<{ id: string; name?: string }> = [];');
    lines.push(
      'return (',
      '  <main>',
      `    <h1>${name.replace(/Page$/, '')}</h1>`,
      '    <ul>',
      '      {items.map((item) => (',
      '        <li key={item.id}>{item.name ?? item.id}</li>',
      '      ))}',
      '    </ul>',
      '  </main>',
      ');',
    );
    src.block(src.body, [`export default async function ${name}(${props}) {`, ...indent(lines), '}']);
    if (node.params.length > 0 && rng.chance(0.3)) {
      src.block(src.tail, ['export async function generateMetadata() {', `  return { title: '${name.replace(/Page$/, '')}' };`, '}']);
    }
    return src.render();
  }

  private metadata(): void {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const ico = Buffer.from('0000010001000101000001002000', 'hex');
    const m = this.metadataFiles;
    this.write(this.path(this.root, 'favicon.ico'), ico, m);
    this.write(this.path(this.root, 'apple-icon.png'), png, m);
    this.write(
      this.path(this.root, 'sitemap.ts'),
      [
        "import type { MetadataRoute } from 'next';",
        "import { SITE_URL } from '@/lib/config';",
        '',
        'export default async function sitemap(): Promise<MetadataRoute.Sitemap> {',
        "  const pages = ['', '/blog', '/docs', '/pricing'];",
        "  return pages.map((path) => ({ url: `${SITE_URL}${path}`, lastModified: new Date(), changeFrequency: 'weekly' }));",
        '}',
        '',
      ].join('\n'),
      m,
    );
    this.usedLib.add('config');
    this.write(
      this.path(this.root, 'robots.ts'),
      [
        "import type { MetadataRoute } from 'next';",
        '',
        'export default function robots(): MetadataRoute.Robots {',
        "  return { rules: { userAgent: '*', allow: '/', disallow: '/api/' }, sitemap: 'https://acme.example.com/sitemap.xml' };",
        '}',
        '',
      ].join('\n'),
      m,
    );
    this.write(
      this.path(this.root, 'manifest.ts'),
      "import type { MetadataRoute } from 'next';\n\nexport default function manifest(): MetadataRoute.Manifest {\n  return { name: 'Acme', short_name: 'Acme', start_url: '/', display: 'standalone' };\n}\n",
      m,
    );
    const image = (title: string) =>
      [
        "import { ImageResponse } from 'next/og';",
        '',
        'export const size = { width: 1200, height: 630 };',
        "export const contentType = 'image/png';",
        '',
        'export default async function Image() {',
        `  return new ImageResponse(<div style={{ fontSize: 64 }}>${title}</div>, size);`,
        '}',
        '',
      ].join('\n');
    this.write(this.path(this.root, 'icon.tsx'), image('A'), m);
    this.write(this.path(this.root, 'opengraph-image.tsx'), image('Acme'), m);
    // A few nested ones in page folders with a dynamic segment.
    const dynamicPages = this.pageNodes.flat().filter((n) => n.kind === 'dynamic' && n.hasFile);
    for (const node of dynamicPages.slice(0, 5)) this.write(this.path(node, 'opengraph-image.tsx'), image(node.name), m);
    if (dynamicPages.length > 5) this.write(this.path(dynamicPages[5], 'twitter-image.png'), png, m);
  }

  // ----- lib modules -------------------------------------------------------------------------

  private lib(name: string, text: string): void {
    this.write(`src/lib/${name}.ts`, text, this.libFiles);
  }
  readonly libFiles: string[] = [];

  private libModules(): void {
    const used = this.usedLib;
    // Wrappers and handler modules import these; always present in a real app.
    for (const always of ['auth', 'db', 'config', 'http']) used.add(always);
    if (used.has('auth')) this.lib('auth', AUTH_TS);
    if (used.has('middleware')) this.lib('middleware', MIDDLEWARE_TS);
    if (used.has('http')) this.lib('http', HTTP_TS);
    if (used.has('db')) this.lib('db', DB_TS);
    if (used.has('config')) this.lib('config', CONFIG_TS);
    if (used.has('auth-handlers')) this.lib('auth-handlers', AUTH_HANDLERS_TS);
    if (used.has('trpc')) this.lib('trpc', TRPC_TS);
    if (this.usedShared.has('metrics')) this.usedShared.add('health'); // metrics does `export * from './health'`
    for (const name of [...this.usedShared].sort()) this.lib(`shared-handlers/${name}`, SHARED_TS[name]);
    for (const i of [...this.usedHandlers].sort((a, b) => a - b)) {
      const r = this.resources[i];
      this.usedSchemas.add(i);
      this.usedServices.set(`services/${r.plural}`, i);
      this.lib(`handlers/${r.plural}`, this.handlersModule(r));
    }
    for (const i of [...this.usedSchemas].sort((a, b) => a - b)) this.lib(`schemas/${this.resources[i].plural}`, this.schemasModule(this.resources[i]));
    for (const [key, i] of [...this.usedServices].sort(([a], [b]) => (a < b ? -1 : 1))) this.lib(key, this.serviceModule_(this.resources[i], key));
  }

  private schemasModule(r: Resource): string {
    return [
      "import { z } from 'zod';",
      '',
      `export const Create${r.one}Schema = z.object({`,
      ...r.fields.map((f) => `  ${f}: ${this.zodType(f)},`),
      '});',
      '',
      `export const Update${r.one}Schema = Create${r.one}Schema.partial();`,
      '',
      `export type Create${r.one} = z.infer<typeof Create${r.one}Schema>;`,
      `export type Update${r.one} = z.infer<typeof Update${r.one}Schema>;`,
      '',
    ].join('\n');
  }

  private serviceModule_(r: Resource, key: string): string {
    // Deterministic per module, independent of the main sequence.
    const h = [...key].reduce((a, c) => (a * 31 + c.charCodeAt(0)) >>> 0, this.seed);
    const flavour = h % 10; // 0-1: reads cookies, 2: fetches with no-store, else plain db calls
    const imports = ["import { db } from '@/lib/db';"];
    if (flavour <= 1) imports.push("import { cookies } from 'next/headers';");
    const one = r.one;
    const lines = [
      ...imports,
      '',
      `export interface ${one} {`,
      '  id: string;',
      ...r.fields.map((f) => `  ${f}?: ${this.tsType(f)};`),
      '  etag?: string;',
      '  createdAt: string;',
      '}',
      '',
      'export interface ListOptions {',
      '  page?: number;',
      '  limit?: number;',
      '  [filter: string]: unknown;',
      '}',
      '',
    ];
    if (flavour <= 1) {
      lines.push('async function tenantScope() {', "  return (await cookies()).get('tenant')?.value ?? 'default';", '}', '');
      lines.push(`export async function list${r.many}(options: ListOptions = {}) {`, `  return db.findMany<${one}>('${r.plural}', { ...options, tenant: await tenantScope() });`, '}');
    } else if (flavour === 2) {
      lines.push(
        `export async function list${r.many}(options: ListOptions = {}) {`,
        `  const res = await fetch(\`https://search.internal/${r.plural}?q=\${encodeURIComponent(JSON.stringify(options))}\`, { cache: 'no-store' });`,
        `  return (await res.json()) as ${one}[];`,
        '}',
      );
    } else {
      lines.push(`export async function list${r.many}(options: ListOptions = {}) {`, `  return db.findMany<${one}>('${r.plural}', options);`, '}');
    }
    lines.push(
      '',
      `export async function get${one}(id: string) {`,
      `  return db.findOne<${one}>('${r.plural}', id);`,
      '}',
      '',
      `export async function create${one}(input: Record<string, unknown>) {`,
      `  return db.insert<${one}>('${r.plural}', input);`,
      '}',
      '',
      `export async function update${one}(id: string, input: Record<string, unknown>) {`,
      `  return db.update<${one}>('${r.plural}', id, input);`,
      '}',
      '',
      `export async function delete${one}(id: string) {`,
      `  await db.remove('${r.plural}', id);`,
      '}',
      '',
      `export async function count${r.many}() {`,
      `  return db.count('${r.plural}');`,
      '}',
      '',
    );
    return lines.join('\n');
  }

  private handlersModule(r: Resource): string {
    const one = camelOf(r.one);
    return [
      "import { NextResponse, type NextRequest } from 'next/server';",
      "import { withAuth } from '@/lib/auth';",
      `import { Create${r.one}Schema, Update${r.one}Schema } from '@/lib/schemas/${r.plural}';`,
      `import { create${r.one}, delete${r.one}, get${r.one}, list${r.many}, update${r.one} } from '@/lib/services/${r.plural}';`,
      '',
      `export async function GET(request: NextRequest) {`,
      '  const searchParams = request.nextUrl.searchParams;',
      "  const page = Number(searchParams.get('page') ?? '1');",
      "  const limit = Number(searchParams.get('limit') ?? '20');",
      `  return NextResponse.json(await list${r.many}({ page, limit }));`,
      '}',
      '',
      `export async function POST(request: NextRequest) {`,
      `  const body = Create${r.one}Schema.parse(await request.json());`,
      `  return NextResponse.json(await create${r.one}(body), { status: 201 });`,
      '}',
      '',
      `const PUT = withAuth(async (request: NextRequest, { params }: { params: Promise<{ id: string }> }) => {`,
      '  const { id } = await params;',
      `  const body = Update${r.one}Schema.parse(await request.json());`,
      `  const ${one} = await update${r.one}(id, body);`,
      `  if (!${one}) return NextResponse.json({ error: 'Not found' }, { status: 404 });`,
      `  return NextResponse.json(${one});`,
      '});',
      '',
      `async function DELETE(_request: NextRequest, { params }: { params: Promise<{ id: string }> }) {`,
      '  const { id } = await params;',
      `  if (!(await get${r.one}(id))) return NextResponse.json({ error: 'Not found' }, { status: 404 });`,
      `  await delete${r.one}(id);`,
      '  return new Response(null, { status: 204 });',
      '}',
      '',
      `export const PATCH = PUT;`,
      '',
      `export const ${r.camel}Handlers = { GET, POST, PUT, PATCH, DELETE };`,
      '',
    ].join('\n');
  }

  // ----- workspace files ---------------------------------------------------------------------

  private rootFiles(): void {
    const other = this.otherFiles;
    const pkg = {
      name: 'acme-web',
      version: '0.1.0',
      private: true,
      scripts: { dev: 'next dev --turbopack', build: 'next build', start: 'next start', lint: 'next lint' },
      dependencies: { next: '^15.3.0', react: '^19.0.0', 'react-dom': '^19.0.0', zod: '^3.23.8', '@trpc/server': '^11.0.0' },
      devDependencies: { typescript: '^5.6.0', '@types/node': '^20', '@types/react': '^19' },
    };
    this.write('package.json', JSON.stringify(pkg, null, 2) + '\n', other);
    this.write(
      'next.config.js',
      [
        "/** @type {import('next').NextConfig} */",
        'const nextConfig = {',
        '  reactStrictMode: true,',
        "  images: { remotePatterns: [{ protocol: 'https', hostname: 'cdn.acme.example.com' }] },",
        '  async redirects() {',
        "    return [{ source: '/home', destination: '/', permanent: true }];",
        '  },',
        '};',
        '',
        'module.exports = nextConfig;',
        '',
      ].join('\n'),
      other,
    );
    const tsconfig = {
      compilerOptions: {
        target: 'ES2017',
        lib: ['dom', 'dom.iterable', 'esnext'],
        allowJs: true,
        skipLibCheck: true,
        strict: true,
        noEmit: true,
        esModuleInterop: true,
        module: 'esnext',
        moduleResolution: 'bundler',
        resolveJsonModule: true,
        isolatedModules: true,
        jsx: 'preserve',
        incremental: true,
        plugins: [{ name: 'next' }],
        paths: { '@/*': ['./src/*'] },
      },
      include: ['next-env.d.ts', '**/*.ts', '**/*.tsx', '.next/types/**/*.ts'],
      exclude: ['node_modules'],
    };
    this.write('tsconfig.json', JSON.stringify(tsconfig, null, 2) + '\n', other);
    this.write('next-env.d.ts', '/// <reference types="next" />\n/// <reference types="next/image-types/global" />\n', other);
    this.write('.gitignore', 'node_modules\n.next\n', other);
    // An installed `next` so the version is exact, and a dependency folder the walk must skip.
    this.write('node_modules/next/package.json', JSON.stringify({ name: 'next', version: '15.3.2', main: 'index.js' }, null, 2) + '\n', other);
    this.write('node_modules/zod/package.json', JSON.stringify({ name: 'zod', version: '3.23.8' }, null, 2) + '\n', other);
  }
}

// ---------------------------------------------------------------------------------------------
// Fixed lib modules

const AUTH_TS = `import { NextResponse, type NextRequest } from 'next/server';
import { cookies } from 'next/headers';

export type Role = 'admin' | 'member' | 'viewer';

export interface Session {
  user: { id: string; email: string; role: Role };
  expires: string;
}

type Handler<C> = (req: NextRequest, ctx: C & { session: Session }) => Promise<Response> | Response;

export async function getSession(): Promise<Session | null> {
  const token = (await cookies()).get('session')?.value;
  if (!token) return null;
  return {
    user: { id: token.slice(0, 8), email: 'user@example.com', role: 'member' },
    expires: new Date(Date.now() + 3_600_000).toISOString(),
  };
}

export function withAuth<C>(handler: Handler<C>, options: { role?: Role } = {}) {
  return async (req: NextRequest, ctx: C) => {
    const session = await getSession();
    if (!session) {
      return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });
    }
    if (options.role && session.user.role !== options.role) {
      return NextResponse.json({ error: 'Forbidden' }, { status: 403 });
    }
    return handler(req, { ...ctx, session });
  };
}

export function withRole(role: Role) {
  return <C>(handler: Handler<C>) => withAuth(handler, { role });
}
`;

const MIDDLEWARE_TS = `import { NextResponse, type NextRequest } from 'next/server';

type RouteHandler = (req: NextRequest, ctx: any) => Promise<Response> | Response;
type Middleware = (handler: RouteHandler) => RouteHandler;

const buckets = new Map<string, { count: number; resetAt: number }>();

export function withRateLimit(handler: RouteHandler, { limit = 60, windowMs = 60_000 } = {}): RouteHandler {
  return async (req, ctx) => {
    const key = req.headers.get('x-forwarded-for') ?? 'anonymous';
    const now = Date.now();
    const bucket = buckets.get(key) ?? { count: 0, resetAt: now + windowMs };
    if (bucket.resetAt < now) Object.assign(bucket, { count: 0, resetAt: now + windowMs });
    bucket.count += 1;
    buckets.set(key, bucket);
    if (bucket.count > limit) {
      return NextResponse.json({ error: 'Too many requests' }, { status: 429 });
    }
    return handler(req, ctx);
  };
}

export function withLogging(handler: RouteHandler): RouteHandler {
  return async (req, ctx) => {
    const started = Date.now();
    const res = await handler(req, ctx);
    console.log(req.method, req.nextUrl.pathname, res.status, Date.now() - started + 'ms');
    return res;
  };
}

export function compose(...middlewares: Middleware[]) {
  return (handler: RouteHandler) => middlewares.reduceRight((h, m) => m(h), handler);
}
`;

const HTTP_TS = `import { NextResponse } from 'next/server';

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function withErrorHandler<A extends unknown[]>(handler: (...args: A) => Promise<Response>) {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof ApiError) {
        return NextResponse.json({ error: error.message }, { status: error.status });
      }
      console.error(error);
      return NextResponse.json({ error: 'Internal server error' }, { status: 500 });
    }
  };
}

export async function verifySignature(payload: string, signature: string): Promise<boolean> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(process.env.WEBHOOK_SECRET ?? ''), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(payload));
  const hex = Buffer.from(mac).toString('hex');
  return signature.endsWith(hex);
}

export function createProxyHandler(upstream: string) {
  return async (req: Request) => {
    const url = new URL(req.url);
    return fetch(upstream + url.pathname + url.search, { method: req.method, headers: req.headers, body: req.body, cache: 'no-store' });
  };
}
`;

const DB_TS = `type Row = { id: string; createdAt: string };

const tables = new Map<string, Map<string, Row & Record<string, unknown>>>();

function table(name: string) {
  let t = tables.get(name);
  if (!t) tables.set(name, (t = new Map()));
  return t;
}

export const db = {
  async findMany<T>(name: string, options: Record<string, unknown> = {}): Promise<T[]> {
    const limit = Number(options.limit ?? 20);
    const page = Number(options.page ?? 1);
    return [...table(name).values()].slice((page - 1) * limit, page * limit) as T[];
  },
  async findOne<T>(name: string, id: string): Promise<T | undefined> {
    return table(name).get(id) as T | undefined;
  },
  async insert<T>(name: string, input: Record<string, unknown>): Promise<T> {
    const row = { ...input, id: crypto.randomUUID(), createdAt: new Date().toISOString() };
    table(name).set(row.id, row);
    return row as T;
  },
  async update<T>(name: string, id: string, input: Record<string, unknown>): Promise<T | undefined> {
    const row = table(name).get(id);
    if (!row) return undefined;
    Object.assign(row, input);
    return row as T;
  },
  async remove(name: string, id: string): Promise<void> {
    table(name).delete(id);
  },
  async count(name: string): Promise<number> {
    return table(name).size;
  },
};
`;

const CONFIG_TS = `export const ONE_HOUR = 60 * 60;
export const ONE_DAY = 24 * ONE_HOUR;
export const DEFAULT_LIMIT = 20;
export const SITE_URL = process.env.NEXT_PUBLIC_SITE_URL ?? 'https://acme.example.com';
export const API_BASE = process.env.API_BASE ?? 'https://api.acme.example.com';
`;

const AUTH_HANDLERS_TS = `import { NextResponse, type NextRequest } from 'next/server';

async function handleAuth(request: NextRequest) {
  const action = request.nextUrl.pathname.split('/').at(-1);
  if (action === 'session') {
    const token = request.cookies.get('session')?.value;
    return NextResponse.json(token ? { user: { id: token.slice(0, 8) } } : null);
  }
  if (request.method === 'POST' && action === 'signout') {
    const res = NextResponse.json({ ok: true });
    res.cookies.delete('session');
    return res;
  }
  return NextResponse.json({ error: 'Unknown action' }, { status: 404 });
}

export const handlers = { GET: handleAuth, POST: handleAuth };
`;

const TRPC_TS = `export interface Context {
  headers: Headers;
}

export async function createContext({ headers }: { headers: Headers }): Promise<Context> {
  return { headers };
}

export const appRouter = {
  _def: { procedures: { health: () => 'ok' } },
};

export type AppRouter = typeof appRouter;
`;

const SHARED_TS: Record<string, string> = {
  health: `export const dynamic = 'force-dynamic';

export async function GET() {
  return Response.json({ status: 'ok', uptime: process.uptime() });
}

export function HEAD() {
  return new Response(null, { status: 200 });
}
`,
  webhook: `import { verifySignature } from '@/lib/http';

export async function POST(request: Request) {
  const payload = await request.text();
  const signature = request.headers.get('x-signature');
  if (!signature || !(await verifySignature(payload, signature))) {
    return new Response('Invalid signature', { status: 401 });
  }
  return new Response(null, { status: 202 });
}
`,
  proxy: `import { createProxyHandler } from '@/lib/http';
import { API_BASE } from '@/lib/config';

const proxy = createProxyHandler(API_BASE);

export { proxy as GET, proxy as POST, proxy as PUT, proxy as PATCH, proxy as DELETE };
`,
  preflight: `export function OPTIONS() {
  return new Response(null, {
    status: 204,
    headers: {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
      'Access-Control-Allow-Headers': 'content-type, authorization',
    },
  });
}
`,
  status: `import { API_BASE } from '@/lib/config';

export const revalidate = 30;

export async function GET() {
  const res = await fetch(\`\${API_BASE}/status\`, { next: { revalidate: 30 } });
  return Response.json(await res.json());
}
`,
  metrics: `export * from './health';

export async function POST(request: Request) {
  const { name, value } = await request.json();
  if (typeof name !== 'string' || typeof value !== 'number') {
    return Response.json({ error: 'name and value are required' }, { status: 400 });
  }
  return new Response(null, { status: 204 });
}
`,
};

// ---------------------------------------------------------------------------------------------
// Entry points

/** Writes a synthetic Next.js workspace with `routeCount` route files into `dir` (emptied first). */
export function generateApp(dir: string, routeCount: number, seed = 1): void {
  generateAppWithMeta(dir, routeCount, seed);
}

export function generateAppWithMeta(dir: string, routeCount: number, seed = 1): GeneratedMeta {
  const gen = new AppGenerator(routeCount, seed);
  gen.generate();
  rmSync(dir, { recursive: true, force: true });
  let bytes = 0;
  const made = new Set<string>();
  for (const [rel, content] of gen.files) {
    const abs = join(dir, rel);
    const parent = dirname(abs);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(abs, content);
    bytes += typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  }
  const meta: GeneratedMeta = {
    generatorVersion: GENERATOR_VERSION,
    seed,
    routeCount,
    appDir: gen.appDir,
    routes: gen.routes,
    pages: gen.pages,
    metadataFiles: gen.metadataFiles,
    libFiles: gen.libFiles,
    otherFiles: gen.otherFiles,
    totals: { files: gen.files.size, bytes },
    stats: gen.stats,
  };
  writeFileSync(join(dir, META_FILE), JSON.stringify(meta));
  return meta;
}

/** The metadata of a generated workspace, or undefined when there is none (or it is incomplete). */
export function readMeta(dir: string): GeneratedMeta | undefined {
  const file = join(dir, META_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as GeneratedMeta;
  } catch {
    return undefined;
  }
}

/** Reuses `dir` when it holds the same generator version, size and seed; otherwise regenerates it. */
export function ensureApp(dir: string, routeCount: number, seed = 1, force = false): { meta: GeneratedMeta; generated: boolean; ms: number } {
  const started = performance.now();
  const existing = force ? undefined : readMeta(dir);
  if (existing && existing.generatorVersion === GENERATOR_VERSION && existing.seed === seed && existing.routeCount === routeCount) {
    return { meta: existing, generated: false, ms: performance.now() - started };
  }
  const meta = generateAppWithMeta(dir, routeCount, seed);
  return { meta, generated: true, ms: performance.now() - started };
}
