import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import type { ts } from 'ts-morph';

// TypeScript's namespace object, as ts-morph hands it out, holds its ~2,800 exports as getters on an object
// in dictionary mode: every `ts.isIdentifier(node)` costs a hash lookup and a getter call before the call
// itself, and the optimizing compiler can inline none of it. The syntax walks of a cold scan make millions
// of such calls, so the analysis binds what it uses once, here, and calls the functions directly.
// Types still come from `ts` (`ts.Node`): type references cost nothing at run time.
//
// The compiler is loaded only when a file must actually be parsed (loadTypeScript): a start whose every
// file is in the parse cache never pays the ~0.3 s it takes. Everything that uses these bindings does so
// on a tree parseSource made, or calls loadTypeScript first.
export let SyntaxKind: typeof ts.SyntaxKind;
export let ScriptKind: typeof ts.ScriptKind;
export let ScriptTarget: typeof ts.ScriptTarget;
export let JSDocParsingMode: typeof ts.JSDocParsingMode;
export let canHaveModifiers: typeof ts.canHaveModifiers;
export let createSourceFile: typeof ts.createSourceFile;
export let flattenDiagnosticMessageText: typeof ts.flattenDiagnosticMessageText;
export let forEachChild: typeof ts.forEachChild;
export let parseConfigFileTextToJson: typeof ts.parseConfigFileTextToJson;
export let isArrayLiteralExpression: typeof ts.isArrayLiteralExpression;
export let isArrowFunction: typeof ts.isArrowFunction;
export let isAsExpression: typeof ts.isAsExpression;
export let isAwaitExpression: typeof ts.isAwaitExpression;
export let isBinaryExpression: typeof ts.isBinaryExpression;
export let isBindingElement: typeof ts.isBindingElement;
export let isBlock: typeof ts.isBlock;
export let isCallExpression: typeof ts.isCallExpression;
export let isClassDeclaration: typeof ts.isClassDeclaration;
export let isComputedPropertyName: typeof ts.isComputedPropertyName;
export let isElementAccessExpression: typeof ts.isElementAccessExpression;
export let isEnumDeclaration: typeof ts.isEnumDeclaration;
export let isExportAssignment: typeof ts.isExportAssignment;
export let isExportDeclaration: typeof ts.isExportDeclaration;
export let isExpressionStatement: typeof ts.isExpressionStatement;
export let isExternalModuleReference: typeof ts.isExternalModuleReference;
export let isFunctionDeclaration: typeof ts.isFunctionDeclaration;
export let isFunctionExpression: typeof ts.isFunctionExpression;
export let isFunctionLike: typeof ts.isFunctionLike;
export let isIdentifier: typeof ts.isIdentifier;
export let isImportDeclaration: typeof ts.isImportDeclaration;
export let isImportEqualsDeclaration: typeof ts.isImportEqualsDeclaration;
export let isMethodDeclaration: typeof ts.isMethodDeclaration;
export let isNamespaceExport: typeof ts.isNamespaceExport;
export let isNamespaceImport: typeof ts.isNamespaceImport;
export let isNewExpression: typeof ts.isNewExpression;
export let isNoSubstitutionTemplateLiteral: typeof ts.isNoSubstitutionTemplateLiteral;
export let isNumericLiteral: typeof ts.isNumericLiteral;
export let isObjectBindingPattern: typeof ts.isObjectBindingPattern;
export let isObjectLiteralExpression: typeof ts.isObjectLiteralExpression;
export let isOmittedExpression: typeof ts.isOmittedExpression;
export let isParenthesizedExpression: typeof ts.isParenthesizedExpression;
export let isPrefixUnaryExpression: typeof ts.isPrefixUnaryExpression;
export let isPrivateIdentifier: typeof ts.isPrivateIdentifier;
export let isPropertyAccessExpression: typeof ts.isPropertyAccessExpression;
export let isPropertyAssignment: typeof ts.isPropertyAssignment;
export let isReturnStatement: typeof ts.isReturnStatement;
export let isShorthandPropertyAssignment: typeof ts.isShorthandPropertyAssignment;
export let isSpreadAssignment: typeof ts.isSpreadAssignment;
export let isSpreadElement: typeof ts.isSpreadElement;
export let isStringLiteral: typeof ts.isStringLiteral;
export let isStringLiteralLike: typeof ts.isStringLiteralLike;
export let isTemplateExpression: typeof ts.isTemplateExpression;
export let isVariableDeclaration: typeof ts.isVariableDeclaration;
export let isVariableStatement: typeof ts.isVariableStatement;

let loaded = false;

/** Loads the TypeScript compiler, once, and binds the functions the analysis uses. */
export function loadTypeScript(): void {
  if (loaded) return;
  const typescript = requireTypeScript();
  ({
    SyntaxKind,
    ScriptKind,
    ScriptTarget,
    JSDocParsingMode,
    canHaveModifiers,
    createSourceFile,
    flattenDiagnosticMessageText,
    forEachChild,
    parseConfigFileTextToJson,
    isArrayLiteralExpression,
    isArrowFunction,
    isAsExpression,
    isAwaitExpression,
    isBinaryExpression,
    isBindingElement,
    isBlock,
    isCallExpression,
    isClassDeclaration,
    isComputedPropertyName,
    isElementAccessExpression,
    isEnumDeclaration,
    isExportAssignment,
    isExportDeclaration,
    isExpressionStatement,
    isExternalModuleReference,
    isFunctionDeclaration,
    isFunctionExpression,
    isFunctionLike,
    isIdentifier,
    isImportDeclaration,
    isImportEqualsDeclaration,
    isMethodDeclaration,
    isNamespaceExport,
    isNamespaceImport,
    isNewExpression,
    isNoSubstitutionTemplateLiteral,
    isNumericLiteral,
    isObjectBindingPattern,
    isObjectLiteralExpression,
    isOmittedExpression,
    isParenthesizedExpression,
    isPrefixUnaryExpression,
    isPrivateIdentifier,
    isPropertyAccessExpression,
    isPropertyAssignment,
    isReturnStatement,
    isShorthandPropertyAssignment,
    isSpreadAssignment,
    isSpreadElement,
    isStringLiteral,
    isStringLiteralLike,
    isTemplateExpression,
    isVariableDeclaration,
    isVariableStatement,
  } = typescript);
  loaded = true;
}

/** True once the compiler is loaded (tests and logs use it to see that a warm start did without it). */
export function isTypeScriptLoaded(): boolean {
  return loaded;
}

/**
 * The bundles (dist/cli.js, dist/engine.js) find the compiler in dist/typescript.js beside them, a bundle of
 * its own so that loading them does not load it; transpiled tests and the benchmark take it from ts-morph.
 */
function requireTypeScript(): typeof ts {
  const bundled = path.join(__dirname, 'typescript.js');
  if (fs.existsSync(bundled)) return loadWithCodeCache(bundled);
  // A name in a variable keeps esbuild from bundling the package into a bundle that must not hold it.
  const packageName = 'ts-morph';
  return (require(packageName) as { ts: typeof ts }).ts;
}

/** The compiled code of dist/typescript.js, once saved: the next load skips most of V8's parsing and compiling. */
let codeCache: { script: vm.Script; file: string; had: boolean } | undefined;

/**
 * Loads dist/typescript.js (9 MB) with V8's code cache, which Node does by itself only from version 22
 * (module.enableCompileCache): about 140 ms become 50. The cache lives in the user's cache folder, never in
 * a workspace, and is keyed by the Node version and the file's size and time; V8 itself refuses a cache
 * made for other source or flags.
 */
function loadWithCodeCache(file: string): typeof ts {
  const stat = fs.statSync(file);
  const home = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const cacheFile = path.join(home, 'route-atlas', 'v8', `typescript-${process.version}-${process.arch}-${stat.size}-${Math.round(stat.mtimeMs)}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // Not cached yet.
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
  const module = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, require, module, file, path.dirname(file));
  codeCache = { script, file: cacheFile, had: cachedData !== undefined && !script.cachedDataRejected };
  return module.exports as typeof ts;
}

/**
 * Saves the compiler's code cache after it has done some work (code compiled by then is in it). Callers do
 * it once a scan that parsed files is over; it does nothing when the cache was used or cannot be written.
 */
export function saveTypeScriptCodeCache(): void {
  if (!codeCache || codeCache.had) return;
  const { script, file } = codeCache;
  codeCache.had = true;
  try {
    const dir = path.dirname(file);
    fs.mkdirSync(dir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, script.createCachedData());
    fs.renameSync(temporary, file);
    // One cache per build and Node version would pile up (2.7 MB each): only the newest is kept.
    for (const name of fs.readdirSync(dir)) if (name.startsWith('typescript-') && path.join(dir, name) !== file) fs.rmSync(path.join(dir, name), { force: true });
  } catch {
    // Only the next start's speed is lost.
  }
}
