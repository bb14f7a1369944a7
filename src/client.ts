// The language client: how the server is started, what it is told at start-up, what happens when it dies,
// and the server's status and manifest notifications as VS Code events.
import * as vscode from 'vscode';
import {
  CloseAction,
  type CloseHandlerResult,
  ErrorAction,
  type ErrorHandler,
  type ErrorHandlerResult,
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  type ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import {
  type DidChangeManifestParams,
  DidChangeManifestNotification,
  type ManifestResult,
  ManifestRequest,
  RescanRequest,
  type ServerStatusParams,
  ServerStatusNotification,
  AgentToolRequest,
  type AgentToolParams,
  type AgentToolResponse,
  OpenApiRequest,
  type OpenApiParams,
  type OpenApiResponse,
} from '../server/protocol';

/** The language client id: `routeAtlas.trace.server` is derived from it. */
export const CLIENT_ID = 'routeAtlas';
export const CLIENT_NAME = 'Route Atlas';

/** The server's own status, or `stopped` when the client has no running server. */
export type ServerStatus = ServerStatusParams | { state: 'stopped'; message: string };

/** The settings the server reads, in the shape `workspace/configuration` returns for `routeAtlas`. */
export interface ServerSettings {
  nextVersion: string;
  cacheComponents: string;
  codeLens: { enable: boolean };
  lint: Record<string, string>;
}

export function readServerSettings(): ServerSettings {
  const config = vscode.workspace.getConfiguration('routeAtlas');
  return {
    nextVersion: config.get<string>('nextVersion', 'auto'),
    cacheComponents: config.get<string>('cacheComponents', 'auto'),
    codeLens: { enable: config.get<boolean>('codeLens.enable', true) },
    lint: { ...config.get<Record<string, string>>('lint', {}) },
  };
}

const SOURCE_LANGUAGES = ['typescript', 'javascript', 'typescriptreact', 'javascriptreact'];
const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60 * 1000;

/** Owns the LanguageClient across restarts; everything else talks to the server through it. */
export class RouteAtlasServer implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private status: ServerStatus = { state: 'starting' };
  private crashTimes: number[] = [];
  private reachedReady = false;
  /** True while start() waits for the server's initialize answer. */
  private starting = false;
  private exitedWhileStarting = false;
  /** Subscriptions to the current client, dropped with it. */
  private clientSubscriptions: vscode.Disposable[] = [];
  private readonly statusEmitter = new vscode.EventEmitter<ServerStatus>();
  private readonly manifestEmitter = new vscode.EventEmitter<DidChangeManifestParams>();
  private readonly disposables: vscode.Disposable[] = [this.statusEmitter, this.manifestEmitter];

  /** Fires on every status change, including the client's own (stopped, starting). */
  readonly onDidChangeStatus = this.statusEmitter.event;
  /** Fires when the server says the manifest changed. */
  readonly onDidChangeManifest = this.manifestEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly outputChannel: vscode.LogOutputChannel,
    private readonly clientCommands: readonly string[],
  ) {
    this.disposables.push(
      vscode.commands.registerCommand('routeAtlas.restartServer', () => this.restartWithFeedback()),
      vscode.commands.registerCommand('routeAtlas.showOutput', () => this.outputChannel.show(true)),
    );
  }

  get currentStatus(): ServerStatus {
    return this.status;
  }

  /**
   * Running and done with its first scan, so the manifest it answers is complete. A later rescan keeps it
   * ready: the previous manifest stays valid until the next one arrives.
   */
  get isReady(): boolean {
    return this.client?.isRunning() === true && this.reachedReady;
  }

  get isRunning(): boolean {
    return this.client?.isRunning() === true;
  }

  async start(): Promise<void> {
    if (this.client) return;
    const client = this.createClient();
    this.client = client;
    this.setStatus({ state: 'starting' });
    this.starting = true;
    this.exitedWhileStarting = false;
    try {
      await client.start();
    } catch (error) {
      // The client's own error ("Pending response rejected...") says less than the fact that the process exited.
      const reason = this.exitedWhileStarting ? new Error('the server process exited while starting (its output has the details)') : error;
      this.setStatus({ state: 'stopped', message: `The server failed to start: ${errorMessage(reason)}` });
      throw reason;
    } finally {
      this.starting = false;
    }
  }

  /** Stops the server and starts a new one with the current settings. */
  async restart(): Promise<void> {
    const previous = this.client;
    this.client = undefined;
    this.crashTimes = [];
    this.disposeClientSubscriptions();
    if (previous) {
      try {
        await previous.dispose(2000);
      } catch (error) {
        this.outputChannel.warn(`Stopping the server before the restart failed: ${errorMessage(error)}`);
      }
    }
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.disposeClientSubscriptions();
    if (client) await client.dispose(2000);
  }

  /**
   * The current manifests, or undefined when no server is running to answer. With `since`, the answer may
   * hold only what changed after that version (ManifestResult.changes).
   */
  async requestManifest(since?: number): Promise<ManifestResult | undefined> {
    if (!this.client?.isRunning()) return undefined;
    return this.client.sendRequest(ManifestRequest.type, since === undefined ? {} : { since });
  }

  /** Scans every folder from disk again with fresh caches and returns the new manifests. */
  async rescan(): Promise<ManifestResult | undefined> {
    if (!this.client?.isRunning()) return undefined;
    return this.client.sendRequest(RescanRequest.type, {});
  }

  /** An OpenAPI document of one app of a workspace folder; undefined when no server runs. */
  async requestOpenApi(params: OpenApiParams): Promise<OpenApiResponse | undefined> {
    if (!this.client?.isRunning()) return undefined;
    return this.client.sendRequest(OpenApiRequest.type, params);
  }

  /** Runs an agent tool over the server's manifests; undefined when no server runs. */
  async runAgentTool(params: AgentToolParams, token?: vscode.CancellationToken): Promise<AgentToolResponse | undefined> {
    if (!this.client?.isRunning()) return undefined;
    return this.client.sendRequest(AgentToolRequest.type, params, token);
  }

  /**
   * Shows why a server-dependent action cannot run now, with ways out. It does not wait for an answer, so
   * the command that calls it finishes at once.
   */
  explainNotRunning(action: string): void {
    const message = this.status.state === 'starting' ? `${action}: the Route Atlas server is still starting.` : `${action}: the Route Atlas server is not running.`;
    void vscode.window.showWarningMessage(message, 'Restart Server', 'Open Output').then(async (choice) => {
      if (choice === 'Restart Server') await this.restartWithFeedback();
      else if (choice === 'Open Output') this.outputChannel.show(true);
    });
  }

  /** Shows a start-up failure with a way to its details (VS Code does not show one for extensions). */
  async showStartFailure(error: unknown): Promise<void> {
    this.outputChannel.error(`Starting the Route Atlas server failed: ${errorMessage(error)}`);
    const choice = await vscode.window.showErrorMessage(`Route Atlas server failed to start: ${errorMessage(error)}`, 'Open Output');
    if (choice === 'Open Output') this.outputChannel.show(true);
  }

  dispose(): void {
    void this.stop().catch((error) => this.outputChannel.warn(`Stopping the server failed: ${errorMessage(error)}`));
    for (const disposable of this.disposables) disposable.dispose();
  }

  private disposeClientSubscriptions(): void {
    for (const subscription of this.clientSubscriptions) subscription.dispose();
    this.clientSubscriptions = [];
  }

  private async restartWithFeedback(): Promise<void> {
    try {
      await this.restart();
    } catch (error) {
      void this.showStartFailure(error);
    }
  }

  private setStatus(status: ServerStatus): void {
    if (status.state === 'ready') this.reachedReady = true;
    else if (status.state === 'starting' || status.state === 'stopped') this.reachedReady = false;
    this.status = status;
    this.statusEmitter.fire(status);
  }

  /** Where the server keeps parse results between sessions: this workspace's storage, else the global one. */
  private cacheDir(): string | undefined {
    const storage = this.context.storageUri ?? this.context.globalStorageUri;
    return storage.scheme === 'file' ? vscode.Uri.joinPath(storage, 'parse-cache').fsPath : undefined;
  }

  private createClient(): LanguageClient {
    const serverModule = this.context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: SOURCE_LANGUAGES.map((language) => ({ scheme: 'file', language })),
      outputChannel: this.outputChannel,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      // A function, so that a restart sends the settings of that moment.
      initializationOptions: () => ({ clientCommands: [...this.clientCommands], settings: readServerSettings(), cacheDir: this.cacheDir() }),
      // Pushes the `routeAtlas` section on every change, which is what the server listens to today.
      synchronize: { configurationSection: 'routeAtlas' },
      errorHandler: this.createErrorHandler(),
    };
    const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    // Handlers registered before start() survive the client's own restarts after a crash.
    client.onNotification(ServerStatusNotification.type, (params) => {
      if (this.client === client) this.setStatus(params);
    });
    client.onNotification(DidChangeManifestNotification.type, (params) => {
      if (this.client === client) this.manifestEmitter.fire(params);
    });
    this.clientSubscriptions.push(
      client.onDidChangeState((event) => {
        if (this.client !== client) return;
        if (event.newState === State.Starting) this.setStatus({ state: 'starting' });
        else if (event.newState === State.Stopped || event.newState === State.StartFailed) {
          this.setStatus({ state: 'stopped', message: 'The Route Atlas server is not running.' });
        }
      }),
    );
    return client;
  }

  /**
   * Restarts a crashed server up to four times in three minutes, like the default handler, but then says so
   * itself with the actions that help: the output, and a fresh start.
   */
  private createErrorHandler(): ErrorHandler {
    return {
      error: (_error, _message, count): ErrorHandlerResult => {
        if (count !== undefined && count <= 3) return { action: ErrorAction.Continue };
        return { action: ErrorAction.Shutdown };
      },
      closed: (): CloseHandlerResult => {
        // A server that exits before answering initialize (a missing or broken bundle) would only fail
        // again; start() rejects and its caller shows the failure once.
        if (this.starting) {
          this.exitedWhileStarting = true;
          return { action: CloseAction.DoNotRestart, message: 'The Route Atlas server exited while starting.', handled: true };
        }
        const now = Date.now();
        this.crashTimes = [...this.crashTimes.filter((time) => now - time < RESTART_WINDOW_MS), now];
        if (this.crashTimes.length <= MAX_RESTARTS) {
          this.outputChannel.warn(`The server stopped unexpectedly; restarting it (${this.crashTimes.length} of ${MAX_RESTARTS}).`);
          return { action: CloseAction.Restart, handled: true };
        }
        void this.showServerStopped();
        return {
          action: CloseAction.DoNotRestart,
          message: `The Route Atlas server stopped ${this.crashTimes.length} times in three minutes and will not be restarted.`,
          handled: true,
        };
      },
    };
  }

  private async showServerStopped(): Promise<void> {
    const choice = await vscode.window.showErrorMessage('Route Atlas server stopped', 'Open Output', 'Restart');
    if (choice === 'Open Output') this.outputChannel.show(true);
    else if (choice === 'Restart') await this.restartWithFeedback();
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
