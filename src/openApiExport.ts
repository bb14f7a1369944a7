// "Route Atlas: Export OpenAPI…": the language server builds an OpenAPI 3.1 document of one app (the same
// generator as `route-atlas openapi`), and this writes it where the person chooses, as JSON or YAML.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { toYaml } from '../server/openapi/yaml';
import type { RouteAtlasServer } from './client';

/** What a test (or another extension) passes to skip the pickers and the save dialog. */
export interface ExportOpenApiOptions {
  /** The workspace folder's URI. */
  folder?: string;
  app?: string;
  /** Where to write; `.yaml`/`.yml` writes YAML. */
  uri?: string;
}

function parseOptions(value: unknown): ExportOpenApiOptions {
  if (typeof value !== 'object' || value === null) return {};
  const options = value as Record<string, unknown>;
  const text = (key: string) => (typeof options[key] === 'string' ? (options[key] as string) : undefined);
  return { folder: text('folder'), app: text('app'), uri: text('uri') };
}

/** Writes the document and returns where it went; undefined when the person gave up or it could not be built. */
export async function exportOpenApi(server: RouteAtlasServer, output: vscode.LogOutputChannel, rawOptions?: unknown): Promise<string | undefined> {
  const options = parseOptions(rawOptions);
  if (!server.isRunning) {
    server.explainNotRunning('Export OpenAPI');
    return undefined;
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  let folder = options.folder ? folders.find((f) => f.uri.toString() === options.folder) : folders.length === 1 ? folders[0] : undefined;
  if (!folder && !options.folder && folders.length > 1) folder = await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Export the OpenAPI document of an app in which folder?' });
  if (!folder) return undefined;

  let app = options.app;
  let answer = await server.requestOpenApi({ folder: folder.uri.toString(), app });
  if (answer && 'error' in answer && answer.appRoots.length > 1 && app === undefined && !options.uri) {
    // A monorepo: each app is its own deployment and gets its own document.
    const picked = await vscode.window.showQuickPick(answer.appRoots, { title: 'Export OpenAPI', placeHolder: 'Which app?' });
    if (!picked) return undefined;
    app = picked;
    answer = await server.requestOpenApi({ folder: folder.uri.toString(), app });
  }
  if (!answer) {
    server.explainNotRunning('Export OpenAPI');
    return undefined;
  }
  if ('error' in answer) {
    void vscode.window.showErrorMessage(`Export OpenAPI: ${answer.error}`);
    return undefined;
  }

  const appRoot = (answer.document['x-route-atlas'] as { appRoot?: unknown } | undefined)?.appRoot;
  const appDir = typeof appRoot === 'string' && appRoot !== '.' ? vscode.Uri.joinPath(folder.uri, appRoot) : folder.uri;
  const target = options.uri
    ? vscode.Uri.parse(options.uri)
    : await vscode.window.showSaveDialog({
        title: 'Export OpenAPI',
        defaultUri: vscode.Uri.joinPath(appDir, 'openapi.json'),
        filters: { 'OpenAPI JSON': ['json'], 'OpenAPI YAML': ['yaml', 'yml'] },
        saveLabel: 'Export',
      });
  if (!target) return undefined;
  const yaml = /\.ya?ml$/i.test(target.path);
  const text = yaml ? toYaml(answer.document) : JSON.stringify(answer.document, null, 2) + '\n';
  await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));

  for (const note of answer.notes) output.info(`OpenAPI: ${note}`);
  const paths = Object.keys((answer.document.paths as Record<string, unknown> | undefined) ?? {}).length;
  const summary = `Exported ${paths} path${paths === 1 ? '' : 's'} to ${path.basename(target.path)}${answer.notes.length ? `; ${answer.notes.length} note${answer.notes.length === 1 ? '' : 's'} on what could not be described exactly` : ''}.`;
  if (!options.uri) {
    await vscode.window.showTextDocument(target, { preview: false });
    void vscode.window.showInformationMessage(summary, ...(answer.notes.length ? ['Show Notes'] : [])).then((choice) => (choice ? output.show(true) : undefined));
  }
  return target.toString();
}
