// From the manifest's places (root-relative files, 1-based spans) to editor places, and opening them.
import * as vscode from 'vscode';
import type { Span } from '../server/analysis/model';

/** A manifest file (relative to the scanned root, `/` separators) as a URI. */
export function manifestFileUri(root: string, file: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.Uri.file(root), file);
}

/** A manifest span (1-based, end exclusive) as an editor range (0-based, end exclusive). */
export function spanToRange(span: Span): vscode.Range {
  const zeroBased = (n: number) => Math.max(0, n - 1);
  return new vscode.Range(zeroBased(span.line), zeroBased(span.column), zeroBased(span.endLine), zeroBased(span.endColumn));
}

export interface OpenOptions {
  /** Keep the focus where it is (a click in the tree keeps it in the tree, as the Explorer does). */
  preserveFocus?: boolean;
}

/**
 * Opens a file with a range selected. `vscode.open` rather than `showTextDocument`, so that a static
 * metadata file such as `icon.png` opens in the image viewer instead of failing as text.
 */
export async function openLocation(uri: vscode.Uri, selection: vscode.Range | undefined, options: OpenOptions = {}): Promise<void> {
  const showOptions: vscode.TextDocumentShowOptions = { preview: true, preserveFocus: options.preserveFocus ?? false, selection };
  await vscode.commands.executeCommand('vscode.open', uri, showOptions);
}

/** Whether two URIs name the same file (drive-letter and, on Windows and macOS, case differences aside). */
export function isSameFile(a: vscode.Uri, b: vscode.Uri): boolean {
  if (a.scheme !== b.scheme || a.authority !== b.authority) return false;
  if (a.scheme !== 'file') return a.path === b.path;
  const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';
  return caseInsensitive ? a.fsPath.toLowerCase() === b.fsPath.toLowerCase() : a.fsPath === b.fsPath;
}
