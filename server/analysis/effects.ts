import type { ts } from 'ts-morph';
import {
  forEachChild,
  isArrowFunction,
  isAsExpression,
  isBinaryExpression,
  isBlock,
  isCallExpression,
  isElementAccessExpression,
  isExpressionStatement,
  isFunctionExpression,
  isIdentifier,
  isNumericLiteral,
  isObjectBindingPattern,
  isObjectLiteralExpression,
  isParenthesizedExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isReturnStatement,
  isStringLiteral,
  isStringLiteralLike,
  SyntaxKind,
} from './typescriptBindings';
import { checkDepth } from './limits';
import type { Span } from './model';
import { spanOfNode, spanOfRange } from './spans';
import { propertyNameText, unwrapExpression } from './staticValues';

/**
 * Things a function does that decide whether Next.js can prerender the route that runs it, or that
 * make a prerendered body wrong. Found by syntax alone; calls to other functions are recorded and
 * followed later, across modules.
 */
export type EffectKind =
  | 'cookies' //          cookies() from next/headers
  | 'headers' //          headers() from next/headers
  | 'draftMode' //        draftMode() from next/headers
  | 'connection' //       connection() from next/server
  | 'noStore' //          unstable_noStore() from next/cache
  | 'cacheLife' //        cacheLife('minutes') from next/cache
  | 'requestUrl' //       request.url, request.nextUrl.href
  | 'requestHeaders' //   request.headers
  | 'requestCookies' //   request.cookies
  | 'searchParams' //     request.nextUrl.searchParams / search
  | 'requestBody' //      request.json() / text() / formData() / body
  | 'requestPassed' //    the request handed whole to a package function that reads it
  | 'fetchNoStore' //     fetch(url, { cache: 'no-store' })
  | 'fetchRevalidate' //  fetch(url, { next: { revalidate: n } }), n > 0; n = 0 is fetchNoStore
  | 'fetchForceCache' //  fetch(url, { cache: 'force-cache' })
  | 'fetchDefault' //     fetch(url) with no cache option
  | 'time' //             new Date(), Date.now()
  | 'random' //           Math.random(), crypto.randomUUID()
  | 'env' //              process.env.X
  | 'database' //         prisma.user.findMany(), db.select(), sql`...`
  | 'useCache' //         a 'use cache' function runs: the handler itself, or one it calls (handlerEffects.ts)
  | 'unknownCall' //      a call into a workspace module that could not be resolved
  | 'tooMuchWork'; //     the calls were not followed: more work than one route may take (handlerEffects.ts)

export interface Effect {
  kind: EffectKind;
  span: Span;
  /** The code as written, for messages: `cookies()`, `request.url`. */
  text: string;
  /** Seconds, for `fetchRevalidate`; the profile name for `cacheLife`. */
  revalidate?: number;
  profile?: string;
  /** For `useCache`: the directive is at the top of the handler's own body, not in a function it calls. */
  inHandler?: boolean;
  /**
   * Inside a `'use cache'` function: under cacheComponents its result is cached and this does not run per
   * request; 14 ignores the directive, so there it counts like any other effect.
   */
  cached?: boolean;
}

/** A call to something that may have effects of its own: a local function or an import. */
export interface CallSite {
  /** The local name called: `getSession`, or `auth` for `auth.getSession()`. */
  callee: string;
  /** For `ns.fn()` on a namespace import: `fn`. */
  member?: string;
  span: Span;
  /** Arguments that are one of the caller's parameters: `arg` position → caller's `param` index. */
  requestArgs: Array<{ arg: number; param: number }>;
}

/** A property read on a parameter, so a caller that passes its request can turn it into an effect. */
export interface ParamRead {
  param: number;
  effect: Effect;
}

/** A read of the route's `params` that does not await it (Next.js 15+ passes a Promise). */
export interface SyncParamsRead {
  span: Span;
  /** The expression to wrap: `params` in `params.id`, `context.params` in `context.params.id`. */
  target: Span;
  targetText: string;
  /** True for `const { id } = params`, where the fix is `await params` without parentheses. */
  destructured: boolean;
}

/** `Response.json({ error })` with no status: the client sees 200 for an error. */
export interface ErrorResponse {
  span: Span;
  /** Where `, { status: … }` goes: the end of the first argument. */
  insertAt: Span;
  /** The status the error's own words suggest (`'Not found'`: 404), else 500. */
  status: number;
}

/** Error texts and the status they call for; the first that matches wins. */
const STATUS_WORDS: ReadonlyArray<[RegExp, number]> = [
  [/not ?found|no such|does ?n[o']t exist/i, 404],
  [/unauthori[sz]ed|unauthenticated|not (signed|logged) in|sign ?in required|invalid (token|credentials)/i, 401],
  [/forbidden|not allowed|permission|access denied/i, 403],
  [/already exists|conflict|duplicate/i, 409],
  [/too many|rate ?limit/i, 429],
  [/invalid|missing|required|malformed|bad request|must be|expected/i, 400],
];

/** The status an error message asks for, read from at most its first 200 characters. */
export function statusForError(text: string | undefined): number {
  const head = (text ?? '').slice(0, 200);
  for (const [words, status] of STATUS_WORDS) if (words.test(head)) return status;
  return 500;
}

export interface FunctionFacts {
  effects: Effect[];
  calls: CallSite[];
  paramReads: ParamRead[];
  syncParamsReads: SyncParamsRead[];
  errorResponses: ErrorResponse[];
  /** `'use cache'` at the top of the function (or of its module). */
  useCache: boolean;
}

/** Import bindings of a module: local name → where it comes from. */
export type ImportTable = ReadonlyMap<string, { specifier: string; importedName: string }>;

const NEXT_HEADERS_EFFECTS = new Map<string, EffectKind>([
  ['cookies', 'cookies'],
  ['headers', 'headers'],
  ['draftMode', 'draftMode'],
]);
const NEXT_SERVER_EFFECTS = new Map<string, EffectKind>([
  ['connection', 'connection'],
]);
const NEXT_CACHE_EFFECTS = new Map<string, EffectKind>([
  ['unstable_noStore', 'noStore'],
  ['noStore', 'noStore'],
  ['cacheLife', 'cacheLife'],
  ['unstable_cacheLife', 'cacheLife'],
]);
// The properties Next.js's request proxy traps during prerendering (identical in 14, 15 and 16);
// everything else (method, nextUrl.pathname, host, ip, geo, signal) is safe to read.
const REQUEST_PROPERTY_EFFECTS = new Map<string, EffectKind>([
  ['url', 'requestUrl'],
  ['headers', 'requestHeaders'],
  ['cookies', 'requestCookies'],
  ['json', 'requestBody'],
  ['text', 'requestBody'],
  ['formData', 'requestBody'],
  ['arrayBuffer', 'requestBody'],
  ['blob', 'requestBody'],
  ['body', 'requestBody'],
]);
const NEXT_URL_EFFECTS = new Map<string, EffectKind>([
  ['searchParams', 'searchParams'],
  ['search', 'searchParams'],
  ['url', 'requestUrl'],
  ['href', 'requestUrl'],
  ['origin', 'requestUrl'],
  ['toJSON', 'requestUrl'],
  ['toString', 'requestUrl'],
]);
const DATABASE_ROOTS = /^(prisma|db|database|sql|supabase|knex|pool|redis|kv|mongo|mongoose|drizzle|turso|neon|pg|mysql|firestore|sanity|payload)$/;

/** What the package export a local name refers to is, when it is one Next.js treats specially. */
function nextApi(name: string, imports: ImportTable): EffectKind | undefined {
  const binding = imports.get(name);
  if (!binding) return undefined;
  if (binding.specifier === 'next/headers') return NEXT_HEADERS_EFFECTS.get(binding.importedName);
  if (binding.specifier === 'next/server') return NEXT_SERVER_EFFECTS.get(binding.importedName);
  if (binding.specifier === 'next/cache') return NEXT_CACHE_EFFECTS.get(binding.importedName);
  return undefined;
}

function namespaceApi(namespace: string, member: string, imports: ImportTable): EffectKind | undefined {
  const binding = imports.get(namespace);
  if (!binding || binding.importedName !== '*') return undefined;
  if (binding.specifier === 'next/headers') return NEXT_HEADERS_EFFECTS.get(member);
  if (binding.specifier === 'next/server') return NEXT_SERVER_EFFECTS.get(member);
  if (binding.specifier === 'next/cache') return NEXT_CACHE_EFFECTS.get(member);
  return undefined;
}

export function hasUseCacheDirective(body: ts.Node | undefined): boolean {
  if (!body || !isBlock(body)) return false;
  for (const statement of body.statements) {
    if (!isExpressionStatement(statement) || !isStringLiteral(statement.expression)) return false;
    if (/^use cache(:|$)/.test(statement.expression.text)) return true;
  }
  return false;
}

/**
 * Facts of one function, nested callbacks included (they usually run: `items.map(x => ...)`). Every
 * parameter is tracked as a possible request. `alsoVisit` sees each expression and statement node of the
 * same walk, so that other per-function analyses need no traversal of their own.
 */
export function collectFacts(
  fn: ts.SignatureDeclaration & { body?: ts.Node },
  sourceFile: ts.SourceFile,
  imports: ImportTable,
  moduleUseCache: boolean,
  moduleNames: ReadonlySet<string> = new Set(),
  alsoVisit?: (node: ts.Node, parent: ts.Node) => void,
): FunctionFacts {
  const facts: FunctionFacts = { effects: [], calls: [], paramReads: [], syncParamsReads: [], errorResponses: [], useCache: moduleUseCache || hasUseCacheDirective(fn.body) };
  const paramsNames = new Set<string>();
  const contextNames = new Set<string>();
  const second = fn.parameters[1];
  if (second && isIdentifier(second.name)) contextNames.add(second.name.text);
  else if (second && isObjectBindingPattern(second.name)) {
    for (const element of second.name.elements) {
      const key = element.propertyName ? propertyNameText(element.propertyName) : isIdentifier(element.name) ? element.name.text : undefined;
      if (key === 'params' && isIdentifier(element.name)) paramsNames.add(element.name.text);
    }
  }
  /** `params` or `context.params`, when the expression is one. */
  const isParamsExpression = (node: ts.Expression): boolean => {
    const expr = unwrapExpression(node);
    if (isIdentifier(expr)) return paramsNames.has(expr.text);
    return isPropertyAccessExpression(expr) && expr.name.text === 'params' && isIdentifier(expr.expression) && contextNames.has(expr.expression.text);
  };
  const syncParams = (read: ts.Node, target: ts.Expression, destructured: boolean) => {
    facts.syncParamsReads.push({ span: spanOfNode(read, sourceFile), target: spanOfNode(target, sourceFile), targetText: target.getText(sourceFile), destructured });
  };
  /** Local names holding the request (or a part of it), by parameter index. */
  const requestAliases = new Map<string, number>();
  /** Local names holding `request.nextUrl` or `new URL(request.url)`, by parameter index. */
  const urlAliases = new Map<string, number>();
  fn.parameters.forEach((parameter, index) => {
    if (isIdentifier(parameter.name)) requestAliases.set(parameter.name.text, index);
    else if (isObjectBindingPattern(parameter.name) && index === 0) {
      for (const element of parameter.name.elements) {
        const key = element.propertyName ? propertyNameText(element.propertyName) : isIdentifier(element.name) ? element.name.text : undefined;
        if (key === 'nextUrl' && isIdentifier(element.name)) urlAliases.set(element.name.text, index);
        else if (key && REQUEST_PROPERTY_EFFECTS.get(key)) {
          facts.paramReads.push({ param: index, effect: { kind: REQUEST_PROPERTY_EFFECTS.get(key)!, span: spanOfNode(element, sourceFile), text: `request.${key}` } });
        }
      }
    }
  });
  const effect = (kind: EffectKind, node: ts.Node, extra: Partial<Effect> = {}) => {
    facts.effects.push({ kind, span: spanOfNode(node, sourceFile), text: codeText(node, sourceFile), ...extra });
  };
  const requestIndex = (node: ts.Expression): number | undefined => {
    const expr = unwrapExpression(node);
    return isIdentifier(expr) ? requestAliases.get(expr.text) : undefined;
  };
  const urlIndex = (node: ts.Expression): number | undefined => {
    const expr = unwrapExpression(node);
    if (isIdentifier(expr)) return urlAliases.get(expr.text);
    if (isPropertyAccessExpression(expr) && expr.name.text === 'nextUrl') return requestIndex(expr.expression);
    return undefined;
  };
  const paramRead = (param: number, kind: EffectKind, node: ts.Node) => {
    facts.paramReads.push({ param, effect: { kind, span: spanOfNode(node, sourceFile), text: codeText(node, sourceFile) } });
  };

  // Syntax trees are parsed without parent pointers (cheaper); the visit keeps its own ancestry. It
  // dispatches on the node kind and never descends into tokens or type annotations: this walk runs
  // over every handler of every route, so it is the hottest loop of a cold scan.
  const ancestors: ts.Node[] = [fn];
  // How deep the walk's own recursion is (the ancestry also holds the chains walked in a loop).
  let depth = 0;
  const visitChild = (child: ts.Node): void => visit(child);
  const visit = (node: ts.Node): void => {
    const kind = node.kind;
    if (kind <= SyntaxKind.LastToken || (kind >= SyntaxKind.FirstTypeNode && kind <= SyntaxKind.LastTypeNode)) return;
    const parent = ancestors[ancestors.length - 1];
    switch (kind) {
      case SyntaxKind.PropertyAccessExpression:
        visitPropertyAccess(node as ts.PropertyAccessExpression, parent);
        break;
      case SyntaxKind.VariableDeclaration:
        visitVariable(node as ts.VariableDeclaration);
        break;
      case SyntaxKind.ArrowFunction:
      case SyntaxKind.FunctionExpression:
        if (isReturnedFunction(node, ancestors, fn)) {
          const first = (node as ts.ArrowFunction).parameters[0];
          if (first && isIdentifier(first.name)) requestAliases.set(first.name.text, RETURNED_HANDLER_REQUEST);
        }
        break;
      case SyntaxKind.NewExpression: {
        const expression = (node as ts.NewExpression).expression;
        if (isIdentifier(expression) && expression.text === 'Date' && ((node as ts.NewExpression).arguments?.length ?? 0) === 0) effect('time', node);
        break;
      }
      case SyntaxKind.CallExpression:
        visitCall(node as ts.CallExpression);
        break;
      case SyntaxKind.TaggedTemplateExpression: {
        const tag = (node as ts.TaggedTemplateExpression).tag;
        if (isIdentifier(tag) && DATABASE_ROOTS.test(tag.text)) effect('database', node);
        break;
      }
      case SyntaxKind.BinaryExpression:
        if ((node as ts.BinaryExpression).left.kind === SyntaxKind.BinaryExpression) {
          visitBinaryChain(node as ts.BinaryExpression, parent);
          return;
        }
        break;
      case SyntaxKind.InterfaceDeclaration:
      case SyntaxKind.TypeAliasDeclaration:
        return;
    }
    alsoVisit?.(node, parent);
    checkDepth(++depth);
    ancestors.push(node);
    forEachChild(node, visitChild);
    ancestors.pop();
    depth--;
  };

  // `a + b + c ...` is a tree as deep as the chain is long, which the parser builds in a loop however
  // long it is (a generated string concatenation, say). So it is walked in a loop too, in the order and
  // with the ancestry the recursion would give, as one level of nesting.
  const visitBinaryChain = (top: ts.BinaryExpression, parent: ts.Node): void => {
    const start = ancestors.length;
    let operand: ts.Expression = top;
    let operandParent = parent;
    while (isBinaryExpression(operand)) {
      alsoVisit?.(operand, operandParent);
      ancestors.push(operand);
      operandParent = operand;
      operand = operand.left;
    }
    checkDepth(++depth);
    visit(operand);
    for (let i = ancestors.length - 1; i >= start; i--) {
      visit((ancestors[i] as ts.BinaryExpression).right);
      ancestors.pop();
    }
    depth--;
  };

  const visitPropertyAccess = (node: ts.PropertyAccessExpression, parent: ts.Node) => {
    const property = node.name.text;
    const isCallee = parent.kind === SyntaxKind.CallExpression && (parent as ts.CallExpression).expression === node;
    if (!isCallee && property !== 'then' && isParamsExpression(node.expression)) syncParams(node, node.expression, false);
    const fromRequest = requestIndex(node.expression);
    if (fromRequest !== undefined && REQUEST_PROPERTY_EFFECTS.get(property)) paramRead(fromRequest, REQUEST_PROPERTY_EFFECTS.get(property)!, node);
    const fromUrl = urlIndex(node.expression);
    if (fromUrl !== undefined && NEXT_URL_EFFECTS.get(property)) paramRead(fromUrl, NEXT_URL_EFFECTS.get(property)!, node);
    if (isPropertyAccessExpression(node.expression) && node.expression.name.text === 'env' && isIdentifier(node.expression.expression) && node.expression.expression.text === 'process') {
      effect('env', node);
    }
  };

  const visitVariable = (node: ts.VariableDeclaration) => {
    if (!node.initializer) return;
    if (isObjectBindingPattern(node.name) && isParamsExpression(node.initializer)) syncParams(node, node.initializer, true);
    const init = unwrapExpression(node.initializer);
    if (isIdentifier(node.name)) {
      // const url = req.nextUrl / const url = new URL(req.url)
      if (isPropertyAccessExpression(init) && init.name.text === 'nextUrl' && requestIndex(init.expression) !== undefined) {
        urlAliases.set(node.name.text, requestIndex(init.expression)!);
      }
    } else if (isObjectBindingPattern(node.name)) {
      const fromRequest = requestIndex(init);
      const fromUrl = urlIndex(init);
      for (const element of node.name.elements) {
        const key = element.propertyName ? propertyNameText(element.propertyName) : isIdentifier(element.name) ? element.name.text : undefined;
        if (!key) continue;
        if (fromRequest !== undefined) {
          if (key === 'nextUrl' && isIdentifier(element.name)) urlAliases.set(element.name.text, fromRequest);
          else if (REQUEST_PROPERTY_EFFECTS.get(key)) paramRead(fromRequest, REQUEST_PROPERTY_EFFECTS.get(key)!, element);
        }
        if (fromUrl !== undefined && NEXT_URL_EFFECTS.get(key)) paramRead(fromUrl, NEXT_URL_EFFECTS.get(key)!, element);
      }
    }
  };

  const visitCall = (call: ts.CallExpression) => {
    const callee = unwrapExpression(call.expression);
    if (isPropertyAccessExpression(callee) && callee.name.text === 'json' && call.arguments.length === 1 && isIdentifier(callee.expression) && /^(Response|NextResponse)$/.test(callee.expression.text)) {
      const payload = unwrapExpression(call.arguments[0]);
      const errorProperty = isObjectLiteralExpression(payload) ? payload.properties.find((p) => p.name && /^(error|errors)$/.test(propertyNameText(p.name) ?? '')) : undefined;
      if (errorProperty) {
        const message = isPropertyAssignment(errorProperty) && isStringLiteralLike(errorProperty.initializer) ? errorProperty.initializer.text : undefined;
        facts.errorResponses.push({
          span: spanOfNode(call, sourceFile),
          insertAt: spanOfRange(sourceFile, call.arguments[0].getEnd(), call.arguments[0].getEnd()),
          status: statusForError(message),
        });
      }
    }
    const requestArgsOf = () => {
      const requestArgs: Array<{ arg: number; param: number }> = [];
      call.arguments.forEach((argument, arg) => {
        const param = requestIndex(argument);
        if (param !== undefined) requestArgs.push({ arg, param });
      });
      return requestArgs;
    };
    if (isIdentifier(callee)) {
      const name = callee.text;
      const api = nextApi(name, imports);
      if (api === 'cacheLife') {
        const profile = call.arguments[0] && isStringLiteralLike(call.arguments[0]) ? call.arguments[0].text : undefined;
        effect('cacheLife', call, { profile });
      } else if (api) effect(api, call);
      else if (name === 'fetch' && !imports.has('fetch')) visitFetch(call);
      // Only module-level functions and imports can be followed; globals (String, parseInt) cannot.
      else if (imports.has(name) || moduleNames.has(name)) facts.calls.push({ callee: name, span: spanOfNode(call, sourceFile), requestArgs: requestArgsOf() });
      return;
    }
    if (isPropertyAccessExpression(callee)) {
      const member = callee.name.text;
      const receiver = unwrapExpression(callee.expression);
      if (isIdentifier(receiver)) {
        const api = namespaceApi(receiver.text, member, imports);
        if (api) {
          effect(api, call);
          return;
        }
        if ((receiver.text === 'Date' && member === 'now') || (receiver.text === 'performance' && member === 'now')) effect('time', call);
        else if ((receiver.text === 'Math' && member === 'random') || (receiver.text === 'crypto' && /^(randomUUID|getRandomValues)$/.test(member))) effect('random', call);
        else if (imports.get(receiver.text)?.importedName === '*') facts.calls.push({ callee: receiver.text, member, span: spanOfNode(call, sourceFile), requestArgs: requestArgsOf() });
        else if (imports.has(receiver.text)) {
          const requestArgs = requestArgsOf();
          if (requestArgs.length > 0) facts.calls.push({ callee: receiver.text, member, span: spanOfNode(call, sourceFile), requestArgs });
        }
      }
      const root = rootIdentifier(callee);
      if (root && DATABASE_ROOTS.test(root) && !/^(then|catch|finally)$/.test(member)) effect('database', call);
      return;
    }
  };

  const visitFetch = (call: ts.CallExpression) => {
    const init = call.arguments[1] ? unwrapExpression(call.arguments[1]) : undefined;
    if (!init) return effect('fetchDefault', call);
    if (!isObjectLiteralExpression(init)) return effect('fetchDefault', call);
    let cache: string | undefined;
    let revalidate: number | false | undefined;
    for (const property of init.properties) {
      if (!isPropertyAssignment(property)) continue;
      const key = propertyNameText(property.name);
      const value = unwrapExpression(property.initializer);
      if (key === 'cache' && isStringLiteralLike(value)) cache = value.text;
      if (key === 'next' && isObjectLiteralExpression(value)) {
        for (const inner of value.properties) {
          if (isPropertyAssignment(inner) && propertyNameText(inner.name) === 'revalidate') {
            const v = unwrapExpression(inner.initializer);
            if (isNumericLiteral(v)) revalidate = Number(v.text);
            else if (v.kind === SyntaxKind.FalseKeyword) revalidate = false;
          }
        }
      }
    }
    if (cache === 'no-store' || revalidate === 0) effect('fetchNoStore', call);
    else if (typeof revalidate === 'number') effect('fetchRevalidate', call, { revalidate });
    else if (cache === 'force-cache' || revalidate === false) effect('fetchForceCache', call);
    else effect('fetchDefault', call);
  };

  if (fn.body) visit(fn.body);
  return facts;
}

/** Parameter index standing for the request of a handler that a wrapper returns. */
export const RETURNED_HANDLER_REQUEST = -1;

/** A function expression the outer function returns: the handler a wrapper such as `withAuth` builds. */
function isReturnedFunction(node: ts.Node, ancestors: readonly ts.Node[], outer: ts.Node): boolean {
  if (!isArrowFunction(node) && !isFunctionExpression(node)) return false;
  let index = ancestors.length - 1;
  let child: ts.Node = node;
  while (index >= 0 && (isParenthesizedExpression(ancestors[index]) || isAsExpression(ancestors[index]))) child = ancestors[index--];
  const parent = ancestors[index];
  if (!parent) return false;
  if (isReturnStatement(parent)) return true;
  return isArrowFunction(parent) && parent.body === child && parent === outer;
}

function rootIdentifier(node: ts.Expression): string | undefined {
  let current = unwrapExpression(node);
  let depth = 0;
  while (isPropertyAccessExpression(current) || isCallExpression(current) || isElementAccessExpression(current)) {
    // The walk descends into the chain too, and would stop at the same bound.
    checkDepth(++depth);
    current = unwrapExpression(current.expression);
  }
  return isIdentifier(current) ? current.text : undefined;
}

/** The code of a node for messages: whitespace collapsed, at most 80 characters. */
function codeText(node: ts.Node, sourceFile: ts.SourceFile): string {
  // Only a prefix is read: a call at the head of a megabyte-long chain is a megabyte of text.
  const start = node.getStart(sourceFile);
  return sourceFile.text.slice(start, Math.min(node.end, start + 2000)).replace(/\s+/g, ' ').slice(0, 80);
}
