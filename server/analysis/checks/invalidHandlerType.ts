import type { TypeAnnotationFact, TypeShape } from '../handlerSignature';
import type { HttpMethod, Problem, Route } from '../model';
import type { HandlerTarget } from '../routeModule';
import type { BuildContext } from '../segmentConfigRules';
import type { RouteCheck } from './types';

/**
 * The members of NextRequest (Request's and Next's own, with some that older versions had). An object type
 * that requires a member outside this list cannot receive a NextRequest. A longer list only makes the check
 * more careful.
 */
const NEXT_REQUEST_MEMBERS = new Set([
  'cache', 'credentials', 'destination', 'headers', 'integrity', 'keepalive', 'method', 'mode', 'redirect', 'referrer',
  'referrerPolicy', 'signal', 'url', 'clone', 'body', 'bodyUsed', 'arrayBuffer', 'blob', 'formData', 'json', 'text',
  'bytes', 'duplex', 'priority', 'cookies', 'nextUrl', 'page', 'ua', 'geo', 'ip',
]);
const PROMISE_MEMBERS = new Set(['then', 'catch', 'finally']);
const TYPESCRIPT_FILE = /\.(ts|tsx|mts|cts)$/;
const ROUTE_TS_FILE = /(^|\/)route\.(ts|tsx)$/;

/** How `next build` checks a handler's types in one version and bundler. */
interface TypeChecks {
  /** webpack's NextTypesPlugin (`.next/types/app/…/route.ts`): 14, 15, 16 with --webpack. */
  plugin: boolean;
  /** The plugin's second-argument check against `{ params: Promise<…> }` (15 and later; 14 accepts anything). */
  pluginContext: boolean;
  /** `.next/types/validator.ts` (15.5 and later, any bundler): the module must satisfy RouteHandlerConfig. */
  validator: boolean;
}

function typeChecksOf(context: BuildContext): TypeChecks {
  return { plugin: context.bundler === 'webpack', pluginContext: context.bundler === 'webpack' && context.major >= 15, validator: context.major >= 15 };
}

/** A failure, in the words `next build` prints for it. */
interface TypeFailure {
  annotation: TypeAnnotationFact;
  nextMessage: string;
  fix: string;
}

/**
 * A route handler whose annotated parameter or return types `next build` rejects in its type check: a first
 * argument that is not a Request, a second that is not the `{ params }` context (in 15 and later a Promise of
 * the route's params), or a return type that is not a Response. Decided from the annotations' syntax, only
 * where they are certain to fail whatever the rest of the types and the tsconfig say.
 */
export const invalidHandlerType: RouteCheck = {
  id: 'invalid-handler-type',
  scope: 'route',
  run({ route, context, config, handlers, relative }) {
    if (route.kind !== 'route' || !ROUTE_TS_FILE.test(route.file)) return [];
    const checks = typeChecksOf(context);
    const ignored = config.ignoreBuildErrors?.known === true && config.ignoreBuildErrors.value === true;
    const problems: Problem[] = [];
    // One handler exported under several method names is one mistake, reported once.
    const seen = new Set<string>();
    for (const [method, target] of handlers) {
      for (const failure of failuresOf(method, target, route, checks)) {
        const file = relative(target.file);
        const key = `${file}:${failure.annotation.span.line}:${failure.annotation.span.column}`;
        if (seen.has(key)) continue;
        seen.add(key);
        problems.push({
          id: 'invalid-handler-type',
          severity: ignored ? 'warning' : 'error',
          failsBuild: !ignored,
          file,
          span: failure.annotation.span,
          message: ignored
            ? `${failure.nextMessage} next build would fail its type check (Next.js ${context.major}), but next.config sets typescript.ignoreBuildErrors. ${failure.fix}`
            : `${failure.nextMessage} next build fails its type check (Next.js ${context.major}). ${failure.fix}`,
        });
      }
    }
    return problems;
  },
};

function failuresOf(method: HttpMethod, target: HandlerTarget, route: Route, checks: TypeChecks): TypeFailure[] {
  // Only a handler whose own type is the export's type: a wrapper's result has the wrapper's type.
  const signature = target.binding?.type === 'function' ? target.site?.signature : undefined;
  if (!signature || !TYPESCRIPT_FILE.test(target.file)) return [];
  const failures: TypeFailure[] = [];
  // Next.js names files relative to the app, not to the folder Route Atlas scanned.
  const routeFile = route.appRoot === '.' ? route.file : route.file.slice(route.appRoot.length + 1);
  // webpack's plugin prints its own sentence; the validator's failure is TypeScript's constraint error.
  const argumentFailure = (annotation: TypeAnnotationFact, position: 'first' | 'second', byPlugin: boolean, fix: string): TypeFailure => ({
    annotation,
    nextMessage: byPlugin
      ? `Route "${routeFile}" has an invalid "${method}" export: Type "${annotation.text}" is not a valid type for the function's ${position} argument.`
      : `Type 'typeof import("${routeFile.replace(/\.tsx?$/, '')}")' does not satisfy the constraint 'RouteHandlerConfig<"${route.url}">': the ${position} argument of ${method}, "${annotation.text}", cannot take what Next.js passes.`,
    fix,
  });
  const request = signature.request;
  if (request) {
    const byPlugin = checks.plugin && notAssignableToRequest(request.shape);
    if (byPlugin || (checks.validator && cannotReceiveNextRequest(request.shape))) {
      failures.push(argumentFailure(request, 'first', byPlugin, 'Type it as `Request` or `NextRequest` (from next/server).'));
    }
  }
  const contextArg = signature.context;
  if (contextArg) {
    const required = route.params.filter((p) => p.kind !== 'optionalCatchAll').map((p) => p.name);
    const all = new Set(route.params.map((p) => p.name));
    const byPlugin = checks.pluginContext && notAssignableToContext(contextArg.shape);
    if (byPlugin || (checks.validator && cannotReceiveContext(contextArg.shape, all, required))) {
      failures.push(argumentFailure(contextArg, 'second', byPlugin, `In Next.js 15 and later the second argument is \`{ params: Promise<{ ${paramsTypeText(route)} }> }\`.`));
    }
  }
  const returns = signature.returns;
  if (returns && (checks.plugin || checks.validator) && notAResponse(returns.shape)) {
    failures.push({
      annotation: returns,
      nextMessage: checks.plugin
        ? `Route "${routeFile}" has an invalid export: "${returns.text}" is not a valid ${method} return type: Expected "void | Response | Promise<void | Response>".`
        : `Type 'typeof import("${routeFile.replace(/\.tsx?$/, '')}")' does not satisfy the constraint 'RouteHandlerConfig<"${route.url}">': ${method} returns "${returns.text}", where Next.js expects "Response | void | Promise<Response | void>".`,
      fix: 'Return a `Response` (or `NextResponse`).',
    });
  }
  return failures;
}

function paramsTypeText(route: Route): string {
  if (route.params.length === 0) return '';
  return route.params
    .map((p) => (p.kind === 'dynamic' ? `${p.name}: string` : p.kind === 'catchAll' ? `${p.name}: string[]` : `${p.name}?: string[]`))
    .join('; ');
}

/** True when the shape is certainly not assignable to `Request | NextRequest` (the plugin's first-argument check). */
function notAssignableToRequest(shape: TypeShape): boolean {
  if (shape.kind === 'primitive') return true;
  if (shape.kind === 'union') return shape.of.some(notAssignableToRequest);
  return shape.kind === 'object' && !shape.open && !shape.members.some((m) => m.name === 'method');
}

/**
 * True when a NextRequest certainly cannot be passed where the shape is expected, and the shape is not
 * assignable to NextRequest either (so neither strict nor bivariant parameter checks accept it).
 */
function cannotReceiveNextRequest(shape: TypeShape): boolean {
  if (shape.kind === 'primitive') return true;
  if (shape.kind === 'union') return shape.of.length > 0 && shape.of.every(cannotReceiveNextRequest);
  return notAssignableToRequest(shape) && shape.kind === 'object' && shape.members.some((m) => !m.optional && !NEXT_REQUEST_MEMBERS.has(m.name));
}

/** True when the shape is certainly not assignable to `{ params: Promise<any> }` (the plugin's second-argument check, 15+). */
function notAssignableToContext(shape: TypeShape): boolean {
  if (shape.kind === 'primitive') return true;
  if (shape.kind === 'union') return shape.of.some(notAssignableToContext);
  if (shape.kind !== 'object' || shape.open) return false;
  const params = shape.members.find((m) => m.name === 'params');
  if (!params || params.optional) return true;
  return certainlyNotAPromise(params.shape);
}

function certainlyNotAPromise(shape: TypeShape): boolean {
  if (shape.kind === 'primitive') return true;
  if (shape.kind === 'union') return shape.of.some(certainlyNotAPromise);
  return shape.kind === 'object' && !shape.open && !shape.members.some((m) => m.name === 'then');
}

/**
 * True when `{ params: Promise<ParamMap[route]> }` certainly cannot be passed where the shape is expected, in
 * either direction (the validator's check, under strict and bivariant parameter checks alike).
 */
function cannotReceiveContext(shape: TypeShape, routeParams: ReadonlySet<string>, requiredParams: readonly string[]): boolean {
  if (shape.kind === 'primitive') return true;
  if (shape.kind === 'union') return shape.of.length > 0 && shape.of.every((s) => cannotReceiveContext(s, routeParams, requiredParams));
  if (shape.kind !== 'object' || shape.open) return false;
  const params = shape.members.find((m) => m.name === 'params');
  const foreignRequired = shape.members.some((m) => !m.optional && m.name !== 'params');
  if (!params) return foreignRequired;
  const inner = params.shape;
  // A plain object where a Promise goes: neither is assignable to the other when it requires what a Promise lacks.
  if (inner.kind === 'primitive') return true;
  if (inner.kind === 'object') return !inner.open && inner.members.some((m) => !m.optional && !PROMISE_MEMBERS.has(m.name));
  if (inner.kind === 'promise' && inner.of.kind === 'object' && !inner.of.open) {
    const declared = inner.of.members;
    const asksForeign = declared.some((m) => !m.optional && !routeParams.has(m.name));
    const missesOne = requiredParams.some((name) => !declared.some((m) => m.name === name));
    return asksForeign && missesOne;
  }
  return false;
}

/** True when the return type certainly includes something that is not a Response (or void). */
function notAResponse(shape: TypeShape): boolean {
  if (shape.kind === 'primitive') return true;
  if (shape.kind === 'union') return shape.of.some(notAResponse);
  if (shape.kind === 'promise') return notAResponse(shape.of);
  return shape.kind === 'object' && !shape.open && !shape.members.some((m) => m.name === 'status');
}
