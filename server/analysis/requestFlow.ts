import type { HandlerRequestInfo } from './model';
import type { HandlerSite, LocalBinding } from './moduleSummary';
import type { HandlerTarget, ModuleLinker } from './routeModule';

// Where request data flows inside a function, kept in its module summary so that linking can follow it into
// wrappers, helpers and schemas in other modules. A value is a path from where it came from (a parameter, the
// result of a call, or a fixed kind), and its kind (request, URL, query, JSON body...) is decided only when the
// caller is known: `req.json()` is a JSON body when `req` is the request, and nothing when a wrapper hands the
// handler something else.

/**
 * A value that may carry request data: where it came from and the steps taken from there, such as
 * `['url', 'searchParams']` for `new URL(req.url).searchParams`. Steps are property names, or the
 * calls `json()`, `formData()`, `text()`, `parse()` (JSON.parse) and `safeParse()`.
 */
export interface FlowValue {
  /** A parameter of the function, by index; -1 is the request of the handler the function returns (a wrapper's). */
  param?: number;
  /** The result of `calls[call]` of the same flow. */
  call?: number;
  /** A value whose kind is known without a caller: something named `searchParams` of unknown origin. */
  fixed?: 'legacyQuery';
  /** An object literal whose properties carry values: `{ req, schemas: { body: CreateUser } }`. */
  object?: Array<[string, FlowValue]>;
  /** A validation schema written in the function's module, handed to a helper or a wrapper that applies it. */
  schema?: NamedSchema;
  path?: string[];
}

/** A schema's shape with the name it goes by in its module (its text when it has none). */
export interface NamedSchema extends SchemaShape {
  label: string;
}

/** What a function reads from one value. */
export interface FlowRead {
  value: FlowValue;
  /** Property names read: `body.name`, `const { name } = body`, `body['name']`. */
  keys?: string[];
  /** String literals passed to `get`, `getAll` or `has`: `searchParams.get('q')`, `form.get('file')`. */
  gets?: string[];
  /** The schema that validates the value, as written: `CreateUser`. Its fields known in this file are in `keys`. */
  schema?: string;
  /** Imported schemas (local names) whose fields the validated value has: the schema, or those it extends. */
  schemaImports?: string[];
  /** Fields left out of the imported ones (`.omit({ id: true })`). */
  schemaOmit?: string[];
  /**
   * Where the schema comes from when the function is handed it (`schemas.body.safeParse(data)`, with `schemas`
   * a parameter): the caller decides it, and without one the read is not made (`if (schemas?.body)`).
   */
  schemaValue?: FlowValue;
  /** The property of a parameter that an `if` around the read tests: `if (schemas?.body)`. */
  guard?: FlowValue;
}

/** An argument of a call: a value (an object literal of values too: `handler({ req, searchParams })`), or none. */
export type FlowArg = FlowValue | null;

/** A call that is passed request data: to a module-level function, an import, or a parameter (a wrapper calling its handler). */
export interface FlowCall {
  /** The local name called (`parseBody`), or the namespace of `ns.fn()`. */
  callee: string;
  member?: string;
  /** Set when the callee is a parameter of the function: its index. */
  param?: number;
  /** The property of the parameter that is called: `handler` in `const { handler } = options; handler(...)`. */
  paramPath?: string[];
  args: FlowArg[];
  /** As for reads: the property of a parameter that an `if` around the call tests. */
  guard?: FlowValue;
}

/** Where request data goes in one function: what it reads, whom it passes it to, and what it returns. */
export interface RequestFlow {
  reads: FlowRead[];
  calls: FlowCall[];
  returns: FlowValue[];
}

/**
 * How many fields one schema lists at most. `const B = A.extend({...})` copies A's fields, so a file of
 * schemas each extending the one before would otherwise hold fields quadratic in its length.
 */
export const MAX_SCHEMA_FIELDS = 256;

/** A validation schema read from syntax: `z.object({...})`, `.extend`, `.merge`, `.pick`, `.omit`, valibot and yup objects. */
export interface SchemaShape {
  fields: string[];
  /** Imported schemas (local names) whose fields are added. */
  bases?: string[];
  /** Fields removed from the bases. */
  omit?: string[];
}

/** What a value is, once its origin is known. */
export type Role =
  | 'request'
  | 'url'
  | 'query'
  /** Something named `searchParams` whose origin is unknown: only `get('x')` reads count, as they always did. */
  | 'legacyQuery'
  | 'json'
  | 'formData'
  | 'text'
  /** A wrapper's parameter that receives the route's handler. */
  | 'handler'
  /** The result of `safeParse`: `.data` is the value. */
  | { safe: Role }
  /** An object a wrapper hands its handler: each key's role. */
  | { context: ReadonlyMap<string, Role> }
  /** A schema the caller hands over, with the module it is written in (where its imported bases resolve). */
  | { schema: NamedSchema; file: string };

/** The role a step leads to from a role, or undefined when it leads to nothing the analysis knows. */
export function stepRole(role: Role, step: string): Role | undefined {
  if (typeof role === 'object') {
    if ('context' in role) return role.context.get(step);
    return 'safe' in role && step === 'data' ? role.safe : undefined;
  }
  switch (role) {
    case 'request':
      if (step === 'url' || step === 'nextUrl') return 'url';
      if (step === 'json()') return 'json';
      if (step === 'formData()') return 'formData';
      if (step === 'text()') return 'text';
      // `({ req }) =>` and `({ request }) =>`: a context object a wrapper is assumed to hand over.
      if (step === 'req' || step === 'request') return 'request';
      if (step === 'searchParams') return 'legacyQuery';
      return undefined;
    case 'url':
      return step === 'searchParams' ? 'query' : undefined;
    case 'text':
      return step === 'parse()' ? 'json' : undefined;
    case 'json':
    case 'query':
    case 'formData':
      return step === 'safeParse()' ? { safe: role } : undefined;
    default:
      return undefined;
  }
}

/** True for the roles that carry something a request builder fills in. */
function carriesRequestData(role: Role | undefined): boolean {
  if (role === undefined || role === 'handler') return false;
  if (typeof role === 'object') return 'context' in role ? [...role.context.values()].some(carriesRequestData) : 'safe' in role;
  return true;
}

/** True for a parsed body (or an object holding one): what a helper that checks or reshapes the body is passed. */
function carriesBody(role: Role | undefined): boolean {
  if (role === 'json' || role === 'formData') return true;
  return typeof role === 'object' && 'context' in role && [...role.context.values()].some(carriesBody);
}

/**
 * True for the arguments that make a call worth following: the request, its URL or its query (a helper that
 * reads them, or returns the body it parses). A body already parsed is not followed into the helpers that
 * use it: its schema or the handler's own reads name its fields, and following every function a body is
 * handed to would read much of an app for little.
 */
function worthFollowing(role: Role | undefined): boolean {
  if (role === 'request' || role === 'url' || role === 'query' || role === 'legacyQuery') return true;
  return typeof role === 'object' && 'context' in role && [...role.context.values()].some(worthFollowing);
}

/** Query names and body facts gathered from reads, in first-seen order; turned into HandlerRequestInfo at the end. */
export class RequestNames {
  readonly query = new Set<string>();
  bodyKind: 'json' | 'formData' | 'text' | undefined;
  readonly fields: string[] = [];
  private readonly fieldSet = new Set<string>();
  schema: string | undefined;

  addField(name: string): void {
    // A set beside the list: a body destructured into thousands of names would make `includes` quadratic.
    if (this.fieldSet.has(name)) return;
    this.fieldSet.add(name);
    this.fields.push(name);
  }

  /**
   * Adds what a read of a value with this role tells; `schemaFields` are the fields of its schema found in
   * other modules. With `fieldsOnly`, a body read that names no field adds nothing (a wrapper that only
   * logs the body does not make the route take one).
   */
  addRead(role: Role | undefined, read: FlowRead, schemaFields: readonly string[] = [], fieldsOnly = false, schemaLabel = read.schema): void {
    if (role === 'query') {
      for (const key of read.keys ?? []) if (key !== 'size') this.query.add(key);
      for (const name of read.gets ?? []) this.query.add(name);
      for (const name of schemaFields) this.query.add(name);
    } else if (role === 'legacyQuery') {
      for (const name of read.gets ?? []) this.query.add(name);
    } else if (role === 'json' || role === 'formData' || role === 'text') {
      const names = role === 'json' ? [...(read.keys ?? []), ...schemaFields] : role === 'formData' ? [...(read.gets ?? []), ...(read.keys ?? []), ...schemaFields] : [];
      if (fieldsOnly && names.length === 0) return;
      this.bodyKind ??= role;
      for (const name of names) this.addField(name);
      if (schemaLabel && role !== 'text') this.schema ??= schemaLabel;
    }
  }

  addInfo(info: HandlerRequestInfo, fieldsOnly = false): void {
    for (const name of info.query) this.query.add(name);
    if (!info.body || (fieldsOnly && info.body.fields.length === 0)) return;
    this.bodyKind ??= info.body.kind;
    for (const field of info.body.fields) this.addField(field);
    if (info.body.schema) this.schema ??= info.body.schema;
  }

  /** The query and body of a HandlerRequestInfo; headers and statuses come from the caller. */
  toInfo(headers: string[], statuses: number[]): HandlerRequestInfo {
    const info: HandlerRequestInfo = { query: [...this.query].sort(), headers, statuses };
    if (this.bodyKind) info.body = { kind: this.bodyKind, fields: this.fields, ...(this.schema ? { schema: this.schema } : {}) };
    return info;
  }
}

/** How a route handler's parameters are bound when nothing else is known: the first one is the request. */
const HANDLER_BINDINGS: ReadonlyMap<number, Role> = new Map([[0, 'request']]);

/**
 * The role of a value inside one function, given the roles of its parameters; `callRole` gives the role
 * of a call's result (undefined in a summary, where other modules are out of reach).
 */
export function roleOf(value: FlowValue, bindings: ReadonlyMap<number, Role>, callRole: (call: number) => Role | undefined, file = ''): Role | undefined {
  let role: Role | undefined;
  if (value.fixed) role = value.fixed;
  else if (value.param !== undefined) role = bindings.get(value.param);
  else if (value.call !== undefined) role = callRole(value.call);
  else if (value.schema) role = { schema: value.schema, file };
  else if (value.object) {
    // The summary bounds how deep object literals nest, so this recursion is bounded too.
    const context = new Map<string, Role>();
    for (const [key, inner] of value.object) {
      const innerRole = roleOf(inner, bindings, callRole, file);
      if (innerRole !== undefined) context.set(key, innerRole);
    }
    if (context.size > 0) role = { context };
  }
  for (const step of value.path ?? []) {
    if (role === undefined) return undefined;
    role = stepRole(role, step);
  }
  return role;
}

/** The role of the schema a read is validated with when the function is handed it; undefined when it is not. */
function handedSchema(read: FlowRead, roleOfValue: (value: FlowValue) => Role | undefined): Extract<Role, { schema: NamedSchema }> | undefined {
  const role = read.schemaValue && roleOfValue(read.schemaValue);
  return role && typeof role === 'object' && 'schema' in role ? role : undefined;
}

/**
 * Query names and body facts that a function's own reads give when its first parameter is the request and
 * nothing outside its module is followed: what the module summary can say by itself. `complete` is true
 * when linking can add nothing to that (no calls, no imported schemas, and, for a function whose parameters
 * may be bound otherwise, no read that another binding would give a meaning), so the summary need not
 * keep the flow.
 */
export function evaluateLocally(flow: RequestFlow, into: RequestNames, mayBeRebound: boolean): { complete: boolean; flow: RequestFlow } {
  if (!mayBeRebound) flow = withoutIdleCalls(flow);
  let complete = flow.calls.length === 0 && flow.returns.length === 0;
  for (const read of flow.reads) {
    const role = roleOf(read.value, HANDLER_BINDINGS, () => undefined);
    // A body validated with a schema the caller hands over is read only when one is handed over.
    if (read.schemaValue) complete = false;
    else into.addRead(role, read);
    if (complete && !readIsExplained(role, read, mayBeRebound)) complete = false;
  }
  return { complete, flow };
}

/**
 * The flow without the calls linking would never follow, for a function whose parameters are known (a route's
 * own handler: the first is the request): calls passed only a parsed body, or values that are not request data.
 * The reads of their results go too, as they could only be read through them, and so do the values it returns.
 * Most handlers pass their body to a service; without this their summaries would keep a flow for nothing.
 */
function withoutIdleCalls(flow: RequestFlow): RequestFlow {
  const kept = new Map<number, number>();
  const calls: FlowCall[] = [];
  const validated = validatedCalls(flow);
  const followed = (value: FlowValue): boolean => value.call !== undefined ? kept.has(value.call) : value.object ? value.object.some(([, inner]) => followed(inner)) : worthFollowing(roleOf(value, HANDLER_BINDINGS, () => undefined));
  flow.calls.forEach((call, index) => {
    // A call's arguments may be results of earlier calls only, so one pass in order decides them all.
    const worth = call.param !== undefined || validated.has(index) || call.args.some((arg) => arg !== null && followed(arg));
    if (!worth) return;
    kept.set(index, calls.length);
    calls.push(call);
  });
  // A route's own handler is called by Next.js only: what it returns is a response, never request data to follow.
  if (calls.length === flow.calls.length && flow.returns.length === 0) return flow;
  const renumber = (value: FlowValue): FlowValue | undefined => {
    if (value.object) {
      const object: Array<[string, FlowValue]> = [];
      for (const [key, inner] of value.object) {
        const renumbered = renumber(inner);
        if (renumbered) object.push([key, renumbered]);
      }
      return { ...value, object };
    }
    return value.call === undefined ? value : kept.has(value.call) ? { ...value, call: kept.get(value.call) } : undefined;
  };
  const renumberArg = (arg: FlowArg): FlowArg => (arg === null ? null : renumber(arg) ?? null);
  const reads: FlowRead[] = [];
  for (const read of flow.reads) {
    const value = renumber(read.value);
    if (value) reads.push(value === read.value ? read : { ...read, value });
  }
  return { reads, calls: calls.map((call) => ({ ...call, args: call.args.map(renumberArg) })), returns: [] };
}

/**
 * The calls whose result (or a part of it) a schema validates: `Schema.parse((await normalize(body)).body)`.
 * What they return is the body, so they are followed even when passed nothing but the parsed body.
 */
function validatedCalls(flow: RequestFlow): Set<number> {
  const calls = new Set<number>();
  for (const read of flow.reads) if (read.value.call !== undefined && (read.schema !== undefined || read.schemaValue)) calls.add(read.value.call);
  return calls;
}

/** Properties of a request or a URL: reading them names no query parameter or body field, whatever the binding. */
const PLAIN_PROPERTIES = new Set([
  'headers', 'method', 'url', 'nextUrl', 'cookies', 'geo', 'ip', 'signal', 'body', 'bodyUsed', 'cache', 'credentials', 'destination',
  'integrity', 'keepalive', 'mode', 'redirect', 'referrer', 'referrerPolicy', 'page', 'ua', 'pathname', 'hostname', 'host', 'href',
  'origin', 'protocol', 'port', 'hash', 'search', 'searchParams', 'basePath', 'locale', 'buildId', 'params',
]);

/** True when linking cannot give a read more meaning than the local evaluation gave it. */
function readIsExplained(role: Role | undefined, read: FlowRead, mayBeRebound: boolean): boolean {
  if (read.value.call !== undefined || read.schemaImports || read.schemaValue || read.guard) return false;
  if (read.value.fixed || !mayBeRebound) return true;
  if (role === 'query' || role === 'json' || role === 'formData' || role === 'text') return true;
  if (read.gets?.length || read.schema) return false;
  return (read.keys ?? []).every((key) => PLAIN_PROPERTIES.has(key));
}

// ---------------------------------------------------------------------------------------------------------
// Following flows across modules, when a route is linked.

/** How many functions away from the handler (through wrappers and the helpers they call) reads are followed. */
export const MAX_REQUEST_HOPS = 3;
/**
 * How many functions deep the value a call returns is followed: `parseJson(req)` returning
 * `JSON.parse(await readBodyWithLimit(req))` is two. Separate from the hops above, which bound whose reads
 * count: what a value is may take a longer chain than where names are read.
 */
const MAX_RETURN_HOPS = 4;
/** How many modules deep a schema's imported bases are followed. */
const MAX_SCHEMA_HOPS = 4;
/**
 * Functions one route's request inference may visit. Real handlers visit a dozen; the bound keeps a fan of
 * helpers calling helpers linear in it. The linker's own step budget bounds the modules read.
 */
export const MAX_REQUEST_VISITS = 500;

/**
 * What a route passes the wrapper that calls its handler, besides the handler: the call's arguments as far as
 * they carry schemas (`withApi({ schemas: { body: CreateUser }, handler })`), and where the handler is when it
 * is a property of an object argument.
 */
export interface WrapperOptions {
  args: FlowArg[];
  handlerArg?: { index: number; key: string };
}

interface Callee {
  file: string;
  site: HandlerSite;
}

/** A parameter of a function, or a property of one, that holds the route's handler. */
interface HandlerSlot {
  param: number;
  path: readonly string[];
}

/**
 * What a route's handler reads from the request, following its flow into the wrappers around it (their own
 * query reads, and what they hand the handler: `handler({ req, searchParams: getSearchParams(req.url) })`),
 * the helpers it passes request data to (their reads, and what they return: `await parseRequestBody(req)`),
 * and the schemas that validate it, in other modules too. Every module read goes through the linker, so
 * that it is a dependency of the route. Headers and statuses are the handler's own.
 */
export function inferRequestInfo(linker: ModuleLinker, target: HandlerTarget): HandlerRequestInfo | undefined {
  const site = target.site;
  if (!site?.request) return site?.request;
  const inference = new RequestInference(linker);
  const wrapperCalls = target.wrapperCalls ?? [];
  const wrappers: Array<Callee | undefined> = wrapperCalls.map((wrapper) => inference.resolveName(wrapper.file, wrapper.callee));
  if (!site.flow && !wrappers.some((wrapper) => wrapper?.site.flow)) return site.request;
  const names = new RequestNames();
  // The innermost wrapper calls the handler: what it passes decides what the handler's parameters are.
  const innermost = wrappers[wrappers.length - 1];
  const innermostCall = wrapperCalls[wrapperCalls.length - 1];
  // The wrappers it passes the handler on to run for every request too.
  const forwardedTo: Callee[] = [];
  const handlerArg = innermostCall?.options?.handlerArg;
  const bindings = innermost ? inference.handlerBindings(innermost, forwardedTo, handlerArg && { param: handlerArg.index, path: [handlerArg.key] }) : HANDLER_BINDINGS;
  inference.readFunction(target.file, site, bindings, 0, names, false);
  // The innermost wrapper is handed the route's options (the schemas it validates with) beside the request.
  const optionBindings = new Map(WRAPPER_BINDINGS);
  innermostCall?.options?.args.forEach((arg, index) => {
    const role = arg ? roleOf(arg, WRAPPER_BINDINGS, () => undefined, innermostCall.file) : undefined;
    if (role !== undefined) optionBindings.set(index, role);
  });
  wrappers.forEach((wrapper, index) => {
    if (wrapper) inference.readFunction(wrapper.file, wrapper.site, index === wrappers.length - 1 ? optionBindings : WRAPPER_BINDINGS, 1, names, true);
  });
  for (const wrapper of forwardedTo) inference.readFunction(wrapper.file, wrapper.site, WRAPPER_BINDINGS, 1, names, true);
  return names.toInfo(site.request.headers, site.request.statuses);
}

/** A wrapper's own reads: the request is the first parameter of the function it returns. */
const WRAPPER_BINDINGS: ReadonlyMap<number, Role> = new Map([[-1, 'request']]);

class RequestInference {
  private visits = 0;
  private readonly visited = new Set<string>();
  private readonly callees = new Map<string, Callee | null>();

  constructor(private readonly linker: ModuleLinker) {}

  /** Takes one visit of the budget; false when it is spent. */
  private visit(): boolean {
    if (this.visits >= MAX_REQUEST_VISITS) return false;
    this.visits++;
    return true;
  }

  /** Adds a function's reads, with its parameters bound, and those of the helpers it passes request data to. */
  readFunction(file: string, site: HandlerSite, bindings: ReadonlyMap<number, Role>, hops: number, names: RequestNames, fieldsOnly: boolean): void {
    const key = `${file}\0${site.span.line}:${site.span.column}\0${bindingsKey(bindings)}`;
    if (this.visited.has(key) || !this.visit()) return;
    this.visited.add(key);
    const flow = site.flow;
    if (!flow) {
      // Without a flow the module's own evaluation is final: for the handler whatever its wrapper hands it
      // (a read it could not explain would have kept the flow), for a helper when it is passed the request.
      if (site.request && (hops === 0 || bindings.get(0) === 'request')) names.addInfo(site.request, fieldsOnly);
      return;
    }
    const scope = new FunctionScope(this, file, flow, bindings, 0);
    for (const read of flow.reads) {
      const role = scope.roleOf(read.value);
      if (!carriesRequestData(role)) continue;
      const handed = handedSchema(read, (value) => scope.roleOf(value));
      // Validated with a schema the caller did not hand over: this call does not read it (`if (schemas?.body)`).
      if ((read.schemaValue && !handed) || (read.guard && !scope.isHanded(read.guard))) continue;
      const fields = handed
        ? [...handed.schema.fields, ...(handed.schema.bases ? this.schemaFields(handed.file, handed.schema.bases, handed.schema.omit) : [])]
        : read.schemaImports
          ? this.schemaFields(file, read.schemaImports, read.schemaOmit)
          : [];
      names.addRead(role, read, fields, fieldsOnly, handed ? handed.schema.label : read.schema);
    }
    if (hops >= MAX_REQUEST_HOPS) return;
    flow.calls.forEach((call, index) => {
      if (call.param !== undefined || (call.guard && !scope.isHanded(call.guard))) return;
      const argBindings = scope.bindingsOf(call.args);
      if (!scope.worthFollowing(index, argBindings)) return;
      const callee = this.resolveCall(file, call);
      if (callee) this.readFunction(callee.file, callee.site, argBindings, hops + 1, names, fieldsOnly);
    });
  }

  /**
   * The roles a wrapper gives the handler's parameters: the arguments of its calls to the handler, or, when
   * it passes the handler on to another wrapper, what that one gives. Unknown arguments leave the first
   * parameter the request, as a wrapper that passes `req` on does. `slot` is where the route put the handler
   * (`withApi({ handler })`); without it every call of a parameter is taken for the handler's.
   */
  handlerBindings(wrapper: Callee, forwardedTo: Callee[], slot?: HandlerSlot): ReadonlyMap<number, Role> {
    const found = new Map<number, Role>();
    this.collectHandlerArgs(wrapper.file, wrapper.site, slot, 1, found, forwardedTo);
    const bindings = new Map(HANDLER_BINDINGS);
    for (const [index, role] of found) bindings.set(index, role);
    return bindings;
  }

  private collectHandlerArgs(file: string, site: HandlerSite, slot: HandlerSlot | undefined, hops: number, found: Map<number, Role>, forwardedTo: Callee[]): void {
    const flow = site.flow;
    if (!flow || !this.visit()) return;
    const bindings = new Map<number, Role>([[-1, 'request']]);
    if (slot !== undefined && slot.path.length === 0) bindings.set(slot.param, 'handler');
    const scope = new FunctionScope(this, file, flow, bindings, 0);
    for (const call of flow.calls) {
      if (call.param !== undefined) {
        if (slot !== undefined && !(call.param === slot.param && samePath(call.paramPath, slot.path))) continue;
        if (slot === undefined && call.paramPath?.length) continue;
        for (const [index, role] of scope.bindingsOf(call.args)) if (carriesRequestData(role)) found.set(index, mergeRoles(found.get(index), role));
      } else if (hops < MAX_REQUEST_HOPS) {
        // `withA = (handler) => withB(handler, options)`, `run(options.handler, req)`, `inner({ handler })`: another calls it.
        const forwarded = forwardedSlot(call.args, slot);
        if (!forwarded) continue;
        const callee = this.resolveCall(file, call);
        if (!callee) continue;
        forwardedTo.push(callee);
        this.collectHandlerArgs(callee.file, callee.site, forwarded, hops + 1, found, forwardedTo);
      }
    }
  }

  /**
   * The role of what a called function returns, given the roles of its arguments. A call passed only a
   * parsed body is followed when `bodyOnly` says its result is validated as the body.
   */
  returnRole(file: string, call: FlowCall, argBindings: ReadonlyMap<number, Role>, returnHops: number, bodyOnly: boolean): Role | undefined {
    if (call.param !== undefined || returnHops >= MAX_RETURN_HOPS) return undefined;
    const roles = [...argBindings.values()];
    if (!roles.some(worthFollowing) && !(bodyOnly && roles.some(carriesBody))) return undefined;
    if (!this.visit()) return undefined;
    const callee = this.resolveCall(file, call);
    const flow = callee?.site.flow;
    if (!callee || !flow) return undefined;
    const scope = new FunctionScope(this, callee.file, flow, argBindings, returnHops + 1);
    for (const value of flow.returns) {
      const role = scope.roleOf(value);
      if (role !== undefined) return role;
    }
    return undefined;
  }

  resolveCall(file: string, call: FlowCall): Callee | undefined {
    return call.member ? this.resolveMember(file, call.callee, call.member) : this.resolveName(file, call.callee);
  }

  resolveName(file: string, name: string): Callee | undefined {
    const key = `${file}\0${name}`;
    let callee = this.callees.get(key);
    if (callee === undefined) {
      const binding = this.linker.summaryOf(file)?.locals.get(name);
      callee = (binding?.type === 'import' ? (binding.importedName === '*' ? undefined : this.resolveImport(file, binding.specifier, binding.importedName)) : this.functionOf(file, binding)) ?? null;
      this.callees.set(key, callee);
    }
    return callee ?? undefined;
  }

  private resolveMember(file: string, namespace: string, member: string): Callee | undefined {
    const key = `${file}\0${namespace}\0${member}`;
    let callee = this.callees.get(key);
    if (callee === undefined) {
      const binding = this.linker.summaryOf(file)?.locals.get(namespace);
      callee = (binding?.type === 'import' && binding.importedName === '*' ? this.resolveImport(file, binding.specifier, member) : undefined) ?? null;
      this.callees.set(key, callee);
    }
    return callee ?? undefined;
  }

  private resolveImport(file: string, specifier: string, importedName: string): Callee | undefined {
    const target = this.linker.resolve(specifier, file);
    const traced = target ? this.linker.traceName(target, importedName) : undefined;
    if (!traced) return undefined;
    const handler = this.linker.followTraced(traced);
    return handler.site ? { file: handler.file, site: handler.site } : undefined;
  }

  private functionOf(file: string, binding: LocalBinding | undefined): Callee | undefined {
    if (!binding) return undefined;
    const handler = this.linker.followHandler(file, binding);
    return handler.site ? { file: handler.file, site: handler.site } : undefined;
  }

  /** The fields of imported schemas, minus the omitted ones. */
  schemaFields(file: string, imports: readonly string[], omit: readonly string[] | undefined): string[] {
    const fields: string[] = [];
    for (const name of imports) this.addSchemaFields(file, name, 0, fields, new Set());
    return omit ? fields.filter((field) => !omit.includes(field)) : fields;
  }

  private addSchemaFields(file: string, name: string, hops: number, into: string[], seen: Set<string>): void {
    const key = `${file}\0${name}`;
    if (hops > MAX_SCHEMA_HOPS || seen.has(key) || !this.visit()) return;
    seen.add(key);
    const module = this.linker.summaryOf(file);
    const shape = module?.schemas?.get(name);
    if (shape) {
      // What `.omit` left out applies to the imported bases: a field the schema adds again stays.
      const fromBases: string[] = [];
      for (const base of shape.bases ?? []) this.addSchemaFields(file, base, hops + 1, fromBases, seen);
      for (const field of [...shape.fields, ...fromBases.filter((name) => !shape.omit?.includes(name))]) {
        if (!into.includes(field) && into.length < MAX_SCHEMA_FIELDS) into.push(field);
      }
      return;
    }
    const binding = module?.locals.get(name);
    if (binding?.type === 'alias') return this.addSchemaFields(file, binding.target, hops + 1, into, seen);
    if (binding?.type !== 'import' || binding.importedName === '*') return;
    const target = this.linker.resolve(binding.specifier, file);
    let traced = target ? this.linker.traceName(target, binding.importedName) : undefined;
    // `export { Schema } from './schemas'`: follow the re-exports to the module that declares it.
    for (let step = 0; traced?.entry.type === 'reexport' && step < MAX_SCHEMA_HOPS; step++) {
      const next = this.linker.resolve(traced.entry.specifier, traced.file);
      traced = next ? this.linker.traceName(next, traced.entry.importedName) : undefined;
    }
    if (traced?.entry.type === 'local') this.addSchemaFields(traced.file, traced.entry.local, hops + 1, into, seen);
  }
}

/** One function's flow with its parameters bound: the roles of its values, its calls' results memoized. */
class FunctionScope {
  private readonly callRoles = new Map<number, Role | null>();
  private validated: Set<number> | undefined;

  constructor(
    private readonly inference: RequestInference,
    private readonly file: string,
    private readonly flow: RequestFlow,
    private readonly bindings: ReadonlyMap<number, Role>,
    private readonly returnHops: number,
  ) {}

  roleOf(value: FlowValue): Role | undefined {
    return roleOf(value, this.bindings, (call) => this.callRole(call), this.file);
  }

  /** True when a call is passed request data worth following, or a parsed body and its result is validated. */
  worthFollowing(index: number, argBindings: ReadonlyMap<number, Role>): boolean {
    const roles = [...argBindings.values()];
    return roles.some(worthFollowing) || (this.isValidated(index) && roles.some(carriesBody));
  }

  /**
   * False when a guard tests a property of an object the caller built and the caller left it out
   * (`if (schemas?.body)` with no body schema). A guard on anything else (the request) is taken as true.
   */
  isHanded(guard: FlowValue): boolean {
    const root = this.roleOf({ param: guard.param });
    return !(root && typeof root === 'object' && 'context' in root) || this.roleOf(guard) !== undefined;
  }

  private isValidated(index: number): boolean {
    this.validated ??= validatedCalls(this.flow);
    return this.validated.has(index);
  }

  private callRole(index: number): Role | undefined {
    let role = this.callRoles.get(index);
    if (role === undefined) {
      // Marked first: a value that goes back to its own call (a cycle through returns) has no role.
      this.callRoles.set(index, null);
      const call = this.flow.calls[index];
      role = (call && this.inference.returnRole(this.file, call, this.bindingsOf(call.args), this.returnHops, this.isValidated(index))) ?? null;
      this.callRoles.set(index, role);
    }
    return role ?? undefined;
  }

  /** The roles a call's arguments give the callee's parameters; an object literal becomes a context. */
  bindingsOf(args: readonly FlowArg[]): Map<number, Role> {
    const bindings = new Map<number, Role>();
    args.forEach((arg, index) => {
      const role = arg ? this.roleOf(arg) : undefined;
      if (role !== undefined) bindings.set(index, role);
    });
    return bindings;
  }
}

/** Where a call passes the handler on: an argument that is it, or a property of an object argument that is. */
function forwardedSlot(args: readonly FlowArg[], slot: HandlerSlot | undefined): HandlerSlot | undefined {
  const isHandler = (value: FlowValue): boolean =>
    value.param !== undefined && value.param >= 0 && (slot === undefined ? !value.path?.length : value.param === slot.param && samePath(value.path, slot.path));
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (!arg) continue;
    if (isHandler(arg)) return { param: index, path: [] };
    for (const [key, value] of arg.object ?? []) if (slot !== undefined && isHandler(value)) return { param: index, path: [key] };
  }
  return undefined;
}

function samePath(a: readonly string[] | undefined, b: readonly string[]): boolean {
  const path = a ?? [];
  return path.length === b.length && path.every((step, index) => step === b[index]);
}

/** Two calls of a handler may pass different objects (with and without a session): keep the keys of both. */
function mergeRoles(existing: Role | undefined, added: Role): Role {
  if (existing && typeof existing === 'object' && 'context' in existing && typeof added === 'object' && 'context' in added) {
    const context = new Map(existing.context);
    for (const [key, role] of added.context) if (!context.has(key)) context.set(key, role);
    return { context };
  }
  return existing ?? added;
}

function bindingsKey(bindings: ReadonlyMap<number, Role>): string {
  let key = '';
  for (const [index, role] of bindings) key += `${index}=${roleKey(role)};`;
  return key;
}

function roleKey(role: Role): string {
  if (typeof role === 'string') return role;
  if ('safe' in role) return `safe(${roleKey(role.safe)})`;
  if ('schema' in role) return `schema(${role.file}\0${role.schema.label})`;
  let key = '{';
  for (const [name, inner] of role.context) key += `${name}:${roleKey(inner)},`;
  return key + '}';
}
