// The request settings as VS Code holds them, read with Restricted Mode in mind: a setting that chooses
// where requests go or what they carry counts only from the user's own settings while the workspace is not
// trusted. The rules themselves are in baseUrl.ts, where plain Node tests run them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Route } from '../../server/analysis/model';
import { type ChosenBaseUrl, type DetectedBaseUrl, chooseBaseUrl, trustedSettingValue } from './baseUrl';

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
 * Where requests for an app go (the order is chooseBaseUrl's). In Restricted Mode the workspace's files are
 * ignored like its settings, and a notification says which base URL they would have chosen and how to get it.
 */
export function resolveBaseUrl(appRoot: string, root: string | undefined): DetectedBaseUrl {
  const chosen = chooseBaseUrl({
    appRoot,
    root,
    isTrusted: vscode.workspace.isTrusted,
    baseUrls: trustedValue<Record<string, unknown>>(root, 'request.baseUrls'),
    environment: trustedValue<string>(root, 'request.environment') || undefined,
  });
  if (chosen.ignoredInRestrictedMode) explainIgnoredBaseUrl(chosen, chosen.ignoredInRestrictedMode);
  return { baseUrl: chosen.baseUrl, source: chosen.source };
}

/** The ignored base URLs already explained in this session: a copy of every request should not say it again. */
const explained = new Set<string>();

function explainIgnoredBaseUrl(chosen: ChosenBaseUrl, ignored: DetectedBaseUrl): void {
  const key = `${ignored.baseUrl} ${ignored.source}`;
  if (explained.has(key)) return;
  explained.add(key);
  void vscode.window
    .showInformationMessage(
      `Restricted Mode: requests are written for ${chosen.baseUrl}, not ${ignored.baseUrl} from ${ignored.source}, because files of an untrusted workspace do not choose where requests go. Trust the workspace, or set routeAtlas.request.baseUrls in your user settings.`,
      'Manage Workspace Trust',
    )
    .then((choice) => (choice === 'Manage Workspace Trust' ? vscode.commands.executeCommand('workbench.trust.manage') : undefined));
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
