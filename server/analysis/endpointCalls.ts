import type { ts } from 'ts-morph';
import {
  forEachChild,
  isBinaryExpression,
  isCallExpression,
  isIdentifier,
  isObjectLiteralExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isStringLiteralLike,
  isTemplateExpression,
  SyntaxKind,
} from './typescriptBindings';
import { isLimitError } from './limits';
import type { HttpMethod, Route, Span } from './model';
import { HTTP_METHODS } from './model';
import { parseSource } from './parse';
import { spanOfNode } from './spans';
import { propertyNameText, unwrapExpression } from './staticValues';

/** A URL segment of a call site: literal text, or `*` where the code computes it. */
export type UrlPart = { literal: string } | { dynamic: true };

/** A call from the app's own code to one of its endpoints: `fetch('/api/users/' + id, { method: 'DELETE' })`. */
export interface EndpointCall {
  method: HttpMethod;
  /** The path as segments (query string and origin removed); a segment may mix literals and `*`. */
  segments: UrlPart[][];
  /** The URL as the code writes it, for display: `/api/users/${id}`. */
  text: string;
  span: Span;
  /** The span of the URL argument (for go-to-handler from the string). */
  urlSpan: Span;
}

const HTTP_CLIENTS = /^(axios|ky|api|http|client|request|ofetch|\$fetch|got|superagent)$/;
const QUICK_FILTER = /fetch\(|axios|useSWR|useQuery|ky[.(]|\$fetch|ofetch/;

/** False for a text that cannot call an endpoint: no fetch, axios, SWR... or no `/` at all. */
export function mayCallEndpoints(text: string): boolean {
  return QUICK_FILTER.test(text) && text.includes('/');
}

/**
 * Calls to endpoints in one module. Files that cannot contain any are skipped without parsing, and so
 * are files beyond the analysis's bounds (nested too deeply to parse, say): they have none.
 */
export function extractEndpointCalls(absPath: string, text: string): EndpointCall[] {
  if (!mayCallEndpoints(text)) return [];
  try {
    return endpointCallsIn(parseSource(absPath, text));
  } catch (error) {
    if (isLimitError(error)) return [];
    throw error;
  }
}

function endpointCallsIn(sourceFile: ts.SourceFile): EndpointCall[] {
  const calls: EndpointCall[] = [];
  // A stack instead of recursion: this reads every source file of the app, however deeply it nests.
  // Children are pushed in reverse, so that calls come off it in source order.
  const stack: ts.Node[] = [sourceFile];
  const push = (child: ts.Node): void => {
    stack.push(child);
  };
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isCallExpression(node)) {
      const call = endpointCallOf(node, sourceFile);
      if (call) calls.push(call);
    }
    const firstChild = stack.length;
    forEachChild(node, push);
    for (let i = firstChild, j = stack.length - 1; i < j; i++, j--) {
      const child = stack[i];
      stack[i] = stack[j];
      stack[j] = child;
    }
  }
  return calls;
}

function endpointCallOf(call: ts.CallExpression, sourceFile: ts.SourceFile): EndpointCall | undefined {
  const callee = unwrapExpression(call.expression);
  const urlArg = call.arguments[0];
  if (!urlArg) return undefined;
  let method: HttpMethod | undefined;
  if (isIdentifier(callee) && /^(fetch|useSWR|useSWRMutation|\$fetch|ofetch|ky)$/.test(callee.text)) {
    method = methodFromInit(call.arguments[1]) ?? 'GET';
  } else if (isPropertyAccessExpression(callee) && isIdentifier(callee.expression) && HTTP_CLIENTS.test(callee.expression.text)) {
    const name = callee.name.text.toUpperCase();
    method = (HTTP_METHODS as readonly string[]).includes(name) ? (name as HttpMethod) : name === 'REQUEST' ? methodFromInit(urlArg) : undefined;
  } else if (isIdentifier(callee) && callee.text === 'axios') {
    method = methodFromInit(call.arguments[1]) ?? 'GET';
  }
  if (!method) return undefined;
  const url = urlPartsOf(urlArg);
  if (!url) return undefined;
  return { method, segments: url.segments, text: url.text, span: spanOfNode(call, sourceFile), urlSpan: spanOfNode(urlArg, sourceFile) };
}

function methodFromInit(node: ts.Expression | undefined): HttpMethod | undefined {
  if (!node) return undefined;
  const expr = unwrapExpression(node);
  if (!isObjectLiteralExpression(expr)) return undefined;
  for (const property of expr.properties) {
    if (isPropertyAssignment(property) && propertyNameText(property.name) === 'method') {
      const value = unwrapExpression(property.initializer);
      if (isStringLiteralLike(value)) {
        const upper = value.text.toUpperCase();
        return (HTTP_METHODS as readonly string[]).includes(upper) ? (upper as HttpMethod) : undefined;
      }
    }
  }
  return undefined;
}

/** The path of a URL expression, with computed parts as `*`; undefined when it is not a path we can read. */
function urlPartsOf(node: ts.Expression): { segments: UrlPart[][]; text: string } | undefined {
  const pieces: Array<string | null> = [];
  // `'/a/' + b + c ...` is a tree as deep as the sum is long: its operands are taken from a stack,
  // leftmost first.
  const operands: ts.Expression[] = [node];
  while (operands.length > 0) {
    const expr = unwrapExpression(operands.pop()!);
    if (isStringLiteralLike(expr)) pieces.push(expr.text);
    else if (isTemplateExpression(expr)) {
      pieces.push(expr.head.text);
      for (const span of expr.templateSpans) {
        pieces.push(null);
        pieces.push(span.literal.text);
      }
    } else if (isBinaryExpression(expr) && expr.operatorToken.kind === SyntaxKind.PlusToken) operands.push(expr.right, expr.left);
    else pieces.push(null);
  }
  // The path starts at the first literal `/`; anything computed before it is an origin or base URL.
  const start = pieces.findIndex((p) => p !== null && p.includes('/'));
  if (start === -1) return undefined;
  const first = pieces[start] as string;
  const absolute = /^[a-z]+:\/\/[^/]*/i.exec(first);
  const head = absolute ? first.slice(absolute[0].length) : first.slice(first.indexOf('/'));
  if (start > 0 && !first.startsWith('/') && !absolute) return undefined;
  if (!head.startsWith('/')) return undefined;
  const rest = pieces.slice(start + 1);
  let text = head;
  const segments: UrlPart[][] = [];
  let current: UrlPart[] = [];
  const pushLiteral = (literal: string): boolean => {
    for (let i = 0; i < literal.length; i++) {
      const ch = literal[i];
      if (ch === '?' || ch === '#') return false;
      if (ch === '/') {
        if (current.length > 0) segments.push(current);
        current = [];
      } else {
        const last = current[current.length - 1];
        if (last && 'literal' in last) last.literal += ch;
        else current.push({ literal: ch });
      }
    }
    return true;
  };
  let open = pushLiteral(head);
  for (const piece of rest) {
    if (!open) break;
    if (piece === null) {
      current.push({ dynamic: true });
      text += '${…}';
    } else {
      text += piece;
      open = pushLiteral(piece);
    }
  }
  if (current.length > 0) segments.push(current);
  return { segments, text: text.split('?')[0] };
}

function segmentIsLiteral(segment: UrlPart[] | undefined, literal: string): boolean {
  return segment?.length === 1 && 'literal' in segment[0] && segment[0].literal === literal;
}

/**
 * `user-${id}` against `user-42`-style literals: the literal parts must appear in order, the first at the
 * start and the last at the end, and a computed part stands for any text without a line break (as `.*`
 * does). Taking each middle part where it first fits is exact for such patterns, and linear; a regular
 * expression of them backtracks exponentially in the number of computed parts.
 */
function segmentMatchesLiteral(segment: UrlPart[], literal: string): boolean {
  let first = 0;
  let end = segment.length;
  let from = 0;
  let to = literal.length;
  const head = segment[0];
  if ('literal' in head) {
    if (!literal.startsWith(head.literal)) return false;
    from = head.literal.length;
    first = 1;
  }
  if (first === end) return from === to;
  const tail = segment[end - 1];
  if ('literal' in tail) {
    if (!literal.endsWith(tail.literal) || to - tail.literal.length < from) return false;
    to -= tail.literal.length;
    end--;
  }
  for (let i = first; i < end; i++) {
    const part = segment[i];
    if (!('literal' in part)) continue;
    const at = literal.indexOf(part.literal, from);
    if (at === -1 || at + part.literal.length > to || hasLineBreak(literal, from, at)) return false;
    from = at + part.literal.length;
  }
  return !hasLineBreak(literal, from, to);
}

function hasLineBreak(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || code === 13 || code === 0x2028 || code === 0x2029) return true;
  }
  return false;
}

/** The route a call reaches: the best-fitting route that exports the call's method (the first of equals). */
export function bestRoute(call: EndpointCall, routes: readonly Route[], basePath: string): Route | undefined {
  let segments = call.segments;
  const base = basePath.split('/').filter(Boolean);
  if (base.length > 0 && base.every((b, i) => segmentIsLiteral(segments[i], b))) segments = segments.slice(base.length);
  let best: { route: Route; rank: number[]; index: number } | undefined;
  matcherOf(routes).match(segments, (entry, rank) => {
    if (!entry.route.methods.some((m) => m.name === call.method)) return;
    const order = best ? compareRank(rank, best.rank) : -1;
    if (order < 0 || (order === 0 && entry.index < best!.index)) best = { route: entry.route, rank, index: entry.index };
  });
  return best?.route;
}

interface MatcherEntry {
  route: Route;
  /** Position in the routes array: the first of equally good routes wins. */
  index: number;
}

/**
 * The route handlers of an app as a tree of URL segments, so that a call is matched against the routes
 * its path can reach instead of all of them (at 10,000 routes, matching every call of the app's code
 * against every route took half a minute). How well a call fits a route is a rank, compared
 * lexicographically (lower is better), one entry per segment: 0 for a literal on a static segment or a
 * computed part on a dynamic one, 1 for a literal on a dynamic segment, 2 for a computed part on a static
 * one; a catch-all ends the rank with 3, an optional catch-all with 4.
 */
class RouteMatcher {
  private readonly ending: MatcherEntry[] = [];
  private readonly statics = new Map<string, RouteMatcher>();
  private readonly dynamics = new Map<string, RouteMatcher>();
  private readonly catchAlls: MatcherEntry[] = [];
  private readonly optionalCatchAlls: MatcherEntry[] = [];

  add(entry: MatcherEntry, pattern: readonly string[], depth = 0): void {
    if (depth === pattern.length) {
      this.ending.push(entry);
      return;
    }
    const part = pattern[depth];
    if (part.startsWith('[[...')) this.optionalCatchAlls.push(entry);
    else if (part.startsWith('[...')) this.catchAlls.push(entry);
    else {
      const children = /^\[.+\]$/.test(part) ? this.dynamics : this.statics;
      let child = children.get(part);
      if (!child) children.set(part, (child = new RouteMatcher()));
      child.add(entry, pattern, depth + 1);
    }
  }

  /** Calls `found` with every route the segments reach, and its rank. */
  match(segments: readonly UrlPart[][], found: (entry: MatcherEntry, rank: number[]) => void, depth = 0, rank: number[] = []): void {
    for (const entry of this.optionalCatchAlls) found(entry, [...rank, 4]);
    if (depth === segments.length) {
      for (const entry of this.ending) found(entry, rank);
      return;
    }
    for (const entry of this.catchAlls) found(entry, [...rank, 3]);
    const segment = segments[depth];
    const computed = segment.length === 1 && 'dynamic' in segment[0];
    for (const child of this.dynamics.values()) child.match(segments, found, depth + 1, [...rank, computed ? 0 : 1]);
    if (computed) {
      for (const child of this.statics.values()) child.match(segments, found, depth + 1, [...rank, 2]);
    } else if (segment.length === 1) {
      this.statics.get((segment[0] as { literal: string }).literal)?.match(segments, found, depth + 1, [...rank, 0]);
    } else {
      for (const [part, child] of this.statics) if (segmentMatchesLiteral(segment, part)) child.match(segments, found, depth + 1, [...rank, 0]);
    }
  }
}

const matchers = new WeakMap<readonly Route[], RouteMatcher>();

/** The matcher of a routes array, built once per array (a manifest's routes do not change). */
function matcherOf(routes: readonly Route[]): RouteMatcher {
  let matcher = matchers.get(routes);
  if (!matcher) {
    matcher = new RouteMatcher();
    for (const [index, route] of routes.entries()) {
      if (route.kind === 'route') matcher.add({ route, index }, route.url.split('/').filter(Boolean));
    }
    matchers.set(routes, matcher);
  }
  return matcher;
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? -1;
    const y = b[i] ?? -1;
    if (x !== y) return x - y;
  }
  return 0;
}
