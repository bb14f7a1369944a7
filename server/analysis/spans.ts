import { ts } from 'ts-morph';
import type { Span } from './model';

/** The span of a node, trivia excluded. */
export function spanOfNode(node: ts.Node, sourceFile: ts.SourceFile): Span {
  return spanOfRange(sourceFile, node.getStart(sourceFile), node.getEnd());
}

export function spanOfRange(sourceFile: ts.SourceFile, start: number, end: number): Span {
  const s = sourceFile.getLineAndCharacterOfPosition(start);
  const e = sourceFile.getLineAndCharacterOfPosition(end);
  return { line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}


export function toPosix(path: string): string {
  return path.replace(/\\/g, '/');
}
