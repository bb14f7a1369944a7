// Sentences for what went wrong, in the terms of the app: which server is missing and how to start it,
// why Next.js answered 404 or 405 for a route Route Atlas knows. No vscode here: plain Node tests run it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RequestFailure } from './sendHttp';

/** The command that starts an app's dev server, by the lock file its package manager wrote. */
export function devCommand(appDir: string, workspaceDir?: string, exists: (file: string) => boolean = fs.existsSync): string {
  // A monorepo's lock file sits at the workspace root, above the app.
  for (const dir of workspaceDir && workspaceDir !== appDir ? [appDir, workspaceDir] : [appDir]) {
    if (exists(path.join(dir, 'pnpm-lock.yaml'))) return 'pnpm dev';
    if (exists(path.join(dir, 'yarn.lock'))) return 'yarn dev';
    if (exists(path.join(dir, 'bun.lockb')) || exists(path.join(dir, 'bun.lock'))) return 'bun run dev';
    if (exists(path.join(dir, 'package-lock.json'))) return 'npm run dev';
  }
  return 'npm run dev';
}

/** A failed request as one sentence for a notification. */
export function explainFailure(failure: Pick<RequestFailure, 'kind' | 'url' | 'message'>, context: { devCommand?: string; timeoutMs?: number } = {}): string {
  let host = failure.url;
  try {
    host = new URL(failure.url).host;
  } catch {
    // An invalid URL is named as it is.
  }
  switch (failure.kind) {
    case 'connectionRefused':
      return `No server on ${host}: start it with ${context.devCommand ?? 'npm run dev'}?`;
    case 'timeout':
      return `No answer from ${host} within ${context.timeoutMs ?? '?'} ms (routeAtlas.request.timeoutMs). Is the handler waiting on something, or the dev server still compiling?`;
    case 'hostNotFound':
      return `${failure.message} Check the base URL (routeAtlas.request.baseUrls).`;
    default:
      return failure.message;
  }
}

/** What Route Atlas knows about the route a request was for. */
export interface RouteFacts {
  /** The methods the route file exports itself. */
  methods: string[];
  /** Literal statuses the handler answers with. */
  statuses?: number[];
}

/**
 * A sentence for a 404 or 405, when the route is known. A 405 for a method the file does not export names
 * the ones it does; a 404 for a route that exists says the server serves another app or an older build,
 * unless the handler answers 404 itself.
 */
export function explainStatus(status: number, method: string, contentType: string | undefined, route?: RouteFacts): string | undefined {
  const upper = method.toUpperCase();
  if (status === 405) {
    if (!route) return `405 Method Not Allowed: the route file does not export ${upper}.`;
    if (!route.methods.includes(upper)) return `405 Method Not Allowed: the file does not export ${upper} (it exports ${route.methods.join(', ') || 'no method'}).`;
    return `405 Method Not Allowed, although the file exports ${upper}: is the server running an older build of the app?`;
  }
  if (status === 404) {
    if (!route) return '404 Not Found: no route at this URL on the server (check the path and basePath).';
    const json = /json/i.test(contentType ?? '');
    if (route.statuses?.includes(404) && json) return '404 from the handler itself (it answers 404 for this input).';
    if (json) return '404 Not Found, from the handler or a wrapper around it.';
    return '404 Not Found from Next.js, although the route exists here: is the server on this port running this app (or an older build), and is basePath right?';
  }
  return undefined;
}
