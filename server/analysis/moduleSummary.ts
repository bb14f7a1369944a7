import type { ts } from 'ts-morph';
import {
  canHaveModifiers,
  isBinaryExpression,
  isBindingElement,
  isCallExpression,
  isClassDeclaration,
  isEnumDeclaration,
  isExportAssignment,
  isExportDeclaration,
  isExpressionStatement,
  isExternalModuleReference,
  isFunctionDeclaration,
  isIdentifier,
  isImportDeclaration,
  isImportEqualsDeclaration,
  isMethodDeclaration,
  isNamespaceExport,
  isNamespaceImport,
  isObjectLiteralExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isStringLiteral,
  isVariableStatement,
  SyntaxKind,
} from './typescriptBindings';
import type { HandlerRequestInfo, Problem, Span, StaticValue } from './model';
import { HTTP_METHODS } from './model';
import { collectFacts, type FunctionFacts } from './effects';
import { collectSchemas, type FunctionNode, isFunctionNode, optionArgsOf, requestInfoCollector } from './handlerInfo';
import { bindFactoryResults } from './factoryExports';
import { type HandlerSignature, handlerSignatureOf } from './handlerSignature';
import type { FlowValue, RequestFlow, SchemaShape, WrapperOptions } from './requestFlow';
import { checkDepth, isLimitError, limitProblem } from './limits';
import { parseSource, syntaxProblem } from './parse';
import { spanOfNode } from './spans';
import { type ConstantLookup, foldNumber, type Literal, propertyNameText, readStaticValue, unwrapExpression } from './staticValues';

/** Where a handler's code is, and what it reads. */
export interface HandlerSite {
  span: Span;
  /** What a request to it needs: computed for the functions that can be method handlers (see below). */
  request?: HandlerRequestInfo;
  /** Where request data goes beyond what this module tells (calls, wrappers, imported schemas), to follow when linking. */
  flow?: RequestFlow;
  facts: FunctionFacts;
  /**
   * The annotated parameter and return types, for functions whose own type is the export's type (a function
   * declaration, or a const initialized with the function itself and not annotated or cast).
   */
  signature?: HandlerSignature;
}

/** What a module-level name is bound to, as far as syntax tells. */
export type LocalBinding =
  | { type: 'function'; nameSpan: Span; handler: HandlerSite; declaredAs: 'function' | 'const' }
  | { type: 'wrapped'; nameSpan: Span; wrappers: string[]; wrapperCallees: string[]; handler?: HandlerSite; target?: string; wrapperOptions?: WrapperOptions }
  | { type: 'alias'; nameSpan: Span; target: string }
  | { type: 'import'; nameSpan: Span; specifier: string; importedName: string }
  | { type: 'destructured'; nameSpan: Span; source: string }
  | { type: 'value'; nameSpan: Span; value: StaticValue<Literal> };

/** One name a module exports. */
export type ExportEntry =
  /** `export const GET`, `export function GET`, `export { handler as GET }`, `export default x`. */
  | { type: 'local'; local: string; span: Span; declared: boolean }
  /** `export { GET } from './x'`, `export { default as GET } from './x'`. */
  | { type: 'reexport'; specifier: string; importedName: string; span: Span }
  /** `export * as ns from './x'`. */
  | { type: 'namespace'; specifier: string; span: Span };

/** Everything the manifest needs from one file, computed from its syntax alone and cached per file. */
export interface ModuleSummary {
  exports: Map<string, ExportEntry>;
  /** `export * from` specifiers, in source order. */
  stars: Array<{ specifier: string; span: Span }>;
  locals: Map<string, LocalBinding>;
  /** The names a default export has (`export default function GET`), so lowercase checks can see them. */
  problems: Problem[];
  /** The validation schemas the module exports, by local name, for handlers in other modules that validate with them. */
  schemas?: Map<string, SchemaShape>;
  /** True when the file starts with the `'use client'` directive. */
  useClient: boolean;
  /** The module-level `'use cache'` directive. */
  useCache: boolean;
  /** 1-based line where a new top-level statement goes: after the imports, directives and one blank line. */
  insertionLine: number;
  /** True when a statement inserted there needs a blank line before it (no blank line follows the imports). */
  insertionNeedsBlankLine: boolean;
  /**
   * 1-based numbers of the empty or whitespace lines between top-level statements (the only ones a fix
   * that removes a statement looks at), so fixes can keep the spacing tidy.
   */
  blankLines: number[];
}

/**
 * Summarizes a module, or gives the problem that says why it cannot be: the file is nested deeper than the
 * parser or the analysis's walks go, or needs more work than they allow (see limits.ts). Every path that
 * summarizes a file goes through here, so that one hostile file costs its own routes and nothing else.
 */
export function summarizeWithinLimits(absPath: string, text: string, file: string, options: SummaryOptions = {}): ModuleSummary | Problem {
  try {
    return summarizeModule(absPath, text, file, options);
  } catch (error) {
    if (!isLimitError(error)) throw error;
    return limitProblem(file, error);
  }
}

/**
 * Summarizes a module. `file` is used in problems; it is the path relative to the scanned root. In a
 * route file only the functions exported as HTTP methods (and what they alias or wrap) get request
 * info; elsewhere every exported function does, since a route may import it as a handler. Throws
 * AnalysisLimitError on a file beyond the analysis's bounds (summarizeWithinLimits makes it a problem).
 */
export function summarizeModule(absPath: string, text: string, file: string, options: SummaryOptions = {}): ModuleSummary {
  const sourceFile = parseSource(absPath, text);
  const summary: ModuleSummary = {
    exports: new Map(),
    stars: [],
    locals: new Map(),
    problems: [],
    useClient: hasDirective(sourceFile, 'use client'),
    useCache: hasDirective(sourceFile, 'use cache'),
    ...insertionPointOf(sourceFile),
    blankLines: blankLinesBetweenStatements(sourceFile),
  };
  const syntax = syntaxProblem(sourceFile, file);
  if (syntax) summary.problems.push(syntax);
  const constants = new Map<string, ts.Expression>();
  // Imports are hoisted, so collect them before any function body is read.
  for (const statement of sourceFile.statements) {
    if (isImportDeclaration(statement)) bindImports(statement, sourceFile, summary);
  }
  // A plain loop: flatMap with array-returning callbacks showed up in the profile of every file.
  const imports = new Map<string, { specifier: string; importedName: string }>();
  for (const [name, binding] of summary.locals) if (binding.type === 'import') imports.set(name, { specifier: binding.specifier, importedName: binding.importedName });
  const moduleNames = topLevelNames(sourceFile);
  const schemas = collectSchemas(sourceFile, imports);
  const pending: Pending = { values: [], wrappers: [] };
  const siteNodes = new Map<HandlerSite, FunctionNode>();
  // Facts are filled in at the end, when the exports tell which sites also need request info.
  const site = (fn: FunctionNode): HandlerSite => {
    const handler: HandlerSite = { span: spanOfNode(fn, sourceFile), facts: NO_FACTS };
    siteNodes.set(handler, fn);
    return handler;
  };

  const factoryDestructures: Array<{ pattern: ts.BindingName; initializer: ts.Expression }> = [];
  const bindVariable = (declaration: ts.VariableDeclaration, exported: boolean) => {
    if (isIdentifier(declaration.name)) {
      const name = declaration.name.text;
      const nameSpan = spanOfNode(declaration.name, sourceFile);
      if (declaration.initializer) constants.set(name, declaration.initializer);
      const binding = bindingOfInitializer(declaration.initializer, nameSpan, sourceFile, site, pending);
      if (binding.type === 'function' && !declaration.type) {
        const fn = functionTypedAsItself(declaration.initializer);
        const signature = fn && handlerSignatureOf(fn, sourceFile);
        if (signature) binding.handler.signature = signature;
      }
      summary.locals.set(name, binding);
      if (exported) summary.exports.set(name, { type: 'local', local: name, span: nameSpan, declared: true });
      return;
    }
    // export const { GET, POST } = handlers / export const { handlers: { GET, POST } } = NextAuth(...)
    if (declaration.initializer) factoryDestructures.push({ pattern: declaration.name, initializer: declaration.initializer });
    const source = declaration.initializer ? clipped(unwrapExpression(declaration.initializer).getText(sourceFile), MAX_SOURCE_TEXT) : '';
    for (const identifier of bindingIdentifiers(declaration.name)) {
      const nameSpan = spanOfNode(identifier, sourceFile);
      summary.locals.set(identifier.text, { type: 'destructured', nameSpan, source });
      if (exported) summary.exports.set(identifier.text, { type: 'local', local: identifier.text, span: nameSpan, declared: true });
    }
  };

  const overloaded = new Set<string>();
  for (const statement of sourceFile.statements) {
    const exported = hasModifier(statement, SyntaxKind.ExportKeyword);
    const isDefault = hasModifier(statement, SyntaxKind.DefaultKeyword);
    if (isVariableStatement(statement)) {
      if (hasModifier(statement, SyntaxKind.DeclareKeyword)) continue;
      for (const declaration of statement.declarationList.declarations) bindVariable(declaration, exported);
    } else if (isFunctionDeclaration(statement)) {
      if (!statement.body) {
        if (statement.name) overloaded.add(statement.name.text);
        continue; // an overload signature
      }
      const name = statement.name?.text;
      const nameSpan = spanOfNode(statement.name ?? statement, sourceFile);
      const binding: LocalBinding = { type: 'function', nameSpan, handler: site(statement), declaredAs: 'function' };
      // With overloads, the export's type is the overload list, which syntax cannot hold against Next's types.
      const signature = name && overloaded.has(name) ? undefined : handlerSignatureOf(statement, sourceFile);
      if (signature) binding.handler.signature = signature;
      if (name) summary.locals.set(name, binding);
      if (exported && isDefault) {
        summary.locals.set('*default*', binding);
        summary.exports.set('default', { type: 'local', local: '*default*', span: nameSpan, declared: true });
      } else if (exported && name) {
        summary.exports.set(name, { type: 'local', local: name, span: nameSpan, declared: true });
      }
    } else if (isClassDeclaration(statement)) {
      const name = statement.name?.text;
      const nameSpan = spanOfNode(statement.name ?? statement, sourceFile);
      const binding: LocalBinding = { type: 'value', nameSpan, value: { known: false, reason: 'a class' } };
      if (name) summary.locals.set(name, binding);
      if (exported) {
        const exportName = isDefault ? 'default' : name;
        if (exportName) summary.exports.set(exportName, { type: 'local', local: name ?? '*default*', span: nameSpan, declared: true });
        if (isDefault && !name) summary.locals.set('*default*', binding);
      }
    } else if (isEnumDeclaration(statement) && exported) {
      const nameSpan = spanOfNode(statement.name, sourceFile);
      summary.locals.set(statement.name.text, { type: 'value', nameSpan, value: { known: false, reason: 'an enum' } });
      summary.exports.set(statement.name.text, { type: 'local', local: statement.name.text, span: nameSpan, declared: true });
    } else if (isImportEqualsDeclaration(statement)) {
      const reference = statement.moduleReference;
      if (isExternalModuleReference(reference) && isStringLiteral(reference.expression)) {
        summary.locals.set(statement.name.text, { type: 'import', nameSpan: spanOfNode(statement.name, sourceFile), specifier: reference.expression.text, importedName: '*' });
      }
    } else if (isExportDeclaration(statement)) {
      if (statement.isTypeOnly) continue;
      const specifier = statement.moduleSpecifier && isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
      const clause = statement.exportClause;
      if (!clause) {
        if (specifier !== undefined) summary.stars.push({ specifier, span: spanOfNode(statement, sourceFile) });
      } else if (isNamespaceExport(clause)) {
        if (specifier !== undefined) summary.exports.set(clause.name.text, { type: 'namespace', specifier, span: spanOfNode(clause.name, sourceFile) });
      } else {
        for (const element of clause.elements) {
          if (element.isTypeOnly) continue;
          const exportedName = moduleExportNameText(element.name);
          const localName = moduleExportNameText(element.propertyName ?? element.name);
          const span = spanOfNode(element, sourceFile);
          if (specifier !== undefined) summary.exports.set(exportedName, { type: 'reexport', specifier, importedName: localName, span });
          else summary.exports.set(exportedName, { type: 'local', local: localName, span, declared: false });
        }
      }
    } else if (isExportAssignment(statement) && !statement.isExportEquals) {
      const nameSpan = spanOfNode(statement, sourceFile);
      const expr = unwrapExpression(statement.expression);
      const binding = isIdentifier(expr) ? ({ type: 'alias', nameSpan, target: expr.text } as const) : bindingOfInitializer(statement.expression, nameSpan, sourceFile, site, pending);
      summary.locals.set('*default*', binding);
      summary.exports.set('default', { type: 'local', local: '*default*', span: nameSpan, declared: true });
    } else if (isExpressionStatement(statement)) {
      bindCommonJsExport(statement, sourceFile, summary, site, pending);
    }
  }
  // After every statement, so that a factory declared below its call is found.
  for (const { pattern, initializer } of factoryDestructures) bindFactoryResults(pattern, initializer, summary.locals, sourceFile, site, (handler) => siteNodes.get(handler));
  for (const { binding, call, handlerArg } of pending.wrappers) {
    const args = optionArgsOf(call, schemas, imports, sourceFile);
    if (args || handlerArg) binding.wrapperOptions = handlerArg ? { args: args ?? [], handlerArg } : { args: args ?? [] };
  }
  // Only functions an export can reach (directly, through aliases and wrappers, or by calls) can affect a
  // route, so only they are walked; a helper nobody calls costs nothing.
  // The sites that can answer requests get request info: exported methods in a route file, every export
  // elsewhere (a route may import it as a handler).
  const handlers = new Set<HandlerSite>();
  const handlerNames = new Map<string, number>();
  for (const [name, entry] of summary.exports) {
    if (entry.type === 'local' && (!options.routeFile || METHOD_NAMES.has(name))) sitesOfLocal(summary, entry.local, (found) => handlers.add(found), false, handlerNames);
  }
  // Only functions an export can reach (directly, through aliases and wrappers, or by calls) can affect a
  // route, so only they are walked; a helper nobody calls costs nothing. The set grows as it is iterated.
  const reached = new Set<HandlerSite>();
  const reachedNames = new Map<string, number>();
  const reach = (local: string) => sitesOfLocal(summary, local, (found) => reached.add(found), true, reachedNames);
  for (const entry of summary.exports.values()) if (entry.type === 'local') reach(entry.local);
  // A route file's method whose code is a wrapper's argument gets its parameters from the wrapper.
  const wrappedSites = new Set<HandlerSite>();
  for (const binding of summary.locals.values()) if (binding.type === 'wrapped' && binding.handler) wrappedSites.add(binding.handler);
  for (const handler of reached) {
    const fn = siteNodes.get(handler)!;
    const isHandler = handlers.has(handler);
    // Every reached function that takes parameters gets a request collector: a helper or a wrapper passes
    // request data on too.
    const request = isHandler || fn.parameters.length > 0 ? requestInfoCollector(fn, sourceFile, { schemas, imports, moduleNames, mayBeRebound: !isHandler || !options.routeFile || wrappedSites.has(handler), flowOnly: !isHandler }) : undefined;
    handler.facts = collectFacts(fn, sourceFile, imports, summary.useCache, moduleNames, request?.visit);
    const collected = request?.finish();
    if (isHandler) handler.request = collected?.info;
    if (collected?.flow) handler.flow = collected.flow;
    for (const call of handler.facts.calls) if (!call.member) reach(call.callee);
    // A wrapper's call of a local helper that is not in the effects' calls (it is passed no request) is reached too.
    for (const call of collected?.flow?.calls ?? []) if (!call.member && call.param === undefined) reach(call.callee);
  }
  const exportedSchemas = new Map<string, SchemaShape>();
  for (const entry of summary.exports.values()) {
    const shape = entry.type === 'local' ? schemas.get(entry.local) : undefined;
    if (shape && entry.type === 'local') exportedSchemas.set(entry.local, shape);
  }
  if (exportedSchemas.size > 0) summary.schemas = exportedSchemas;
  keepOnlyLinkedLocals(summary, reached);
  readPendingValues(pending.values, summary, sourceFile, constants);
  return options.postedToAnotherThread ? summary : detachStrings(summary);
}

export interface SummaryOptions {
  routeFile?: boolean;
  /** The summary is copied to another thread, which copies its strings anyway. */
  postedToAnotherThread?: boolean;
}

/**
 * Drops the module-level names nothing can look up: the linker reads a module's locals only by
 * following its exports (through aliases and wrappers) and the calls of the functions they reach. A
 * cold scan holds every summary at once, so what is dropped here is memory the collector need not
 * copy and trace (a third of a typical route file's summary).
 */
function keepOnlyLinkedLocals(summary: ModuleSummary, reached: ReadonlySet<HandlerSite>): void {
  const kept = new Set<string>();
  // A worklist, not recursion: a chain of aliases can be as long as the file.
  const pending: string[] = [];
  const keep = (name: string): void => {
    if (kept.has(name)) return;
    kept.add(name);
    pending.push(name);
  };
  for (const entry of summary.exports.values()) if (entry.type === 'local') keep(entry.local);
  for (const site of reached) {
    for (const call of site.facts.calls) keep(call.callee);
    if (!site.flow) continue;
    // What linking follows from a flow: the functions it calls and the schemas it imports.
    for (const call of site.flow.calls) {
      if (call.param === undefined) keep(call.callee);
      for (const arg of call.args) if (arg) keepSchemaNames(arg, keep);
    }
    for (const read of site.flow.reads) for (const name of read.schemaImports ?? []) keep(name);
    for (const value of site.flow.returns) keepSchemaNames(value, keep);
  }
  for (const shape of summary.schemas?.values() ?? []) for (const base of shape.bases ?? []) keep(base);
  while (pending.length > 0) {
    const binding = summary.locals.get(pending.pop()!);
    if (binding?.type === 'alias') keep(binding.target);
    else if (binding?.type === 'wrapped') {
      if (binding.target) keep(binding.target);
      for (const callee of binding.wrapperCallees) keep(callee);
      for (const arg of binding.wrapperOptions?.args ?? []) if (arg) keepSchemaNames(arg, keep);
    }
  }
  for (const name of summary.locals.keys()) if (!kept.has(name)) summary.locals.delete(name);
}

/** Keeps the imported schemas a value hands over (`{ schemas: { body: CreateUser } }`), for linking to resolve. */
function keepSchemaNames(value: FlowValue, keep: (name: string) => void): void {
  for (const name of value.schema?.bases ?? []) keep(name);
  // Object values nest a bounded number of levels deep (see handlerInfo.ts).
  for (const [, inner] of value.object ?? []) keepSchemaNames(inner, keep);
}

/** Shorter substrings are copies in V8; longer ones are views into the string they were taken from. */
const MIN_VIEW_LENGTH = 13;

/**
 * A copy of `text` that holds no reference to a bigger string: a module specifier taken from the
 * syntax tree would otherwise keep the whole source text of its file alive as long as the summary.
 * (Concatenating flattens into a new string; the slice of it is a view of that small string only.)
 */
function ownString(text: string): string {
  return text.length < MIN_VIEW_LENGTH ? text : (' ' + text).slice(1);
}

/** Replaces every string in a summary (a tree of plain objects, arrays and maps) by its own copy. */
function detachStrings<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Map) {
    let longKeys = false;
    for (const [key, item] of value) {
      if (typeof key === 'string' && key.length >= MIN_VIEW_LENGTH) longKeys = true;
      if (typeof item === 'string') value.set(key, ownString(item));
      else detachStrings(item);
    }
    if (longKeys) {
      const entries = [...value];
      value.clear();
      for (const [key, item] of entries) value.set(typeof key === 'string' ? ownString(key) : key, item);
    }
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string') value[i] = ownString(item);
      else detachStrings(item);
    }
  } else {
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const item = record[key];
      if (typeof item === 'string') record[key] = ownString(item);
      else detachStrings(item);
    }
  }
  return value;
}

const METHOD_NAMES = new Set<string>(HTTP_METHODS);
/** How much of a destructured binding's source is kept (for messages and to recognize `NextAuth(...)`). */
const MAX_SOURCE_TEXT = 200;
/** How many wrappers around a handler are followed: `withAuth(withLogging(handler))` is two. */
const MAX_WRAPPERS = 12;
/** How much of a callee's text its label reads: the callee can be a megabyte-long chain. */
const MAX_LABEL_SOURCE = 2000;
const NO_FACTS: FunctionFacts = { effects: [], calls: [], paramReads: [], syncParamsReads: [], errorResponses: [], useCache: false };

/** Names declared at the top of a module (functions are hoisted, so calls may precede them). */
function topLevelNames(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of sourceFile.statements) {
    if ((isFunctionDeclaration(statement) || isClassDeclaration(statement)) && statement.name) names.add(statement.name.text);
    else if (isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) for (const identifier of bindingIdentifiers(declaration.name)) names.add(identifier.text);
    }
  }
  return names;
}

/**
 * The function sites a module-level name stands for, through aliases and wrappers as the linker follows
 * them; with `withWrappers`, also the local wrapper functions themselves (their returned handler runs).
 * `explored` holds the names walked so far, each with the least depth it was walked at, and is shared by
 * the walks that report to the same `onSite`: a name met again no shallower has nothing to add, and
 * without it wrappers of wrappers of wrappers would multiply the walk.
 */
function sitesOfLocal(
  summary: ModuleSummary,
  local: string,
  onSite: (site: HandlerSite) => void,
  withWrappers: boolean,
  explored: Map<string, number>,
  depth = 0,
): void {
  const binding = summary.locals.get(local);
  if (!binding || depth > 8) return;
  const exploredAt = explored.get(local);
  if (exploredAt !== undefined && exploredAt <= depth) return;
  explored.set(local, depth);
  if (binding.type === 'function') onSite(binding.handler);
  else if (binding.type === 'wrapped') {
    if (binding.handler) onSite(binding.handler);
    else if (binding.target) sitesOfLocal(summary, binding.target, onSite, withWrappers, explored, depth + 1);
    if (withWrappers) for (const callee of binding.wrapperCallees) sitesOfLocal(summary, callee, onSite, withWrappers, explored, depth + 1);
  } else if (binding.type === 'alias') sitesOfLocal(summary, binding.target, onSite, withWrappers, explored, depth + 1);
}

function insertionPointOf(sourceFile: ts.SourceFile): { insertionLine: number; insertionNeedsBlankLine: boolean } {
  let end = 0;
  for (const statement of sourceFile.statements) {
    const isPrologue = isExpressionStatement(statement) && isStringLiteral(statement.expression);
    if (!isImportDeclaration(statement) && !isPrologue) break;
    end = statement.getEnd();
  }
  if (end === 0) return { insertionLine: 1, insertionNeedsBlankLine: false };
  const lastHeaderLine = sourceFile.getLineAndCharacterOfPosition(end).line; // 0-based
  const lineStarts = sourceFile.getLineStarts();
  const next = lineStarts[lastHeaderLine + 1];
  const nextText = next === undefined ? '' : sourceFile.text.slice(next, lineStarts[lastHeaderLine + 2] ?? sourceFile.text.length);
  const blankFollows = next !== undefined && nextText.trim() === '';
  // Insert after the blank line that follows the imports, or make one.
  return blankFollows ? { insertionLine: lastHeaderLine + 3, insertionNeedsBlankLine: false } : { insertionLine: lastHeaderLine + 2, insertionNeedsBlankLine: true };
}

function blankLinesBetweenStatements(sourceFile: ts.SourceFile): number[] {
  const lines: number[] = [];
  let gapStart = 0;
  for (const statement of sourceFile.statements) {
    blankLinesIn(sourceFile, gapStart, statement.getStart(sourceFile), lines);
    gapStart = statement.end;
  }
  blankLinesIn(sourceFile, gapStart, sourceFile.text.length, lines);
  return lines;
}

/** Adds the blank lines that lie wholly inside text[from, to), 1-based. */
function blankLinesIn(sourceFile: ts.SourceFile, from: number, to: number, lines: number[]): void {
  const text = sourceFile.text;
  let line = sourceFile.getLineAndCharacterOfPosition(from).line + 1;
  // A line the gap starts in the middle of belongs partly to the statement before it.
  let blank = from === 0 || text.charCodeAt(from - 1) === 10;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) {
      if (blank) lines.push(line);
      line++;
      blank = true;
    } else if (blank && code !== 32 && code !== 9 && code !== 13 && code !== 12 && code !== 11 && code !== 0xa0 && code !== 0xfeff) {
      blank = /\s/.test(text[i]);
    }
  }
  if (blank && to === text.length) lines.push(line);
}

function hasDirective(sourceFile: ts.SourceFile, directive: string): boolean {
  for (const statement of sourceFile.statements) {
    if (!isExpressionStatement(statement) || !isStringLiteral(statement.expression)) return false;
    if (statement.expression.text === directive) return true;
  }
  return false;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  // Read the list directly: ts.getModifiers copies it into a new array on every call.
  const modifiers = canHaveModifiers(node) ? node.modifiers : undefined;
  if (modifiers) for (const modifier of modifiers) if (modifier.kind === kind) return true;
  return false;
}

function moduleExportNameText(name: ts.ModuleExportName): string {
  return name.text;
}

function bindingIdentifiers(name: ts.BindingName, out: ts.Identifier[] = [], depth = 0): ts.Identifier[] {
  checkDepth(depth);
  if (isIdentifier(name)) out.push(name);
  else {
    for (const element of name.elements) {
      if (isBindingElement(element)) bindingIdentifiers(element.name, out, depth + 1);
    }
  }
  return out;
}

function bindImports(statement: ts.ImportDeclaration, sourceFile: ts.SourceFile, summary: ModuleSummary): void {
  const clause = statement.importClause;
  if (!clause || clause.isTypeOnly || !isStringLiteral(statement.moduleSpecifier)) return;
  const specifier = statement.moduleSpecifier.text;
  if (clause.name) {
    summary.locals.set(clause.name.text, { type: 'import', nameSpan: spanOfNode(clause.name, sourceFile), specifier, importedName: 'default' });
  }
  const bindings = clause.namedBindings;
  if (!bindings) return;
  if (isNamespaceImport(bindings)) {
    summary.locals.set(bindings.name.text, { type: 'import', nameSpan: spanOfNode(bindings.name, sourceFile), specifier, importedName: '*' });
    return;
  }
  for (const element of bindings.elements) {
    if (element.isTypeOnly) continue;
    const importedName = moduleExportNameText(element.propertyName ?? element.name);
    summary.locals.set(element.name.text, { type: 'import', nameSpan: spanOfNode(element.name, sourceFile), specifier, importedName });
  }
}

/** `exports.GET = ...` and `module.exports.GET = ...` in CommonJS route files. */
function bindCommonJsExport(
  statement: ts.ExpressionStatement,
  sourceFile: ts.SourceFile,
  summary: ModuleSummary,
  site: (fn: FunctionNode) => HandlerSite,
  pending: Pending,
): void {
  const expr = statement.expression;
  if (!isBinaryExpression(expr) || expr.operatorToken.kind !== SyntaxKind.EqualsToken) return;
  const left = expr.left;
  if (!isPropertyAccessExpression(left)) return;
  const target = left.expression.getText(sourceFile);
  if (target !== 'exports' && target !== 'module.exports') return;
  const name = left.name.text;
  const nameSpan = spanOfNode(left.name, sourceFile);
  const local = `*cjs*${name}`;
  summary.locals.set(local, bindingOfInitializer(expr.right, nameSpan, sourceFile, site, pending));
  summary.exports.set(name, { type: 'local', local, span: nameSpan, declared: true });
}

/** The function an initializer is, when its type is the function's own: through parentheses and `satisfies`, not `as`. */
function functionTypedAsItself(initializer: ts.Expression | undefined): FunctionNode | undefined {
  let current = initializer;
  for (let depth = 0; current && depth < 16; depth++) {
    if (isFunctionNode(current)) return current;
    if (current.kind === SyntaxKind.ParenthesizedExpression || current.kind === SyntaxKind.SatisfiesExpression) {
      current = (current as ts.ParenthesizedExpression | ts.SatisfiesExpression).expression;
    } else return undefined;
  }
  return undefined;
}

/** What `const name = <initializer>` binds: a handler, a wrapped handler, an alias, or a value. */
function bindingOfInitializer(
  initializer: ts.Expression | undefined,
  nameSpan: Span,
  sourceFile: ts.SourceFile,
  site: (fn: FunctionNode) => HandlerSite,
  pending: Pending,
): LocalBinding {
  if (!initializer) return { type: 'value', nameSpan, value: { known: false, reason: 'declared without a value' } };
  const expr = unwrapExpression(initializer);
  if (isFunctionNode(expr)) return { type: 'function', nameSpan, handler: site(expr), declaredAs: 'const' };
  if (isIdentifier(expr) && expr.text !== 'undefined') return { type: 'alias', nameSpan, target: expr.text };
  if (isCallExpression(expr) && !isLiteralFactory(expr)) {
    const wrappers: string[] = [];
    const wrapperCallees: string[] = [];
    const innermost: InnermostCall = {};
    const inner = innermostHandler(expr, wrappers, wrapperCallees, sourceFile, innermost);
    const binding: Extract<LocalBinding, { type: 'wrapped' }> = { type: 'wrapped', nameSpan, wrappers, wrapperCallees };
    if (inner && isFunctionNode(inner)) binding.handler = site(inner);
    else if (inner && isIdentifier(inner)) binding.target = inner.text;
    // Only a call named by the last callee recorded is the one that calls the handler.
    if (innermost.call && innermost.calleeIndex === wrapperCallees.length - 1) pending.wrappers.push({ binding, call: innermost.call, handlerArg: innermost.handlerArg });
    return binding;
  }
  const binding: ValueBinding = { type: 'value', nameSpan, value: VALUE_NOT_READ };
  pending.values.push({ binding, expr });
  return binding;
}

type ValueBinding = Extract<LocalBinding, { type: 'value' }>;

/** A constant whose value is read only if the summary keeps it (most module constants are dropped). */
interface PendingValue {
  binding: ValueBinding;
  expr: ts.Expression;
}

/** What module-level bindings leave to be read once the whole module is seen. */
interface Pending {
  values: PendingValue[];
  wrappers: PendingWrapper[];
}

const VALUE_NOT_READ: StaticValue<Literal> = { known: false, reason: 'not read' };

/** A wrapper call whose other arguments are read once the module's schemas are known. */
interface PendingWrapper {
  binding: Extract<LocalBinding, { type: 'wrapped' }>;
  call: ts.CallExpression;
  handlerArg?: { index: number; key: string };
}

function readPendingValues(pendingValues: readonly PendingValue[], summary: ModuleSummary, sourceFile: ts.SourceFile, constants: ReadonlyMap<string, ts.Expression>): void {
  if (pendingValues.length === 0) return;
  const kept = new Set(summary.locals.values());
  for (const { binding, expr } of pendingValues) {
    if (!kept.has(binding)) continue;
    const value = readStaticValue(expr, sourceFile);
    if (!value.known) {
      // Only the constants declared before this one, as when statements run in order. (A view, not a
      // copy: copying them for each constant would be quadratic in a file of many.)
      const declaredBefore: ConstantLookup = {
        get: (name) => {
          const initializer = constants.get(name);
          return initializer && initializer.pos <= expr.pos ? initializer : undefined;
        },
      };
      const folded = foldNumber(expr, declaredBefore);
      if (folded !== undefined) value.evaluated = folded;
    }
    binding.value = value;
  }
}

/** Calls whose result is plain data, not a wrapped handler. */
function isLiteralFactory(call: ts.CallExpression): boolean {
  const callee = call.expression;
  const name = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : '';
  return /^(Symbol|Number|String|Boolean|BigInt)$/.test(name);
}

/**
 * Unwraps `withAuth(withLogging(async (req) => ...))`, `compose(a, b)(handler)` and
 * `handler.bind(x)`, recording the wrappers outermost first. Returns the innermost function literal,
 * or the identifier the chain ends in.
 */
function innermostHandler(call: ts.CallExpression, wrappers: string[], callees: string[], sourceFile: ts.SourceFile, innermost: InnermostCall, depth = 0): ts.Expression | undefined {
  if (depth > MAX_WRAPPERS) {
    // Deeper wrappers are not followed. A chain nested deeper than the syntax bound still makes the file
    // too deep, as it does on a thread whose parser runs out of stack on it first.
    for (let inner: ts.Node | undefined = call; inner && isCallExpression(inner); inner = inner.arguments[0] && unwrapExpression(inner.arguments[0])) checkDepth(depth++);
    return undefined;
  }
  wrappers.push(calleeLabel(call.expression, sourceFile));
  let root: ts.Expression = call.expression;
  while (isCallExpression(root)) root = root.expression;
  if (isIdentifier(root)) callees.push(root.text);
  const found = (handler: ts.Expression, handlerArg?: { index: number; key: string }): ts.Expression => {
    Object.assign(innermost, { call, calleeIndex: isIdentifier(root) ? callees.length - 1 : -1, handlerArg });
    return handler;
  };
  let fallback: ts.Expression | undefined;
  for (const [index, argument] of call.arguments.entries()) {
    const expr = unwrapExpression(argument);
    if (isFunctionNode(expr)) return found(expr);
    if (isCallExpression(expr)) {
      const nested = innermostHandler(expr, wrappers, callees, sourceFile, innermost, depth + 1);
      if (nested) return nested;
    }
    if (isIdentifier(expr) && fallback === undefined) fallback = expr;
    if (isObjectLiteralExpression(expr)) {
      // withRoute({ handler: async (req) => ..., auth: true })
      for (const property of expr.properties) {
        if (isPropertyAssignment(property) && isFunctionNode(unwrapExpression(property.initializer))) {
          const key = propertyNameText(property.name);
          if (key && /handler|handle|fn|resolve/i.test(key)) return found(unwrapExpression(property.initializer), { index, key });
        }
        if (isMethodDeclaration(property)) {
          const key = propertyNameText(property.name);
          if (key && /handler|handle|fn|resolve/i.test(key)) return undefined;
        }
      }
    }
  }
  return fallback && found(fallback);
}

/** The call that takes the handler as an argument, as innermostHandler finds it. */
interface InnermostCall {
  call?: ts.CallExpression;
  /** Its callee's index in the callees recorded, or -1 when its callee is no plain name. */
  calleeIndex?: number;
  handlerArg?: { index: number; key: string };
}

function calleeLabel(callee: ts.Expression, sourceFile: ts.SourceFile): string {
  const start = callee.getStart(sourceFile);
  const text = sourceFile.text.slice(start, Math.min(callee.end, start + MAX_LABEL_SOURCE)).replace(/\s+/g, ' ');
  return text.length > 60 || callee.end - start > MAX_LABEL_SOURCE ? text.slice(0, 57) + '...' : text;
}

function clipped(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 3) + '...' : text;
}
