import type { QuickFix, Route } from '../model';
import type { ModuleSummary } from '../moduleSummary';

/** Sets `export const dynamic = '<mode>'`: replaces the value when the route has one, else inserts the export. */
export function setDynamicFix(route: Route, summary: ModuleSummary, mode: 'force-dynamic' | 'force-static'): QuickFix | undefined {
  const existing = route.segmentConfig.dynamic;
  const title = `Add \`export const dynamic = '${mode}'\``;
  if (existing) {
    if ((existing.file ?? route.file) !== route.file || !existing.span) return undefined;
    return { title: `Change to dynamic = '${mode}'`, edits: [{ file: route.file, span: existing.span, newText: `'${mode}'` }] };
  }
  const line = summary.insertionLine;
  const blankLineBefore = summary.insertionNeedsBlankLine ? '\n' : '';
  return { title, edits: [{ file: route.file, span: { line, column: 1, endLine: line, endColumn: 1 }, newText: `${blankLineBefore}export const dynamic = '${mode}';\n\n` }] };
}

/** Removes the statement on `line` (1-based) and, when it stands between blank lines, one of them. */
export function removeLineFix(file: string, line: number, summary: ModuleSummary, title: string): QuickFix {
  const blank = new Set(summary.blankLines);
  const betweenBlanks = blank.has(line + 1) && (line === 1 || blank.has(line - 1));
  const endLine = betweenBlanks ? line + 2 : line + 1;
  return { title, edits: [{ file, span: { line, column: 1, endLine, endColumn: 1 }, newText: '' }] };
}
