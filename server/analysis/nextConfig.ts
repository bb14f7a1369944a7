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
import type { NextConfigInfo, Problem, Span, StaticValue } from './model';
import { AnalysisLimitError, checkDepth, isLimitError, limitProblem } from './limits';
import { parseSource } from './parse';
import { spanOfNode } from './spans';
import { type Literal, propertyNameText, readStaticValue, unwrapExpression } from './staticValues';

/** The names Next.js looks for, in the order it looks. */
export const NEXT_CONFIG_FILES = ['next.config.js', 'next.config.mjs', 'next.config.cjs', 'next.config.ts', 'next.config.mts'];

export const DEFAULT_PAGE_EXTENSIONS = ['tsx', 'ts', 'jsx', 'js'];

/** The longest basePath Route Atlas takes: every route's URL starts with it. Next.js sets no limit. */
const MAX_BASE_PATH_LENGTH = 1000;

/**
 * How many steps following the exported config may take. Plugin calls and bindings can refer to one
 * another many times over, so without a budget a small file could ask for exponential work.
 */
const MAX_CONFIG_STEPS = 100_000;

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
  /** Steps taken so far, shared by every scope of one file. */
  work: { steps: number };
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
  try {
    return readConfigFile(text, absPath, relFile);
  } catch (error) {
    // The parser and the walks below recurse per level of syntax: a generated file can exceed the bounds.
    if (!isLimitError(error)) throw error;
    const problem = limitProblem(relFile, error);
    problem.message += ' Next.js defaults assumed.';
    return { config: defaultNextConfig(relFile), problems: [problem] };
  }
}

function readConfigFile(text: string, absPath: string, relFile: string): { config: NextConfigInfo; problems: Problem[] } {
  const config = defaultNextConfig(relFile);
  const problems: Problem[] = [];
  const sourceFile = parseSource(absPath, text);
  const scope: ConfigScope = { sourceFile, bindings: collectBindings(sourceFile), work: { steps: 0 } };
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
      return { known: false as const, reason: `unexpected value ${excerpt(JSON.stringify(value.value))}`, span: value.span, file: relFile };
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
  const basePath = read(object, 'basePath');
  const invalidBasePath = basePath?.known ? basePathProblemOf(basePath.value, relFile, basePath.span) : undefined;
  if (invalidBasePath) {
    problems.push(invalidBasePath);
    config.basePath = { known: false, reason: invalidBasePath.message, span: basePath!.span, file: relFile };
  } else if (!(basePath?.known && basePath.value === null)) {
    config.basePath = assign('basePath', basePath, isString, config.basePath);
  }
  config.trailingSlash = assign('trailingSlash', read(object, 'trailingSlash'), isBoolean, config.trailingSlash);
  const cacheComponents = read(object, 'cacheComponents') ?? read(experimental, 'cacheComponents') ?? read(experimental, 'dynamicIO');
  config.cacheComponents = assign('cacheComponents', cacheComponents, isBoolean, config.cacheComponents);
  const useCache = read(experimental, 'useCache');
  if (useCache) config.useCache = assign('experimental.useCache', useCache, isBoolean, { known: true, value: false });
  const ppr = read(experimental, 'ppr');
  if (ppr) config.ppr = ppr as StaticValue<boolean | string>;
  const output = read(object, 'output');
  if (output) config.output = assign('output', output, isString, { known: true, value: '' });
  const typescriptNode = object.properties.get('typescript');
  const typescriptOptions = readNested(object, 'typescript', scope);
  const ignoreBuildErrors =
    typescriptNode && !typescriptOptions
      ? { known: false as const, reason: 'the `typescript` options are not an object literal Route Atlas can read', span: spanOfNode(typescriptNode, sourceFile), file: relFile }
      : read(typescriptOptions, 'ignoreBuildErrors');
  if (ignoreBuildErrors) config.ignoreBuildErrors = assign('typescript.ignoreBuildErrors', ignoreBuildErrors, isBoolean, { known: true, value: false });
  if (wrappers.length > 0) {
    problems.push({
      id: 'config-wrapped',
      severity: 'info',
      file: relFile,
      message: `${relFile} passes its config through ${listed(wrappers)}; values are read from the object given to it, which the plugin may change.`,
    });
  }
  return { config, problems };
}

function withFile<T>(value: StaticValue<T>, file: string): StaticValue<T> {
  return { ...value, file };
}

/**
 * Next.js's own check of basePath (`assignDefaults` in next/src/server/config.ts), in its words, and
 * Route Atlas's bound on the length. Next ignores a null basePath, as if it were not set.
 */
function basePathProblemOf(value: Literal, relFile: string, span?: Span): Problem | undefined {
  if (value === null) return undefined;
  const problem = (severity: Problem['severity'], message: string): Problem => {
    const found: Problem = { id: 'config-invalid-value', severity, file: relFile, message };
    if (severity === 'error') found.failsBuild = true;
    if (span) found.span = span;
    return found;
  };
  const fails = (nextMessage: string) => problem('error', `${relFile}: ${nextMessage}. \`next build\` fails with this error; Route Atlas assumes no basePath.`);
  if (typeof value !== 'string') return fails(`Specified basePath is not a string, found type "${Array.isArray(value) ? 'object' : typeof value}"`);
  if (value === '') return undefined;
  // The stray quote is in Next's own message.
  if (value === '/') return fails(`Specified basePath /. basePath has to be either an empty string or a path prefix"`);
  if (!value.startsWith('/')) return fails(`Specified basePath has to start with a /, found "${excerpt(value)}"`);
  if (value.endsWith('/')) return fails(`Specified basePath should not end with /, found "${excerpt(value)}"`);
  if (value.length > MAX_BASE_PATH_LENGTH) {
    return problem('warning', `${relFile}: basePath is ${value.length} characters long; Route Atlas takes at most ${MAX_BASE_PATH_LENGTH} and assumes no basePath.`);
  }
  return undefined;
}

/** Text from the workspace as a message quotes it: cut short, since a value can be megabytes long. */
function excerpt(text: string, max = 80): string {
  return text.length > max ? text.slice(0, max) + '…' : text;
}

function listed(names: readonly string[]): string {
  const distinct = [...new Set(names)];
  return distinct.length > 5 ? `${distinct.slice(0, 5).join(', ')} and ${distinct.length - 5} more` : distinct.join(', ');
}

/** Counts one step of following the config; past MAX_CONFIG_STEPS the file is beyond what is analyzed. */
function step(scope: ConfigScope): void {
  if (++scope.work.steps > MAX_CONFIG_STEPS) throw new AnalysisLimitError('too-much-work', `more than ${MAX_CONFIG_STEPS} steps to find the exported config`);
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
  step(scope);
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
  if (expr.kind === SyntaxKind.ConditionalExpression) {
    // `process.env.SENTRY_AUTH_TOKEN ? withSentryConfig(nextConfig, options) : nextConfig`: a plugin applied in
    // some environments only. When both branches come to the same object, that is the config either way.
    const conditional = expr as ts.ConditionalExpression;
    const branchWrappers: string[] = [];
    const whenTrue = resolveConfigObject(conditional.whenTrue, scope, branchWrappers, depth + 1);
    const whenFalse = resolveConfigObject(conditional.whenFalse, scope, branchWrappers, depth + 1);
    if (!whenTrue || !whenFalse || !sameConfigObject(whenTrue, whenFalse)) return undefined;
    wrappers.push(...branchWrappers);
    return whenTrue;
  }
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

/** Two readings of one object literal: the same keys, each with the same expression node. */
function sameConfigObject(a: ConfigObject, b: ConfigObject): boolean {
  if (a.properties.size !== b.properties.size || a.unresolvedSpread !== b.unresolvedSpread) return false;
  for (const [key, value] of a.properties) if (b.properties.get(key) !== value) return false;
  return true;
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
  const start = callee.getStart(sourceFile);
  return excerpt(sourceFile.text.slice(start, Math.min(callee.end, start + 81)));
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
  const visit = (node: ts.Node, level: number): void => {
    checkDepth(level);
    step(scope);
    if (isVariableDeclaration(node) && isIdentifier(node.name) && node.initializer) local.set(node.name.text, node.initializer);
    if (isReturnStatement(node) && node.expression && !result) {
      result = resolveConfigObject(node.expression, { ...scope, bindings: local }, wrappers, depth + 1);
    }
    if (!isFunctionLike(node)) forEachChild(node, (child) => visit(child, level + 1));
  };
  forEachChild(fn.body, (child) => visit(child, 1));
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
    return { ...value, reason: `read from ${excerpt(expr.getText(scope.sourceFile))} at build time` };
  }
  return value;
}
