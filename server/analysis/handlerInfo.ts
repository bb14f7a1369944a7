import type { ts } from 'ts-morph';
import {
  isArrowFunction,
  isAwaitExpression,
  isBinaryExpression,
  isCallExpression,
  isElementAccessExpression,
  isFunctionExpression,
  isIdentifier,
  isMethodDeclaration,
  isNewExpression,
  isNumericLiteral,
  isObjectBindingPattern,
  isObjectLiteralExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isShorthandPropertyAssignment,
  isSpreadAssignment,
  isStringLiteralLike,
  isVariableStatement,
  SyntaxKind,
} from './typescriptBindings';
import { checkDepth } from './limits';
import type { HandlerRequestInfo } from './model';
import { evaluateLocally, type FlowArg, type FlowCall, type FlowRead, type FlowValue, MAX_SCHEMA_FIELDS, type RequestFlow, RequestNames, type SchemaShape } from './requestFlow';
import type { ImportTable } from './effects';
import { propertyNameText, unwrapExpression } from './staticValues';

export type FunctionNode = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

export function isFunctionNode(node: ts.Node): node is ts.FunctionExpression | ts.ArrowFunction {
  return isFunctionExpression(node) || isArrowFunction(node);
}


/**
 * Module-level validation schemas, `const Body = z.object({ name: ..., email: ... })`, with their fields;
 * a schema built on an imported one keeps that one's local name to be followed when routes are linked.
 */
export function collectSchemas(sourceFile: ts.SourceFile, imports: ImportNames = new Set()): Map<string, SchemaShape> {
  const schemas = new Map<string, SchemaShape>();
  for (const statement of sourceFile.statements) {
    if (!isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!isIdentifier(declaration.name) || !declaration.initializer) continue;
      const shape = schemaShape(declaration.initializer, schemas, imports) ?? fragmentShape(declaration.initializer, schemas, imports);
      if (shape) schemas.set(declaration.name.text, shape);
    }
  }
  return schemas;
}

/** Schemas by local name. */
export interface SchemaLookup {
  get(name: string): SchemaShape | undefined;
}

/** The module's imported names (only membership is asked). */
export interface ImportNames {
  has(name: string): boolean;
}

/** Methods of a schema that keep its fields as they are: `.strict()`, `.partial()`, `.describe('...')`. */
const FIELD_PRESERVING = /^(strict|strip|passthrough|partial|deepPartial|required|describe|openapi|refine|superRefine|transform|optional|nullable|nullish|default|catch|brand|readonly|meta|noUnknown|defined|label)$/;

/**
 * The fields of a schema expression: keys of `z.object({...})` (also `strictObject`/`looseObject`, valibot's
 * and yup's `object`, yup's `.shape`), through `.extend`, `.merge`, `.and`, `.pick`, `.omit`, `z.intersection`,
 * `z.preprocess` and valibot's `pipe`, and methods that keep the fields. Imported schemas become `bases`.
 */
export function schemaShape(node: ts.Expression, known: SchemaLookup, imports: ImportNames, depth = 0): SchemaShape | undefined {
  checkDepth(depth);
  const expr = unwrapExpression(node);
  if (isIdentifier(expr)) return known.get(expr.text) ?? (imports.has(expr.text) ? { fields: [], bases: [expr.text] } : undefined);
  if (!isCallExpression(expr)) return undefined;
  const callee = expr.expression;
  const calleeName = isPropertyAccessExpression(callee) ? callee.name.text : isIdentifier(callee) ? callee.text : '';
  const firstArg = expr.arguments[0] && unwrapExpression(expr.arguments[0]);
  const firstObject = firstArg && isObjectLiteralExpression(firstArg) ? firstArg : undefined;
  if (/^(object|strictObject|looseObject)$/.test(calleeName)) return firstObject ? objectShape(firstObject, known, imports, depth) : undefined;
  if (calleeName === 'intersection' && expr.arguments.length === 2) return unionShape(schemaShape(expr.arguments[0], known, imports, depth + 1), schemaShape(expr.arguments[1], known, imports, depth + 1));
  if (calleeName === 'union' || calleeName === 'discriminatedUnion') {
    // Every option's fields are accepted: `z.discriminatedUnion('type', [CodeInput, NoCodeInput])`.
    const options = expr.arguments[calleeName === 'union' ? 0 : 1];
    const list = options && unwrapExpression(options);
    if (!list || list.kind !== SyntaxKind.ArrayLiteralExpression) return undefined;
    let shape: SchemaShape | undefined;
    for (const element of (list as ts.ArrayLiteralExpression).elements) {
      const option = schemaShape(element, known, imports, depth + 1);
      if (!option) return undefined;
      shape = shape ? unionShape(shape, option) : option;
    }
    return shape;
  }
  if (calleeName === 'preprocess' && expr.arguments[1]) return schemaShape(expr.arguments[1], known, imports, depth + 1);
  if (/^pipe(Async)?$/.test(calleeName) && firstArg) return schemaShape(firstArg, known, imports, depth + 1);
  if (!isPropertyAccessExpression(callee)) return undefined;
  const base = schemaShape(callee.expression, known, imports, depth + 1);
  if (!base) return undefined;
  if ((calleeName === 'extend' || calleeName === 'merge' || calleeName === 'shape' || calleeName === 'and') && firstArg) {
    return unionShape(base, addedShape(firstArg, known, imports, depth));
  }
  if (calleeName === 'pick' && firstObject) return { fields: objectKeys(firstObject) };
  if (calleeName === 'omit' && firstObject) {
    const omitted = objectKeys(firstObject);
    const shape: SchemaShape = { fields: base.fields.filter((field) => !omitted.includes(field)) };
    if (base.bases) Object.assign(shape, { bases: base.bases, omit: [...(base.omit ?? []), ...omitted] });
    return shape;
  }
  return FIELD_PRESERVING.test(calleeName) ? base : undefined;
}

/**
 * A function that returns the fields of a schema for others to extend, as dub's
 * `getPaginationQuerySchema = ({ pageSize }) => ({ page: z.coerce.number(), pageSize: ... })`.
 */
function fragmentShape(node: ts.Expression, known: SchemaLookup, imports: ImportNames): SchemaShape | undefined {
  const expr = unwrapExpression(node);
  if (!isArrowFunction(expr) || expr.body.kind === SyntaxKind.Block) return undefined;
  const body = unwrapExpression(expr.body as ts.Expression);
  return isObjectLiteralExpression(body) ? objectShape(body, known, imports, 0) : undefined;
}

/** The shape `.extend(...)` or a spread adds: a schema, an object of fields, or a call of a function that returns them. */
function addedShape(node: ts.Expression, known: SchemaLookup, imports: ImportNames, depth: number): SchemaShape | undefined {
  const expr = unwrapExpression(node);
  if (isObjectLiteralExpression(expr)) return objectShape(expr, known, imports, depth);
  if (isCallExpression(expr) && isIdentifier(expr.expression)) {
    const name = expr.expression.text;
    return known.get(name) ?? (imports.has(name) ? { fields: [], bases: [name] } : undefined);
  }
  return schemaShape(expr, known, imports, depth + 1);
}

/** The keys of `z.object({ a, ...Other.shape })`: its own keys, and the spread schemas as fields or bases. */
function objectShape(literal: ts.ObjectLiteralExpression, known: SchemaLookup, imports: ImportNames, depth: number): SchemaShape {
  let shape: SchemaShape = { fields: objectKeys(literal) };
  for (const property of literal.properties) {
    if (!isSpreadAssignment(property)) continue;
    let spread = unwrapExpression(property.expression);
    // `...Base.shape` (zod), `...Base.entries` (valibot)
    if (isPropertyAccessExpression(spread) && /^(shape|entries)$/.test(spread.name.text)) spread = spread.expression;
    shape = unionShape(shape, addedShape(spread, known, imports, depth));
  }
  return shape;
}

function unionShape(a: SchemaShape | undefined, b: SchemaShape | undefined): SchemaShape {
  if (!a || !b) return a ?? b ?? { fields: [] };
  const fields = [...a.fields];
  for (const field of b.fields) if (!fields.includes(field) && fields.length < MAX_SCHEMA_FIELDS) fields.push(field);
  const shape: SchemaShape = { fields: fields.slice(0, MAX_SCHEMA_FIELDS) };
  const bases = [...(a.bases ?? []), ...(b.bases ?? [])];
  if (bases.length > 0) shape.bases = bases;
  const omit = [...(a.omit ?? []), ...(b.omit ?? [])];
  if (omit.length > 0) shape.omit = omit;
  return shape;
}

function objectKeys(literal: ts.ObjectLiteralExpression): string[] {
  const keys: string[] = [];
  for (const property of literal.properties) {
    if (keys.length === MAX_SCHEMA_FIELDS) break;
    if ((isPropertyAssignment(property) || isShorthandPropertyAssignment(property) || isMethodDeclaration(property)) && property.name) {
      const key = propertyNameText(property.name);
      if (key !== undefined) keys.push(key);
    }
  }
  return keys;
}

const STATUS_DEFAULTS = new Map<string, number>([
  ['redirect', 307],
  ['permanentRedirect', 308],
  ['notFound', 404],
  ['unauthorized', 401],
  ['forbidden', 403],
]);

/** Schema methods that return the value they validate. */
const PARSE_METHODS = /^(parse|parseAsync|validate|validateSync|cast)$/;
/** Schema methods that return `{ success, data }` around it. */
const SAFE_PARSE_METHODS = /^(safeParse|safeParseAsync)$/;
/** Helpers known by name to turn a URL into its query as an object: `getSearchParams(req.url)` (dub's `@dub/utils`). */
const QUERY_HELPERS = /^get(Search|Query)Params(WithArray)?$/;
/** Steps a value may take after its first one; the first may be any key of a context object (`ctx.searchParams`). */
const VALUE_STEPS = new Set(['url', 'nextUrl', 'searchParams', 'req', 'request', 'data']);
/** How many steps a value's path keeps; longer chains are not request data the analysis knows. */
const MAX_PATH = 6;
/** How many names a flow keeps per read, and how many reads and calls it keeps: a bound on the summary's size. */
const MAX_FLOW_NAMES = 1024;
const MAX_FLOW_ENTRIES = 256;
/** How deep object literals of values nest (`{ schemas: { body: Schema } }` is two), and how many keys each keeps. */
const MAX_OBJECT_DEPTH = 3;
/** How many `if (options.x)` blocks a function keeps: each read looks through them all. */
const MAX_GUARDS = 32;
const MAX_OBJECT_KEYS = 32;

export interface CollectorContext {
  /** Module-level schemas of the file. */
  schemas: ReadonlyMap<string, SchemaShape>;
  /** The module's imports by local name (followed when routes are linked). */
  imports: ImportTable;
  /** Names declared at the top of the module (functions a flow may call). */
  moduleNames: ReadonlySet<string>;
  /**
   * True when the function's parameters may be something else than the request: a wrapper's handler, or a
   * helper another module calls. Its reads on parameters are then kept for linking.
   */
  mayBeRebound: boolean;
  /** True when only the flow is kept (a helper that is no handler): it is kept even when the module tells all. */
  flowOnly?: boolean;
}

/** What a function reads from its request: the part its own module tells, and the flow to follow across modules. */
export interface CollectedRequest {
  info: HandlerRequestInfo;
  flow?: RequestFlow;
}

/**
 * What a handler reads from its request and what it answers, as far as the code says so literally:
 * query names, body fields (from destructuring, property reads, `get` on form data, or a validating
 * schema), headers read by name, and status codes. Request data is tracked as values with a path from
 * their origin (requestFlow.ts): what the module alone tells goes into `info`, and the flow is kept when
 * calls, wrappers or imported schemas can tell more. The walk is someone else's (the effects walk of the
 * module summary visits each function once for all): `visit` must see the nodes of the function body in
 * source order, each with its parent; `finish` gives the result.
 */
export function requestInfoCollector(fn: FunctionNode, sourceFile: ts.SourceFile, context: CollectorContext): { visit(node: ts.Node, parent: ts.Node): void; finish(): CollectedRequest } {
  const headerNames = new Set<string>();
  const statuses = new Set<number>();
  const addStatus = (status: number | undefined) => {
    if (status !== undefined) statuses.add(status);
  };
  const headerStoreNames = new Set<string>();
  const localSchemas = new Map<string, SchemaShape>();
  // Schemas declared in the function shadow the module's.
  const schemaLookup: SchemaLookup = { get: (name) => localSchemas.get(name) ?? context.schemas.get(name) };
  /** A value whose entries the function iterates (`searchParams.forEach`), for a helper that returns what it built from them. */
  let iterated: FlowValue | undefined;
  /** A request whose body stream the function reads, for a helper that returns it decoded. */
  let streamed: FlowValue | undefined;

  /** Local names holding request data, with where it came from. */
  const env = new Map<string, FlowValue>();
  const paramIndex = new Map<string, number>();
  fn.parameters.forEach((parameter, index) => {
    if (isIdentifier(parameter.name)) {
      env.set(parameter.name.text, { param: index });
      paramIndex.set(parameter.name.text, index);
    } else if (isObjectBindingPattern(parameter.name)) bindPattern(parameter.name, { param: index });
  });

  interface ReadState {
    value: FlowValue;
    keys: Set<string>;
    gets: Set<string>;
    schema?: string;
    schemaImports?: string[];
    schemaOmit?: string[];
    schemaValue?: FlowValue;
    guard?: FlowValue;
  }
  const reads = new Map<string, ReadState>();
  interface Guard {
    pos: number;
    end: number;
    value: FlowValue;
  }
  const guards: Guard[] = [];
  /** The node the walk is at, for the guard of the reads it makes. */
  let visiting: ts.Node | undefined;
  const calls: FlowCall[] = [];
  const callIndex = new Map<ts.CallExpression, number | null>();
  const returns: FlowValue[] = [];
  const returnKeys = new Set<string>();
  const schemaCalls = new Set<ts.CallExpression>();
  /** Function literals a wrapper returns (or passes to the call it returns): their first parameter is the request. */
  const returnedFunctions = new Set<ts.Node>();

  function extend(value: FlowValue | undefined, step: string): FlowValue | undefined {
    if (!value) return undefined;
    const path = value.path ?? [];
    if (path.length >= MAX_PATH) return undefined;
    const firstStepOfParam = path.length === 0 && value.param !== undefined;
    // A helper's result may be an object that holds the body: `(await resolveIds(body)).body`.
    const firstStepOfResult = path.length === 0 && (value.call !== undefined || value.object !== undefined);
    // The route's `params` are path parameters, never query or body.
    if (firstStepOfParam ? step === 'params' : !firstStepOfResult && !VALUE_STEPS.has(step) && !step.endsWith(')')) return undefined;
    return { ...value, path: [...path, step] };
  }

  function bindPattern(pattern: ts.ObjectBindingPattern, from: FlowValue | undefined): void {
    for (const element of pattern.elements) {
      if (element.dotDotDotToken || !isIdentifier(element.name)) continue;
      const key = element.propertyName ? propertyNameText(element.propertyName) : element.name.text;
      if (key === undefined) continue;
      const value = extend(from, key) ?? (key === 'searchParams' ? LEGACY_QUERY : undefined);
      if (value) env.set(element.name.text, value);
      else env.delete(element.name.text);
    }
  }

  /** Adds a property name read from a value; `success`, `data` and `error` of a safeParse result are not fields. */
  function readKey(value: FlowValue, key: string): void {
    if (value.path?.[value.path.length - 1] !== 'safeParse()') readOf(value).keys.add(key);
  }

  function readOf(value: FlowValue): ReadState {
    const key = valueKey(value);
    let read = reads.get(key);
    const guard = guardAt(visiting);
    if (!read) {
      read = { value, keys: new Set(), gets: new Set(), guard };
      if (reads.size < MAX_FLOW_ENTRIES) reads.set(key, read);
    } else if (read.guard && read.guard !== guard) {
      read.guard = undefined;
    }
    return read;
  }

  /** The innermost `if (options.x)` block a node is in, if any. */
  function guardAt(node: ts.Node | undefined): FlowValue | undefined {
    if (!node) return undefined;
    let found: Guard | undefined;
    for (const guard of guards) if (node.pos >= guard.pos && node.end <= guard.end && (!found || guard.pos >= found.pos)) found = guard;
    return found?.value;
  }

  /**
   * Records `if (schemas?.body) { ... }` and `if (options && options.body)`: what the block reads, it reads
   * only when the caller hands that property over.
   */
  function visitIf(statement: ts.IfStatement): void {
    let condition = unwrapExpression(statement.expression);
    while (isBinaryExpression(condition) && condition.operatorToken.kind === SyntaxKind.AmpersandAmpersandToken) condition = unwrapExpression(condition.right);
    const value = handedValueOf(condition, 0);
    if (value?.path?.length && guards.length < MAX_GUARDS) guards.push({ pos: statement.thenStatement.pos, end: statement.thenStatement.end, value });
  }

  /**
   * The request data an expression is, if any. Bounded by MAX_PATH steps below it: each level of a long
   * member chain asks this of the level under it, so a deeper search would make the walk quadratic.
   */
  function valueOf(node: ts.Expression, depth = 0): FlowValue | undefined {
    if (depth > MAX_PATH + 2) return undefined;
    let expr = unwrapExpression(node);
    if (isAwaitExpression(expr)) expr = unwrapExpression(expr.expression);
    if (isIdentifier(expr)) return env.get(expr.text) ?? (expr.text === 'searchParams' ? LEGACY_QUERY : undefined);
    if (isPropertyAccessExpression(expr)) {
      const name = expr.name.text;
      return extend(valueOf(expr.expression, depth + 1), name) ?? (name === 'searchParams' ? LEGACY_QUERY : undefined);
    }
    if (isElementAccessExpression(expr) && isStringLiteralLike(expr.argumentExpression)) return extend(valueOf(expr.expression, depth + 1), expr.argumentExpression.text);
    if (isCallExpression(expr)) return callValue(expr, depth);
    if (isNewExpression(expr) && isIdentifier(expr.expression)) {
      const argument = expr.arguments?.[0];
      if (expr.expression.text === 'URL' && argument) return valueOf(argument, depth + 1);
      if (expr.expression.text === 'URLSearchParams') return LEGACY_QUERY;
      return undefined;
    }
    if (isBinaryExpression(expr) && (expr.operatorToken.kind === SyntaxKind.QuestionQuestionToken || expr.operatorToken.kind === SyntaxKind.BarBarToken)) {
      return valueOf(expr.left, depth + 1) ?? valueOf(expr.right, depth + 1);
    }
    if (expr.kind === SyntaxKind.ConditionalExpression) {
      const conditional = expr as ts.ConditionalExpression;
      return valueOf(conditional.whenTrue, depth + 1) ?? valueOf(conditional.whenFalse, depth + 1);
    }
    if (isObjectLiteralExpression(expr)) return objectValueOf(expr, depth + 1, true);
    return undefined;
  }

  /**
   * An object literal that carries request data or schemas: `{ req, schemas: { body: Schema } }`, or the
   * body with keys added, `{ ...body, workspaceId }` (the same value), when `spreadIsValue`. Nested at most
   * MAX_OBJECT_DEPTH deep.
   */
  function objectValueOf(literal: ts.ObjectLiteralExpression, depth: number, spreadIsValue: boolean): FlowValue | undefined {
    const object: Array<[string, FlowValue]> = [];
    // `{ ...body, workspaceId }` is the body with a key added; `{ ...link, ...body }` is mostly the link.
    let spreadValue: FlowValue | undefined;
    for (const [index, property] of literal.properties.entries()) {
      if (isSpreadAssignment(property)) {
        const spread = spreadIsValue ? valueOf(property.expression, depth + 1) : undefined;
        const isData = spread !== undefined && !spread.object && !spread.schema;
        if (index === 0 && isData) spreadValue = spread;
        else spreadValue = undefined;
        continue;
      }
      if (object.length >= MAX_OBJECT_KEYS) continue;
      if (isShorthandPropertyAssignment(property)) {
        const value = env.get(property.name.text) ?? (property.name.text === 'searchParams' ? LEGACY_QUERY : undefined);
        if (value) object.push([property.name.text, value]);
      } else if (isPropertyAssignment(property)) {
        const key = propertyNameText(property.name);
        if (key === undefined) continue;
        const initializer = unwrapExpression(property.initializer);
        const value = isObjectLiteralExpression(initializer) ? (depth < MAX_OBJECT_DEPTH ? objectValueOf(initializer, depth + 1, spreadIsValue) : undefined) : valueOf(initializer, depth + 1) ?? schemaValueOf(initializer, schemaLookup, context.imports, sourceFile);
        if (value) object.push([key, value]);
      }
    }
    return spreadValue ?? (object.length > 0 ? { object } : undefined);
  }

  function callValue(call: ts.CallExpression, depth: number): FlowValue | undefined {
    const callee = unwrapExpression(call.expression);
    const first = call.arguments[0];
    if (isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      const receiver = unwrapExpression(callee.expression);
      if ((method === 'json' || method === 'formData' || method === 'text') && call.arguments.length === 0) return extend(valueOf(receiver, depth + 1), `${method}()`);
      // `req.clone()`, `await req.json().catch(() => ({}))`, `searchParams.entries()`: the same value.
      if (((method === 'clone' || method === 'entries') && call.arguments.length === 0) || method === 'catch' || method === 'finally') return valueOf(receiver, depth + 1);
      if (isIdentifier(receiver) && receiver.text === 'Object' && method === 'fromEntries' && first) return valueOf(first, depth + 1);
      if (isIdentifier(receiver) && receiver.text === 'JSON' && method === 'parse' && first) return extend(valueOf(first, depth + 1), 'parse()');
      const validated = validatedArgument(call);
      if (validated) return validated.safe ? extend(valueOf(validated.value, depth + 1), 'safeParse()') : valueOf(validated.value, depth + 1);
    } else if (isIdentifier(callee) && QUERY_HELPERS.test(callee.text) && first) {
      return extend(valueOf(first, depth + 1), 'searchParams');
    }
    const validated = validatedArgument(call);
    if (validated && !isPropertyAccessExpression(callee)) return validated.safe ? extend(valueOf(validated.value, depth + 1), 'safeParse()') : valueOf(validated.value, depth + 1);
    const index = recordCall(call);
    return index === undefined ? undefined : { call: index };
  }

  /** `schema.parse(x)`, `schema.safeParse(x)`, valibot's `v.parse(schema, x)`: the schema and the value it validates. */
  function validatedArgument(call: ts.CallExpression): { schema: ts.Expression; value: ts.Expression; safe: boolean } | undefined {
    const callee = unwrapExpression(call.expression);
    if (isIdentifier(callee)) {
      // valibot's `parse(Schema, body)`, imported by name.
      const imported = context.imports.get(callee.text);
      if (!imported || imported.specifier !== 'valibot' || call.arguments.length < 2) return undefined;
      const safe = SAFE_PARSE_METHODS.test(imported.importedName);
      return safe || PARSE_METHODS.test(imported.importedName) ? { schema: call.arguments[0], value: call.arguments[1], safe } : undefined;
    }
    if (!isPropertyAccessExpression(callee)) return undefined;
    const method = callee.name.text;
    const safe = SAFE_PARSE_METHODS.test(method);
    if (!safe && !PARSE_METHODS.test(method)) return undefined;
    const receiver = unwrapExpression(callee.expression);
    // `JSON.parse(text)` parses; it validates nothing.
    if (isIdentifier(receiver) && receiver.text === 'JSON') return undefined;
    // valibot's `v.parse(Schema, body)`: the namespace is the receiver, the schema the first argument.
    if (isIdentifier(receiver) && context.imports.get(receiver.text)?.importedName === '*' && call.arguments.length >= 2) {
      return { schema: call.arguments[0], value: call.arguments[1], safe };
    }
    return call.arguments[0] ? { schema: receiver, value: call.arguments[0], safe } : undefined;
  }

  /** Records a call that is passed request data (or is a call of a parameter), once; its index in `calls`. */
  function recordCall(call: ts.CallExpression): number | undefined {
    const callee = unwrapExpression(call.expression);
    let entry: FlowCall | undefined;
    if (isIdentifier(callee)) {
      const param = paramIndex.get(callee.text);
      const bound = env.get(callee.text);
      if (param !== undefined) entry = { callee: callee.text, param, args: [] };
      // `const { handler } = options; handler(...)`: a function the caller handed over in an object.
      else if (bound?.param !== undefined && bound.param >= 0 && bound.path?.length === 1) entry = { callee: callee.text, param: bound.param, paramPath: bound.path, args: [] };
      else if (context.imports.has(callee.text) || context.moduleNames.has(callee.text)) entry = { callee: callee.text, args: [] };
    } else if (isPropertyAccessExpression(callee) && isIdentifier(callee.expression) && context.imports.get(callee.expression.text)?.importedName === '*') {
      entry = { callee: callee.expression.text, member: callee.name.text, args: [] };
    } else if (isPropertyAccessExpression(callee) && isIdentifier(callee.expression) && paramIndex.has(callee.expression.text)) {
      // `options.handler(...)`
      entry = { callee: callee.expression.text, param: paramIndex.get(callee.expression.text), paramPath: [callee.name.text], args: [] };
    }
    // Most calls (`prisma.user.findMany()`, `NextResponse.json()`) can be followed nowhere: decided above, unremembered.
    if (!entry) return undefined;
    const known = callIndex.get(call);
    if (known !== undefined) return known ?? undefined;
    callIndex.set(call, null);
    if (calls.length >= MAX_FLOW_ENTRIES) return undefined;
    let carries = false;
    for (const argument of call.arguments) {
      const arg = argumentOf(argument);
      if (arg && carriesData(arg)) carries = true;
      entry.args.push(arg);
    }
    if (!carries) return undefined;
    // Trailing arguments that carry nothing are left out.
    while (entry.args.length > 0 && entry.args[entry.args.length - 1] === null) entry.args.pop();
    const guard = guardAt(visiting);
    if (guard) entry.guard = guard;
    calls.push(entry);
    callIndex.set(call, calls.length - 1);
    return calls.length - 1;
  }

  function argumentOf(argument: ts.Expression): FlowArg {
    const expr = unwrapExpression(argument);
    // A spread in an argument is not the value passed: the callee may read the keys added beside it
    // (`getAnalytics({ ...query, isDeprecated })`), which are no query names.
    if (isObjectLiteralExpression(expr)) return objectValueOf(expr, 0, false) ?? null;
    // A schema handed to a helper that applies it: `parseBody(req, CreateUser)`.
    return valueOf(expr) ?? schemaValueOf(expr, schemaLookup, context.imports, sourceFile) ?? null;
  }

  /**
   * A value the caller hands over, as a parameter or a property of one, without the limits on request
   * data's steps: the schema in `schemas.body.safeParse(data)` after `const { schemas } = options`.
   */
  function handedValueOf(node: ts.Expression, depth: number): FlowValue | undefined {
    const expr = unwrapExpression(node);
    if (isIdentifier(expr)) {
      const value = env.get(expr.text);
      return value?.param !== undefined && value.param >= 0 ? value : undefined;
    }
    if (!isPropertyAccessExpression(expr) || depth >= MAX_PATH) return undefined;
    const base = handedValueOf(expr.expression, depth + 1);
    return base && { ...base, path: [...(base.path ?? []), expr.name.text] };
  }

  /**
   * True for `body = await transform(body, ...)` with `transform` a function the caller hands over: what it
   * returns is unknown here, and taken to be the value it was given, reshaped.
   */
  function isCallbackOf(expr: ts.Expression, name: string): boolean {
    if (!isCallExpression(expr) || !expr.arguments.some((argument) => isIdentifier(argument) && argument.text === name)) return false;
    const index = recordCall(expr);
    return index !== undefined && calls[index].param !== undefined;
  }

  /** Records the schema a validating call applies to the value it validates. */
  function readSchemaCall(call: ts.CallExpression): void {
    if (schemaCalls.has(call)) return;
    schemaCalls.add(call);
    const validated = validatedArgument(call);
    const value = validated && valueOf(validated.value);
    if (!validated || !value) return;
    const read = readOf(value);
    if (read.schema !== undefined) return;
    const schemaExpr = unwrapExpression(validated.schema);
    read.schema = isIdentifier(schemaExpr) ? schemaExpr.text : schemaExpr.getText(sourceFile).slice(0, 60);
    const shape = schemaShape(schemaExpr, schemaLookup, context.imports);
    if (!shape) {
      const handed = handedValueOf(schemaExpr, 0);
      if (handed) read.schemaValue = handed;
      return;
    }
    for (const field of shape.fields) read.keys.add(field);
    if (shape.bases) read.schemaImports = shape.bases;
    if (shape.omit) read.schemaOmit = shape.omit;
  }

  const isHeaderStore = (node: ts.Expression, depth = 0): boolean => {
    checkDepth(depth);
    const expr = unwrapExpression(node);
    if (isIdentifier(expr)) return headerStoreNames.has(expr.text);
    if (isAwaitExpression(expr)) return isHeaderStore(expr.expression, depth + 1);
    if (isCallExpression(expr) && isIdentifier(expr.expression) && expr.expression.text === 'headers') return true;
    return isPropertyAccessExpression(expr) && expr.name.text === 'headers';
  };

  const bind = (name: string, init: ts.Expression) => {
    const value = valueOf(init);
    if (value) {
      env.set(name, value);
      use(value);
    } else env.delete(name);
  };
  /** A value read as a whole: a body read or a helper's result marks the body's kind even when no field is named. */
  const use = (value: FlowValue) => {
    const last = value.path?.[value.path.length - 1];
    if (value.call !== undefined || (last !== undefined && last.endsWith(')'))) readOf(value);
  };

  const visitVariable = (node: ts.VariableDeclaration): void => {
    if (!node.initializer) return;
    const init = unwrapExpression(node.initializer);
    const stripped = isAwaitExpression(init) ? unwrapExpression(init.expression) : init;
    // The schema first, so that its fields come in its own order before the names destructured from it.
    if (isCallExpression(stripped)) readSchemaCall(stripped);
    if (isIdentifier(node.name)) {
      const name = node.name.text;
      bind(name, init);
      if (isHeaderStore(init)) headerStoreNames.add(name);
      const shape = schemaShape(init, schemaLookup, context.imports);
      if (shape && (shape.fields.length > 0 || shape.bases)) localSchemas.set(name, shape);
    } else if (isObjectBindingPattern(node.name)) {
      const value = valueOf(init);
      if (value) {
        for (const element of node.name.elements) {
          if (element.dotDotDotToken) continue;
          const key = element.propertyName ? propertyNameText(element.propertyName) : isIdentifier(element.name) ? element.name.text : undefined;
          if (key !== undefined) readKey(value, key);
        }
      }
      bindPattern(node.name, value);
    }
  };
  const visitCall = (node: ts.CallExpression): void => {
    const callee = node.expression;
    const firstArg = node.arguments[0];
    const literalArg = firstArg && isStringLiteralLike(firstArg) ? firstArg.text : undefined;
    if (isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      if (literalArg !== undefined && /^(get|getAll|has)$/.test(method)) {
        if (isHeaderStore(callee.expression)) headerNames.add(literalArg.toLowerCase());
        else {
          const value = valueOf(callee.expression);
          if (value) readOf(value).gets.add(literalArg);
        }
      } else if (method === 'forEach' || ((method === 'keys' || method === 'entries') && node.arguments.length === 0)) {
        // `url.searchParams.forEach((value, key) => { params[key] = value })`, then `return params`.
        const value = valueOf(callee.expression);
        if (value) iterated ??= value;
      } else if (STREAM_METHODS.has(method)) {
        // `req.body.getReader()`: a helper that reads the body's bytes itself (to bound its size), and
        // returns them decoded as text.
        const receiver = unwrapExpression(callee.expression);
        const value = isPropertyAccessExpression(receiver) && receiver.name.text === 'body' ? valueOf(receiver.expression) : undefined;
        if (value) streamed ??= value;
      }
      if ((method === 'json' || method === 'formData' || method === 'text') && node.arguments.length === 0) {
        const value = valueOf(node);
        if (value) use(value);
      }
      readSchemaCall(node);
      const receiver = unwrapExpression(callee.expression);
      const receiverName = isIdentifier(receiver) ? receiver.text : '';
      if (/^(Response|NextResponse)$/.test(receiverName)) {
        if (method === 'json') addStatus(responseStatus(node.arguments[1], 200));
        if (method === 'redirect') addStatus(literalStatus(node.arguments[1]) ?? responseStatus(node.arguments[1], receiverName === 'Response' ? 302 : 307));
        if (method === 'error') addStatus(500);
      }
    } else if (isIdentifier(callee) && STATUS_DEFAULTS.has(callee.text) && node.arguments.length <= 2) {
      statuses.add(STATUS_DEFAULTS.get(callee.text)!);
    }
    recordCall(node);
  };
  const visitReturned = (expression: ts.Expression | undefined): void => {
    if (!expression) return;
    let expr = unwrapExpression(expression);
    if (isAwaitExpression(expr)) expr = unwrapExpression(expr.expression);
    if (isFunctionNode(expr)) returnedFunctions.add(expr);
    else if (isCallExpression(expr)) {
      // `return withLogging(async (req) => ...)`: the function the wrapper builds is handed to another one.
      for (const argument of expr.arguments) {
        const inner = unwrapExpression(argument);
        if (isFunctionNode(inner)) returnedFunctions.add(inner);
      }
    }
    const value = valueOf(expr) ?? (iterated && isIdentifier(expr) ? iterated : undefined) ?? (streamed && isDecodedText(expr) ? extend(streamed, 'text()') : undefined);
    if (value && returns.length < MAX_FLOW_ENTRIES && !returnKeys.has(valueKey(value))) {
      returnKeys.add(valueKey(value));
      returns.push(value);
    }
  };
  if (fn.body && !isBlockNode(fn.body)) visitReturned(fn.body as ts.Expression);

  // Called for every node of the function's walk, so it dispatches on the kind first.
  const visit = (node: ts.Node, parent: ts.Node): void => {
    visiting = node;
    switch (node.kind) {
      case SyntaxKind.IfStatement:
        visitIf(node as ts.IfStatement);
        break;
      case SyntaxKind.VariableDeclaration:
        visitVariable(node as ts.VariableDeclaration);
        break;
      case SyntaxKind.CallExpression:
        visitCall(node as ts.CallExpression);
        break;
      case SyntaxKind.ReturnStatement:
        visitReturned((node as ts.ReturnStatement).expression);
        break;
      case SyntaxKind.ArrowFunction:
      case SyntaxKind.FunctionExpression: {
        if (!returnedFunctions.has(node)) break;
        const first = (node as ts.ArrowFunction).parameters[0];
        if (first && isIdentifier(first.name)) env.set(first.name.text, RETURNED_REQUEST);
        const body = (node as ts.ArrowFunction).body;
        if (!isBlockNode(body)) visitReturned(body as ts.Expression);
        break;
      }
      case SyntaxKind.BinaryExpression: {
        const binary = node as ts.BinaryExpression;
        // `requestBody = schema.parse(json)` after `let requestBody;`
        if (binary.operatorToken.kind === SyntaxKind.EqualsToken && isIdentifier(binary.left)) {
          const right = unwrapExpression(binary.right);
          const stripped = isAwaitExpression(right) ? unwrapExpression(right.expression) : right;
          if (isCallExpression(stripped)) readSchemaCall(stripped);
          if (!isCallbackOf(stripped, binary.left.text)) bind(binary.left.text, right);
        }
        break;
      }
      case SyntaxKind.ForOfStatement: {
        // `for await (const chunk of req.body)` reads the body's bytes; `for (const [key] of searchParams)` its entries.
        const iteratedExpr = unwrapExpression((node as ts.ForOfStatement).expression);
        if (isPropertyAccessExpression(iteratedExpr) && iteratedExpr.name.text === 'body') {
          const value = valueOf(iteratedExpr.expression);
          if (value) streamed ??= value;
        } else {
          const value = valueOf(iteratedExpr);
          if (value) iterated ??= value;
        }
        break;
      }
      case SyntaxKind.NewExpression: {
        const expression = (node as ts.NewExpression).expression;
        if (isIdentifier(expression) && /^(Response|NextResponse)$/.test(expression.text)) addStatus(responseStatus((node as ts.NewExpression).arguments?.[1], 200));
        break;
      }
      case SyntaxKind.PropertyAccessExpression: {
        const access = node as ts.PropertyAccessExpression;
        // A method called on the value (`searchParams.get`, `body.map`) is not a field.
        if (isCallExpression(parent) && parent.expression === node) break;
        const value = valueOf(access.expression);
        if (value) readKey(value, access.name.text);
        break;
      }
      case SyntaxKind.ElementAccessExpression: {
        const access = node as ts.ElementAccessExpression;
        if (!isStringLiteralLike(access.argumentExpression)) break;
        const value = valueOf(access.expression);
        if (value) readKey(value, access.argumentExpression.text);
        break;
      }
    }
  };
  const finish = (): CollectedRequest => {
    visiting = undefined;
    // `({ json }) =>` style handlers destructure the request itself.
    const firstParam = fn.parameters[0];
    if (firstParam && isObjectBindingPattern(firstParam.name) && fn.body) {
      for (const element of firstParam.name.elements) {
        const key = element.propertyName ? propertyNameText(element.propertyName) : isIdentifier(element.name) ? element.name.text : undefined;
        if (key === 'json' || key === 'formData') readOf({ param: 0, path: [`${key}()`] });
      }
    }
    const collected: RequestFlow = { reads: [], calls, returns };
    for (const read of reads.values()) collected.reads.push(flowRead(read));
    const names = new RequestNames();
    const { complete, flow } = evaluateLocally(collected, names, context.mayBeRebound);
    const info = names.toInfo([...headerNames].sort(), [...statuses].sort((a, b) => a - b));
    const empty = flow.reads.length === 0 && flow.calls.length === 0 && flow.returns.length === 0;
    if (empty || (complete && !context.flowOnly)) return { info };
    // What the summary keeps is bounded; the local result above saw every name.
    for (const read of flow.reads) {
      if (read.keys && read.keys.length > MAX_FLOW_NAMES) read.keys = read.keys.slice(0, MAX_FLOW_NAMES);
      if (read.gets && read.gets.length > MAX_FLOW_NAMES) read.gets = read.gets.slice(0, MAX_FLOW_NAMES);
    }
    return { info, flow };
  };
  return { visit, finish };
}

/**
 * A schema an expression names or builds, as a value to hand over: a module-level schema, an imported name
 * (resolved when linking; nothing if it is no schema), or `z.object({...})` written in place.
 */
function schemaValueOf(node: ts.Expression, known: SchemaLookup, imports: ImportTable, sourceFile: ts.SourceFile): FlowValue | undefined {
  const expr = unwrapExpression(node);
  if (isIdentifier(expr)) {
    const shape = known.get(expr.text);
    if (shape) return { schema: { label: expr.text, ...shape } };
    const imported = imports.get(expr.text);
    return imported && imported.importedName !== '*' ? { schema: { label: expr.text, fields: [], bases: [expr.text] } } : undefined;
  }
  if (!isCallExpression(expr)) return undefined;
  const shape = schemaShape(expr, known, imports);
  return shape ? { schema: { label: expr.getText(sourceFile).slice(0, 60), ...shape } } : undefined;
}

/** The schemas in an object literal outside any function: `{ auth: 'both', schemas: { query: ListQuery } }`. */
function staticObjectValue(literal: ts.ObjectLiteralExpression, known: SchemaLookup, imports: ImportTable, sourceFile: ts.SourceFile, depth: number): FlowValue | undefined {
  const object: Array<[string, FlowValue]> = [];
  for (const property of literal.properties) {
    if (object.length >= MAX_OBJECT_KEYS) break;
    if (!isPropertyAssignment(property) && !isShorthandPropertyAssignment(property)) continue;
    const key = propertyNameText(property.name);
    if (key === undefined) continue;
    const initializer = isPropertyAssignment(property) ? unwrapExpression(property.initializer) : property.name;
    const value = isObjectLiteralExpression(initializer)
      ? depth < MAX_OBJECT_DEPTH ? staticObjectValue(initializer, known, imports, sourceFile, depth + 1) : undefined
      : schemaValueOf(initializer, known, imports, sourceFile);
    if (value) object.push([key, value]);
  }
  return object.length > 0 ? { object } : undefined;
}

/**
 * The schemas a module-level wrapper call hands its wrapper besides the handler
 * (`withApi({ schemas: { body: CreateUser }, handler })`), by argument; undefined when it hands none.
 */
export function optionArgsOf(call: ts.CallExpression, schemas: SchemaLookup, imports: ImportTable, sourceFile: ts.SourceFile): FlowArg[] | undefined {
  const args: FlowArg[] = [];
  let found = false;
  for (const argument of call.arguments) {
    const expr = unwrapExpression(argument);
    const value = isObjectLiteralExpression(expr) ? staticObjectValue(expr, schemas, imports, sourceFile, 0) : isFunctionNode(expr) ? undefined : schemaValueOf(expr, schemas, imports, sourceFile);
    if (value) found = true;
    args.push(value ?? null);
  }
  while (args.length > 0 && args[args.length - 1] === null) args.pop();
  return found ? args : undefined;
}

/** True when a value holds request data (a parameter, a call's result, the query), not only schemas. */
function carriesData(value: FlowValue): boolean {
  if (value.object) return value.object.some(([, inner]) => carriesData(inner));
  return value.schema === undefined;
}

const LEGACY_QUERY: FlowValue = { fixed: 'legacyQuery' };
/** Methods of a ReadableStream that read it. */
const STREAM_METHODS = new Set(['getReader', 'pipeThrough', 'pipeTo', 'tee']);

/** Text decoded from bytes: `decoder.decode(bytes)`, `Buffer.concat(chunks).toString('utf8')`. */
function isDecodedText(expr: ts.Expression): boolean {
  return isCallExpression(expr) && isPropertyAccessExpression(expr.expression) && (expr.expression.name.text === 'decode' || expr.expression.name.text === 'toString');
}
const RETURNED_REQUEST: FlowValue = { param: -1 };

function flowRead(read: { value: FlowValue; keys: Set<string>; gets: Set<string>; schema?: string; schemaImports?: string[]; schemaOmit?: string[]; schemaValue?: FlowValue; guard?: FlowValue }): FlowRead {
  const out: FlowRead = { value: read.value };
  if (read.keys.size > 0) out.keys = [...read.keys];
  if (read.gets.size > 0) out.gets = [...read.gets];
  if (read.schema !== undefined) out.schema = read.schema;
  if (read.schemaImports) out.schemaImports = read.schemaImports;
  if (read.schemaOmit) out.schemaOmit = read.schemaOmit;
  if (read.schemaValue) out.schemaValue = read.schemaValue;
  if (read.guard) out.guard = read.guard;
  return out;
}

function valueKey(value: FlowValue): string {
  const shape = value.object || value.schema ? JSON.stringify([value.object, value.schema]) : '';
  return `${value.param ?? ''}|${value.call ?? ''}|${value.fixed ?? ''}|${value.path?.join('\0') ?? ''}|${shape}`;
}

function isBlockNode(node: ts.Node): boolean {
  return node.kind === SyntaxKind.Block;
}

function literalStatus(node: ts.Expression | undefined): number | undefined {
  if (!node) return undefined;
  const expr = unwrapExpression(node);
  return isNumericLiteral(expr) ? Number(expr.text) : undefined;
}

/**
 * The status a ResponseInit gives: the default when there is no init or it sets no status, the literal
 * when `{ status: 201 }`, and undefined when the status is computed.
 */
function responseStatus(init: ts.Expression | undefined, defaultStatus: number): number | undefined {
  if (!init) return defaultStatus;
  const expr = unwrapExpression(init);
  if (!isObjectLiteralExpression(expr)) return undefined;
  for (const property of expr.properties) {
    if (isSpreadAssignment(property)) return undefined;
    const name = property.name ? propertyNameText(property.name) : undefined;
    if (name !== 'status') continue;
    return isPropertyAssignment(property) ? literalStatus(property.initializer) : undefined;
  }
  return defaultStatus;
}
