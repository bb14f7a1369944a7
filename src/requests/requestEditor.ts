// The request editor: a request with a body is written in an editor of its own (request line, headers,
// blank line, body) and sent from there, with Ctrl+Enter, the editor title's ▶ or the lens above the
// request line. Its documents live in a small in-memory file system and are saved on every edit, so that
// closing one never asks where to save it; they are gone with the window.
import * as vscode from 'vscode';
import { formatRequestDocument, parseRequestDocument, type RequestDocument } from '../../server/requests/requestDocument';
import type { RequestInput } from '../../server/requests/buildRequest';
import type { LastResponse, RequestTarget } from './requestController';

export const REQUEST_SCHEME = 'route-atlas-request';
export const REQUEST_LANGUAGE = 'route-atlas-request';
export const SEND_DOCUMENT_COMMAND = 'routeAtlas.sendRequestDocument';

const SEND_KEY = process.platform === 'darwin' ? '⌘Enter' : 'Ctrl+Enter';

/** The in-memory files behind the request editors: one flat folder, text only. */
class RequestFiles implements vscode.FileSystemProvider {
  private readonly files = new Map<string, { data: Uint8Array; mtime: number }>();
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    if (uri.path === '/') return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    const file = this.files.get(uri.path);
    if (!file) throw vscode.FileSystemError.FileNotFound(uri);
    return { type: vscode.FileType.File, ctime: file.mtime, mtime: file.mtime, size: file.data.byteLength };
  }

  readDirectory(): Array<[string, vscode.FileType]> {
    return [...this.files.keys()].map((p) => [p.slice(1), vscode.FileType.File]);
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const file = this.files.get(uri.path);
    if (!file) throw vscode.FileSystemError.FileNotFound(uri);
    return file.data;
  }

  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    const existed = this.files.has(uri.path);
    this.files.set(uri.path, { data: content, mtime: Date.now() });
    this.changed.fire([{ type: existed ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri }]);
  }

  delete(uri: vscode.Uri): void {
    this.files.delete(uri.path);
    this.changed.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
  }

  rename(oldUri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(oldUri);
  }

  has(uri: vscode.Uri): boolean {
    return this.files.has(uri.path);
  }
}

/** A slash that is not one: the tab shows `POST ∕api∕users∕[id]` without the path becoming folders. */
function tabSafe(text: string): string {
  return text.replace(/\//g, '\u2215');
}

export class RequestEditor implements vscode.Disposable {
  private readonly files = new RequestFiles();
  private readonly targets = new Map<string, RequestTarget>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly send: (target: RequestTarget, input: RequestInput) => Promise<LastResponse | undefined>) {
    this.disposables.push(
      vscode.workspace.registerFileSystemProvider(REQUEST_SCHEME, this.files, { isCaseSensitive: true }),
      vscode.languages.registerCodeLensProvider({ scheme: REQUEST_SCHEME }, { provideCodeLenses: (document) => this.lenses(document) }),
      // Saved at every edit: a request editor is never dirty, so closing it never asks to save.
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.uri.scheme === REQUEST_SCHEME && event.document.isDirty) void event.document.save();
      }),
    );
    void this.closeEditorsOfEarlierWindows();
  }

  /** The editor's URI for a target: one per app, endpoint and method. */
  uriFor(target: RequestTarget): vscode.Uri {
    const publicPath = target.route?.publicPath ?? target.url;
    const app = target.appRoot === '.' ? '' : ` (${target.appRoot})`;
    const name = `${target.method.toUpperCase()} ${tabSafe(publicPath)}${tabSafe(app)}.http`;
    return vscode.Uri.from({ scheme: REQUEST_SCHEME, path: `/${name}`, query: target.root ? `root=${encodeURIComponent(target.root)}` : '' });
  }

  /** The open request editor of a target, if there is one. */
  openDocument(target: RequestTarget): vscode.TextDocument | undefined {
    const uri = this.uriFor(target).toString();
    return vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.toString() === uri);
  }

  /** Writes the request into its editor (replacing what an earlier one held) and shows it. */
  async open(target: RequestTarget, request: RequestDocument, comments: readonly string[]): Promise<vscode.TextEditor> {
    const uri = this.uriFor(target);
    this.targets.set(uri.toString(), target);
    const text = formatRequestDocument(request, comments);
    const open = this.openDocument(target);
    if (open) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(0, 0, open.lineCount, 0), text);
      await vscode.workspace.applyEdit(edit);
    } else this.files.writeFile(uri, new TextEncoder().encode(text));
    const document = open ?? (await vscode.workspace.openTextDocument(uri));
    if (document.languageId !== REQUEST_LANGUAGE) await vscode.languages.setTextDocumentLanguage(document, REQUEST_LANGUAGE);
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    // The cursor goes where the typing starts: inside the body, else at the end of the request line.
    const line = document.lineAt(this.bodyStartLine(document) ?? this.requestLine(document) ?? 0);
    const emptyString = line.text.indexOf('""');
    const cursor = emptyString >= 0 ? line.range.start.translate(0, emptyString + 1) : line.range.end;
    editor.selection = new vscode.Selection(cursor, cursor);
    return editor;
  }

  /** Brings an open request editor to the front, keeping what was typed in it. */
  async reveal(target: RequestTarget): Promise<boolean> {
    const document = this.openDocument(target);
    if (!document) return false;
    this.targets.set(document.uri.toString(), target);
    await vscode.window.showTextDocument(document, { preview: false });
    return true;
  }

  /**
   * Sends the request a request editor holds (the active one when no URI is given). A mistake in the
   * text is shown with its line, and the cursor goes there.
   */
  async sendDocument(uriArg?: unknown, options: { withoutBody?: boolean } = {}): Promise<LastResponse | undefined> {
    const uri = typeof uriArg === 'string' ? vscode.Uri.parse(uriArg) : uriArg instanceof vscode.Uri ? uriArg : vscode.window.activeTextEditor?.document.uri;
    if (!uri || uri.scheme !== REQUEST_SCHEME) {
      void vscode.window.showInformationMessage('Send Request sends the request of a Route Atlas request editor; open one from an endpoint\'s Send action.');
      return undefined;
    }
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? (await vscode.workspace.openTextDocument(uri));
    const parsed = parseRequestDocument(document.getText());
    if (!parsed.ok) {
      void vscode.window.showErrorMessage(`Line ${parsed.line}: ${parsed.message}`);
      const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
      if (editor) {
        const line = document.lineAt(Math.min(parsed.line, document.lineCount) - 1);
        editor.selection = new vscode.Selection(line.range.start, line.range.end);
        editor.revealRange(line.range);
      }
      return undefined;
    }
    const { request } = parsed;
    const known = this.targets.get(uri.toString());
    const root = new URLSearchParams(uri.query).get('root') ?? undefined;
    // A request editor restored from an earlier window still sends: to the first app's base URL.
    const target: RequestTarget = known ? { ...known, method: request.method } : { method: request.method, url: request.target.split('?')[0], appRoot: '.', root };
    const input: RequestInput = { url: request.target, headers: Object.fromEntries(request.headers) };
    if (!options.withoutBody && request.body !== undefined) input.body = request.body;
    return this.send(target, input);
  }

  private lenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const line = this.requestLine(document);
    if (line === undefined) return [];
    const range = document.lineAt(line).range;
    const parsed = parseRequestDocument(document.getText());
    const what = parsed.ok ? `${parsed.request.method} ${parsed.request.target.length > 60 ? parsed.request.target.slice(0, 59) + '…' : parsed.request.target}` : 'Request';
    const lenses = [new vscode.CodeLens(range, { title: `$(play) Send ${what} (${SEND_KEY})`, command: SEND_DOCUMENT_COMMAND, arguments: [document.uri.toString()] })];
    if (parsed.ok && parsed.request.body !== undefined) {
      lenses.push(new vscode.CodeLens(range, { title: 'Send Without Body', command: SEND_DOCUMENT_COMMAND, arguments: [document.uri.toString(), { withoutBody: true }] }));
    }
    return lenses;
  }

  /** The 0-based line of the request line: the first that is neither blank nor a comment. */
  private requestLine(document: vscode.TextDocument): number | undefined {
    for (let i = 0; i < document.lineCount; i++) {
      const text = document.lineAt(i).text.trimStart();
      if (text !== '' && !text.startsWith('#') && !text.startsWith('//')) return i;
    }
    return undefined;
  }

  /** The 0-based line inside the body where typing starts: the first line after the blank one, or its second line for `{`. */
  private bodyStartLine(document: vscode.TextDocument): number | undefined {
    const requestLine = this.requestLine(document);
    if (requestLine === undefined) return undefined;
    for (let i = requestLine + 1; i < document.lineCount; i++) {
      if (document.lineAt(i).text.trim() !== '') continue;
      if (i + 1 >= document.lineCount) return undefined;
      const first = document.lineAt(i + 1).text.trim();
      return (first === '{' || first === '[') && i + 2 < document.lineCount ? i + 2 : i + 1;
    }
    return undefined;
  }

  /** Request editors restored from an earlier window have no file behind them any more: close them. */
  private async closeEditorsOfEarlierWindows(): Promise<void> {
    const stale = vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .filter((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.scheme === REQUEST_SCHEME && !this.files.has(tab.input.uri));
    if (stale.length > 0) await vscode.window.tabGroups.close(stale);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
