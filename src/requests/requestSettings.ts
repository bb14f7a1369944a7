// The request settings as VS Code holds them, read with Restricted Mode in mind: a setting that chooses
// where requests go or what they carry counts only from the user's own settings while the workspace is not
// trusted. The rules themselves are in baseUrl.ts, where plain Node tests run them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Route } from '../../server/analysis/model';
import { type DetectedBaseUrl, baseUrlFromSetting, detectBaseUrl, trustedSettingValue } from './baseUrl';
import { ENV_FILE, environmentBaseUrl, pickEnvironment, readEnvironmentFiles } from './httpFile';

const DEFAULT_TIMEOUT_MS = 30_000;

function configuration(root: string | undefined): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('routeAtlas', root ? vscode.Uri.file(root) : undefined);
}

/** A setting's value, ignoring workspace and folder values in Restricted Mode. */
function trustedValue<T>(root: string | undefined, key: string): T | undefined {
  return trustedSettingValue(configuration(root).inspect<T>(key), vscode.workspace.isTrusted);
}

/** The workspace folder (the scanned root) a route file lies in, when the caller does not know it. */
export function rootOfRoute(route: Pick<Route, 'file'>): string | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  return (folders.find((f) => fs.existsSync(path.join(f.uri.fsPath, route.file))) ?? folders[0])?.uri.fsPath;
}

/**
 * Where requests for an app go, first match wins: `routeAtlas.request.baseUrls` for the app root, the
 * `baseUrl` of the http-client.env.json environment, the port in the app's `dev` script or .env files,
 * http://localhost:3000.
 */
export function resolveBaseUrl(appRoot: string, root: string | undefined): DetectedBaseUrl {
  const fromSetting = baseUrlFromSetting(trustedValue<Record<string, unknown>>(root, 'request.baseUrls'), appRoot);
  if (fromSetting) return { baseUrl: fromSetting, source: `routeAtlas.request.baseUrls["${appRoot}"]` };
  if (!root) return detectBaseUrl(process.cwd(), appRoot, () => undefined);
  const appDir = path.join(root, appRoot);
  const environments = readEnvironmentFiles(appDir === root ? [root] : [appDir, root]);
  if (environments) {
    const chosen = pickEnvironment(environments.environments, trustedValue<string>(root, 'request.environment') || undefined);
    const fromEnvironment = chosen && environmentBaseUrl(chosen.variables);
    if (fromEnvironment) {
      const file = path.relative(root, path.join(environments.dir, ENV_FILE)).split(path.sep).join('/');
      return { baseUrl: fromEnvironment, source: `the "${chosen.name}" environment of ${file}` };
    }
  }
  return detectBaseUrl(appDir, appRoot);
}

/** Headers every request carries (`routeAtlas.request.headers`), string values only. */
export function defaultHeaders(root: string | undefined): Record<string, string> {
  const value = trustedValue<Record<string, unknown>>(root, 'request.headers') ?? {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

export function timeoutMs(root: string | undefined): number {
  const value = configuration(root).get<number>('request.timeoutMs', DEFAULT_TIMEOUT_MS);
  return typeof value === 'number' && value >= 100 ? value : DEFAULT_TIMEOUT_MS;
}
