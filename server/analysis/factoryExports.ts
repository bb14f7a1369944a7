import type { ts } from 'ts-morph';
import type { FunctionNode } from './handlerInfo';
import { isFunctionNode } from './handlerInfo';
import type { HandlerSite, LocalBinding } from './moduleSummary';
import { type Literal, propertyNameText, readStaticValue, unwrapExpression } from './staticValues';
import {
  forEachChild,
  isBlock,
  isCallExpression,
  isIdentifier,
  isMethodDeclaration,
  isObjectBindingPattern,
  isObjectLiteralExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isReturnStatement,
  isShorthandPropertyAssignment,
} from './typescriptBindings';

/** Object literals read from one factory; a longer one is left alone. */
const MAX_PROPERTIES = 256;

/**
 * `export const { GET, POST, revalidate } = createRoute({ revalidate: 60 })`, where `createRoute` is a function
 * of the same module that returns an object literal: each destructured name is bound to what that literal
 * holds under its key, as far as syntax tells it: a function (a handler), a literal, or a property of an
 * object-literal argument read through the factory's parameter (`options.revalidate`, `({ revalidate }) => …`).
 * Anything else stays `destructured`. Builds showed Next.js using such values at run time.
 */
export function bindFactoryResults(
  pattern: ts.BindingName,
  initializer: ts.Expression,
  locals: Map<string, LocalBinding>,
  sourceFile: ts.SourceFile,
  site: (fn: FunctionNode) => HandlerSite,
  nodeOf: (handler: HandlerSite) => FunctionNode | undefined,
): void {
  if (!isObjectBindingPattern(pattern)) return;
  const call = unwrapExpression(initializer);
  if (!isCallExpression(call) || !isIdentifier(call.expression)) return;
  const factory = locals.get(call.expression.text);
  const fn = factory?.type === 'function' ? nodeOf(factory.handler) : undefined;
  const returned = fn && returnedObject(fn);
  if (!fn || !returned || returned.properties.length > MAX_PROPERTIES) return;
  for (const element of pattern.elements) {
    if (element.dotDotDotToken || !isIdentifier(element.name)) continue;
    const key = element.propertyName ? propertyNameText(element.propertyName) : element.name.text;
    const local = locals.get(element.name.text);
    if (key === undefined || local?.type !== 'destructured') continue;
    const property = returned.properties.find((p) => p.name !== undefined && propertyNameText(p.name) === key);
    if (!property) continue;
    if (isMethodDeclaration(property)) {
      locals.set(element.name.text, { type: 'function', nameSpan: local.nameSpan, handler: site(property), declaredAs: 'const' });
      continue;
    }
    const value = isPropertyAssignment(property) ? unwrapExpression(property.initializer) : isShorthandPropertyAssignment(property) ? property.name : undefined;
    if (!value) continue;
    if (isFunctionNode(value)) {
      locals.set(element.name.text, { type: 'function', nameSpan: local.nameSpan, handler: site(value), declaredAs: 'const' });
      continue;
    }
    const literal = literalOf(value, fn, call, sourceFile);
    if (literal !== undefined) locals.set(element.name.text, { type: 'value', nameSpan: local.nameSpan, value: { known: true, value: literal, destructured: true } });
  }
}

/** The object literal a function returns: its expression body, or its one top-level `return`. */
function returnedObject(fn: FunctionNode): ts.ObjectLiteralExpression | undefined {
  const body = fn.body;
  if (!body) return undefined;
  if (!isBlock(body)) {
    const expr = unwrapExpression(body as ts.Expression);
    return isObjectLiteralExpression(expr) ? expr : undefined;
  }
  const statements = body.statements;
  const last = statements[statements.length - 1];
  if (!last || !isReturnStatement(last) || !last.expression) return undefined;
  // Another return (in an `if`, a loop) would make the literal one of several possible results.
  if (statements.slice(0, -1).some((statement) => mayReturn(statement))) return undefined;
  const expr = unwrapExpression(last.expression);
  return isObjectLiteralExpression(expr) ? expr : undefined;
}

/** Nodes a factory's body may hold before its return; a longer body is not followed. */
const MAX_BODY_NODES = 5000;

/** Whether a statement holds a `return` of the function it is in (nested functions aside), or is too large to tell. */
function mayReturn(statement: ts.Statement): boolean {
  const stack: ts.Node[] = [statement];
  let visited = 0;
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (++visited > MAX_BODY_NODES || isReturnStatement(node)) return true;
    if (isFunctionNode(node)) continue;
    forEachChild(node, (child) => {
      stack.push(child);
    });
  }
  return false;
}

/** A literal, or a parameter's property whose argument at the call is an object literal holding a literal. */
function literalOf(value: ts.Expression, fn: FunctionNode, call: ts.CallExpression, sourceFile: ts.SourceFile): Literal | undefined {
  const direct = readStaticValue(value, sourceFile);
  if (direct.known) return direct.value;
  let index = -1;
  let key: string | undefined;
  if (isPropertyAccessExpression(value) && isIdentifier(value.expression)) {
    const name = value.expression.text;
    index = fn.parameters.findIndex((p) => isIdentifier(p.name) && p.name.text === name);
    key = value.name.text;
  } else if (isIdentifier(value)) {
    // `({ revalidate }) => ({ revalidate })`: a name destructured from a parameter.
    index = fn.parameters.findIndex(
      (p) => isObjectBindingPattern(p.name) && p.name.elements.some((e) => !e.propertyName && !e.dotDotDotToken && isIdentifier(e.name) && e.name.text === value.text),
    );
    key = value.text;
  }
  const argument = index >= 0 ? call.arguments[index] : undefined;
  const object = argument && unwrapExpression(argument);
  if (!object || !isObjectLiteralExpression(object)) return undefined;
  const property = object.properties.find((p) => p.name !== undefined && propertyNameText(p.name) === key);
  if (!property || !isPropertyAssignment(property)) return undefined;
  const read = readStaticValue(property.initializer, sourceFile);
  return read.known ? read.value : undefined;
}
