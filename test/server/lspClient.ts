import { PassThrough } from 'node:stream';
import { createMessageConnection, type MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { createConnection } from 'vscode-languageserver/node';
import { ServerStatusNotification, type ServerStatusParams } from '../../server/protocol';
import { type ServerOptions, startServer } from '../../server/lsp/server';

/** The real server in this process over two streams, with a JSON-RPC client on the other end. */
export interface TestSession {
  client: MessageConnection;
  /**
   * Resolves with a notification of `method` that satisfies `predicate`: the latest one already
   * received, else the next one.
   */
  waitFor<T>(method: string, predicate?: (params: T) => boolean, timeoutMs?: number, fromHistory?: boolean): Promise<T>;
  statuses: ServerStatusParams[];
  /** Requests the server sent to the client (registrations, refreshes), in order. */
  requests: Array<{ method: string; params: unknown }>;
  /** Every notification the server sent, in order. */
  notifications: ReadonlyArray<{ method: string; params: unknown }>;
  dispose(): void;
}

/** What a test's client says in `initialize`, beyond the folder. */
export interface InitializeOptions {
  folderName?: string;
  capabilities?: object;
  clientCommands?: string[];
  settings?: object;
}

/** initialize and initialized for one workspace folder, resolving when the server reports it ready. */
export async function initializeFolder(session: TestSession, rootUri: string, options: InitializeOptions = {}): Promise<void> {
  const ready = session.waitFor<ServerStatusParams>(ServerStatusNotification.method, (s) => s.state === 'ready', 60_000);
  await session.client.sendRequest('initialize', {
    processId: null,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: options.folderName ?? 'folder' }],
    capabilities: options.capabilities ?? {},
    initializationOptions: { clientCommands: options.clientCommands ?? [], settings: options.settings ?? {} },
  });
  session.client.sendNotification('initialized', {});
  await ready;
}

export function startTestSession(options: ServerOptions = { debounceMs: 0 }): TestSession {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const serverConnection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  const server = startServer(serverConnection, options);
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const waiters: Array<{ method: string; predicate: (p: unknown) => boolean; resolve: (p: unknown) => void }> = [];
  const statuses: ServerStatusParams[] = [];
  const history: Array<{ method: string; params: unknown }> = [];
  client.onNotification((method, params) => {
    history.push({ method, params });
    if (method === ServerStatusNotification.method) statuses.push(params as ServerStatusParams);
    for (const waiter of [...waiters]) {
      if (waiter.method === method && waiter.predicate(params)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(params);
      }
    }
  });
  const requests: Array<{ method: string; params: unknown }> = [];
  client.onRequest((method, params) => {
    requests.push({ method, params });
    return null;
  });
  client.listen();
  return {
    client,
    statuses,
    requests,
    notifications: history,
    waitFor<T>(method: string, predicate: (params: T) => boolean = () => true, timeoutMs = 10_000, fromHistory = true) {
      const seen = fromHistory ? [...history].reverse().find((n) => n.method === method && predicate(n.params as T)) : undefined;
      if (seen) return Promise.resolve(seen.params as T);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${method} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          method,
          predicate: predicate as (p: unknown) => boolean,
          resolve: (p) => {
            clearTimeout(timer);
            resolve(p as T);
          },
        });
      });
    },
    dispose() {
      server.dispose();
      client.dispose();
      serverConnection.dispose();
      toServer.destroy();
      toClient.destroy();
    },
  };
}
