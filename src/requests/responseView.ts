// The response view: one webview panel that shows the last request's status, time, size, redirects,
// headers and body. The HTML is a fixed page with a strict Content-Security-Policy; every response value
// reaches it by postMessage and is written with textContent by media/response/response.js, so an HTML or
// script body is shown as text and never runs.
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import type { ResponseState } from './responseModel';

/** Messages the webview script sends. */
export type ViewMessage =
  | { type: 'ready' }
  | { type: 'resend' }
  | { type: 'openBody' }
  | { type: 'copyCurl' }
  | { type: 'history' }
  | ({ type: 'rendered' } & RenderedReport);

/** What the page reports after it drew a state: the body as the DOM holds it, and the elements it used. */
export interface RenderedReport {
  id: number;
  phase: string;
  bodyText: string;
  tags: string[];
}

export interface ResponseViewActions {
  resend(): void;
  openBody(): void;
  copyCurl(): void;
  history(): void;
}

const VIEW_TYPE = 'routeAtlas.response';

/** The page, without any response data: that arrives by postMessage. */
export function responseHtml(cspSource: string, nonce: string, styleUri: string, scriptUri: string): string {
  // img-src data: is for image previews the script builds from base64; nothing can load from the network.
  // An HTML body's preview is an <iframe sandbox srcdoc>: it inherits this policy, so its own inline styles
  // apply ('unsafe-inline': this page's markup is fixed and holds no response data), while its images and
  // fonts cannot load, frame-src 'none' stops it navigating anywhere, and the sandbox runs none of its scripts.
  const csp = `default-src 'none'; style-src ${cspSource} 'unsafe-inline'; img-src data:; frame-src 'none'; script-src 'nonce-${nonce}';`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${styleUri}">
<title>Response</title>
</head>
<body>
<header class="summary">
  <div class="request"><span id="method" class="method"></span> <span id="url" class="url"></span></div>
  <div class="facts"><span id="status" class="status"></span><span id="time"></span><span id="size"></span><span id="type"></span></div>
  <div class="actions">
    <button id="resend" type="button" title="Send the same request again">Re-send</button>
    <button id="openBody" type="button" title="All of the body in an editor tab">Open body in editor</button>
    <button id="copyCurl" type="button" title="Copy the request as a cURL command">Copy as cURL</button>
    <button id="history" type="button" title="The last requests of this endpoint">History</button>
  </div>
</header>
<div id="banner" class="banner" hidden></div>
<section id="redirectsSection" hidden><h2>Redirects</h2><ol id="redirects"></ol></section>
<details id="headersSection"><summary>Headers <span id="headerCount"></span></summary><table id="headers"><tbody></tbody></table></details>
<section class="bodySection">
  <div class="bodyBar"><h2>Body</h2><span id="bodyNote"></span><button id="toggleRaw" type="button" hidden>Raw</button><button id="preview" type="button" title="The page drawn in a sandbox: no scripts run, nothing loads from the network" hidden>Preview</button></div>
  <div id="body" class="body"></div>
</section>
<p id="source" class="source"></p>
<script nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}

export class ResponseView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private state: ResponseState | undefined;
  /** Text appended while a body streams in, kept to repaint a webview that was hidden and reloaded. */
  private streamed = '';
  private html: string | undefined;
  private rendered: RenderedReport | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly actions: ResponseViewActions,
  ) {}

  /** The HTML the panel was last given (for tests: it must never contain response data). */
  get lastHtml(): string | undefined {
    return this.html;
  }

  /** What the page last reported it drew (tests check that a hostile body became text, not elements). */
  get lastRendered(): RenderedReport | undefined {
    return this.rendered;
  }

  /** Shows a state (a new request, its response or its failure), opening the panel when it is closed. */
  show(state: ResponseState): void {
    this.state = state;
    if (state.phase !== 'streaming') this.streamed = '';
    const panel = this.ensurePanel();
    void panel.webview.postMessage({ type: 'render', state });
  }

  /** Appends streamed text to the body of the request with this id. */
  append(id: number, text: string): void {
    if (this.state?.id !== id || !this.panel) return;
    this.streamed += text;
    void this.panel.webview.postMessage({ type: 'append', id, text });
  }

  private ensurePanel(): vscode.WebviewPanel {
    if (this.panel) {
      if (!this.panel.visible) this.panel.reveal(undefined, true);
      return this.panel;
    }
    const media = vscode.Uri.joinPath(this.extensionUri, 'media', 'response');
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Response', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [media],
      // Nothing in the page needs a command URI or a form.
      enableCommandUris: false,
    });
    const nonce = crypto.randomBytes(16).toString('base64');
    const webview = panel.webview;
    this.html = responseHtml(
      webview.cspSource,
      nonce,
      webview.asWebviewUri(vscode.Uri.joinPath(media, 'response.css')).toString(),
      webview.asWebviewUri(vscode.Uri.joinPath(media, 'response.js')).toString(),
    );
    webview.html = this.html;
    webview.onDidReceiveMessage((message: ViewMessage) => this.onMessage(message), undefined, this.disposables);
    panel.onDidDispose(
      () => {
        this.panel = undefined;
      },
      undefined,
      this.disposables,
    );
    this.panel = panel;
    return panel;
  }

  private onMessage(message: ViewMessage): void {
    switch (message.type) {
      case 'ready':
        // A webview that was hidden is reloaded (retainContextWhenHidden is off): paint it again.
        if (this.state && this.panel) {
          void this.panel.webview.postMessage({ type: 'render', state: this.state });
          if (this.streamed) void this.panel.webview.postMessage({ type: 'append', id: this.state.id, text: this.streamed });
        }
        break;
      case 'resend':
        this.actions.resend();
        break;
      case 'openBody':
        this.actions.openBody();
        break;
      case 'copyCurl':
        this.actions.copyCurl();
        break;
      case 'history':
        this.actions.history();
        break;
      case 'rendered':
        this.rendered = { id: message.id, phase: message.phase, bodyText: message.bodyText, tags: message.tags };
        break;
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
