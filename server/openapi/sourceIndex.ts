// What the OpenAPI generator needs to find a schema's declaration: each module's top-level declarations,
// imports and exports, read from its syntax on first use and kept for the rest of one document's build,
// and names followed through imports and re-exports across files.
import type { ts } from 'ts-morph';
import {
  isEnumDeclaration,
  isExportAssignment,
  isExportDeclaration,
  isIdentifier,
  isImportDeclaration,
  isNamespaceExport,
  isNamespaceImport,
  isStringLiteral,
  isVariableStatement,
  canHaveModifiers,
  SyntaxKind,
} from '../analysis/typescriptBindings';
import { isLimitError } from '../analysis/limits';
import { parseSource } from '../analysis/parse';

/** How a generator reads the workspace: text as the analysis reads it, and imports as linking resolves them. */
export interface SourceAccess {
  /** Text of a file, or undefined when it cannot be read or is not parsed (too large, binary). */
  readText(abs: string): string | undefined;
  resolve(specifier: string, fromAbs: string): string | undefined;
  /** The file's name relative to the scanned root, for notes. */
  relative(abs: string): string;
}

export type SchemaLibrary = 'zod' | 'valibot' | 'yup';

export interface ModuleIndex {
  abs: string;
  sourceFile: ts.SourceFile;
  /** `const Name = <initializer>` at the top level (and `export default <expression>` as `*default*`). */
  declarations: Map<string, ts.Expression>;
  enums: Map<string, ts.EnumDeclaration>;
  imports: Map<string, { specifier: string; importedName: string }>;
  exports: Map<string, { local: string } | { specifier: string; importedName: string }>;
  stars: string[];
}

/** What a name stands for, as far as syntax and imports tell. */
export type Resolved =
  | { kind: 'declaration'; module: ModuleIndex; name: string; init: ts.Expression }
  | { kind: 'enum'; module: ModuleIndex; name: string; node: ts.EnumDeclaration }
  /** The library itself (`z`, `* as v`, `yup`) when `importedName` is `*`, or one of its exports (`object` from valibot). */
  | { kind: 'library'; library: SchemaLibrary; importedName: string }
  | { kind: 'namespace'; module: ModuleIndex }
  | { kind: 'unresolved'; reason: string };

/** How many imports and re-exports one lookup follows; real code needs a handful. */
const MAX_HOPS = 32;

/** The schema library a module specifier names, if any: `zod` (and `zod/v4`, `zod/mini`), `valibot`, `yup`. */
export function libraryOfSpecifier(specifier: string): SchemaLibrary | undefined {
  if (specifier === 'zod' || specifier.startsWith('zod/')) return 'zod';
  if (specifier === 'valibot') return 'valibot';
  if (specifier === 'yup') return 'yup';
  return undefined;
}

/** The names the libraries' documentation imports them under, for a namespace that comes from elsewhere. */
const CONVENTIONAL_NAMES: Record<string, SchemaLibrary> = { z: 'zod', v: 'valibot', yup: 'yup', Yup: 'yup' };

export class SourceIndex {
  private readonly modules = new Map<string, ModuleIndex | null>();
  /** Files that could not be indexed, with why: each becomes one note. */
  readonly failures = new Map<string, string>();

  constructor(readonly access: SourceAccess) {}

  /** The index of a file, parsed on first use; undefined when it cannot be read or parsed within the limits. */
  module(abs: string): ModuleIndex | undefined {
    const known = this.modules.get(abs);
    if (known !== undefined) return known ?? undefined;
    let index: ModuleIndex | null = null;
    const text = this.access.readText(abs);
    if (text === undefined) this.failures.set(abs, 'it could not be read');
    else {
      try {
        index = indexModule(abs, parseSource(abs, text));
      } catch (error) {
        if (!isLimitError(error)) throw error;
        this.failures.set(abs, 'it is nested too deeply to read');
      }
    }
    this.modules.set(abs, index);
    return index ?? undefined;
  }

  /** What `name` stands for at the top level of `module`: a declaration, an import followed to its source, a library. */
  resolveName(module: ModuleIndex, name: string): Resolved {
    return this.resolveLocal(module, name, new Set(), 0);
  }

  /** What a module exports under `exportName`. */
  resolveExport(module: ModuleIndex, exportName: string): Resolved {
    return this.exported(module, exportName, new Set(), 0) ?? { kind: 'unresolved', reason: `${this.access.relative(module.abs)} exports no ${exportName}` };
  }

  private resolveLocal(module: ModuleIndex, name: string, seen: Set<string>, hops: number): Resolved {
    const init = module.declarations.get(name);
    if (init) return { kind: 'declaration', module, name, init };
    const enumNode = module.enums.get(name);
    if (enumNode) return { kind: 'enum', module, name, node: enumNode };
    const imported = module.imports.get(name);
    if (!imported) {
      const library = CONVENTIONAL_NAMES[name];
      return library ? { kind: 'library', library, importedName: '*' } : { kind: 'unresolved', reason: `${name} is not declared at the top level of ${this.access.relative(module.abs)}` };
    }
    return this.fromModule(module, imported.specifier, imported.importedName, name, seen, hops + 1);
  }

  /** `importedName` of the module `specifier` names, seen from `module`; `local` is the name it has there. */
  private fromModule(module: ModuleIndex, specifier: string, importedName: string, local: string, seen: Set<string>, hops: number): Resolved {
    const library = libraryOfSpecifier(specifier);
    if (library) return { kind: 'library', library, importedName: libraryExportName(library, importedName) };
    if (hops > MAX_HOPS) return { kind: 'unresolved', reason: `${local} is re-exported more than ${MAX_HOPS} times` };
    const target = this.access.resolve(specifier, module.abs);
    if (!target) {
      // A package outside the workspace: a wrapper of a schema library (`@hono/zod-openapi` exports `z`) is
      // recognised by the name the library's own documentation uses.
      const conventional = CONVENTIONAL_NAMES[importedName === '*' || importedName === 'default' ? local : importedName];
      if (conventional) return { kind: 'library', library: conventional, importedName: '*' };
      const where = specifier.startsWith('.') || specifier.startsWith('/') ? 'which names no file' : 'outside the workspace';
      return { kind: 'unresolved', reason: `${local} comes from '${specifier}', ${where}` };
    }
    const targetModule = this.module(target);
    if (!targetModule) return { kind: 'unresolved', reason: `${this.access.relative(target)} could not be read` };
    if (importedName === '*') return { kind: 'namespace', module: targetModule };
    return this.exported(targetModule, importedName, seen, hops) ?? { kind: 'unresolved', reason: `${this.access.relative(target)} exports no ${importedName}` };
  }

  private exported(module: ModuleIndex, exportName: string, seen: Set<string>, hops: number): Resolved | undefined {
    const key = `${module.abs}\0${exportName}`;
    // `export *` graphs may fan out and loop: each module is asked for a name once per lookup.
    if (seen.has(key)) return undefined;
    seen.add(key);
    const entry = module.exports.get(exportName);
    if (entry && 'local' in entry) return this.resolveLocal(module, entry.local, seen, hops + 1);
    if (entry) return this.fromModule(module, entry.specifier, entry.importedName, exportName, seen, hops + 1);
    if (exportName === 'default') return undefined;
    for (const specifier of module.stars) {
      const library = libraryOfSpecifier(specifier);
      if (library) return { kind: 'library', library, importedName: libraryExportName(library, exportName) };
      if (hops > MAX_HOPS) return undefined;
      const target = this.access.resolve(specifier, module.abs);
      const targetModule = target ? this.module(target) : undefined;
      if (!targetModule) continue;
      const found = this.exported(targetModule, exportName, seen, hops + 1);
      if (found) return found;
    }
    return undefined;
  }
}

/**
 * The name of a library export as the converter reads it: `*` for the library itself, which is what
 * `import z from 'zod'`, `import { z } from 'zod'` and `import * as yup from 'yup'` give.
 */
function libraryExportName(library: SchemaLibrary, importedName: string): string {
  if (importedName === 'default' || importedName === '*') return '*';
  if (library === 'zod' && importedName === 'z') return '*';
  return importedName;
}

function hasExportModifier(statement: ts.Statement): boolean {
  if (!canHaveModifiers(statement)) return false;
  return (statement as ts.HasModifiers).modifiers?.some((modifier) => modifier.kind === SyntaxKind.ExportKeyword) ?? false;
}

function indexModule(abs: string, sourceFile: ts.SourceFile): ModuleIndex {
  const index: ModuleIndex = { abs, sourceFile, declarations: new Map(), enums: new Map(), imports: new Map(), exports: new Map(), stars: [] };
  for (const statement of sourceFile.statements) {
    const exported = hasExportModifier(statement);
    if (isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!isIdentifier(declaration.name) || !declaration.initializer) continue;
        index.declarations.set(declaration.name.text, declaration.initializer);
        if (exported) index.exports.set(declaration.name.text, { local: declaration.name.text });
      }
    } else if (isEnumDeclaration(statement)) {
      index.enums.set(statement.name.text, statement);
      if (exported) index.exports.set(statement.name.text, { local: statement.name.text });
    } else if (isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (!clause || clause.isTypeOnly || !isStringLiteral(statement.moduleSpecifier)) continue;
      const specifier = statement.moduleSpecifier.text;
      if (clause.name) index.imports.set(clause.name.text, { specifier, importedName: 'default' });
      const bindings = clause.namedBindings;
      if (bindings && isNamespaceImport(bindings)) index.imports.set(bindings.name.text, { specifier, importedName: '*' });
      else if (bindings && bindings.kind === SyntaxKind.NamedImports) {
        for (const element of (bindings as ts.NamedImports).elements) {
          if (element.isTypeOnly) continue;
          index.imports.set(element.name.text, { specifier, importedName: (element.propertyName ?? element.name).text });
        }
      }
    } else if (isExportDeclaration(statement)) {
      if (statement.isTypeOnly) continue;
      const specifier = statement.moduleSpecifier && isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
      const clause = statement.exportClause;
      if (!clause) {
        if (specifier !== undefined) index.stars.push(specifier);
      } else if (isNamespaceExport(clause)) {
        if (specifier !== undefined) index.exports.set(clause.name.text, { specifier, importedName: '*' });
      } else {
        for (const element of clause.elements) {
          if (element.isTypeOnly) continue;
          const local = (element.propertyName ?? element.name).text;
          index.exports.set(element.name.text, specifier !== undefined ? { specifier, importedName: local } : { local });
        }
      }
    } else if (isExportAssignment(statement) && !statement.isExportEquals) {
      if (isIdentifier(statement.expression)) index.exports.set('default', { local: statement.expression.text });
      else {
        index.declarations.set('*default*', statement.expression);
        index.exports.set('default', { local: '*default*' });
      }
    }
  }
  return index;
}
