import type { ts } from 'ts-morph';
import {
  forEachChild,
  isArrowFunction,
  isAwaitExpression,
  isBinaryExpression,
  isBlock,
  isCallExpression,
  isExportAssignment,
  isExpressionStatement,
  isFunctionDeclaration,
  isFunctionExpression,
  isFunctionLike,
  isIdentifier,
  isObjectLiteralExpression,
  isPropertyAssignment,
  isReturnStatement,
  isShorthandPropertyAssignment,
  isSpreadAssignment,
  isVariableDeclaration,
  isVariableStatement,
  SyntaxKind,
} from './typescriptBindings';
import type { NextConfigInfo, Problem, StaticValue } from './model';
import { parseSource } from './parse';
import { spanOfNode } from './spans';
import { type Literal, propertyNameText, readStaticValue, unwrapExpression } from './staticValues';

/** The names Next.js looks for, in the order it looks. */
export const NEXT_CONFIG_FILES = ['next.config.js', 'next.config.mjs', 'next.config.cjs', 'next.config.ts', 'next.config.mts'];

export const DEFAULT_PAGE_EXTENSIONS = ['tsx', 'ts', 'jsx', 'js'];

export function defaultNextConfig(file?: string): NextConfigInfo {
  return {
    file,
    pageExtensions: { known: true, value: DEFAULT_PAGE_EXTENSIONS },
    basePath: { known: true, value: '' },
    trailingSlash: { known: true, value: false },
    cacheComponents: { known: true, value: false },
  };
}

interface ConfigScope {
  sourceFile: ts.SourceFile;
  /** Top-level `const x = ...` initializers and function declarations, by name. */
  bindings: Map<string, ts.Expression | ts.FunctionDeclaration>;
}

/** A config object as found: its own properties, later ones winning, and whether a spread hid some. */
interface ConfigObject {
  properties: Map<string, ts.Expression>;
  unresolvedSpread?: ts.Node;
}

/**
 * Reads next.config.* without executing it. Finds the exported object through `module.exports`,
 * `export default`, plugin wrappers (`withSentryConfig(config, ...)`) and config functions, and reads
 * each key the analysis needs as a literal; anything else is reported as unknown with its location.
 */
export function readNextConfig(text: string, absPath: string, relFile: string): { config: NextConfigInfo; problems: Problem[] } {
  const config = defaultNextConfig(relFile);
  const problems: Problem[] = [];
  const sourceFile = parseSource(absPath, text);
  const scope: ConfigScope = { sourceFile, bindings: collectBindings(sourceFile) };
  const exported = findExportedExpression(sourceFile);
  if (!exported) {
    problems.push({ id: 'config-not-found', severity: 'warning', file: relFile, message: `${relFile}: no \`module.exports\` or \`export default\` found; Next.js defaults assumed.` });
    return { config, problems };
  }
  const wrappers: string[] = [];
  const object = resolveConfigObject(exported, scope, wrappers, 0);
  if (!object) {
    problems.push({
      id: 'config-not-static',
      severity: 'warning',
      file: relFile,
      span: spanOfNode(exported, sourceFile),
      message: `${relFile}: the exported config is not an object literal Route Atlas can read; Next.js defaults assumed.`,
    });
    return { config, problems };
  }
  const experimental = readNested(object, 'experimental', scope);

  const read = (obj: ConfigObject | undefined, key: string): StaticValue<Literal> | undefined => {
    if (!obj) return undefined;
    const node = obj.properties.get(key);
    if (node) return withFile(readConfigValue(node, scope), relFile);
    if (obj.unresolvedSpread) {
      return { known: false, reason: `may be set by a spread Route Atlas cannot follow`, span: spanOfNode(obj.unresolvedSpread, sourceFile), file: relFile };
    }
    return undefined;
  };
  const assign = <T>(key: string, value: StaticValue<Literal> | undefined, check: (v: Literal) => v is T & Literal, fallback: StaticValue<T>) => {
    if (!value) return fallback;
    if (value.known && !check(value.value)) {
      return { known: false as const, reason: `unexpected value ${JSON.stringify(value.value)}`, span: value.span, file: relFile };
    }
    if (!value.known) {
      problems.push({
        id: 'config-unknown-value',
        severity: 'info',
        file: relFile,
        span: value.span,
        message: `${key} in ${relFile} is not a literal (${value.reason}); Route Atlas assumes ${JSON.stringify(fallback.known ? fallback.value : undefined)}.`,
      });
    }
    return value as StaticValue<T>;
  };
  const isStringArray = (v: Literal): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  const isString = (v: Literal): v is string => typeof v === 'string';
  const isBoolean = (v: Literal): v is boolean => typeof v === 'boolean';

  config.pageExtensions = assign('pageExtensions', read(object, 'pageExtensions'), isStringArray, config.pageExtensions);
  config.basePath = assign('basePath', read(object, 'basePath'), isString, config.basePath);
  config.trailingSlash = assign('trailingSlash', read(object, 'trailingSlash'), isBoolean, config.trailingSlash);
  const cacheComponents = read(object, 'cacheComponents') ?? read(experimental, 'cacheComponents') ?? read(experimental, 'dynamicIO');
  config.cacheComponents = assign('cacheComponents', cacheComponents, isBoolean, config.cacheComponents);
  const ppr = read(experimental, 'ppr');
  if (ppr) config.ppr = ppr as StaticValue<boolean | string>;
  const output = read(object, 'output');
  if (output) config.output = assign('output', output, isString, { known: true, value: '' });
  if (wrappers.length > 0) {
    problems.push({
      id: 'config-wrapped',
      severity: 'info',
      file: relFile,
      message: `${relFile} passes its config through ${wrappers.join(', ')}; values are read from the object given to it, which the plugin may change.`,
    });
  }
  return { config, problems };
}

function withFile<T>(value: StaticValue<T>, file: string): StaticValue<T> {
  return { ...value, file };
}

function collectBindings(sourceFile: ts.SourceFile): Map<string, ts.Expression | ts.FunctionDeclaration> {
  const bindings = new Map<string, ts.Expression | ts.FunctionDeclaration>();
  for (const statement of sourceFile.statements) {
    if (isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (isIdentifier(declaration.name) && declaration.initializer) bindings.set(declaration.name.text, declaration.initializer);
      }
    } else if (isFunctionDeclaration(statement) && statement.name) {
      bindings.set(statement.name.text, statement);
    }
  }
  return bindings;
}

function findExportedExpression(sourceFile: ts.SourceFile): ts.Expression | ts.FunctionDeclaration | undefined {
  let found: ts.Expression | ts.FunctionDeclaration | undefined;
  for (const statement of sourceFile.statements) {
    if (isExportAssignment(statement)) found = statement.expression;
    else if (isFunctionDeclaration(statement) && statement.modifiers?.some((m) => m.kind === SyntaxKind.DefaultKeyword)) found = statement;
    else if (isExpressionStatement(statement) && isBinaryExpression(statement.expression)) {
      const { left, right, operatorToken } = statement.expression;
      if (operatorToken.kind === SyntaxKind.EqualsToken && left.getText(sourceFile) === 'module.exports') found = right;
    }
  }
  return found;
}

function resolveConfigObject(node: ts.Node, scope: ConfigScope, wrappers: string[], depth: number): ConfigObject | undefined {
  if (depth > 10) return undefined;
  if (isFunctionDeclaration(node) || isArrowFunction(node) || isFunctionExpression(node)) {
    return resolveFunctionResult(node, scope, wrappers, depth);
  }
  const expr = unwrapExpression(node as ts.Expression);
  if (isObjectLiteralExpression(expr)) return collectObject(expr, scope, wrappers, depth);
  if (isIdentifier(expr)) {
    const binding = scope.bindings.get(expr.text);
    return binding ? resolveConfigObject(binding, scope, wrappers, depth + 1) : undefined;
  }
  if (isAwaitExpression(expr)) return resolveConfigObject(expr.expression, scope, wrappers, depth + 1);
  if (isCallExpression(expr)) {
    // A plugin: withX(config, options) or withX(options)(config). The config is the first argument
    // that resolves to an object; try the innermost call's arguments last.
    wrappers.push(calleeName(expr, scope.sourceFile));
    for (const argument of expr.arguments) {
      const resolved = resolveConfigObject(argument, scope, [], depth + 1);
      if (resolved && looksLikeNextConfig(resolved)) return resolved;
    }
    for (const argument of expr.arguments) {
      const resolved = resolveConfigObject(argument, scope, wrappers, depth + 1);
      if (resolved) return resolved;
    }
  }
  return undefined;
}

const KNOWN_CONFIG_KEYS = new Set(['pageExtensions', 'basePath', 'trailingSlash', 'output', 'experimental', 'images', 'reactStrictMode', 'redirects', 'rewrites', 'headers', 'env', 'webpack', 'cacheComponents', 'transpilePackages', 'typescript', 'eslint', 'i18n', 'poweredByHeader']);

function looksLikeNextConfig(object: ConfigObject): boolean {
  if (object.properties.size === 0) return !!object.unresolvedSpread;
  for (const key of object.properties.keys()) if (KNOWN_CONFIG_KEYS.has(key)) return true;
  return false;
}

function calleeName(call: ts.CallExpression, sourceFile: ts.SourceFile): string {
  let callee: ts.Expression = call.expression;
  while (isCallExpression(callee)) callee = callee.expression;
  return callee.getText(sourceFile);
}

function resolveFunctionResult(
  fn: ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression,
  scope: ConfigScope,
  wrappers: string[],
  depth: number,
): ConfigObject | undefined {
  if (!fn.body) return undefined;
  if (!isBlock(fn.body)) return resolveConfigObject(fn.body, scope, wrappers, depth + 1);
  const local = new Map(scope.bindings);
  let result: ConfigObject | undefined;
  const visit = (node: ts.Node): void => {
    if (isVariableDeclaration(node) && isIdentifier(node.name) && node.initializer) local.set(node.name.text, node.initializer);
    if (isReturnStatement(node) && node.expression && !result) {
      result = resolveConfigObject(node.expression, { ...scope, bindings: local }, wrappers, depth + 1);
    }
    if (!isFunctionLike(node)) forEachChild(node, visit);
  };
  forEachChild(fn.body, visit);
  return result;
}

function collectObject(literal: ts.ObjectLiteralExpression, scope: ConfigScope, wrappers: string[], depth: number): ConfigObject {
  const object: ConfigObject = { properties: new Map() };
  for (const property of literal.properties) {
    if (isPropertyAssignment(property)) {
      const key = propertyNameText(property.name);
      if (key !== undefined) object.properties.set(key, property.initializer);
    } else if (isShorthandPropertyAssignment(property)) {
      object.properties.set(property.name.text, property.name);
    } else if (isSpreadAssignment(property)) {
      const spread = resolveConfigObject(property.expression, scope, wrappers, depth + 1);
      if (spread) {
        for (const [key, value] of spread.properties) object.properties.set(key, value);
        if (spread.unresolvedSpread) object.unresolvedSpread = spread.unresolvedSpread;
      } else {
        object.unresolvedSpread = property;
      }
    }
  }
  return object;
}

function readNested(object: ConfigObject, key: string, scope: ConfigScope): ConfigObject | undefined {
  const node = object.properties.get(key);
  if (!node) return undefined;
  return resolveConfigObject(node, scope, [], 0);
}

/** A literal, or a top-level constant holding one; env reads and calls stay unknown. */
function readConfigValue(node: ts.Expression, scope: ConfigScope): StaticValue<Literal> {
  const expr = unwrapExpression(node);
  if (isIdentifier(expr)) {
    const binding = scope.bindings.get(expr.text);
    if (binding && !isFunctionDeclaration(binding)) {
      const value = readStaticValue(binding, scope.sourceFile);
      return value.known ? { ...value, span: spanOfNode(expr, scope.sourceFile) } : value;
    }
  }
  const value = readStaticValue(expr, scope.sourceFile);
  if (!value.known && /process\.env\b/.test(expr.getText(scope.sourceFile))) {
    return { ...value, reason: `read from ${expr.getText(scope.sourceFile)} at build time` };
  }
  return value;
}
