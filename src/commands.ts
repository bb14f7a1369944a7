// The commands behind the Endpoints view, its context menus and the server's CodeLenses.
import * as vscode from 'vscode';
import { ClientCommands, type RevealReasonArgs, type SendRequestArgs, type ShowCallersArgs } from '../server/protocol';
import type { Route, Span } from '../server/analysis/model';
import type { RouteAtlasServer } from './client';
import { type EndpointNode, type MethodNode, explicitMethods } from './endpointTree';
import { type OpenOptions, isSameFile, manifestFileUri, openLocation, spanToRange } from './locations';
import { withoutUserinfo } from '../server/requests/credentials';
import type { RequestInput } from '../server/requests/buildRequest';
import { type LastResponse, RequestController, type RequestTarget } from './requests/requestController';
import { SEND_DOCUMENT_COMMAND } from './requests/requestEditor';
import { resolveBaseUrl, rootOfRoute } from './requests/requestSettings';
import { type RequestDraft, draftRequest, formatCurl, formatFetch, toUrlTemplate } from '../server/requests/requestText';
import { type RoutesTree, VIEW_ID } from './routesTree';

type TreeTarget = EndpointNode | MethodNode;

function isTreeTarget(value: unknown): value is TreeTarget {
  const type = (value as { type?: unknown } | undefined)?.type;
  return type === 'endpoint' || type === 'method';
}

function isOpenOptions(value: unknown): value is OpenOptions {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'preserveFocus' in value;
}

function isSendRequestArgs(value: unknown): value is SendRequestArgs {
  const args = value as Partial<SendRequestArgs> | undefined;
  return typeof args?.uri === 'string' && typeof args.url === 'string' && typeof args.method === 'string';
}

function isRevealReasonArgs(value: unknown): value is RevealReasonArgs {
  const args = value as Partial<RevealReasonArgs> | undefined;
  return typeof args?.uri === 'string' && typeof args.line === 'number' && typeof args.column === 'number';
}

function isShowCallersArgs(value: unknown): value is ShowCallersArgs {
  const args = value as Partial<ShowCallersArgs> | undefined;
  return typeof args?.uri === 'string' && typeof args.position?.line === 'number' && Array.isArray(args.locations);
}

function endpointOf(target: TreeTarget): EndpointNode {
  return target.type === 'method' ? target.parent : target;
}

/**
 * The base URL requests are written against: `routeAtlas.request.baseUrls`, the http-client.env.json
 * environment, the app's `dev` script or .env files, else http://localhost:3000 (requests/requestSettings.ts).
 */
export function baseUrlFor(route: Route, root = rootOfRoute(route)): string {
  return resolveBaseUrl(route.appRoot, root).baseUrl;
}

async function copyToClipboard(text: string, what: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(`$(check) Copied ${what}`, 3000);
}

export function registerCommands(context: vscode.ExtensionContext, server: RouteAtlasServer, tree: RoutesTree): vscode.Disposable[] {
  /** The node a command acts on: its argument from a menu or a click, else the view's selection. */
  const resolveTarget = (arg: unknown): TreeTarget | undefined => {
    if (isTreeTarget(arg)) return arg;
    const selected = tree.view.selection.find(isTreeTarget);
    if (!selected) void vscode.window.showInformationMessage('Select an endpoint in the Route Atlas Endpoints view first.');
    return selected;
  };

  /** The method a request is for: the clicked method, the only one, or one the user picks. */
  const chooseMethod = async (target: TreeTarget): Promise<string | undefined> => {
    if (target.type === 'method') return target.method.name;
    const methods = explicitMethods(target.route).map((m) => m.name as string);
    if (methods.length <= 1) return methods[0] ?? 'GET';
    return vscode.window.showQuickPick(methods, { title: `Method for ${target.route.url}`, placeHolder: 'Which method?' });
  };

  const draftFor = async (target: TreeTarget): Promise<RequestDraft | undefined> => {
    const method = await chooseMethod(target);
    if (!method) return undefined;
    const { route } = endpointOf(target);
    // Copied text leaves the editor: a user name and password in the base URL stay behind, as tokens do.
    return draftRequest(route, method, withoutUserinfo(baseUrlFor(route)));
  };

  const openHandler = async (arg?: unknown, options?: unknown): Promise<void> => {
    const target = resolveTarget(arg);
    if (!target) return;
    const openOptions = isOpenOptions(options) ? options : {};
    const endpoint = endpointOf(target);
    const { route, root } = endpoint;
    if (target.type === 'method') {
      const { method } = target;
      // A wrapped or imported handler is opened where its code is, not where its name is exported.
      const location = method.definition ?? (method.span ? { file: route.file, span: method.span } : undefined);
      const file = location?.file ?? route.file;
      await openLocation(manifestFileUri(root, file), location ? spanToRange(location.span) : undefined, openOptions);
      return;
    }
    const span = explicitMethods(route).find((m) => m.span)?.span ?? endpoint.problems.find((p) => p.file === route.file && p.span)?.span;
    await openLocation(manifestFileUri(root, route.file), span ? spanToRange(span) : undefined, openOptions);
  };

  const revealEndpoint = async (): Promise<void> => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('Open a route file to reveal its endpoint.');
      return;
    }
    if (!tree.isLoaded) {
      if (!server.isRunning) {
        server.explainNotRunning('Reveal Endpoint');
        return;
      }
      await tree.waitUntilLoaded(10_000);
    }
    const uri = editor.document.uri;
    const endpoints = tree.endpointsOfFile(uri);
    if (endpoints.length === 0) {
      void vscode.window.showInformationMessage(`${vscode.workspace.asRelativePath(uri)} serves no endpoint Route Atlas knows of.`);
      return;
    }
    const spanInThisFile = (endpoint: EndpointNode, { method }: MethodNode): Span | undefined => {
      if (method.definition && isSameFile(manifestFileUri(endpoint.root, method.definition.file), uri)) return method.definition.span;
      if (method.span && isSameFile(manifestFileUri(endpoint.root, endpoint.route.file), uri)) return method.span;
      return undefined;
    };
    // The method whose code starts last above the cursor is the one the cursor is in.
    const cursorLine = editor.selection.active.line + 1;
    let best: { node: MethodNode; line: number } | undefined;
    for (const endpoint of endpoints) {
      for (const node of endpoint.methods) {
        const span = spanInThisFile(endpoint, node);
        if (span && span.line <= cursorLine && (!best || span.line > best.line)) best = { node, line: span.line };
      }
    }
    await tree.reveal(best?.node ?? endpoints[0]);
  };

  const requests = new RequestController(context, server.outputChannel);

  /** What a request is for: a CodeLens's arguments (the manifest's route when the tree has it) or a tree node. */
  const requestTarget = async (arg: unknown): Promise<RequestTarget | undefined> => {
    if (isSendRequestArgs(arg)) {
      const uri = vscode.Uri.parse(arg.uri);
      // The manifest's route adds basePath and what the handler reads; a lens can be clicked before it arrived.
      if (!tree.isLoaded && server.isRunning) await tree.waitUntilLoaded(5_000);
      const endpoint = tree.endpointsOfFile(uri).find((e) => e.route.url === arg.url || e.route.publicPath === arg.url);
      const root = endpoint?.root ?? vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
      return { method: arg.method.toUpperCase(), route: endpoint?.route, url: arg.url, appRoot: endpoint?.route.appRoot ?? arg.appRoot, root };
    }
    const target = resolveTarget(arg);
    if (!target) return undefined;
    const method = await chooseMethod(target);
    if (!method) return undefined;
    const { route, root } = endpointOf(target);
    return { method, route, url: route.url, appRoot: route.appRoot, root };
  };

  /** A fully specified request as the second argument (`{ params, query, body, headers }`) skips the prompts. */
  const isRequestInput = (value: unknown): value is RequestInput =>
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).every((k) => ['url', 'params', 'query', 'body', 'headers'].includes(k));

  const sendRequest = async (arg?: unknown, input?: unknown): Promise<LastResponse | undefined> => {
    const target = await requestTarget(arg);
    if (!target) return undefined;
    return requests.send(target, isRequestInput(input) ? input : undefined);
  };

  /** Opens the request editor for a target; a request as the second argument fills it without prompts. */
  const editRequest = async (arg?: unknown, input?: unknown): Promise<string | undefined> => {
    const target = await requestTarget(arg);
    if (!target) return undefined;
    return (await requests.editRequest(target, isRequestInput(input) ? input : undefined))?.toString();
  };

  const showRequestHistory = async (arg?: unknown): Promise<LastResponse | undefined> => {
    const target = await requestTarget(arg);
    return target ? requests.showHistory(target) : undefined;
  };

  /** From a tree node: that endpoint (or method); otherwise every endpoint of an app, picked when there are several. */
  const saveAsHttpFile = async (arg?: unknown, options?: unknown): Promise<vscode.Uri | undefined> => {
    const uriOption = (options as { uri?: unknown } | undefined)?.uri;
    const targetUri = typeof uriOption === 'string' ? vscode.Uri.parse(uriOption) : uriOption instanceof vscode.Uri ? uriOption : undefined;
    if (isTreeTarget(arg)) {
      const endpoint = endpointOf(arg);
      const method = arg.type === 'method' ? arg.method.name : undefined;
      return requests.saveHttpFile([endpoint.route], { appRoot: endpoint.route.appRoot, root: endpoint.root, appName: endpoint.app.name, method }, targetUri);
    }
    if (!tree.isLoaded && server.isRunning) await tree.waitUntilLoaded(10_000);
    const apps = new Map<string, EndpointNode[]>();
    for (const endpoint of tree.endpoints) {
      const key = `${endpoint.root}|${endpoint.route.appRoot}`;
      apps.set(key, [...(apps.get(key) ?? []), endpoint]);
    }
    if (apps.size === 0) {
      void vscode.window.showInformationMessage('Route Atlas knows no endpoints yet.');
      return undefined;
    }
    let chosen = [...apps.values()][0];
    const wanted = (options as { appRoot?: unknown } | undefined)?.appRoot;
    if (typeof wanted === 'string') chosen = [...apps.values()].find((e) => e[0].route.appRoot === wanted) ?? chosen;
    else if (apps.size > 1) {
      const picked = await vscode.window.showQuickPick(
        [...apps.values()].map((endpoints) => ({ label: endpoints[0].app.name ?? endpoints[0].route.appRoot, description: endpoints[0].route.appRoot, endpoints })),
        { title: 'Save every endpoint of which app as an .http file?' },
      );
      if (!picked) return undefined;
      chosen = picked.endpoints;
    }
    const first = chosen[0];
    const routes = chosen.filter((e) => e.route.kind === 'route').map((e) => e.route);
    return requests.saveHttpFile(routes, { appRoot: first.route.appRoot, root: first.root, appName: first.app.name }, targetUri);
  };

  const copyUrl = async (arg?: unknown): Promise<void> => {
    const target = resolveTarget(arg);
    if (!target) return;
    const path = toUrlTemplate(endpointOf(target).route.publicPath);
    await copyToClipboard(path, path);
  };

  const copyRequest = (format: (draft: RequestDraft) => string, what: string) => async (arg?: unknown) => {
    const target = resolveTarget(arg);
    if (!target) return;
    const draft = await draftFor(target);
    if (draft) await copyToClipboard(format(draft), what);
  };

  const revealReason = async (arg?: unknown): Promise<void> => {
    if (!isRevealReasonArgs(arg)) return;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(arg.uri));
    // RevealReasonArgs are 0-based, like LSP positions: the server converts the manifest's 1-based spans.
    const position = document.validatePosition(new vscode.Position(Math.max(0, arg.line), Math.max(0, arg.column)));
    // Selecting the word there (`cookies`, `revalidate`) shows at a glance what the reason points at.
    const word = document.getWordRangeAtPosition(position);
    const selection = word ? new vscode.Selection(word.start, word.end) : new vscode.Selection(position, position);
    const editor = await vscode.window.showTextDocument(document, { selection, preview: true });
    editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  };

  /** Shows a handler's call sites in the peek view, as "Find All References" does. */
  const showCallers = async (arg?: unknown): Promise<void> => {
    if (!isShowCallersArgs(arg)) return;
    const toPosition = ({ line, character }: { line: number; character: number }) => new vscode.Position(line, character);
    const locations = arg.locations.map((l) => new vscode.Location(vscode.Uri.parse(l.uri), new vscode.Range(toPosition(l.range.start), toPosition(l.range.end))));
    await vscode.commands.executeCommand('editor.action.showReferences', vscode.Uri.parse(arg.uri), toPosition(arg.position), locations);
  };

  const refresh = async (): Promise<void> => {
    if (!server.isRunning) {
      server.explainNotRunning('Refresh Endpoints');
      return;
    }
    await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, async () => tree.refresh(await server.rescan()));
  };

  return [
    vscode.commands.registerCommand('routeAtlas.refresh', refresh),
    // With a text (from a keybinding's `args`, or another extension), the filter applies without the box.
    vscode.commands.registerCommand('routeAtlas.filterEndpoints', (text?: unknown) => (typeof text === 'string' ? tree.applyFilter(text) : tree.promptFilter())),
    vscode.commands.registerCommand('routeAtlas.clearFilter', () => tree.applyFilter('')),
    vscode.commands.registerCommand('routeAtlas.revealEndpoint', revealEndpoint),
    vscode.commands.registerCommand('routeAtlas.openHandler', openHandler),
    requests,
    vscode.commands.registerCommand(ClientCommands.sendRequest, sendRequest),
    vscode.commands.registerCommand('routeAtlas.showRequestHistory', showRequestHistory),
    vscode.commands.registerCommand('routeAtlas.editRequest', editRequest),
    vscode.commands.registerCommand(SEND_DOCUMENT_COMMAND, (uri?: unknown, options?: unknown) =>
      requests.sendDocument(uri, typeof options === 'object' && options !== null ? { withoutBody: (options as { withoutBody?: unknown }).withoutBody === true } : undefined),
    ),
    vscode.commands.registerCommand('routeAtlas.saveAsHttpFile', saveAsHttpFile),
    vscode.commands.registerCommand('routeAtlas.setAuthToken', (origin?: unknown, token?: unknown) => requests.setAuthToken(origin, token)),
    vscode.commands.registerCommand('routeAtlas.clearCookies', () => requests.clearCookies()),
    vscode.commands.registerCommand('routeAtlas.internal.lastResponse', () => requests.lastResponse()),
    vscode.commands.registerCommand('routeAtlas.copyUrl', copyUrl),
    vscode.commands.registerCommand('routeAtlas.copyAsCurl', copyRequest(formatCurl, 'the request as cURL')),
    vscode.commands.registerCommand('routeAtlas.copyAsFetch', copyRequest(formatFetch, 'the request as fetch')),
    vscode.commands.registerCommand(ClientCommands.revealReason, revealReason),
    vscode.commands.registerCommand(ClientCommands.showCallers, showCallers),
  ];
}
