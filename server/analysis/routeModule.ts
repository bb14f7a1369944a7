import { AnalysisLimitError, limitProblem } from './limits';
import type { ExportForm, HttpMethod, Location, OtherExport, Problem, RouteMethod, SegmentConfig, Span, StaticValue } from './model';
import { HTTP_METHODS, SEGMENT_CONFIG_KEYS, type SegmentConfigKey } from './model';
import type { ExportEntry, HandlerSite, LocalBinding, ModuleSummary } from './moduleSummary';
import { inferRequestInfo, type WrapperOptions } from './requestFlow';

/** Access to other modules while linking one route file; every file consulted becomes a dependency. */
export interface ModuleGraph {
  summaryOf(absPath: string): ModuleSummary | undefined;
  resolve(specifier: string, fromFile: string): string | undefined;
  relative(absPath: string): string;
}

/** An exported name traced to the module and binding that define it. */
export interface TracedExport {
  file: string;
  entry: ExportEntry;
  /** The binding in `file`, for local exports. */
  binding?: LocalBinding;
  /** The `export *` in the route file this name came through, if any. */
  viaStar?: Span;
}

/** Where a handler's code is, after following aliases, imports and wrappers. */
export interface HandlerTarget {
  file: string;
  site?: HandlerSite;
  wrappers: string[];
  binding?: LocalBinding;
  /**
   * The wrapper functions around the handler, by module and local name, outermost first; the innermost may
   * carry what the route passes it besides the handler.
   */
  wrapperCalls?: Array<{ file: string; callee: string; options?: WrapperOptions }>;
}

export interface LinkedRouteModule {
  methods: RouteMethod[];
  segmentConfig: SegmentConfig;
  otherExports: OtherExport[];
  /** Where each exported method's code was found; the caching analysis starts there. */
  handlers: Map<HttpMethod, HandlerTarget>;
  /** Holds the problems, the dependencies and whether anything was unresolved; reusable for more following. */
  linker: ModuleLinker;
}

const METHOD_NAMES = new Set<string>(HTTP_METHODS);
const LOWERCASE_METHODS = new Set(HTTP_METHODS.map((m) => m.toLowerCase()));
const SEGMENT_KEYS = new Set<string>(SEGMENT_CONFIG_KEYS);
/** How many modules (or bindings) deep a chain of re-exports, imports, aliases and wrappers is followed. */
const MAX_DEPTH = 16;

/**
 * Steps one route's linker may take (a module's exports listed, a name traced, a binding followed), the
 * calls followed for its effects included. Real trees of re-exports and helpers need a few hundred; the
 * bound keeps the work of one route linear in it whatever the modules do, cycles and fans included.
 */
export const MAX_LINK_STEPS = 100_000;

/**
 * Follows exports, imports, aliases and wrappers from one route file into the modules they name.
 * Every module consulted is recorded as a dependency, so a change to it re-links the route.
 */
export class ModuleLinker {
  readonly dependencies = new Set<string>();
  readonly problems: Problem[] = [];
  hasUnresolved = false;
  /** True once MAX_LINK_STEPS were taken: the linker follows nothing more, so what it found is incomplete. */
  exhausted = false;
  /** The route's `export *` whose re-exports go on deeper than MAX_DEPTH modules, if one does. */
  tooDeepStar: Span | undefined;
  private steps = 0;

  constructor(readonly routeFile: string, private readonly routeSummary: ModuleSummary, readonly graph: ModuleGraph) {}

  /** Takes one step of the budget; false when it is spent. */
  private step(): boolean {
    if (this.steps === MAX_LINK_STEPS) {
      this.exhausted = true;
      return false;
    }
    this.steps++;
    return true;
  }

  summaryOf(file: string): ModuleSummary | undefined {
    if (file === this.routeFile) return this.routeSummary;
    this.dependencies.add(file);
    return this.graph.summaryOf(file);
  }

  resolve(specifier: string, from: string): string | undefined {
    const resolved = this.graph.resolve(specifier, from);
    // Only the app's own code can appear later; an unresolved package stays a package.
    if (!resolved && isWorkspaceSpecifier(specifier)) this.hasUnresolved = true;
    return resolved;
  }

  traceName(file: string, name: string, depth = 0, seen = new Set<string>()): TracedExport | undefined {
    const key = `${file}\0${name}`;
    if (depth > MAX_DEPTH || seen.has(key) || !this.step()) return undefined;
    seen.add(key);
    const module = this.summaryOf(file);
    if (!module) return undefined;
    const entry = module.exports.get(name);
    if (entry) return { file, entry, binding: entry.type === 'local' ? module.locals.get(entry.local) : undefined };
    if (name === 'default') return undefined;
    for (const star of module.stars) {
      const target = this.resolve(star.specifier, file);
      if (!target) continue;
      const traced = this.traceName(target, name, depth + 1, seen);
      if (traced) return traced;
    }
    return undefined;
  }

  /**
   * Every name a module exports, traced to the module that defines it (what traceName would find, in one
   * walk instead of one per name): own names first, then each `export *` in order (first one wins), each
   * with the `export *` of `file` it came through.
   */
  exportNames(file: string, out = new Map<string, TracedExport>(), depth = 0, seen = new Set<string>(), viaStar?: Span): Map<string, TracedExport> {
    if (seen.has(file)) return out;
    if (depth > MAX_DEPTH) {
      this.tooDeepStar ??= viaStar;
      return out;
    }
    if (!this.step()) return out;
    seen.add(file);
    const module = this.summaryOf(file);
    if (!module) return out;
    for (const [name, entry] of module.exports) {
      if (depth > 0 && name === 'default') continue;
      if (out.has(name)) continue;
      const traced: TracedExport = { file, entry, binding: entry.type === 'local' ? module.locals.get(entry.local) : undefined };
      if (viaStar) traced.viaStar = viaStar;
      out.set(name, traced);
    }
    for (const star of module.stars) {
      const target = this.resolve(star.specifier, file);
      if (!target) {
        if (file === this.routeFile) {
          this.problems.push({
            id: 'unresolved-export-star',
            severity: 'warning',
            file: this.graph.relative(file),
            span: star.span,
            message: `\`export * from '${star.specifier}'\` could not be resolved, so the methods it exports are not listed.`,
          });
        }
        continue;
      }
      this.exportNames(target, out, depth + 1, seen, viaStar ?? star.span);
    }
    return out;
  }

  /** Follows a binding to the handler code: aliases, imports and wrappers, across modules. */
  followHandler(file: string, binding: LocalBinding | undefined, depth = 0, wrappers: string[] = [], wrapperCalls: HandlerTarget['wrapperCalls'] = []): HandlerTarget {
    if (!binding || depth > MAX_DEPTH || !this.step()) return { file, wrappers, binding, wrapperCalls };
    switch (binding.type) {
      case 'function':
        return { file, site: binding.handler, wrappers, binding, wrapperCalls };
      case 'wrapped': {
        const all = [...wrappers, ...binding.wrappers];
        const calls = [...wrapperCalls, ...binding.wrapperCallees.map((callee, index) => (index === binding.wrapperCallees.length - 1 && binding.wrapperOptions ? { file, callee, options: binding.wrapperOptions } : { file, callee }))];
        if (binding.handler) return { file, site: binding.handler, wrappers: all, binding, wrapperCalls: calls };
        if (binding.target) return this.followHandler(file, this.summaryOf(file)?.locals.get(binding.target), depth + 1, all, calls);
        return { file, wrappers: all, binding, wrapperCalls: calls };
      }
      case 'alias':
        return this.followHandler(file, this.summaryOf(file)?.locals.get(binding.target), depth + 1, wrappers, wrapperCalls);
      case 'import': {
        if (binding.importedName === '*') return { file, wrappers, binding, wrapperCalls };
        const target = this.resolve(binding.specifier, file);
        if (!target) return { file, wrappers, binding, wrapperCalls };
        const traced = this.traceName(target, binding.importedName, depth + 1);
        return traced ? this.followTraced(traced, depth + 1, wrappers, wrapperCalls) : { file, wrappers, binding, wrapperCalls };
      }
      default:
        return { file, wrappers, binding, wrapperCalls };
    }
  }

  followTraced(traced: TracedExport, depth = 0, wrappers: string[] = [], wrapperCalls: HandlerTarget['wrapperCalls'] = []): HandlerTarget {
    if (!this.step()) return { file: traced.file, wrappers, binding: traced.binding, wrapperCalls };
    if (traced.entry.type === 'local') return this.followHandler(traced.file, traced.binding, depth, wrappers, wrapperCalls);
    if (traced.entry.type === 'reexport') {
      const target = this.resolve(traced.entry.specifier, traced.file);
      const next = target ? this.traceName(target, traced.entry.importedName, depth + 1) : undefined;
      return next ? this.followTraced(next, depth + 1, wrappers, wrapperCalls) : { file: traced.file, wrappers, wrapperCalls };
    }
    return { file: traced.file, wrappers, wrapperCalls };
  }

  /** The exported name as the route module sees it: its own export, or one through `export *`. */
  traceRouteExport(name: string, viaStar: Span | undefined): TracedExport | undefined {
    return viaStar ? this.traceName(this.routeFile, name) : ownExport(this.routeFile, this.routeSummary, name);
  }
}

/**
 * Links a route module's exports across files: which HTTP methods it exports (through every export
 * form), where each handler's code is, its segment config and its other exports. Only the modules an
 * export form needs are read, each summarized once and cached by the caller.
 */
export function linkRouteModule(routeFile: string, summary: ModuleSummary, graph: ModuleGraph): LinkedRouteModule {
  const linker = new ModuleLinker(routeFile, summary, graph);
  let methods: RouteMethod[] = [];
  const handlers = new Map<HttpMethod, HandlerTarget>();
  let segmentConfig: SegmentConfig = {};
  let otherExports: OtherExport[] = [];
  for (const [name, traced] of linker.exportNames(routeFile)) {
    const viaStar = traced.viaStar;
    const exportSpan = viaStar ?? traced.entry.span;
    if (METHOD_NAMES.has(name)) {
      const target = linker.followTraced(traced);
      const method: RouteMethod = { name: name as HttpMethod, form: viaStar ? 'exportStar' : formOf(traced, name), span: exportSpan };
      if (target.site) {
        method.definition = { file: graph.relative(target.file), span: target.site.span };
        method.request = inferRequestInfo(linker, target);
      }
      if (target.wrappers.length > 0) method.wrappers = target.wrappers;
      handlers.set(method.name, target);
      methods.push(method);
    } else {
      if (SEGMENT_KEYS.has(name)) segmentConfig[name as SegmentConfigKey] = segmentValue(name as SegmentConfigKey, traced, linker.followTraced(traced), graph) as never;
      const kind: OtherExport['kind'] = SEGMENT_KEYS.has(name) ? 'segmentConfig' : name === 'default' ? 'default' : LOWERCASE_METHODS.has(name) ? 'lowercaseMethod' : 'other';
      const other: OtherExport = { name, kind, span: exportSpan };
      if (traced.file !== routeFile && !viaStar) other.file = graph.relative(traced.file);
      otherExports.push(other);
    }
  }
  const file = graph.relative(routeFile);
  if (linker.exhausted) {
    // Any of it may be wrong: a name not found, a handler not followed. The dependencies stay, so that a
    // change to the modules links the route again.
    methods = [];
    segmentConfig = {};
    otherExports = [];
    handlers.clear();
    linker.problems.push(limitProblem(file, new AnalysisLimitError('too-much-work', `following its exports through other modules took more than ${MAX_LINK_STEPS} steps`)));
    return { methods, segmentConfig, otherExports, linker, handlers };
  }
  if (linker.tooDeepStar) {
    linker.problems.push({
      id: 'too-deep',
      severity: 'warning',
      file,
      span: linker.tooDeepStar,
      message: `The re-exports of this \`export *\` go on more than ${MAX_DEPTH} modules deep; the methods exported beyond that are not listed.`,
    });
  }
  methods.sort((a, b) => HTTP_METHODS.indexOf(a.name) - HTTP_METHODS.indexOf(b.name));
  addImplicitMethods(methods);
  otherExports.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { methods, segmentConfig, otherExports, linker, handlers };
}

/** Specifiers that name the app's own code: relative paths and the usual tsconfig aliases. */
export function isWorkspaceSpecifier(specifier: string): boolean {
  return /^(\.|\/|@\/|~\/|#)/.test(specifier);
}

function ownExport(file: string, summary: ModuleSummary, name: string): TracedExport | undefined {
  const entry = summary.exports.get(name);
  if (!entry) return undefined;
  return { file, entry, binding: entry.type === 'local' ? summary.locals.get(entry.local) : undefined };
}

/** The export form, as a person would describe the line that exports the method. */
function formOf(traced: TracedExport, name: string): ExportForm {
  const { entry, binding } = traced;
  if (entry.type === 'reexport') return 'reexport';
  if (entry.type !== 'local') return 'const';
  if (!entry.declared) {
    if (binding?.type === 'import') return 'imported';
    if (entry.local !== name) return 'alias';
  }
  switch (binding?.type) {
    case 'function':
      return binding.declaredAs;
    case 'wrapped':
      return 'wrapped';
    case 'alias':
      return 'alias';
    case 'destructured':
      return 'destructured';
    case 'import':
      return 'imported';
    default:
      return 'const';
  }
}

/** Next.js answers HEAD from GET and OPTIONS by itself; list them so a request builder can offer them. */
function addImplicitMethods(methods: RouteMethod[]): void {
  const has = (name: HttpMethod) => methods.some((m) => m.name === name);
  if (has('GET') && !has('HEAD')) methods.splice(methods.findIndex((m) => m.name === 'GET') + 1, 0, { name: 'HEAD', implicit: true });
  if (!has('OPTIONS')) methods.push({ name: 'OPTIONS', implicit: true });
}

function segmentValue(key: SegmentConfigKey, traced: TracedExport, target: HandlerTarget, graph: ModuleGraph): StaticValue<unknown> {
  const file = traced.file;
  const where: Partial<Location> = { file: graph.relative(file) };
  const binding = traced.binding ?? target.binding;
  if (key === 'generateStaticParams') {
    return { known: true, value: true, span: binding?.nameSpan ?? traced.entry.span, ...where };
  }
  if (binding?.type === 'value') return { ...binding.value, ...where };
  if (binding?.type === 'alias') {
    // Next.js 15+ rejects an identifier here; 14 uses the run-time value, so keep it when it is a literal.
    const constant = graph.summaryOf(file)?.locals.get(binding.target);
    const evaluated = constant?.type === 'value' ? (constant.value.known ? constant.value.value : constant.value.evaluated) : undefined;
    return { known: false, reason: `Unknown identifier "${binding.target}"`, text: binding.target, span: binding.nameSpan, evaluated, ...where };
  }
  if (binding?.type === 'destructured') {
    return { known: false, reason: `destructured from \`${binding.source}\``, span: binding.nameSpan, destructured: true, ...where };
  }
  if (traced.entry.type === 'reexport' && target.binding?.type === 'value') {
    return { ...target.binding.value, file: graph.relative(target.file) };
  }
  return { known: false, reason: 'not a literal value', span: binding?.nameSpan ?? traced.entry.span, ...where };
}
