import type { Problem, Span } from './model';

/**
 * How deep any walk over one file's syntax may go. Real code stays far below it (a few dozen levels);
 * a file generated to be hostile (thousands of nested brackets, a megabyte of `a.b.c...`) would otherwise
 * overflow the stack and take every other route of its folder with it.
 */
export const MAX_SYNTAX_DEPTH = 500;

/**
 * Thrown by a walk that reached one of the analysis's bounds. The workspace turns it into a problem on
 * the file being analyzed, and the rest of the manifest stays.
 */
export class AnalysisLimitError extends Error {
  constructor(
    readonly limit: 'too-deep' | 'too-much-work',
    message: string,
  ) {
    super(message);
    this.name = 'AnalysisLimitError';
  }
}

/**
 * The stack of the threads that analyze (the server's engine, a cold scan's summary worker), in MB. Node
 * gives a worker 4 MB and the main thread about 1 MB; the parser's own limit on nesting follows the stack,
 * so with the default a file could parse on the server and be too deep for the CLI. The same stack gives
 * the same answers.
 */
export const ANALYSIS_STACK_MB = 1;

/** Throws when a walk is deeper than MAX_SYNTAX_DEPTH; call it where a recursive walk enters a level. */
export function checkDepth(depth: number): void {
  if (depth > MAX_SYNTAX_DEPTH) throw new AnalysisLimitError('too-deep', `nested more than ${MAX_SYNTAX_DEPTH} levels deep`);
}

/** True for V8's stack overflow, the last line of defence behind the explicit bounds. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/** True for any error that means "this file is beyond what the analysis handles", not a bug. */
export function isLimitError(error: unknown): boolean {
  return error instanceof AnalysisLimitError || isStackOverflow(error);
}

/** The problem for a file the analysis gave up on because of one of its bounds. */
export function limitProblem(file: string, error: unknown, span?: Span): Problem {
  const tooMuchWork = error instanceof AnalysisLimitError && error.limit === 'too-much-work';
  const problem: Problem = {
    id: tooMuchWork ? 'too-much-work' : 'too-deep',
    severity: 'warning',
    file,
    message: tooMuchWork
      ? `${file} needs more analysis than Route Atlas allows for one file (${(error as Error).message}); what it exports is unknown.`
      : `${file} is nested too deeply to analyze (${error instanceof AnalysisLimitError ? error.message : `more than ${MAX_SYNTAX_DEPTH} levels of syntax`}); what it exports is unknown.`,
  };
  if (span) problem.span = span;
  return problem;
}
