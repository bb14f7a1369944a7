import type { ts } from 'ts-morph';
import {
  isArrowFunction,
  isAwaitExpression,
  isCallExpression,
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
import { propertyNameText, unwrapExpression } from './staticValues';

export type FunctionNode = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

export function isFunctionNode(node: ts.Node): node is ts.FunctionExpression | ts.ArrowFunction {
  return isFunctionExpression(node) || isArrowFunction(node);
}

/** Field names of module-level validation schemas: `const Body = z.object({ name: ..., email: ... })`. */
export function collectSchemas(sourceFile: ts.SourceFile): Map<string, string[]> {
  const schemas = new Map<string, string[]>();
  for (const statement of sourceFile.statements) {
    if (!isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!isIdentifier(declaration.name) || !declaration.initializer) continue;
      const fields = schemaFields(declaration.initializer, schemas);
      if (fields) schemas.set(declaration.name.text, fields);
    }
  }
  return schemas;
}

/**
 * How many fields one schema lists at most. `const B = A.extend({...})` copies A's fields, so a file of
 * schemas each extending the one before would otherwise hold fields quadratic in its length.
 */
export const MAX_SCHEMA_FIELDS = 256;

/** Keys of `z.object({...})` (also `.strict()`, `.extend({...})`, valibot/yup `object({...})`). */
export function schemaFields(node: ts.Expression, known: ReadonlyMap<string, string[]>, depth = 0): string[] | undefined {
  checkDepth(depth);
  const expr = unwrapExpression(node);
  if (isIdentifier(expr)) return known.get(expr.text);
  if (!isCallExpression(expr)) return undefined;
  const callee = expr.expression;
  const calleeName = isPropertyAccessExpression(callee) ? callee.name.text : isIdentifier(callee) ? callee.text : '';
  const firstObject = expr.arguments[0] && isObjectLiteralExpression(expr.arguments[0]) ? expr.arguments[0] : undefined;
  if (/^(object|strictObject|looseObject)$/.test(calleeName) && firstObject) return objectKeys(firstObject).slice(0, MAX_SCHEMA_FIELDS);
  if (isPropertyAccessExpression(callee)) {
    const base = schemaFields(callee.expression, known, depth + 1);
    if (!base) return undefined;
    if ((calleeName === 'extend' || calleeName === 'merge') && firstObject) return [...base, ...objectKeys(firstObject)].slice(0, MAX_SCHEMA_FIELDS);
    return base;
  }
  return undefined;
}

function objectKeys(literal: ts.ObjectLiteralExpression): string[] {
  const keys: string[] = [];
  for (const property of literal.properties) {
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

/**
 * What a handler reads from its request and what it answers, as far as the code says so literally:
 * query names, JSON body fields (from destructuring, property reads, or a validating schema), headers
 * read by name, and status codes. The walk is someone else's (the effects walk of the module summary
 * visits each handler once for both): `visit` must see the nodes of the function body in source order,
 * each with its parent; `finish` gives the result.
 */
export function requestInfoCollector(fn: FunctionNode, sourceFile: ts.SourceFile, schemas: ReadonlyMap<string, string[]>): { visit(node: ts.Node, parent: ts.Node): void; finish(): HandlerRequestInfo } {
  const query = new Set<string>();
  const headerNames = new Set<string>();
  const statuses = new Set<number>();
  const fields: string[] = [];
  // A set beside the list: a body destructured into thousands of names would make `includes` quadratic.
  const fieldSet = new Set<string>();
  const addField = (name: string) => {
    if (fieldSet.has(name)) return;
    fieldSet.add(name);
    fields.push(name);
  };
  const addStatus = (status: number | undefined) => {
    if (status !== undefined) statuses.add(status);
  };
  let bodyKind: 'json' | 'formData' | 'text' | undefined;
  let schema: string | undefined;

  const requestNames = new Set<string>();
  const firstParam = fn.parameters[0];
  if (firstParam) {
    if (isIdentifier(firstParam.name)) requestNames.add(firstParam.name.text);
  }
  const searchParamNames = new Set<string>(['searchParams']);
  const headerStoreNames = new Set<string>();
  const bodyNames = new Set<string>();
  const formNames = new Set<string>();

  const isRequest = (node: ts.Expression, depth = 0): boolean => {
    checkDepth(depth);
    const expr = unwrapExpression(node);
    if (isIdentifier(expr)) return requestNames.has(expr.text);
    // req.clone().json()
    if (isCallExpression(expr) && isPropertyAccessExpression(expr.expression) && expr.expression.name.text === 'clone') {
      return isRequest(expr.expression.expression, depth + 1);
    }
    return false;
  };
  const endsWithProperty = (node: ts.Expression, name: string): boolean => {
    const expr = unwrapExpression(node);
    return isPropertyAccessExpression(expr) && expr.name.text === name;
  };
  const isSearchParams = (node: ts.Expression): boolean => {
    const expr = unwrapExpression(node);
    if (isIdentifier(expr)) return searchParamNames.has(expr.text);
    return endsWithProperty(expr, 'searchParams');
  };
  const isHeaderStore = (node: ts.Expression, depth = 0): boolean => {
    checkDepth(depth);
    const expr = unwrapExpression(node);
    if (isIdentifier(expr)) return headerStoreNames.has(expr.text);
    if (isAwaitExpression(expr)) return isHeaderStore(expr.expression, depth + 1);
    if (isCallExpression(expr) && isIdentifier(expr.expression) && expr.expression.text === 'headers') return true;
    return endsWithProperty(expr, 'headers');
  };
  /** `await req.json()` and friends: which body reader the expression is, if any. */
  const bodyReadKind = (node: ts.Expression): 'json' | 'formData' | 'text' | undefined => {
    let expr = unwrapExpression(node);
    if (isAwaitExpression(expr)) expr = unwrapExpression(expr.expression);
    if (!isCallExpression(expr) || !isPropertyAccessExpression(expr.expression)) return undefined;
    if (!isRequest(expr.expression.expression)) return undefined;
    const method = expr.expression.name.text;
    return method === 'json' ? 'json' : method === 'formData' ? 'formData' : method === 'text' ? 'text' : undefined;
  };
  const isBodyValue = (node: ts.Expression): boolean => {
    const expr = unwrapExpression(node);
    return (isIdentifier(expr) && bodyNames.has(expr.text)) || bodyReadKind(expr) === 'json';
  };
  /** `schema.parse(body)`, `schema.safeParse(await req.json())`: the schema validating the body. */
  const schemaCall = (node: ts.Expression): { schema: ts.Expression; returnsBody: boolean } | undefined => {
    let expr = unwrapExpression(node);
    if (isAwaitExpression(expr)) expr = unwrapExpression(expr.expression);
    if (!isCallExpression(expr) || !isPropertyAccessExpression(expr.expression)) return undefined;
    const method = expr.expression.name.text;
    if (!/^(parse|safeParse|parseAsync|safeParseAsync|validate|validateSync)$/.test(method)) return undefined;
    const argument = expr.arguments[0];
    if (!argument || !isBodyValue(argument)) return undefined;
    // safeParse returns { success, data, error }, not the body itself.
    return { schema: expr.expression.expression, returnsBody: !method.startsWith('safe') };
  };
  const useSchema = (schemaExpr: ts.Expression) => {
    bodyKind = 'json';
    const expr = unwrapExpression(schemaExpr);
    schema = isIdentifier(expr) ? expr.text : expr.getText(sourceFile).slice(0, 60);
    for (const field of schemaFields(expr, schemas) ?? []) addField(field);
  };
  const addBindingFields = (pattern: ts.ObjectBindingPattern) => {
    for (const element of pattern.elements) {
      if (element.dotDotDotToken) continue;
      const key = element.propertyName ? propertyNameText(element.propertyName) : isIdentifier(element.name) ? element.name.text : undefined;
      if (key !== undefined) addField(key);
    }
  };

  const visitVariable = (node: ts.VariableDeclaration): void => {
    if (!node.initializer) return;
    const init = unwrapExpression(node.initializer);
    const kind = bodyReadKind(init);
    if (kind) bodyKind = kind;
    if (isIdentifier(node.name)) {
      const name = node.name.text;
      if (kind === 'json') bodyNames.add(name);
      if (kind === 'formData') formNames.add(name);
      if (isSearchParams(init) || (isNewExpression(init) && isIdentifier(init.expression) && init.expression.text === 'URLSearchParams')) {
        searchParamNames.add(name);
      }
      if (isHeaderStore(init)) headerStoreNames.add(name);
      const validated = schemaCall(init);
      if (validated) {
        useSchema(validated.schema);
        if (validated.returnsBody) bodyNames.add(name);
      }
    } else if (isObjectBindingPattern(node.name)) {
      if (isBodyValue(init)) addBindingFields(node.name);
      else {
        const validated = schemaCall(init);
        if (validated) {
          useSchema(validated.schema);
          if (validated.returnsBody) addBindingFields(node.name);
        }
      }
      for (const element of node.name.elements) {
        const key = element.propertyName ? propertyNameText(element.propertyName) : isIdentifier(element.name) ? element.name.text : undefined;
        if (key === 'searchParams' && isIdentifier(element.name)) searchParamNames.add(element.name.text);
      }
    }
  };
  const visitCall = (node: ts.CallExpression): void => {
    const callee = node.expression;
    const firstArg = node.arguments[0];
    const literalArg = firstArg && isStringLiteralLike(firstArg) ? firstArg.text : undefined;
    if (isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      if (literalArg !== undefined && /^(get|getAll|has)$/.test(method)) {
        if (isSearchParams(callee.expression)) query.add(literalArg);
        else if (isHeaderStore(callee.expression)) headerNames.add(literalArg.toLowerCase());
        else if (isIdentifier(callee.expression) && formNames.has(callee.expression.text)) addField(literalArg);
      }
      const validated = schemaCall(node);
      if (validated) useSchema(validated.schema);
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
  };
  // Called for every node of the handler's walk, so it dispatches on the kind first.
  const visit = (node: ts.Node, parent: ts.Node): void => {
    switch (node.kind) {
      case SyntaxKind.VariableDeclaration:
        visitVariable(node as ts.VariableDeclaration);
        break;
      case SyntaxKind.CallExpression:
        visitCall(node as ts.CallExpression);
        break;
      case SyntaxKind.NewExpression: {
        const expression = (node as ts.NewExpression).expression;
        if (isIdentifier(expression) && /^(Response|NextResponse)$/.test(expression.text)) addStatus(responseStatus((node as ts.NewExpression).arguments?.[1], 200));
        break;
      }
      case SyntaxKind.PropertyAccessExpression: {
        const access = node as ts.PropertyAccessExpression;
        if (isBodyValue(access.expression) && !isCallExpression(parent)) addField(access.name.text);
        break;
      }
      case SyntaxKind.ElementAccessExpression: {
        const access = node as ts.ElementAccessExpression;
        if (isBodyValue(access.expression) && isStringLiteralLike(access.argumentExpression)) addField(access.argumentExpression.text);
        break;
      }
    }
  };
  const finish = (): HandlerRequestInfo => {
    // `({ nextUrl }) =>` style handlers destructure the request itself.
    if (firstParam && isObjectBindingPattern(firstParam.name) && fn.body) {
      for (const element of firstParam.name.elements) {
        const key = element.propertyName ? propertyNameText(element.propertyName) : isIdentifier(element.name) ? element.name.text : undefined;
        if (key === 'json' || key === 'formData') bodyKind ??= key;
      }
    }
    const info: HandlerRequestInfo = {
      query: [...query].sort(),
      headers: [...headerNames].sort(),
      statuses: [...statuses].sort((a, b) => a - b),
    };
    if (bodyKind) info.body = { kind: bodyKind, fields, ...(schema ? { schema } : {}) };
    return info;
  };
  return { visit, finish };
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
