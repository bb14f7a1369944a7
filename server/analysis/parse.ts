import type { ts } from 'ts-morph';
import { createSourceFile, flattenDiagnosticMessageText, JSDocParsingMode, loadTypeScript, ScriptKind, ScriptTarget } from './typescriptBindings';
import { checkDepth, isStackOverflow, MAX_SYNTAX_DEPTH } from './limits';
import type { Problem } from './model';
import { spanOfRange } from './spans';

let parseOptions: ts.CreateSourceFileOptions | undefined;

/**
 * Parses one file syntactically: no program, no binder, no type checker, and no JSDoc (nothing reads it).
 * Syntax nested deeper than the parser's recursion survives throws the analysis's own 'too-deep' error.
 */
export function parseSource(path: string, text: string): ts.SourceFile {
  loadTypeScript();
  parseOptions ??= { languageVersion: ScriptTarget.Latest, jsDocParsingMode: JSDocParsingMode.ParseNone };
  const PARSE_OPTIONS = parseOptions;
  try {
    return createSourceFile(path, text, PARSE_OPTIONS, false, scriptKindOf(path));
  } catch (error) {
    if (!isStackOverflow(error)) throw error;
    // The parser keeps its state in module variables and resets them only when a parse returns; parsing
    // nothing lets go of the text that overflowed.
    createSourceFile(path, '', PARSE_OPTIONS, false, scriptKindOf(path));
    // It overflows only far beyond the bound, so this is the error the analysis's own walks throw there:
    // a file gets the same problem whichever of the two meets its nesting first. (Where the parser
    // overflows depends on the thread's stack, and a worker's is larger: nesting that deep in code no walk
    // reads, an unused constant say, can be a problem on one thread and parse on another.)
    checkDepth(MAX_SYNTAX_DEPTH + 1);
    throw error;
  }
}

export function scriptKindOf(path: string): ts.ScriptKind {
  if (/\.(tsx)$/.test(path)) return ScriptKind.TSX;
  if (/\.(ts|mts|cts)$/.test(path)) return ScriptKind.TS;
  if (/\.(jsx)$/.test(path)) return ScriptKind.JSX;
  return ScriptKind.JS;
}

/** The parser's first syntax error, as a problem, or undefined when the file parses cleanly. */
export function syntaxProblem(sourceFile: ts.SourceFile, file: string): Problem | undefined {
  // parseDiagnostics is internal to TypeScript but has been stable for a decade; it is the only way
  // to learn about syntax errors without building a program.
  const diagnostics = (sourceFile as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics;
  if (!diagnostics || diagnostics.length === 0) return undefined;
  const first = diagnostics[0];
  const message = flattenDiagnosticMessageText(first.messageText, '\n');
  const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : '';
  return {
    id: 'syntax-error',
    severity: 'error',
    message: `Syntax error: ${message}${more}. Exports before the error are still listed.`,
    file,
    span: spanOfRange(sourceFile, first.start, first.start + Math.max(first.length, 1)),
  };
}
