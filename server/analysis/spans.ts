import type { ts } from 'ts-morph';
import type { Span } from './model';

/** The span of a node, trivia excluded. */
export function spanOfNode(node: ts.Node, sourceFile: ts.SourceFile): Span {
  return spanOfRange(sourceFile, node.getStart(sourceFile), node.getEnd());
}

export function spanOfRange(sourceFile: ts.SourceFile, start: number, end: number): Span {
  // The source file computes its line starts once and keeps them; searching the end from the start line
  // saves most of the second search.
  const lineStarts = sourceFile.getLineStarts();
  const line = lineOf(lineStarts, start);
  const endLine = end === start ? line : lineOf(lineStarts, end, line);
  return { line: line + 1, column: start - lineStarts[line] + 1, endLine: endLine + 1, endColumn: end - lineStarts[endLine] + 1 };
}

/** The 0-based line holding `position`, searching from line `from` on. */
function lineOf(lineStarts: readonly number[], position: number, from = 0): number {
  let low = from;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lineStarts[middle] <= position) low = middle;
    else high = middle - 1;
  }
  return low;
}

export function toPosix(path: string): string {
  return path.replace(/\\/g, '/');
}
