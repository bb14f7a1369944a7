// The one place that turns analysis data into LSP shapes.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeAction,
  CodeActionKind,
  Diagnostic,
  DiagnosticRelatedInformation,
  DiagnosticSeverity,
  Location,
  Range,
  TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Problem, Severity, Span } from '../analysis/model';

/** 1-based analysis span → 0-based LSP range. */
export function toRange(span: Span | undefined): Range {
  if (!span) return Range.create(0, 0, 0, 0);
  return Range.create(span.line - 1, span.column - 1, span.endLine - 1, span.endColumn - 1);
}

export function toUri(root: string, relativeFile: string): string {
  return pathToFileURL(path.resolve(root, relativeFile)).toString();
}

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** The diagnostic for a problem, with the severity a setting chose; `data` keeps what quick fixes need. */
export function toDiagnostic(problem: Problem, severity: Severity, root: string): Diagnostic {
  const diagnostic = Diagnostic.create(toRange(problem.span), problem.message, SEVERITIES[severity], problem.id, 'Route Atlas');
  if (problem.related?.length) {
    diagnostic.relatedInformation = problem.related.map((r) => DiagnosticRelatedInformation.create(Location.create(toUri(root, r.file), toRange(r.span)), r.message));
  }
  if (problem.fix) diagnostic.data = { fix: problem.fix, root };
  return diagnostic;
}

/** The quick fix a diagnostic carries, as a code action. */
export function toCodeAction(diagnostic: Diagnostic): CodeAction | undefined {
  const data = diagnostic.data as { fix?: Problem['fix']; root?: string } | undefined;
  if (!data?.fix || !data.root) return undefined;
  const changes: WorkspaceEdit['changes'] = {};
  for (const edit of data.fix.edits) {
    const uri = toUri(data.root, edit.file);
    (changes[uri] ??= []).push(TextEdit.replace(toRange(edit.span), edit.newText));
  }
  const action = CodeAction.create(data.fix.title, { changes }, CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  action.isPreferred = true;
  return action;
}
