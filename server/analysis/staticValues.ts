import { ts } from 'ts-morph';
import type { StaticValue } from './model';
import { spanOfNode } from './spans';

export type Literal = string | number | boolean | null | Literal[] | { [key: string]: Literal };

/** Strips the TypeScript-only wrappers that do not change a value: parentheses, `as`, `satisfies`, `!`. */
export function unwrapExpression(node: ts.Expression): ts.Expression {
  let current = node;
  for (;;) {
    switch (current.kind) {
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
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
    case ts.SyntaxKind.PrefixUnaryExpression:
    case ts.SyntaxKind.TypeOfExpression:
    case ts.SyntaxKind.VoidExpression:
      return 'UnaryExpression';
    case ts.SyntaxKind.PropertyAccessExpression:
    case ts.SyntaxKind.ElementAccessExpression:
      return 'MemberExpression';
    case ts.SyntaxKind.TemplateExpression:
      return 'TemplateLiteral';
    case ts.SyntaxKind.ArrowFunction:
      return 'ArrowFunctionExpression';
    case ts.SyntaxKind.RegularExpressionLiteral:
      return 'RegExpLiteral';
    default:
      return ts.SyntaxKind[node.kind];
  }
}

/**
 * Reads an expression the way Next.js's static segment-config extraction does: literals, arrays and
 * objects of literals. Anything else is unknown, with Next's own wording for why.
 */
export function readStaticValue(node: ts.Expression, sourceFile: ts.SourceFile): StaticValue<Literal> {
  const expr = unwrapExpression(node);
  const span = spanOfNode(expr, sourceFile);
  const unknown = (reason: string): StaticValue<Literal> => ({ known: false, reason, text: expr.getText(sourceFile), span });
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return { known: true, value: expr.text, span };
  if (ts.isNumericLiteral(expr)) return { known: true, value: Number(expr.text), span };
  if (expr.kind === ts.SyntaxKind.TrueKeyword) return { known: true, value: true, span };
  if (expr.kind === ts.SyntaxKind.FalseKeyword) return { known: true, value: false, span };
  if (expr.kind === ts.SyntaxKind.NullKeyword) return { known: true, value: null, span };
  if (ts.isIdentifier(expr)) {
    if (expr.text === 'undefined') return unknown('the value is undefined');
    return unknown(`Unknown identifier "${expr.text}"`);
  }
  if (ts.isArrayLiteralExpression(expr)) {
    const values: Literal[] = [];
    for (const element of expr.elements) {
      if (ts.isSpreadElement(element) || ts.isOmittedExpression(element)) return unknown(`Unsupported spread in array`);
      const item = readStaticValue(element, sourceFile);
      if (!item.known) return { ...item, span: item.span ?? span };
      values.push(item.value);
    }
    return { known: true, value: values, span };
  }
  if (ts.isObjectLiteralExpression(expr)) {
    const value: { [key: string]: Literal } = {};
    for (const property of expr.properties) {
      if (!ts.isPropertyAssignment(property)) return unknown(`Unsupported object member "${ts.SyntaxKind[property.kind]}"`);
      const key = propertyNameText(property.name);
      if (key === undefined) return unknown('Unsupported computed property name');
      const item = readStaticValue(property.initializer, sourceFile);
      if (!item.known) return item;
      value[key] = item.value;
    }
    return { known: true, value, span };
  }
  return unknown(`Unsupported node type "${estreeName(expr)}"`);
}

export function propertyNameText(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) {
    return name.text;
  }
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

/** Folds simple constant arithmetic (`60 * 2`), which Next.js 14 applies at run time. */
export function foldNumber(node: ts.Expression, constants: ReadonlyMap<string, ts.Expression>, depth = 0): number | undefined {
  if (depth > 8) return undefined;
  const expr = unwrapExpression(node);
  if (ts.isNumericLiteral(expr)) return Number(expr.text);
  if (ts.isPrefixUnaryExpression(expr) && expr.operator === ts.SyntaxKind.MinusToken) {
    const inner = foldNumber(expr.operand, constants, depth + 1);
    return inner === undefined ? undefined : -inner;
  }
  if (ts.isIdentifier(expr)) {
    const target = constants.get(expr.text);
    return target ? foldNumber(target, constants, depth + 1) : undefined;
  }
  if (ts.isBinaryExpression(expr)) {
    const left = foldNumber(expr.left, constants, depth + 1);
    const right = foldNumber(expr.right, constants, depth + 1);
    if (left === undefined || right === undefined) return undefined;
    switch (expr.operatorToken.kind) {
      case ts.SyntaxKind.PlusToken:
        return left + right;
      case ts.SyntaxKind.MinusToken:
        return left - right;
      case ts.SyntaxKind.AsteriskToken:
        return left * right;
      case ts.SyntaxKind.SlashToken:
        return left / right;
      default:
        return undefined;
    }
  }
  return undefined;
}
