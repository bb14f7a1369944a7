import { ts } from 'ts-morph';
import type { Span } from './model';

/** The span of a node, trivia excluded. */
export function spanOfNode(node: ts.Node, sourceFile: ts.SourceFile): Span {
  return spanOfRange(sourceFile, node.getStart(sourceFile), node.getEnd());
}

export function spanOfRange(sourceFile: ts.SourceFile, start: number, end: number): Span {
  const lineStarts = lineStartsOf(sourceFile);
  const line = lineOf(lineStarts, start);
  const endLine = end === start ? line : lineOf(lineStarts, end, line);
  return { line: line + 1, column: start - lineStarts[line] + 1, endLine: endLine + 1, endColumn: end - lineStarts[endLine] + 1 };
}

// Spans are taken by the hundred per file, one file after another: remembering the last file's line
// starts saves the lookup, and searching from the start line saves most of the search for the end.
let lastSourceFile: ts.SourceFile | undefined;
let lastLineStarts: readonly number[] = [];

function lineStartsOf(sourceFile: ts.SourceFile): readonly number[] {
  if (sourceFile !== lastSourceFile) {
    lastSourceFile = sourceFile;
    lastLineStarts = sourceFile.getLineStarts();
  }
  return lastLineStarts;
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
