// What the OpenAPI generator reads in a handler's own code beyond the manifest: where the handler is, its
// local constants, the expression of the schema that validates its body, and the literal JSON it answers.
import type { ts } from 'ts-morph';
import {
  forEachChild,
  isArrayLiteralExpression,
  isAwaitExpression,
  isCallExpression,
  isIdentifier,
  isNewExpression,
  isNumericLiteral,
  isObjectLiteralExpression,
  isPrefixUnaryExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isShorthandPropertyAssignment,
  isSpreadAssignment,
  isStringLiteralLike,
  isVariableDeclaration,
  SyntaxKind,
} from '../analysis/typescriptBindings';
import { checkDepth } from '../analysis/limits';
import type { Span } from '../analysis/model';
import { propertyNameText, unwrapExpression } from '../analysis/staticValues';
import { anyOf, constSchema, type JsonSchema, objectOf } from './jsonSchema';
import { MAX_SCHEMA_DEPTH } from './schemaConverter';

/** The function at a span (as the manifest gives a handler's `definition`), or undefined. */
export function functionAt(sourceFile: ts.SourceFile, span: Span): ts.Node | undefined {
  const lineStarts = sourceFile.getLineStarts();
  if (span.line < 1 || span.line > lineStarts.length) return undefined;
  const start = lineStarts[span.line - 1] + span.column - 1;
  let found: ts.Node | undefined;
  const visit = (node: ts.Node, depth: number): void => {
    if (found) return;
    checkDepth(depth);
    if (node.getStart(sourceFile) === start && isFunctionLike(node)) {
      found = node;
      return;
    }
    if (node.pos <= start && start < node.end) forEachChild(node, (child) => visit(child, depth + 1));
  };
  forEachChild(sourceFile, (child) => visit(child, 1));
  return found;
}

function isFunctionLike(node: ts.Node): boolean {
  return (
    node.kind === SyntaxKind.ArrowFunction ||
    node.kind === SyntaxKind.FunctionExpression ||
    node.kind === SyntaxKind.FunctionDeclaration ||
    node.kind === SyntaxKind.MethodDeclaration
  );
}

/** Every node below `root` in source order, each with its depth, bounded like every walk of the analysis. */
function walk(root: ts.Node, visit: (node: ts.Node) => void): void {
  const step = (node: ts.Node, depth: number): void => {
    checkDepth(depth);
    visit(node);
    forEachChild(node, (child) => step(child, depth + 1));
  };
  forEachChild(root, (child) => step(child, 1));
}

/** `const name = <initializer>` anywhere in the handler: the names its schema may use. The first one wins. */
export function handlerLocals(fn: ts.Node): Map<string, ts.Expression> {
  const locals = new Map<string, ts.Expression>();
  walk(fn, (node) => {
    if (isVariableDeclaration(node) && isIdentifier(node.name) && node.initializer && !locals.has(node.name.text)) locals.set(node.name.text, node.initializer);
  });
  return locals;
}

const VALIDATING_METHODS = new Set(['parse', 'safeParse', 'parseAsync', 'safeParseAsync', 'validate', 'validateSync']);

/**
 * The schema expression behind the manifest's `body.schema`: the receiver of the first
 * `schema.parse(...)` (and friends) in the handler whose text is that name, or starts like the text the
 * manifest keeps (its first 60 characters).
 */
export function bodySchemaExpression(fn: ts.Node, sourceFile: ts.SourceFile, schemaText: string): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  walk(fn, (node) => {
    if (found || !isCallExpression(node)) return;
    const callee = unwrapExpression(node.expression);
    if (!isPropertyAccessExpression(callee) || !VALIDATING_METHODS.has(callee.name.text)) return;
    const receiver = unwrapExpression(callee.expression);
    // The first 60 characters of its text, as the manifest keeps them, without copying a long schema whole.
    const start = receiver.getStart(sourceFile);
    const text = isIdentifier(receiver) ? receiver.text : sourceFile.text.slice(start, Math.min(receiver.end, start + 60));
    if (text === schemaText) found = receiver;
  });
  return found;
}

/**
 * Calls of a library's own parse function on the request body: `v.parse(Schema, await req.json())`,
 * `safeParse(Schema, body)`, zod 4's `z.parse(Schema, body)`. The manifest names a schema only for the
 * method form (`Schema.parse(body)`); valibot has only this one. `isLibraryParse` tells whether a callee
 * is such a function.
 */
export function functionalParseSchema(fn: ts.Node, locals: ReadonlyMap<string, ts.Expression>, isLibraryParse: (callee: ts.Expression) => boolean): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  walk(fn, (node) => {
    if (found || !isCallExpression(node) || node.arguments.length < 2) return;
    if (!isLibraryParse(unwrapExpression(node.expression))) return;
    if (isBodyRead(node.arguments[1], locals)) found = node.arguments[0];
  });
  return found;
}

/** `await request.json()`, or a local constant that holds it. */
function isBodyRead(expression: ts.Expression, locals: ReadonlyMap<string, ts.Expression>, hops = 0): boolean {
  let expr = unwrapExpression(expression);
  if (isIdentifier(expr)) {
    const init = locals.get(expr.text);
    return init !== undefined && hops < 4 && isBodyRead(init, locals, hops + 1);
  }
  if (isAwaitExpression(expr)) expr = unwrapExpression(expr.expression);
  return isCallExpression(expr) && isPropertyAccessExpression(expr.expression) && expr.expression.name.text === 'json';
}

/** A response the handler answers with: its status (`default` when computed) and what its body is. */
export interface ResponseShape {
  status: number | 'default';
  /** `application/json` for `Response.json(...)`, or the literal `content-type` header of `new Response(...)`. */
  contentType?: string;
  /** The body's schema: a literal's shape, or open when the value is computed. */
  schema?: JsonSchema;
}

/** The responses of `NextResponse.json(...)`, `Response.json(...)` and `new Response(...)` in the handler. */
export function responseShapes(fn: ts.Node): ResponseShape[] {
  const shapes: ResponseShape[] = [];
  walk(fn, (node) => {
    if (isCallExpression(node)) {
      const callee = unwrapExpression(node.expression);
      if (!isPropertyAccessExpression(callee) || callee.name.text !== 'json' || !isResponseClass(callee.expression)) return;
      shapes.push({ status: statusOf(node.arguments[1], 200), contentType: 'application/json', schema: node.arguments[0] ? literalShape(node.arguments[0], 0) : {} });
    } else if (isNewExpression(node) && isResponseClass(node.expression)) {
      const [body, init] = node.arguments ?? [];
      const status = statusOf(init, 200);
      const bodyExpr = body ? unwrapExpression(body) : undefined;
      if (!bodyExpr || bodyExpr.kind === SyntaxKind.NullKeyword || (isIdentifier(bodyExpr) && bodyExpr.text === 'undefined')) {
        shapes.push({ status });
        return;
      }
      const stringified = jsonStringifyArgument(bodyExpr);
      if (stringified) shapes.push({ status, contentType: 'application/json', schema: literalShape(stringified, 0) });
      else {
        const contentType = contentTypeOf(init);
        shapes.push(contentType ? { status, contentType, schema: isStringLiteralLike(bodyExpr) || bodyExpr.kind === SyntaxKind.TemplateExpression ? { type: 'string' } : {} } : { status });
      }
    }
  });
  return shapes;
}

function isResponseClass(expression: ts.Expression): boolean {
  const expr = unwrapExpression(expression);
  return isIdentifier(expr) && (expr.text === 'Response' || expr.text === 'NextResponse');
}

function jsonStringifyArgument(expr: ts.Expression): ts.Expression | undefined {
  if (!isCallExpression(expr)) return undefined;
  const callee = unwrapExpression(expr.expression);
  if (!isPropertyAccessExpression(callee) || callee.name.text !== 'stringify') return undefined;
  const receiver = unwrapExpression(callee.expression);
  return isIdentifier(receiver) && receiver.text === 'JSON' ? expr.arguments[0] : undefined;
}

/** The status a ResponseInit gives: the default without one, the literal `status`, `default` when computed. */
function statusOf(init: ts.Expression | undefined, fallback: number): number | 'default' {
  if (!init) return fallback;
  const expr = unwrapExpression(init);
  if (!isObjectLiteralExpression(expr)) return 'default';
  for (const property of expr.properties) {
    if (isSpreadAssignment(property)) return 'default';
    const name = property.name ? propertyNameText(property.name) : undefined;
    if (name !== 'status') continue;
    if (!isPropertyAssignment(property)) return 'default';
    const value = unwrapExpression(property.initializer);
    return isNumericLiteral(value) && Number(value.text) >= 100 && Number(value.text) <= 599 ? Number(value.text) : 'default';
  }
  return fallback;
}

/** The literal `content-type` of a ResponseInit's `headers` object. */
function contentTypeOf(init: ts.Expression | undefined): string | undefined {
  const expr = init ? unwrapExpression(init) : undefined;
  if (!expr || !isObjectLiteralExpression(expr)) return undefined;
  for (const property of expr.properties) {
    if (!isPropertyAssignment(property) || property.name === undefined || propertyNameText(property.name) !== 'headers') continue;
    const headers = unwrapExpression(property.initializer);
    if (!isObjectLiteralExpression(headers)) return undefined;
    for (const header of headers.properties) {
      if (!isPropertyAssignment(header)) continue;
      const name = propertyNameText(header.name);
      const value = unwrapExpression(header.initializer);
      if (name?.toLowerCase() === 'content-type' && isStringLiteralLike(value)) return value.text.split(';')[0].trim() || undefined;
    }
  }
  return undefined;
}

/**
 * The shape of a value written in place: an object literal's property names with the shapes of their
 * values, literals as constants, arrays by their items; anything computed is open (`{}`). Properties
 * whose value is written in place are required; a computed one may be undefined, which JSON leaves out.
 */
export function literalShape(expression: ts.Expression, depth: number): JsonSchema {
  if (depth > MAX_SCHEMA_DEPTH) return {};
  const expr = unwrapExpression(expression);
  if (isStringLiteralLike(expr)) return constSchema(expr.text);
  if (expr.kind === SyntaxKind.TemplateExpression) return { type: 'string' };
  if (isNumericLiteral(expr)) return constSchema(Number(expr.text));
  if (isPrefixUnaryExpression(expr) && expr.operator === SyntaxKind.MinusToken && isNumericLiteral(expr.operand)) return constSchema(-Number(expr.operand.text));
  if (expr.kind === SyntaxKind.TrueKeyword) return constSchema(true);
  if (expr.kind === SyntaxKind.FalseKeyword) return constSchema(false);
  if (expr.kind === SyntaxKind.NullKeyword) return { type: 'null' };
  if (isArrayLiteralExpression(expr)) {
    if (expr.elements.length === 0) return { type: 'array' };
    const items = expr.elements.slice(0, 100).map((element) => (element.kind === SyntaxKind.SpreadElement ? {} : literalShape(element, depth + 1)));
    return { type: 'array', items: items.some((item) => Object.keys(item).length === 0) ? {} : anyOf(items) };
  }
  if (isObjectLiteralExpression(expr)) {
    const properties = new Map<string, JsonSchema>();
    for (const property of expr.properties.slice(0, 1000)) {
      if (isPropertyAssignment(property)) {
        const key = propertyNameText(property.name);
        if (key !== undefined) properties.set(key, literalShape(property.initializer, depth + 1));
      } else if (isShorthandPropertyAssignment(property)) {
        properties.set(property.name.text, {});
      }
    }
    const schema: JsonSchema = { type: 'object', properties: objectOf(properties) };
    const required = [...properties].filter(([, shape]) => Object.keys(shape).length > 0).map(([key]) => key);
    if (required.length > 0) schema.required = required;
    return schema;
  }
  return {};
}
