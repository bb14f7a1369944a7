// "Send request" in the editor: asks for what the request needs (or takes a fully specified request),
// checks trust and the host, sends it with a progress notification that can cancel, and shows the
// response. Also the token, history, .http export and cookie commands. The request logic itself is in the
// pure modules beside this one; this file is the VS Code adapter around them.
//
// Test hook: in the extension's test mode only (ExtensionMode.Test), ROUTE_ATLAS_TEST_CONFIRM=accept or
// =decline answers the modal questions asked before a request leaves the machine or follows a redirect to
// another origin. A test cannot click a modal dialog, and the question itself is still recorded in the
// last response (`questions`), so the tests check what would have been asked.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HandlerRequestInfo, Route } from '../../server/analysis/model';
import {
  ParamError,
  type RequestInput,
  type ResolvedRequest,
  basicAuthorization,
  buildUrl,
  jsonBodyTemplate,
  paramsOfPath,
  queryTemplate,
  resolveRequest,
  resolvesToLoopback,
  fillPath,
} from '../../server/requests/buildRequest';
import { DEFAULT_PORT_SOURCE, type DetectedBaseUrl, findRunningNextServer, LIKELY_DEV_PORTS } from './baseUrl';
import { CookieJar } from './cookieJar';
import { devCommand, explainFailure, explainStatus } from './explain';
import { withoutUserinfo } from '../../server/requests/credentials';
import { addHistoryEntry, describeHistoryEntry, endpointKey, type HistoryEntry, queryWithoutCredentials, storableUrl } from './history';
import { formatHttpFile, httpRequestsForRoute, paramVariables, readEnvironmentFiles, type HttpFileRequest } from '../../server/requests/httpFile';
import { formatCurl } from '../../server/requests/requestText';
import { defaultHeaders, resolveBaseUrl, timeoutMs } from './requestSettings';
import { DISPLAY_CAP, type ResponseState, failedResponseState, headerValue, isTextual, languageOf, mediaType, responseState, shownRequest } from './responseModel';
import { type RenderedReport, ResponseView } from './responseView';
import { RequestEditor } from './requestEditor';
import { isCredentialName } from '../../server/requests/credentials';
import { type HttpResponseData, type RedirectQuestion, RequestFailure, sendHttpRequest } from './sendHttp';

/** What a request is for: a method of a route, known from the manifest or only from a CodeLens's args. */
export interface RequestTarget {
  method: string;
  /** The route, when the manifest has it: basePath, the methods the file exports, what the handler reads. */
  route?: Route;
  /** The route pattern without basePath (`/api/users/[id]`). */
  url: string;
  /** The app root relative to the workspace folder (`.`, `apps/web`). */
  appRoot: string;
  /** The workspace folder the manifest was scanned from, absolute. */
  root?: string;
}

/** A question asked before a request went on (a modal dialog), and the answer it got. */
export interface AskedQuestion {
  message: string;
  detail: string;
  answer: boolean;
}

/** The last response as plain data: what `routeAtlas.internal.lastResponse` returns to tests. */
export interface LastResponse {
  /** The request's number in this window; the response view's reports carry it. */
  id: number;
  method: string;
  /** The URL as sent; neither it nor `baseUrl` ever holds a user name and password. */
  url: string;
  baseUrl: string;
  baseUrlSource: string;
  status?: number;
  statusText?: string;
  /** Header names lower case; repeated headers joined with ", " (Set-Cookie with "\n"). */
  headers: Record<string, string>;
  /** All of the body as text (empty for images and other binaries). */
  bodyText: string;
  bodyKind: string;
  bytes: number;
  timeMs?: number;
  headersMs?: number;
  redirects: Array<{ status: number; url: string; location: string }>;
  error?: { kind: string; message: string };
  explanation?: string;
  /** True when the view shows the body in part. */
  cut: boolean;
  /** How many pieces of the body reached the view before the response ended. */
  streamUpdates: number;
  chunks: number;
  /** The HTML the response view was given: a fixed page that never holds response data. */
  webviewHtml?: string;
  /** The endpoint's history after this request, newest first. */
  history: HistoryEntry[];
  /** The questions this request asked before it went on (another machine, a redirect to another origin). */
  questions: AskedQuestion[];
}

/**
 * What a person typed last, to pre-fill the prompts and the request editor next time: params per
 * endpoint (the same `[id]` serves GET and DELETE), the query, headers and body per method.
 */
interface RememberedInput {
  params?: Record<string, string>;
  query?: string;
  body?: string;
  /** Headers typed in the request editor, credentials left out. */
  headers?: Record<string, string>;
}

interface LastExchange {
  target: RequestTarget;
  input: RequestInput;
  resolved?: ResolvedRequest;
  response?: HttpResponseData;
  text: string;
  result: LastResponse;
}

const SECRET_PREFIX = 'routeAtlas.authToken:';
/** See the test hook in the header comment. */
const TEST_ANSWER_VARIABLE = 'ROUTE_ATLAS_TEST_CONFIRM';
const HISTORY_PREFIX = 'routeAtlas.request.history:';
const REMEMBERED_PREFIX = 'routeAtlas.request.last:';
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
/** Streamed text reaches the view at most this often, so that a fast stream does not flood it. */
const STREAM_FLUSH_MS = 50;

function pathAndQuery(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}

function headerRecord(headers: ReadonlyArray<[string, string]>): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    record[key] = key in record ? `${record[key]}${key === 'set-cookie' ? '\n' : ', '}${value}` : value;
  }
  return record;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * `routeAtlas.request.historyBodies`, from the user's settings only: it is application-scoped, so that a
 * workspace cannot switch storing bodies back on.
 */
function historyKeepsBodies(): boolean {
  return vscode.workspace.getConfiguration('routeAtlas').inspect<boolean>('request.historyBodies')?.globalValue !== false;
}

/** The modal question for a redirect to another origin: from where, to where, and what would go along. */
function redirectQuestion(question: RedirectQuestion): { message: string; detail: string; action: string } {
  const to = new URL(question.to);
  const lines = [
    `${question.from} answered ${question.status}. Following it sends ${question.method} to ${to.origin}, ${question.leavesMachine ? 'which is not this machine' : 'another origin on this machine'}.`,
  ];
  if (question.bodyBytes > 0) lines.push(`The request body (${question.bodyBytes} bytes) would be sent there too.`);
  if (question.droppedHeaders.length > 0) lines.push(`These headers stay behind: ${question.droppedHeaders.join(', ')}.`);
  return { message: `Follow the redirect from ${question.from} to ${question.to}?`, detail: lines.join('\n'), action: 'Follow Redirect' };
}

export class RequestController implements vscode.Disposable {
  private readonly cookies = new CookieJar();
  private readonly view: ResponseView;
  private nextId = 1;
  private last: LastExchange | undefined;
  private running: AbortController | undefined;
  private readonly editor: RequestEditor;

  constructor(
    private readonly context: Pick<vscode.ExtensionContext, 'workspaceState' | 'secrets' | 'extensionUri' | 'extensionMode'>,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.view = new ResponseView(context.extensionUri, {
      resend: () => void this.resend(),
      openBody: () => void this.openBody(),
      copyCurl: () => void this.copyAsCurl(),
      history: () => void (this.last ? this.showHistory(this.last.target) : undefined),
    });
    this.editor = new RequestEditor((target, input) => this.send(target, input));
  }

  /** Sends the request of a request editor (Ctrl+Enter, its ▶ and its lens). */
  sendDocument(uri?: unknown, options?: { withoutBody?: boolean }): Promise<LastResponse | undefined> {
    return this.editor.sendDocument(uri, options);
  }

  /**
   * Opens a target's request in the request editor, to edit headers and body before sending. With
   * `input` nothing is asked; without it, the params are asked for (an editor already open is shown as it is).
   */
  async editRequest(target: RequestTarget, input?: RequestInput): Promise<vscode.Uri | undefined> {
    if (!input && (await this.editor.reveal(target))) return this.editor.uriFor(target);
    const params = input?.params ?? (await this.promptParams(target, this.remembered(target)));
    if (!params) return undefined;
    await this.openRequestEditor(target, { ...input, params });
    return this.editor.uriFor(target);
  }

  /**
   * The last response, or undefined before the first request, with what the response view reported it
   * drew for it once the view has done so.
   */
  lastResponse(): (LastResponse & { rendered?: RenderedReport }) | undefined {
    if (!this.last) return undefined;
    const rendered = this.view.lastRendered;
    return rendered?.id === this.last.result.id && (rendered.phase === 'done' || rendered.phase === 'failed') ? { ...this.last.result, rendered } : this.last.result;
  }

  /**
   * Sends a request for a target. With `input` nothing is asked (tests, the history, re-send); without
   * it, each param, the query and a body are asked for, pre-filled with what was typed last time.
   */
  async send(target: RequestTarget, input?: RequestInput): Promise<LastResponse | undefined> {
    if (!vscode.workspace.isTrusted) {
      // Messages are not awaited: the command ends when it has said its piece, not when the user answers.
      void vscode.window
        .showWarningMessage(
          'Route Atlas does not send requests in Restricted Mode: a request runs code of this workspace on your machine. Trust the workspace to send requests.',
          'Manage Workspace Trust',
        )
        .then((choice) => (choice === 'Manage Workspace Trust' ? vscode.commands.executeCommand('workbench.trust.manage') : undefined));
      return undefined;
    }
    const given = input ?? (await this.promptInput(target));
    if (!given) return undefined;
    return this.run(target, given);
  }

  // ---- prompts

  private publicPathOf(target: RequestTarget): string {
    return target.route?.publicPath ?? target.url;
  }

  private keyOf(target: RequestTarget): string {
    return endpointKey(target.route?.appRoot ?? target.appRoot, target.route?.url ?? target.url);
  }

  private requestInfo(target: RequestTarget): HandlerRequestInfo | undefined {
    return target.route?.methods.find((m) => m.name === target.method.toUpperCase())?.request;
  }

  /** What was typed last for a target: the endpoint's params, the method's query, headers and body. */
  private remembered(target: RequestTarget): RememberedInput {
    const key = this.keyOf(target);
    const endpoint = this.context.workspaceState.get<RememberedInput>(REMEMBERED_PREFIX + key) ?? {};
    const method = this.context.workspaceState.get<RememberedInput>(`${REMEMBERED_PREFIX}${key} ${target.method.toUpperCase()}`);
    return { params: endpoint.params, ...(method ?? {}) };
  }

  private async promptInput(target: RequestTarget): Promise<RequestInput | undefined> {
    const method = target.method.toUpperCase();
    const info = this.requestInfo(target);
    const withBody = METHODS_WITH_BODY.has(method) || (method === 'DELETE' && info?.body !== undefined);
    // A request with a body is written in the request editor; one already open keeps what was typed there.
    if (withBody && (await this.editor.reveal(target))) return undefined;
    const remembered = this.remembered(target);
    const params = await this.promptParams(target, remembered);
    if (!params) return undefined;
    if (withBody) {
      await this.openRequestEditor(target, { params });
      return undefined;
    }
    const input: RequestInput = { params };
    const queryNames = info?.query ?? [];
    if (queryNames.length > 0 || remembered.query) {
      const value = queryTemplate(queryNames, remembered.query);
      const query = await vscode.window.showInputBox({
        title: `${method} ${this.publicPathOf(target)}`,
        prompt: 'Query string: the names the handler reads. Names left without a value are not sent.',
        value,
        // The cursor goes to the end: the first key typed adds to the query instead of replacing it.
        valueSelection: [value.length, value.length],
        ignoreFocusOut: true,
      });
      if (query === undefined) return undefined;
      input.query = query;
    }
    return input;
  }

  /** Asks for each param of the path, pre-filled with what was typed last; undefined when the person gives up. */
  private async promptParams(target: RequestTarget, remembered: RememberedInput): Promise<Record<string, string> | undefined> {
    const publicPath = this.publicPathOf(target);
    const title = `${target.method.toUpperCase()} ${publicPath}`;
    const params: Record<string, string> = {};
    for (const param of paramsOfPath(publicPath)) {
      const optional = param.kind === 'optionalCatchAll';
      const value = await vscode.window.showInputBox({
        title,
        prompt:
          param.kind === 'dynamic'
            ? `Value of [${param.name}] (sent URL-encoded: a "/" stays inside the segment)`
            : `Segments of [${optional ? '[' : ''}...${param.name}]${optional ? ']' : ''}, separated by "/"${optional ? ' (may be empty)' : ''}`,
        value: remembered.params?.[param.name] ?? '',
        ignoreFocusOut: true,
        validateInput: (text) => {
          try {
            fillPath(`/[${param.kind === 'dynamic' ? '' : optional ? '[...' : '...'}${param.name}${optional ? ']' : ''}]`, { [param.name]: text });
            return undefined;
          } catch (error) {
            return errorMessage(error);
          }
        },
      });
      if (value === undefined) return undefined;
      params[param.name] = value;
    }
    return params;
  }

  /**
   * Writes a target's request into the request editor: the path with its params (and the query typed last),
   * a Content-Type for the body the handler reads, headers typed last, and a body template of the fields it
   * reads (or the body typed last). The comments say where it goes and what else is sent.
   */
  private async openRequestEditor(target: RequestTarget, input: RequestInput): Promise<void> {
    const method = target.method.toUpperCase();
    const publicPath = this.publicPathOf(target);
    const info = this.requestInfo(target);
    const remembered = this.remembered(target);
    const query = typeof input.query === 'string' ? input.query : remembered.query;
    // The path as the person filled it; no base URL, so that a dev server on another port still gets it.
    const url = new URL(buildUrl('http://route-atlas.invalid', publicPath, input.params ?? {}, []));
    const filledQuery = query?.replace(/^\?/, '').split('&').filter((pair) => pair !== '' && !pair.endsWith('=')).join('&');
    const targetPath = url.pathname + (filledQuery ? `?${filledQuery}` : '');

    const kind = info?.body?.kind ?? 'json';
    const fields = info?.body?.fields ?? [];
    const withBody = METHODS_WITH_BODY.has(method) || info?.body !== undefined;
    const typedBody = typeof input.body === 'string' ? input.body : input.body !== undefined ? JSON.stringify(input.body, null, 2) : undefined;
    const body = typedBody ?? remembered.body ?? (!withBody ? undefined : kind === 'json' ? jsonBodyTemplate(fields) : kind === 'formData' ? fields.map((f) => `${encodeURIComponent(f)}=`).join('&') : '');
    const headers = new Map<string, [string, string]>();
    if (body !== undefined) headers.set('content-type', ['Content-Type', kind === 'json' ? 'application/json' : kind === 'formData' ? 'application/x-www-form-urlencoded' : 'text/plain']);
    for (const [name, value] of Object.entries({ ...remembered.headers, ...input.headers })) headers.set(name.toLowerCase(), [name, value]);

    const base = resolveBaseUrl(target.route?.appRoot ?? target.appRoot, target.root);
    const comments = [`${method} ${target.route?.url ?? target.url}${target.route?.file ? ` in ${target.route.file}` : ''}${info?.body?.schema ? `; the body is validated by ${info.body.schema}` : ''}`];
    comments.push(`${process.platform === 'darwin' ? '⌘Enter' : 'Ctrl+Enter'} sends it to ${withoutUserinfo(base.baseUrl)} (${base.source}); write a full URL to send it elsewhere.`);
    const unfilled = (info?.query ?? []).filter((name) => !new URLSearchParams(filledQuery ?? '').has(name));
    if (unfilled.length > 0) comments.push(`Query names the handler reads: ${unfilled.join(', ')}`);
    const added = Object.keys(defaultHeaders(target.root)).filter((name) => !headers.has(name.toLowerCase()));
    if (added.length > 0) comments.push(`Also sent (routeAtlas.request.headers): ${added.join(', ')}; a header written here wins.`);
    await this.editor.open(target, { method, target: targetPath, headers: [...headers.values()], body }, comments);
  }

  // ---- sending

  private async run(target: RequestTarget, input: RequestInput): Promise<LastResponse | undefined> {
    const method = target.method.toUpperCase();
    const key = this.keyOf(target);
    let base: DetectedBaseUrl = resolveBaseUrl(target.route?.appRoot ?? target.appRoot, target.root);
    if (base.source === DEFAULT_PORT_SOURCE) {
      // Nothing in the app names a port: look for a Next.js dev server that moved to the next free one.
      const port = await findRunningNextServer(LIKELY_DEV_PORTS);
      if (port !== undefined) base = { baseUrl: `http://localhost:${port}`, source: `a Next.js server answering on localhost:${port}` };
    }
    await this.remember(target, input);
    const questions: AskedQuestion[] = [];

    let resolved: ResolvedRequest;
    try {
      resolved = resolveRequest(input, { method, publicPath: this.publicPathOf(target), baseUrl: base.baseUrl }, defaultHeaders(target.root));
    } catch (error) {
      // The request never left, but what was typed is kept: the history shows it and the prompts offer it again.
      const message = error instanceof ParamError ? error.message : errorMessage(error);
      const url = withoutUserinfo(base.baseUrl) + this.publicPathOf(target);
      void vscode.window.showErrorMessage(withoutUserinfo(message));
      await this.addHistory(key, { at: new Date().toISOString(), method, url, input, error: message });
      const state = failedResponseState(this.nextId++, { method, url, baseUrlSource: base.source }, 'invalidRequest', message);
      return this.finish(target, input, undefined, base, state, '', 0, undefined, questions);
    }

    if (!(await resolvesToLoopback(resolved.url))) {
      const host = new URL(resolved.url).host;
      const send = await this.confirm(
        {
          message: `Send ${method} to ${host}?`,
          detail: `${host} is not known to be this machine. Route Atlas asks before a request leaves it; the base URL came from ${base.source}.`,
          action: 'Send',
        },
        questions,
      );
      if (!send) return undefined;
    }

    const origin = new URL(resolved.url).origin;
    // The user name and password of a base URL go to its origin as Basic authorization, before a stored token.
    const basic = basicAuthorization(base.baseUrl);
    const token = await this.context.secrets.get(SECRET_PREFIX + origin);
    const authorization = basic?.origin === origin ? basic.value : token ? `Bearer ${token}` : undefined;
    const id = this.nextId++;
    const request = shownRequest({ method, url: resolved.url, baseUrlSource: base.source });
    const timeout = timeoutMs(target.root);
    this.view.show({ id, request, phase: 'sending', headers: [], redirects: [], bytes: 0, body: { kind: 'empty' }, cut: false });
    this.log.info(`${method} ${storableUrl(resolved.url)} (base URL from ${base.source})`);

    // A new request replaces one still streaming in.
    this.running?.abort();
    const abort = new AbortController();
    this.running = abort;
    let streamUpdates = 0;
    let pending = '';
    let shown = 0;
    let streamText = false;
    let decoder = new TextDecoder();
    let flushTimer: NodeJS.Timeout | undefined;
    const flush = () => {
      flushTimer = undefined;
      if (!pending) return;
      this.view.append(id, pending);
      streamUpdates++;
      pending = '';
    };

    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `${method} ${pathAndQuery(resolved.url)}`, cancellable: true },
      async (progress, cancellation): Promise<{ response: HttpResponseData } | { failure: RequestFailure }> => {
        const onCancel = cancellation.onCancellationRequested(() => abort.abort());
        try {
          const response = await sendHttpRequest(resolved, {
            timeoutMs: timeout,
            signal: abort.signal,
            cookies: this.cookies,
            authorizationFor: (o) => (o === origin ? authorization : undefined),
            confirmRedirect: (question) => this.confirm(redirectQuestion(question), questions),
            onHeaders: (head) => {
              const contentType = headerValue(head.headers, 'content-type');
              streamText = isTextual(mediaType(contentType));
              try {
                decoder = new TextDecoder(/charset\s*=\s*"?([\w-]+)/i.exec(contentType ?? '')?.[1] ?? 'utf-8');
              } catch {
                decoder = new TextDecoder();
              }
              progress.report({ message: `${head.status} ${head.statusText}, reading the body…` });
              if (id === this.nextId - 1) this.view.show({ id, request, phase: 'streaming', status: head.status, statusText: head.statusText, headers: head.headers, redirects: head.redirects, timeMs: head.headersMs, bytes: 0, contentType, body: { kind: 'empty' }, cut: false });
            },
            onChunk: (chunk) => {
              if (!streamText || shown >= DISPLAY_CAP) return;
              const text = decoder.decode(chunk, { stream: true });
              shown += text.length;
              pending += text;
              flushTimer ??= setTimeout(flush, STREAM_FLUSH_MS);
            },
          });
          return { response };
        } catch (error) {
          return { failure: error instanceof RequestFailure ? error : new RequestFailure('network', errorMessage(error), resolved.url) };
        } finally {
          clearTimeout(flushTimer);
          flushTimer = undefined;
          onCancel.dispose();
          if (this.running === abort) this.running = undefined;
        }
      },
    );
    if (pending) flush();

    if ('failure' in outcome) {
      const { failure } = outcome;
      const appDir = target.root ? path.join(target.root, target.route?.appRoot ?? target.appRoot) : undefined;
      const command = appDir ? devCommand(appDir, target.root) : 'npm run dev';
      const message = explainFailure(failure, { devCommand: command, timeoutMs: timeout });
      this.log.warn(`${method} ${storableUrl(resolved.url)}: ${failure.kind}: ${failure.message}`);
      await this.addHistory(key, { at: new Date().toISOString(), method, url: resolved.url, input, error: message, timeMs: failure.timeMs });
      const state = failedResponseState(id, request, failure.kind, message);
      state.redirects = failure.redirects;
      state.timeMs = failure.timeMs;
      if (failure.kind !== 'cancelled') this.showFailure(failure, message, appDir, command);
      return this.finish(target, input, resolved, base, state, '', streamUpdates, undefined, questions);
    }

    const { response } = outcome;
    const contentType = headerValue(response.headers, 'content-type');
    const facts = target.route ? { methods: target.route.methods.filter((m) => !m.implicit).map((m) => m.name as string), statuses: this.requestInfo(target)?.statuses } : undefined;
    // A redirect that was not followed is the response shown; the banner says where it pointed and why.
    const explanation = response.notFollowed ? `${response.notFollowed.reason} It pointed to ${response.notFollowed.location}.` : explainStatus(response.status, method, contentType, facts);
    const { state, text } = responseState(id, request, response, explanation);
    this.log.info(
      `${method} ${storableUrl(response.url)}: ${response.status} in ${response.timeMs} ms, ${response.bytes} bytes${response.redirects.length ? `, ${response.redirects.length} redirects` : ''}${response.notFollowed ? `; ${response.notFollowed.reason}` : ''}`,
    );
    await this.addHistory(key, { at: new Date().toISOString(), method, url: resolved.url, input, status: response.status, timeMs: response.timeMs });
    return this.finish(target, input, resolved, base, state, text, streamUpdates, response, questions);
  }

  /**
   * Asks a question before a request goes on, as a modal warning with one action, and records it with its
   * answer. In test mode ROUTE_ATLAS_TEST_CONFIRM answers instead (see the header comment).
   */
  private async confirm(question: { message: string; detail: string; action: string }, asked: AskedQuestion[]): Promise<boolean> {
    const scripted = this.context.extensionMode === vscode.ExtensionMode.Test ? process.env[TEST_ANSWER_VARIABLE] : undefined;
    const answer =
      scripted === 'accept' || scripted === 'decline'
        ? scripted === 'accept'
        : (await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, question.action)) === question.action;
    asked.push({ message: question.message, detail: question.detail, answer });
    return answer;
  }

  private finish(
    target: RequestTarget,
    input: RequestInput,
    resolved: ResolvedRequest | undefined,
    base: DetectedBaseUrl,
    state: ResponseState,
    text: string,
    streamUpdates: number,
    response: HttpResponseData | undefined,
    questions: AskedQuestion[],
  ): LastResponse {
    // A request that a newer one replaced (and so cancelled) must not paint over the newer one.
    if (state.id === this.nextId - 1) this.view.show(state);
    const result: LastResponse = {
      id: state.id,
      method: state.request.method,
      url: state.request.url,
      baseUrl: withoutUserinfo(base.baseUrl),
      baseUrlSource: base.source,
      status: state.status,
      statusText: state.statusText,
      headers: headerRecord(state.headers),
      bodyText: text,
      bodyKind: state.body.kind,
      bytes: state.bytes,
      timeMs: state.timeMs,
      headersMs: response?.headersMs,
      redirects: state.redirects,
      error: state.error,
      explanation: state.explanation,
      cut: state.cut,
      streamUpdates,
      chunks: response?.chunks ?? 0,
      webviewHtml: this.view.lastHtml,
      history: this.history(target),
      questions,
    };
    this.last = { target, input, resolved, response, text, result };
    return result;
  }

  private showFailure(failure: RequestFailure, message: string, appDir: string | undefined, command: string): void {
    const actions: string[] = [];
    if (failure.kind === 'connectionRefused' && appDir) actions.push(`Run ${command}`);
    if (failure.kind === 'connectionRefused' || failure.kind === 'hostNotFound') actions.push('Set Base URL');
    if (failure.kind === 'timeout') actions.push('Change Timeout');
    void vscode.window.showErrorMessage(message, ...actions).then((choice) => {
      if (choice === `Run ${command}` && appDir) {
        const terminal = vscode.window.createTerminal({ name: 'Next.js dev server', cwd: appDir });
        terminal.show();
        terminal.sendText(command);
      } else if (choice === 'Set Base URL') void vscode.commands.executeCommand('workbench.action.openSettings', 'routeAtlas.request.baseUrls');
      else if (choice === 'Change Timeout') void vscode.commands.executeCommand('workbench.action.openSettings', 'routeAtlas.request.timeoutMs');
    });
  }

  // ---- state

  /** What the prompts and the request editor offer next time; it lives in workspace state, so it keeps what the history keeps. */
  private async remember(target: RequestTarget, input: RequestInput): Promise<void> {
    const key = this.keyOf(target);
    if (input.params && Object.keys(input.params).length > 0) {
      const params: Record<string, string> = {};
      for (const [name, value] of Object.entries(input.params)) if (value !== undefined) params[name] = Array.isArray(value) ? value.join('/') : value;
      await this.context.workspaceState.update(REMEMBERED_PREFIX + key, { params } satisfies RememberedInput);
    }
    const remembered: RememberedInput = {};
    if (typeof input.query === 'string') remembered.query = queryWithoutCredentials(input.query);
    else if (input.url?.includes('?')) remembered.query = queryWithoutCredentials(input.url.slice(input.url.indexOf('?') + 1));
    if (typeof input.body === 'string' && input.body.length <= 64 * 1024 && historyKeepsBodies()) remembered.body = input.body;
    const headers = Object.entries(input.headers ?? {}).filter(([name]) => !isCredentialName(name) && name.toLowerCase() !== 'content-type');
    if (headers.length > 0) remembered.headers = Object.fromEntries(headers);
    await this.context.workspaceState.update(`${REMEMBERED_PREFIX}${key} ${target.method.toUpperCase()}`, remembered);
  }

  private async addHistory(key: string, entry: HistoryEntry): Promise<void> {
    const entries = this.context.workspaceState.get<HistoryEntry[]>(HISTORY_PREFIX + key);
    await this.context.workspaceState.update(HISTORY_PREFIX + key, addHistoryEntry(entries, entry, { keepBodies: historyKeepsBodies() }));
  }

  /** The history of an endpoint, newest first. */
  history(target: RequestTarget): HistoryEntry[] {
    return this.context.workspaceState.get<HistoryEntry[]>(HISTORY_PREFIX + this.keyOf(target)) ?? [];
  }

  // ---- actions

  async resend(): Promise<LastResponse | undefined> {
    if (!this.last) return undefined;
    return this.send(this.last.target, this.last.input);
  }

  async showHistory(target: RequestTarget): Promise<LastResponse | undefined> {
    const entries = this.history(target);
    if (entries.length === 0) {
      void vscode.window.showInformationMessage(`No requests sent to ${this.publicPathOf(target)} yet.`);
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      entries.map((entry) => ({ ...describeHistoryEntry(entry), entry })),
      { title: `Requests to ${this.publicPathOf(target)}`, placeHolder: 'Send one of them again' },
    );
    if (!picked) return undefined;
    return this.send({ ...target, method: picked.entry.method }, picked.entry.input);
  }

  private async openBody(): Promise<void> {
    const last = this.last;
    if (!last?.response) return;
    const type = mediaType(headerValue(last.response.headers, 'content-type'));
    if (last.text || last.response.body.byteLength === 0) {
      const document = await vscode.workspace.openTextDocument({ content: last.text, language: languageOf(type) });
      await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Active });
      return;
    }
    // Images and other binaries go to a file: an editor could not show them as text.
    const target = await vscode.window.showSaveDialog({ title: 'Save the response body', saveLabel: 'Save Body' });
    if (target) await vscode.workspace.fs.writeFile(target, last.response.body);
  }

  private async copyAsCurl(): Promise<void> {
    const resolved = this.last?.resolved;
    if (!resolved) return;
    // The stored token and the jar's cookies stay out of the clipboard; headers typed by hand are copied.
    const text = formatCurl({ method: resolved.method, url: resolved.url, headers: resolved.headers, body: resolved.body !== undefined ? { kind: 'raw', text: resolved.body } : undefined });
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage('$(check) Copied the request as cURL', 3000);
  }

  /**
   * Stores a bearer token for one origin in SecretStorage. It is added as `Authorization: Bearer …` to
   * requests to that origin only (never after a redirect elsewhere). An empty token deletes it.
   */
  async setAuthToken(originArg?: unknown, tokenArg?: unknown): Promise<void> {
    let origin = typeof originArg === 'string' ? originArg : undefined;
    if (origin === undefined) {
      const suggestion = this.last ? new URL(this.last.result.url).origin : 'http://localhost:3000';
      origin = await vscode.window.showInputBox({
        title: 'Route Atlas: auth token',
        prompt: 'The server the token is for (scheme, host and port). It is sent to this origin only.',
        value: suggestion,
        ignoreFocusOut: true,
        validateInput: (text) => (/^https?:\/\/[^/]+/i.test(text.trim()) ? undefined : 'An http(s) URL such as http://localhost:3000'),
      });
      if (origin === undefined) return;
    }
    const normalized = new URL(origin.trim()).origin;
    let token = typeof tokenArg === 'string' ? tokenArg : undefined;
    if (token === undefined) {
      token = await vscode.window.showInputBox({ title: `Bearer token for ${normalized}`, prompt: 'Leave empty to delete the stored token.', password: true, ignoreFocusOut: true });
      if (token === undefined) return;
    }
    if (token === '') {
      await this.context.secrets.delete(SECRET_PREFIX + normalized);
      vscode.window.setStatusBarMessage(`$(check) Deleted the token for ${normalized}`, 3000);
    } else {
      await this.context.secrets.store(SECRET_PREFIX + normalized, token);
      vscode.window.setStatusBarMessage(`$(check) Stored a token for ${normalized}: sent only there`, 3000);
    }
  }

  clearCookies(): void {
    this.cookies.clear();
    vscode.window.setStatusBarMessage('$(check) Cleared the request cookies', 3000);
  }

  /**
   * Writes an `.http` file for routes (one endpoint, or every endpoint of an app). `baseUrl` is declared in
   * the file unless an http-client.env.json beside the app or in the workspace provides environments; param
   * variables are declared with the values typed last. Returns the file's URI.
   */
  async saveHttpFile(routes: Route[], context: { appRoot: string; root?: string; appName?: string; method?: string }, targetUri?: vscode.Uri): Promise<vscode.Uri | undefined> {
    if (routes.length === 0) return undefined;
    const requests: HttpFileRequest[] = routes.flatMap((route) => httpRequestsForRoute(route, context.method));
    const appDir = context.root ? path.join(context.root, context.appRoot) : undefined;
    // In Restricted Mode the repository's environment files choose nothing, here as for sending.
    const environments = appDir && context.root && vscode.workspace.isTrusted ? readEnvironmentFiles(appDir === context.root ? [appDir] : [appDir, context.root]) : undefined;
    const variables: Record<string, string> = {};
    // A user name and password in the base URL stay out of a file that may be committed.
    if (!environments) variables.baseUrl = withoutUserinfo(resolveBaseUrl(context.appRoot, context.root).baseUrl);
    for (const name of paramVariables(routes)) {
      const value = routes
        .map((route) => this.context.workspaceState.get<RememberedInput>(REMEMBERED_PREFIX + endpointKey(route.appRoot, route.url))?.params?.[name])
        .find((v) => v !== undefined);
      variables[name] = value ?? '';
    }
    const header = `Requests for ${context.appName ?? context.appRoot}, written by Route Atlas. REST Client, httpYac and JetBrains' HTTP client read this file.${
      environments ? `\nbaseUrl comes from ${path.basename(environments.dir) || environments.dir}/http-client.env.json.` : ''
    }`;
    const text = formatHttpFile(requests, variables, header);
    let uri = targetUri;
    if (!uri) {
      const name = routes.length === 1 ? `${routes[0].url.replace(/[[\]./]+/g, '-').replace(/^-+|-+$/g, '') || 'root'}.http` : 'requests.http';
      uri = await vscode.window.showSaveDialog({
        title: 'Save as .http file',
        defaultUri: appDir ? vscode.Uri.file(path.join(appDir, name)) : undefined,
        filters: { 'HTTP requests': ['http', 'rest'] },
      });
      if (!uri) return undefined;
      await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
      await vscode.window.showTextDocument(uri, { preview: false });
      return uri;
    }
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    return uri;
  }

  dispose(): void {
    this.running?.abort();
    this.view.dispose();
    this.editor.dispose();
  }
}
