import type { ts } from 'ts-morph';
import {
  isArrayLiteralExpression,
  isBinaryExpression,
  isComputedPropertyName,
  isIdentifier,
  isNoSubstitutionTemplateLiteral,
  isNumericLiteral,
  isObjectLiteralExpression,
  isOmittedExpression,
  isPrefixUnaryExpression,
  isPrivateIdentifier,
  isPropertyAssignment,
  isSpreadElement,
  isStringLiteral,
  isStringLiteralLike,
  SyntaxKind,
} from './typescriptBindings';
import { checkDepth } from './limits';
import type { StaticValue } from './model';
import { spanOfNode } from './spans';

export type Literal = string | number | boolean | null | Literal[] | { [key: string]: Literal };

/**
 * Strips the TypeScript-only wrappers that do not change a value: parentheses, `as`, `satisfies`, `!`.
 * The parser builds `x as T as T ...` and `x!!!...` in a loop, however long; walks call this on most
 * nodes they visit, so the chain counts as nesting and is bounded like it.
 */
export function unwrapExpression(node: ts.Expression): ts.Expression {
  let current = node;
  let depth = 0;
  for (;;) {
    switch (current.kind) {
      case SyntaxKind.ParenthesizedExpression:
      case SyntaxKind.AsExpression:
      case SyntaxKind.NonNullExpression:
      case SyntaxKind.SatisfiesExpression:
      case SyntaxKind.TypeAssertionExpression:
        checkDepth(++depth);
        current = (current as ts.ParenthesizedExpression | ts.AsExpression | ts.NonNullExpression | ts.SatisfiesExpression | ts.TypeAssertion).expression;
        break;
      default:
        return current;
    }
  }
}

/** Node kinds named as Next.js names them in its "Unsupported node type" message (SWC/ESTree names). */
function estreeName(node: ts.Node): string {
  switch (node.kind) {
    case SyntaxKind.PrefixUnaryExpression:
    case SyntaxKind.TypeOfExpression:
    case SyntaxKind.VoidExpression:
      return 'UnaryExpression';
    case SyntaxKind.PropertyAccessExpression:
    case SyntaxKind.ElementAccessExpression:
      return 'MemberExpression';
    case SyntaxKind.TemplateExpression:
      return 'TemplateLiteral';
    case SyntaxKind.ArrowFunction:
      return 'ArrowFunctionExpression';
    case SyntaxKind.RegularExpressionLiteral:
      return 'RegExpLiteral';
    default:
      return SyntaxKind[node.kind];
  }
}

/**
 * Reads an expression the way Next.js's static segment-config extraction does: literals, arrays and
 * objects of literals. Anything else is unknown, with Next's own wording for why.
 */
export function readStaticValue(node: ts.Expression, sourceFile: ts.SourceFile, depth = 0): StaticValue<Literal> {
  checkDepth(depth);
  const expr = unwrapExpression(node);
  const span = spanOfNode(expr, sourceFile);
  const unknown = (reason: string): StaticValue<Literal> => ({ known: false, reason, text: expr.getText(sourceFile), span });
  if (isStringLiteral(expr) || isNoSubstitutionTemplateLiteral(expr)) return { known: true, value: expr.text, span };
  if (isNumericLiteral(expr)) return { known: true, value: Number(expr.text), span };
  if (expr.kind === SyntaxKind.TrueKeyword) return { known: true, value: true, span };
  if (expr.kind === SyntaxKind.FalseKeyword) return { known: true, value: false, span };
  if (expr.kind === SyntaxKind.NullKeyword) return { known: true, value: null, span };
  if (isIdentifier(expr)) {
    if (expr.text === 'undefined') return unknown('the value is undefined');
    return unknown(`Unknown identifier "${expr.text}"`);
  }
  if (isArrayLiteralExpression(expr)) {
    const values: Literal[] = [];
    for (const element of expr.elements) {
      if (isSpreadElement(element) || isOmittedExpression(element)) return unknown(`Unsupported spread in array`);
      const item = readStaticValue(element, sourceFile, depth + 1);
      if (!item.known) return { ...item, span: item.span ?? span };
      values.push(item.value);
    }
    return { known: true, value: values, span };
  }
  if (isObjectLiteralExpression(expr)) {
    const value: { [key: string]: Literal } = {};
    for (const property of expr.properties) {
      if (!isPropertyAssignment(property)) return unknown(`Unsupported object member "${SyntaxKind[property.kind]}"`);
      const key = propertyNameText(property.name);
      if (key === undefined) return unknown('Unsupported computed property name');
      const item = readStaticValue(property.initializer, sourceFile, depth + 1);
      if (!item.known) return item;
      value[key] = item.value;
    }
    return { known: true, value, span };
  }
  return unknown(`Unsupported node type "${estreeName(expr)}"`);
}

export function propertyNameText(name: ts.PropertyName): string | undefined {
  if (isIdentifier(name) || isStringLiteral(name) || isNumericLiteral(name) || isPrivateIdentifier(name)) {
    return name.text;
  }
  if (isComputedPropertyName(name) && isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

/** Module constants by name, for folding. */
export interface ConstantLookup {
  get(name: string): ts.Expression | undefined;
}

/** Folds simple constant arithmetic (`60 * 2`), which Next.js 14 applies at run time. */
export function foldNumber(node: ts.Expression, constants: ConstantLookup, depth = 0): number | undefined {
  if (depth > 8) return undefined;
  const expr = unwrapExpression(node);
  if (isNumericLiteral(expr)) return Number(expr.text);
  if (isPrefixUnaryExpression(expr) && expr.operator === SyntaxKind.MinusToken) {
    const inner = foldNumber(expr.operand, constants, depth + 1);
    return inner === undefined ? undefined : -inner;
  }
  if (isIdentifier(expr)) {
    const target = constants.get(expr.text);
    return target ? foldNumber(target, constants, depth + 1) : undefined;
  }
  if (isBinaryExpression(expr)) {
    const left = foldNumber(expr.left, constants, depth + 1);
    const right = foldNumber(expr.right, constants, depth + 1);
    if (left === undefined || right === undefined) return undefined;
    switch (expr.operatorToken.kind) {
      case SyntaxKind.PlusToken:
        return left + right;
      case SyntaxKind.MinusToken:
        return left - right;
      case SyntaxKind.AsteriskToken:
        return left * right;
      case SyntaxKind.SlashToken:
        return left / right;
      default:
        return undefined;
    }
  }
  return undefined;
}
