// The Endpoints view: a TreeDataProvider over the server's manifests, refetched when the server says they
// changed, with a filter and `reveal` support.
import * as vscode from 'vscode';
import { type RouteAtlasServer, errorMessage } from './client';
import { type EndpointFilter, FILTER_TOKENS, matchesEndpointFilter, parseEndpointFilter } from './endpointFilter';
import { appTooltip, endpointTooltip, methodTooltip } from './endpointTooltip';
import {
  type EndpointNode,
  type EndpointTree,
  type EndpointTreeNode,
  EMPTY_TREE,
  type MethodNode,
  buildEndpointTree,
  childrenOf,
  endpointDescription,
  methodDescription,
  filteredChildren,
  type FilteredTree,
  filterTree,
  worstSeverity,
} from './endpointTree';
import { isSameFile, manifestFileUri } from './locations';
import { readTreeSnapshot, writeTreeSnapshot } from './treeSnapshot';
import { applyManifestChanges, type ManifestResult } from '../server/protocol';

export const VIEW_ID = 'routeAtlas.routes';
const REFRESH_DELAY_MS = 100;
/** Tree items of this scheme are drawn greyed out (endpoints shown only on the way to the filter's matches). */
const DEEMPHASIZED_SCHEME = 'route-atlas-context';
/** Above this many endpoints, URL segments start collapsed. */
const LARGE_TREE_ENDPOINTS = 300;
/** The tree is kept for the next session once it has not changed for this long. */
const SNAPSHOT_DELAY_MS = 5000;

function workspaceFolderUris(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.toString());
}

const CACHING_ICONS: Record<string, string> = {
  static: 'lock',
  isr: 'history',
  'ssg-isr': 'history',
  ssg: 'files',
  dynamic: 'zap',
  error: 'error',
  unknown: 'question',
};
const CACHING_COLORS: Record<string, string | undefined> = {
  static: 'charts.blue',
  isr: 'charts.purple',
  'ssg-isr': 'charts.purple',
  ssg: 'charts.blue',
  unknown: 'charts.yellow',
};
/** Routes without a GET have no caching verdict: a neutral request/response icon. */
const NO_VERDICT_ICON = 'arrow-swap';

function endpointIcon(node: EndpointNode): vscode.ThemeIcon {
  const severity = worstSeverity(node.problems);
  if (severity) return new vscode.ThemeIcon('warning', new vscode.ThemeColor(severity === 'error' ? 'problemsErrorIcon.foreground' : 'problemsWarningIcon.foreground'));
  if (node.route.kind !== 'route') return new vscode.ThemeIcon('file-media');
  const caching = node.route.caching;
  const kind = caching?.kind;
  if (kind === 'error') return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
  // The exceptions stand out: a GET prerendered, revalidated or unknown is in color; one dynamic only by
  // default, which is most of them in Next.js 15 and 16, is greyed.
  if (kind === 'dynamic' && caching?.because === 'default') return new vscode.ThemeIcon('zap', new vscode.ThemeColor('disabledForeground'));
  const color = kind ? CACHING_COLORS[kind] : undefined;
  return new vscode.ThemeIcon(kind ? CACHING_ICONS[kind] : NO_VERDICT_ICON, color ? new vscode.ThemeColor(color) : undefined);
}

/** Arguments of the command a click runs: open without taking the focus from the tree. */
function openCommand(node: EndpointNode | MethodNode): vscode.Command {
  return { command: 'routeAtlas.openHandler', title: 'Open Handler', arguments: [node, { preserveFocus: true }] };
}

function countEndpoints(tree: EndpointTree, filter: EndpointFilter | undefined): number {
  if (!filter) return tree.endpoints.length;
  return tree.endpoints.filter((endpoint) => matchesEndpointFilter(filter, endpoint)).length;
}

interface FilterPickItem extends vscode.QuickPickItem {
  /** Set on completions: choosing one adds the token instead of applying the filter. */
  token?: string;
}

export class RoutesTree implements vscode.TreeDataProvider<EndpointTreeNode>, vscode.Disposable {
  private tree: EndpointTree = EMPTY_TREE;
  private filter: EndpointFilter | undefined;
  private filtered: FilteredTree | undefined;
  private loaded = false;
  /** The whole manifests shown, which answers that hold only changes apply to. */
  private held: ManifestResult | undefined;
  /** Manifest answers applied as changes to the manifests shown (the tests read it through the API). */
  readonly answersTaken = { changes: 0 };
  private requestCount = 0;
  private refreshTimer: NodeJS.Timeout | undefined;
  /** The newest version announced since the last scheduled refresh ran; undefined when one must run regardless. */
  private wantedVersion: number | undefined = -1;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly loadedEmitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter, this.loadedEmitter];
  readonly onDidChangeTreeData = this.changeEmitter.event;
  /** Fires each time a manifest has been shown. */
  readonly onDidLoad = this.loadedEmitter.event;
  readonly view: vscode.TreeView<EndpointTreeNode>;

  constructor(
    private readonly server: RouteAtlasServer,
    private readonly log: vscode.LogOutputChannel,
    /** Where the last complete tree is kept between sessions (see treeSnapshot.ts); none without storage. */
    private readonly snapshotFile?: string,
  ) {
    this.view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      vscode.window.registerFileDecorationProvider({
        provideFileDecoration: (uri) => (uri.scheme === DEEMPHASIZED_SCHEME ? { color: new vscode.ThemeColor('list.deemphasizedForeground') } : undefined),
      }),
      server.onDidChangeManifest((change) => this.scheduleRefresh(change.version)),
      server.onDidChangeStatus((status) => {
        // A restarted server counts versions from scratch; its first ready state brings a manifest to fetch.
        if (status.state === 'starting') this.held = undefined;
        if (status.state === 'ready' && !this.held) this.scheduleRefresh();
        this.view.message = this.viewMessage();
        this.updateNoApps();
      }),
    );
    void vscode.commands.executeCommand('setContext', 'routeAtlas.filterActive', false);
  }

  /** Every endpoint in the current manifests. */
  get endpoints(): readonly EndpointNode[] {
    return this.tree.endpoints;
  }

  /** The version of the manifests shown (-1 before the first). */
  get shownVersion(): number {
    return this.held?.version ?? -1;
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  /**
   * Coalesces bursts of change notifications (a save that touches several routes) into one request. With
   * the version a notification announced, the request is skipped if the tree has that version by then
   * (a rescan answers with its manifest before the timer runs).
   */
  scheduleRefresh(version?: number): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.wantedVersion = version === undefined || this.wantedVersion === undefined ? undefined : Math.max(version, this.wantedVersion);
    this.refreshTimer = setTimeout(() => {
      const wanted = this.wantedVersion;
      this.refreshTimer = undefined;
      this.wantedVersion = -1;
      if (wanted === undefined || wanted > this.shownVersion) void this.refresh();
    }, REFRESH_DELAY_MS);
  }

  /**
   * Shows the given manifests, or fetches them now; a response that a later request or a newer version
   * overtook is dropped.
   */
  async refresh(known?: ManifestResult): Promise<void> {
    const request = ++this.requestCount;
    let result = known;
    try {
      // Asking with the version shown gets only the routes that changed since (at 10,000 routes a whole
      // manifest is 13 MB of JSON to send and parse); an answer that does not fit is asked for again whole.
      result ??= await this.server.requestManifest(this.held?.version);
      const applied = result && applyManifestChanges(this.held, result);
      if (applied && result?.changes) this.answersTaken.changes++;
      result = result && (applied ?? (await this.server.requestManifest()));
    } catch (error) {
      this.log.error(`Fetching the route manifest failed: ${errorMessage(error)}`);
      return;
    }
    if (!result || request !== this.requestCount || result.version < this.shownVersion) return;
    this.held = result;
    this.tree = buildEndpointTree(result.folders);
    this.loaded = true;
    this.restoredAt = undefined;
    this.updateNoApps();
    this.applyFilter(this.filter?.text ?? '');
    this.loadedEmitter.fire();
    this.scheduleSnapshot();
  }

  /** "No Next.js app" is shown only once the server has looked everywhere: an app may still come while it scans. */
  private updateNoApps(): void {
    const noApps = this.loaded && this.tree.appCount === 0 && !this.held?.folders.some((folder) => folder.scanning) && this.server.currentStatus.state === 'ready';
    void vscode.commands.executeCommand('setContext', 'routeAtlas.noApps', noApps);
  }

  /** When the tree shown is the last session's (until the server's first manifest replaces it). */
  restoredAt: number | undefined;

  /**
   * Shows the last session's endpoints at once, marked as restored, unless the server was quicker: a large
   * app's first scan takes seconds, and its endpoints rarely change between two sessions.
   */
  async restoreSnapshot(): Promise<void> {
    if (!this.snapshotFile) return;
    const snapshot = await readTreeSnapshot(this.snapshotFile, workspaceFolderUris());
    if (!snapshot || this.loaded) return;
    this.tree = buildEndpointTree(snapshot.manifests);
    this.restoredAt = Date.now();
    this.applyFilter(this.filter?.text ?? '');
  }

  private snapshotTimer: NodeJS.Timeout | undefined;
  /** Keeps the tree for the next session once the server is done and the tree has been quiet for a while. */
  private scheduleSnapshot(): void {
    if (!this.snapshotFile) return;
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = undefined;
      const held = this.held;
      if (!held || this.server.currentStatus.state !== 'ready') return;
      void writeTreeSnapshot(this.snapshotFile!, workspaceFolderUris(), held.folders).catch((error) =>
        this.log.warn(`Keeping the endpoints for the next session failed: ${errorMessage(error)}`),
      );
    }, SNAPSHOT_DELAY_MS);
  }

  /** Resolves once a manifest has arrived, or after `timeoutMs`; tells whether one has. */
  async waitUntilLoaded(timeoutMs: number): Promise<boolean> {
    if (this.loaded) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        subscription.dispose();
        resolve(this.loaded);
      }, timeoutMs);
      const subscription = this.loadedEmitter.event(() => {
        clearTimeout(timer);
        subscription.dispose();
        resolve(true);
      });
    });
  }

  getTreeItem(node: EndpointTreeNode): vscode.TreeItem {
    const { Collapsed, Expanded, None } = vscode.TreeItemCollapsibleState;
    // A large tree starts folded: VS Code builds every expanded row up front, and 29,000 rows took seconds.
    const open = this.tree.endpoints.length > LARGE_TREE_ENDPOINTS ? Collapsed : Expanded;
    switch (node.type) {
      case 'app': {
        const item = new vscode.TreeItem(node.label, Expanded);
        item.id = node.id;
        item.description = `Next.js ${node.app.nextVersion.version ?? node.app.nextVersion.major}`;
        item.iconPath = new vscode.ThemeIcon('package');
        item.tooltip = appTooltip(node);
        item.contextValue = 'app';
        return item;
      }
      case 'segment': {
        const item = new vscode.TreeItem(node.label, open);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon('folder');
        item.tooltip = node.path;
        item.contextValue = 'segment';
        return item;
      }
      case 'endpoint': {
        if (this.filtered && !this.filtered.matched.has(node)) {
          // Under a filter, an endpoint that does not match is shown only for the path to those that do:
          // no methods, no verdict, and its label greyed out.
          const item = new vscode.TreeItem(node.label, Expanded);
          item.id = node.id;
          item.iconPath = new vscode.ThemeIcon('folder');
          item.resourceUri = vscode.Uri.from({ scheme: DEEMPHASIZED_SCHEME, path: '/' + encodeURIComponent(node.id) });
          item.tooltip = `${node.route.publicPath} does not match the filter; endpoints below it do.`;
          item.contextValue = node.route.kind === 'route' ? 'endpoint' : 'endpoint.metadata';
          item.command = openCommand(node);
          return item;
        }
        // Sub-URLs stay in sight; an endpoint with only its methods below it starts collapsed.
        const state = node.children.length > 0 ? open : node.methods.length > 0 ? Collapsed : None;
        const item = new vscode.TreeItem(node.label, state);
        item.id = node.id;
        item.description = endpointDescription(node.route);
        item.iconPath = endpointIcon(node);
        item.tooltip = endpointTooltip(node);
        item.contextValue = node.route.kind === 'route' ? 'endpoint' : 'endpoint.metadata';
        item.command = openCommand(node);
        return item;
      }
      case 'method': {
        const item = new vscode.TreeItem(node.method.name, None);
        item.id = node.id;
        item.description = methodDescription(node.method, node.parent.route);
        item.iconPath = new vscode.ThemeIcon('symbol-method');
        item.tooltip = methodTooltip(node);
        item.contextValue = 'method';
        item.command = openCommand(node);
        return item;
      }
    }
  }

  getChildren(node?: EndpointTreeNode): EndpointTreeNode[] {
    const children = node ? childrenOf(node) : this.tree.roots;
    if (!this.filtered || !this.filter) return children;
    return filteredChildren(children, this.filtered, this.filter.methods);
  }

  getParent(node: EndpointTreeNode): EndpointTreeNode | undefined {
    return node.parent;
  }

  /** The endpoints served from a file, or else those whose handler code lives in it. */
  endpointsOfFile(uri: vscode.Uri): EndpointNode[] {
    const served = this.tree.endpoints.filter((e) => isSameFile(manifestFileUri(e.root, e.route.file), uri));
    if (served.length > 0) return served;
    return this.tree.endpoints.filter((e) => e.route.methods.some((m) => m.definition && isSameFile(manifestFileUri(e.root, m.definition.file), uri)));
  }

  /** Selects a node, first clearing a filter that hides it. */
  async reveal(node: EndpointTreeNode): Promise<void> {
    const endpoint = node.type === 'method' ? node.parent : node;
    if (this.filtered && !this.filtered.visible.has(endpoint)) this.applyFilter('');
    await this.view.reveal(node, { select: true, focus: true, expand: false });
  }

  // ---- filter

  get filterText(): string {
    return this.filter?.text ?? '';
  }

  /** Filters the view; an empty text shows everything. */
  applyFilter(text: string): void {
    const filter = parseEndpointFilter(text);
    this.filter = filter;
    this.filtered = filter ? filterTree(this.tree, (endpoint) => matchesEndpointFilter(filter, endpoint)) : undefined;
    this.view.description = filter ? `Filter: ${filter.text}` : undefined;
    this.view.message = this.viewMessage();
    void vscode.commands.executeCommand('setContext', 'routeAtlas.filterActive', filter !== undefined);
    this.changeEmitter.fire();
  }

  /**
   * Asks for a filter. The view follows while typing; Escape puts the previous filter back. Choosing a
   * suggested `key:value` token adds it to the text rather than closing the box.
   */
  async promptFilter(): Promise<void> {
    const previous = this.filterText;
    const quickPick = vscode.window.createQuickPick<FilterPickItem>();
    quickPick.title = 'Filter Endpoints';
    quickPick.placeholder = 'Words from the URL or file, and method:POST, cache:dynamic, kind:metadata, has:problems';
    quickPick.value = previous;
    let accepted = false;
    const update = () => {
      this.applyFilter(quickPick.value);
      quickPick.items = this.filterPickItems(quickPick.value);
    };
    update();
    await new Promise<void>((resolve) => {
      const subscriptions = [
        quickPick.onDidChangeValue(update),
        quickPick.onDidAccept(() => {
          const item = quickPick.selectedItems[0] ?? quickPick.activeItems[0];
          if (item?.token) {
            // The token replaces the word being typed, if any.
            const words = quickPick.value.split(/\s+/).filter((word) => word.length > 0);
            if (!/\s$/.test(quickPick.value)) words.pop();
            quickPick.value = [...words, item.token].join(' ') + ' ';
            update();
            return;
          }
          accepted = true;
          quickPick.hide();
        }),
        quickPick.onDidHide(() => {
          if (!accepted) this.applyFilter(previous);
          for (const subscription of subscriptions) subscription.dispose();
          quickPick.dispose();
          resolve();
        }),
      ];
      quickPick.show();
    });
  }

  private filterPickItems(value: string): FilterPickItem[] {
    const filter = parseEndpointFilter(value);
    const matching = countEndpoints(this.tree, filter);
    const apply: FilterPickItem = filter
      ? {
          label: `$(filter) Filter by “${filter.text}”`,
          description: `${matching} of ${this.tree.endpoints.length} endpoints`,
          detail: filter.mistakes.length > 0 ? `$(warning) ${filter.mistakes.join('; ')}` : undefined,
          alwaysShow: true,
        }
      : { label: '$(clear-all) Show all endpoints', description: `${this.tree.endpoints.length} endpoints`, alwaysShow: true };
    const typing = /\s$/.test(value) ? '' : (value.split(/\s+/).pop() ?? '').toLowerCase();
    const used = new Set(value.toLowerCase().split(/\s+/));
    // `post` suggests method:POST as well as tokens that start with what was typed.
    const suggests = (token: string) => token.startsWith(typing) || token.slice(token.indexOf(':') + 1).startsWith(typing);
    const suggestions = FILTER_TOKENS.filter((token) => suggests(token.toLowerCase()) && !used.has(token.toLowerCase())).map(
      (token): FilterPickItem => ({ label: token, description: 'add to the filter', token, alwaysShow: true }),
    );
    return [apply, ...suggestions];
  }

  private viewMessage(): string | undefined {
    if (this.restoredAt !== undefined) return 'Endpoints of the last session: checking for changes…';
    // Apps appear as each is scanned; until the scan is over, the view says the list is not complete yet.
    if (this.server.currentStatus.state === 'scanning') {
      const count = this.tree.endpoints.length;
      return count > 0 ? `Scanning… ${count} endpoint${count === 1 ? '' : 's'} so far.` : 'Scanning for Next.js routes…';
    }
    if (!this.loaded) return this.server.currentStatus.state === 'ready' ? 'Loading the endpoints…' : undefined;
    if (this.filter && this.filtered?.matched.size === 0) return `No endpoint matches “${this.filter.text}”.`;
    // The view's title has little room: the filter and what it leaves are said where they cannot be cut off.
    if (this.filter && this.filtered) return `Filter “${this.filter.text}”: ${this.filtered.matched.size} of ${this.tree.endpoints.length} endpoints.`;
    if (this.tree.appCount > 0 && this.tree.endpoints.length === 0) {
      return 'No route handlers yet: add a route.ts under the app directory.';
    }
    return undefined;
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}
