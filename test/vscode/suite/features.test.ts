// The extension at work in a real VS Code on the fixture workspace (a copy made by run.mjs): lenses,
// diagnostics, symbols, and how they follow edits and new files.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { commandArguments, findMarkup } from '../../unit/markdownMarkup';
import { until } from './poll';

const EXTENSION_ID = 'route-atlas.route-atlas';

function workspaceUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders![0];
  return vscode.Uri.joinPath(folder.uri, ...relative.split('/'));
}

async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return lenses.map((l) => l.command?.title ?? '').filter(Boolean);
}

async function symbolNames(query: string): Promise<string[]> {
  const symbols = (await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', query)) ?? [];
  return symbols.map((s) => s.name);
}

interface TreeRow {
  depth: number;
  label: string;
  description?: string;
  tooltip?: string | { markdown: string; isTrusted: boolean | { enabledCommands: readonly string[] }; supportHtml: boolean };
}

/** An import specifier that closes a code span, starts a paragraph, and adds a command link and a beacon image. */
const HOSTILE_SPECIFIER = 'x`\n\n[open](command:routeAtlas.revealReason?%5B%7B%22uri%22%3A%22file%3A%2F%2F%2Fetc%2Fpasswd%22%2C%22line%22%3A0%2C%22column%22%3A0%7D%5D)![b](https://beacon.example/x.png)';

describe('Route Atlas in a real VS Code', () => {
  let api: { treeRows(): TreeRow[]; manifestVersion(): number; manifestChangesApplied(): number };
  before(async () => {
    api = await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  it('lists every endpoint in the Endpoints view with methods and caching badges', async () => {
    await vscode.commands.executeCommand('routeAtlas.routes.focus');
    const rows = await until('the endpoint rows', () => {
      const r = api.treeRows();
      return r.some((row) => row.label === '[id]') ? r : undefined;
    });
    const byLabel = new Map(rows.map((r) => [r.label, r]));
    assert.match(byLabel.get('users')?.description ?? '', /GET POST · dynamic/);
    assert.match(byLabel.get('about')?.description ?? '', /GET · build error/);
    assert.ok(rows.some((r) => r.label === 'GET' && r.depth > byLabel.get('users')!.depth), 'method rows under an endpoint');
    // A GET dynamic only by default gets no word on its endpoint row; its own row says so, with the reason.
    assert.equal(byLabel.get('health')?.description, 'GET');
    const usersGet = rows[rows.indexOf(byLabel.get('users')!) + 1];
    assert.deepEqual([usersGet.label, usersGet.description], ['GET', 'dynamic (has POST)']);
  });

  it('shows Send and caching lenses above the handlers of a route file', async () => {
    const uri = workspaceUri('app/api/users/route.ts');
    await vscode.window.showTextDocument(uri);
    const titles = await until('lenses on app/api/users/route.ts', async () => {
      const t = await lensTitles(uri);
      return t.includes('Send POST /api/users') ? t : undefined;
    });
    assert.ok(titles.includes('Send GET /api/users'), titles.join(' | '));
    assert.ok(titles.some((t) => t.startsWith('Dynamic')), `a caching lens: ${titles.join(' | ')}`);
  });

  it('reports the route/page conflict as an error diagnostic with the page as related information', async () => {
    const uri = workspaceUri('app/about/route.ts');
    const conflict = await until('the route-page-conflict diagnostic', () =>
      vscode.languages.getDiagnostics(uri).find((d) => d.code === 'route-page-conflict'),
    );
    assert.strictEqual(conflict.severity, vscode.DiagnosticSeverity.Error);
    assert.match(conflict.message, /\/about/);
    assert.ok(conflict.relatedInformation?.some((r) => r.location.uri.path.endsWith('/app/about/page.tsx')));
  });

  it('follows an unsaved edit that adds a method: the lens appears without saving', async () => {
    const uri = workspaceUri('app/api/health/route.ts');
    const editor = await vscode.window.showTextDocument(uri);
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    await editor.edit((edit) => edit.insert(end, '\n\nexport async function DELETE() {\n  return new Response(null, { status: 204 });\n}\n'));
    assert.ok(editor.document.isDirty, 'the edit stays unsaved');
    const changesApplied = api.manifestChangesApplied();
    await until('a "Send DELETE /api/health" lens', async () => (await lensTitles(uri)).includes('Send DELETE /api/health') || undefined);
    await until('DELETE in the tree', () => api.treeRows().some((r) => r.label === 'health' && /DELETE/.test(r.description ?? '')) || undefined);
    // The view got the edit as the routes that changed, not as the whole manifest again.
    assert.ok(api.manifestChangesApplied() > changesApplied, `changes applied: ${changesApplied} -> ${api.manifestChangesApplied()}`);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('finds a route folder created on disk, through Ctrl+T symbols', async () => {
    const file = workspaceUri('app/api/orders/[id]/route.ts');
    await vscode.workspace.fs.writeFile(file, Buffer.from('export async function PATCH() {\n  return Response.json({ ok: true });\n}\n'));
    const names = await until('the PATCH /api/orders/[id] symbol', async () => {
      const n = await symbolNames('orders');
      return n.includes('PATCH /api/orders/[id]') ? n : undefined;
    });
    assert.ok(names.includes('PATCH /api/orders/[id]'));
    const rows = await until('the orders endpoint in the tree', () => (api.treeRows().some((r) => r.label === 'orders') ? api.treeRows() : undefined));
    assert.ok(rows.some((r) => r.label === '[id]' && /PATCH/.test(r.description ?? '')));
  });

  it('puts a new conflict in the Problems panel when a page appears beside a route', async () => {
    await vscode.workspace.fs.writeFile(workspaceUri('app/api/users/page.tsx'), Buffer.from('export default function Users() {\n  return null;\n}\n'));
    const routeUri = workspaceUri('app/api/users/route.ts');
    const conflict = await until('a route-page-conflict on app/api/users/route.ts', () =>
      vscode.languages.getDiagnostics(routeUri).find((d) => d.code === 'route-page-conflict'),
    );
    assert.match(conflict.message, /\/api\/users/);
  });

  it('finds an app moved in from outside VS Code, and drops it when its folder is deleted', async () => {
    // Node's fs, as a terminal, git or an unzip would write: only the disk watcher can tell. A folder moved
    // in is reported as that folder alone, never its files.
    const appDir = workspaceUri('moved-app').fsPath;
    const source = fs.mkdtempSync(path.join(path.dirname(workspaceUri('.').fsPath), 'route-atlas-moved-'));
    fs.mkdirSync(path.join(source, 'app', 'api', 'inventory', '[sku]'), { recursive: true });
    fs.writeFileSync(path.join(source, 'next.config.js'), 'module.exports = {};\n');
    fs.writeFileSync(path.join(source, 'app', 'api', 'inventory', '[sku]', 'route.ts'), 'export async function PUT() {\n  return new Response(null, { status: 204 });\n}\n');
    fs.renameSync(source, appDir);
    const rows = await until('the moved app in the tree', () => (api.treeRows().some((r) => r.label === 'inventory') ? api.treeRows() : undefined), 30_000);
    assert.ok(rows.some((r) => r.label === '[sku]' && /PUT/.test(r.description ?? '')), JSON.stringify(rows));
    fs.rmSync(appDir, { recursive: true, force: true });
    await until('the moved app gone from the tree', () => !api.treeRows().some((r) => r.label === 'inventory'), 30_000);
  });

  it('renders a hostile import specifier inert, in the tree tooltip and in the hover', async () => {
    const folder = workspaceUri('app/api/hostile');
    const file = vscode.Uri.joinPath(folder, 'route.ts');
    // revalidate makes the verdict depend on the imported GET, so the reason quotes the specifier.
    const source = `import { GET } from '${JSON.stringify(HOSTILE_SPECIFIER).slice(1, -1)}';\nexport { GET };\nexport const revalidate = 60;\n`;
    await vscode.workspace.fs.writeFile(file, Buffer.from(source));
    try {
      const row = await until('the hostile endpoint with its reason in the tree', () =>
        api.treeRows().find((r) => r.label === 'hostile' && typeof r.tooltip === 'object' && r.tooltip.markdown.includes('GET comes from')),
      );
      const tooltip = row.tooltip as Exclude<TreeRow['tooltip'], string | undefined>;
      assert.deepStrictEqual(tooltip.isTrusted, { enabledCommands: ['routeAtlas.revealReason'] });
      assert.strictEqual(tooltip.supportHtml, false);
      const markup = findMarkup(tooltip.markdown);
      assert.deepStrictEqual({ images: markup.images, other: markup.other }, { images: [], other: [] }, tooltip.markdown);
      // The one link is Route Atlas's own, to where GET is exported in the route file.
      assert.strictEqual(markup.links.length, 1, tooltip.markdown);
      const args = commandArguments(markup.links[0], 'routeAtlas.revealReason') as Array<{ uri: string }>;
      assert.strictEqual(vscode.Uri.parse(args[0].uri).fsPath, file.fsPath);

      await vscode.window.showTextDocument(file);
      const line = source.split('\n').findIndex((l) => l.startsWith('export { GET }'));
      const position = new vscode.Position(line, source.split('\n')[line].indexOf('GET') + 1);
      const hovers = await until('a hover with the reason', async () => {
        const found = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', file, position)) ?? [];
        return found.some((h) => h.contents.some((c) => c instanceof vscode.MarkdownString && c.value.includes('GET comes from'))) ? found : undefined;
      });
      // Only Route Atlas's hover: the TypeScript extension may add its own for the import.
      const ours = hovers.flatMap((h) => h.contents).filter((c): c is vscode.MarkdownString => c instanceof vscode.MarkdownString && c.value.includes('GET comes from'));
      for (const content of ours) {
        const hover = findMarkup(content.value);
        assert.deepStrictEqual({ links: hover.links, images: hover.images, other: hover.other }, { links: [], images: [], other: [] }, content.value);
        assert.ok(!content.isTrusted, 'the hover runs no command');
      }
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.workspace.fs.delete(folder, { recursive: true });
      await until('the hostile endpoint gone from the tree', () => !api.treeRows().some((r) => r.label === 'hostile'));
    }
  });

  it('rescans on Refresh Endpoints and shows the same endpoints once it returns', async () => {
    const before = await until('the users endpoint in the tree', () => (api.treeRows().some((r) => r.label === 'users') ? api.treeRows() : undefined));
    const version = api.manifestVersion();
    await vscode.commands.executeCommand('routeAtlas.refresh');
    assert.ok(api.manifestVersion() > version, `a rescan builds a new manifest (version ${version} -> ${api.manifestVersion()})`);
    assert.deepStrictEqual(api.treeRows(), before);
  });

  it('jumps from a URL string in the app code to its handler', async () => {
    const caller = workspaceUri('lib/client.ts');
    const text = "export async function listUsers() {\n  const response = await fetch('/api/users');\n  return response.json();\n}\n";
    await vscode.workspace.fs.writeFile(caller, Buffer.from(text));
    const document = await vscode.workspace.openTextDocument(caller);
    await vscode.window.showTextDocument(document);
    const position = new vscode.Position(1, text.split('\n')[1].indexOf('/api/users') + 3);
    const targets = await until('a definition for /api/users', async () => {
      const found = (await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', caller, position)) ?? [];
      return found.length > 0 ? found : undefined;
    });
    const target = targets[0];
    const uri = 'targetUri' in target ? target.targetUri : target.uri;
    assert.ok(uri.path.endsWith('/app/api/users/route.ts'), uri.toString());
  });
});
