import type { ExportForm, HttpMethod, Location, OtherExport, Problem, RouteMethod, SegmentConfig, Span, StaticValue } from './model';
import { HTTP_METHODS, SEGMENT_CONFIG_KEYS, type SegmentConfigKey } from './model';
import type { ExportEntry, HandlerSite, LocalBinding, ModuleSummary } from './moduleSummary';

/** Access to other modules while linking one route file; every file consulted becomes a dependency. */
export interface ModuleGraph {
  summaryOf(absPath: string): ModuleSummary | undefined;
  resolve(specifier: string, fromFile: string): string | undefined;
  relative(absPath: string): string;
}

/** An exported name traced to the module and binding that define it. */
interface TracedExport {
  file: string;
  entry: ExportEntry;
  /** The binding in `file`, for local exports. */
  binding?: LocalBinding;
  /** The `export *` in the route file this name came through, if any. */
  viaStar?: Span;
}

/** Where a handler's code is, after following aliases, imports and wrappers. */
interface HandlerTarget {
  file: string;
  site?: HandlerSite;
  wrappers: string[];
  binding?: LocalBinding;
}

export interface LinkedRouteModule {
  methods: RouteMethod[];
  segmentConfig: SegmentConfig;
  otherExports: OtherExport[];
  problems: Problem[];
  /** Files other than the route file whose contents this result depends on. */
  dependencies: Set<string>;
  /** True when some import could not be resolved, so a new file could change the result. */
  hasUnresolved: boolean;
}

const METHOD_NAMES = new Set<string>(HTTP_METHODS);
const LOWERCASE_METHODS = new Set(HTTP_METHODS.map((m) => m.toLowerCase()));
const SEGMENT_KEYS = new Set<string>(SEGMENT_CONFIG_KEYS);
const MAX_DEPTH = 16;

/**
 * Links a route module's exports across files: which HTTP methods it exports (through every export
 * form), where each handler's code is, its segment config and its other exports. Only the modules an
 * export form needs are read, each summarized once and cached by the caller.
 */
export function linkRouteModule(routeFile: string, summary: ModuleSummary, graph: ModuleGraph): LinkedRouteModule {
  const dependencies = new Set<string>();
  const problems: Problem[] = [];
  let hasUnresolved = false;
  const relFile = graph.relative(routeFile);

  const summaryOf = (file: string): ModuleSummary | undefined => {
    if (file === routeFile) return summary;
    dependencies.add(file);
    return graph.summaryOf(file);
  };
  const resolve = (specifier: string, from: string): string | undefined => {
    const resolved = graph.resolve(specifier, from);
    if (!resolved) hasUnresolved = true;
    return resolved;
  };

  const traceName = (file: string, name: string, depth: number, seen: Set<string>): TracedExport | undefined => {
    const key = `${file}\0${name}`;
    if (depth > MAX_DEPTH || seen.has(key)) return undefined;
    seen.add(key);
    const module = summaryOf(file);
    if (!module) return undefined;
    const entry = module.exports.get(name);
    if (entry) return { file, entry, binding: entry.type === 'local' ? module.locals.get(entry.local) : undefined };
    if (name === 'default') return undefined;
    for (const star of module.stars) {
      const target = resolve(star.specifier, file);
      if (!target) continue;
      const traced = traceName(target, name, depth + 1, seen);
      if (traced) return traced;
    }
    return undefined;
  };

  /** Every name a module exports, own names first, then each `export *` in order (first one wins). */
  const exportNames = (file: string, depth: number, seen: Set<string>, out: Map<string, Span | undefined>, viaStar?: Span) => {
    if (depth > MAX_DEPTH || seen.has(file)) return;
    seen.add(file);
    const module = summaryOf(file);
    if (!module) return;
    for (const name of module.exports.keys()) {
      if (depth > 0 && name === 'default') continue;
      if (!out.has(name)) out.set(name, viaStar);
    }
    for (const star of module.stars) {
      const target = resolve(star.specifier, file);
      if (!target) {
        if (file === routeFile) {
          problems.push({
            id: 'unresolved-export-star',
            severity: 'warning',
            file: relFile,
            span: star.span,
            message: `\`export * from '${star.specifier}'\` could not be resolved, so the methods it exports are not listed.`,
          });
        }
        continue;
      }
      exportNames(target, depth + 1, seen, out, viaStar ?? star.span);
    }
  };

  /** Follows a binding to the handler code: aliases, imports and wrappers, across modules. */
  const followHandler = (file: string, binding: LocalBinding | undefined, depth: number, wrappers: string[]): HandlerTarget => {
    if (!binding || depth > MAX_DEPTH) return { file, wrappers, binding };
    switch (binding.type) {
      case 'function':
        return { file, site: binding.handler, wrappers, binding };
      case 'wrapped': {
        const all = [...wrappers, ...binding.wrappers];
        if (binding.handler) return { file, site: binding.handler, wrappers: all, binding };
        if (binding.target) return followHandler(file, summaryOf(file)?.locals.get(binding.target), depth + 1, all);
        return { file, wrappers: all, binding };
      }
      case 'alias': {
        const module = summaryOf(file);
        return followHandler(file, module?.locals.get(binding.target), depth + 1, wrappers);
      }
      case 'import': {
        if (binding.importedName === '*') return { file, wrappers, binding };
        const target = resolve(binding.specifier, file);
        if (!target) return { file, wrappers, binding };
        const traced = traceName(target, binding.importedName, depth + 1, new Set());
        return traced ? followTraced(traced, depth + 1, wrappers) : { file, wrappers, binding };
      }
      default:
        return { file, wrappers, binding };
    }
  };
  const followTraced = (traced: TracedExport, depth: number, wrappers: string[]): HandlerTarget => {
    if (traced.entry.type === 'local') return followHandler(traced.file, traced.binding, depth, wrappers);
    if (traced.entry.type === 'reexport') {
      const target = resolve(traced.entry.specifier, traced.file);
      const next = target ? traceName(target, traced.entry.importedName, depth + 1, new Set()) : undefined;
      return next ? followTraced(next, depth + 1, wrappers) : { file: traced.file, wrappers };
    }
    return { file: traced.file, wrappers };
  };

  const names = new Map<string, Span | undefined>();
  exportNames(routeFile, 0, new Set(), names);

  const methods: RouteMethod[] = [];
  const segmentConfig: SegmentConfig = {};
  const otherExports: OtherExport[] = [];
  for (const [name, viaStar] of names) {
    const traced = viaStar ? traceName(routeFile, name, 0, new Set()) : ownExport(routeFile, summary, name);
    if (!traced) continue;
    const exportSpan = viaStar ?? traced.entry.span;
    if (METHOD_NAMES.has(name)) {
      const target = followTraced(traced, 0, []);
      const method: RouteMethod = { name: name as HttpMethod, form: viaStar ? 'exportStar' : formOf(traced, name), span: exportSpan };
      if (target.site) {
        method.definition = { file: graph.relative(target.file), span: target.site.span };
        method.request = target.site.request;
      }
      if (target.wrappers.length > 0) method.wrappers = target.wrappers;
      methods.push(method);
    } else {
      if (SEGMENT_KEYS.has(name)) segmentConfig[name as SegmentConfigKey] = segmentValue(name as SegmentConfigKey, traced, followTraced(traced, 0, []), graph) as never;
      const kind: OtherExport['kind'] = SEGMENT_KEYS.has(name) ? 'segmentConfig' : name === 'default' ? 'default' : LOWERCASE_METHODS.has(name) ? 'lowercaseMethod' : 'other';
      const other: OtherExport = { name, kind, span: exportSpan };
      if (traced.file !== routeFile && !viaStar) other.file = graph.relative(traced.file);
      otherExports.push(other);
    }
  }
  methods.sort((a, b) => HTTP_METHODS.indexOf(a.name) - HTTP_METHODS.indexOf(b.name));
  addImplicitMethods(methods);
  otherExports.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { methods, segmentConfig, otherExports, problems, dependencies, hasUnresolved };
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
  if (traced.entry.type === 'reexport' && target.binding?.type === 'value') {
    return { ...target.binding.value, file: graph.relative(target.file) };
  }
  return { known: false, reason: 'not a literal value', span: binding?.nameSpan ?? traced.entry.span, ...where };
}
