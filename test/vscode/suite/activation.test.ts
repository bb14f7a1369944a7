// Smoke test: the extension is found in the real extension host, activates, and registers its commands.
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'route-atlas.route-atlas';
const REQUIRED_COMMANDS = ['routeAtlas.refresh', 'routeAtlas.restartServer'];

describe('activation', () => {
  it(`finds ${EXTENSION_ID} and activates it`, async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    const others = vscode.extensions.all.filter((e) => !e.id.startsWith('vscode.')).map((e) => e.id);
    assert.ok(extension, `extension ${EXTENSION_ID} not found; non-builtin extensions: ${others.join(', ') || 'none'}`);
    await extension.activate();
    assert.strictEqual(extension.isActive, true, 'extension did not become active');
  });

  it('opens the fixture workspace folder', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.strictEqual(folders.length, 1, `expected one workspace folder, got ${folders.map((f) => f.uri.toString()).join(', ')}`);
    assert.strictEqual(folders[0].uri.scheme, 'file');
  });

  it(`registers ${REQUIRED_COMMANDS.join(' and ')}`, async () => {
    const commands = new Set(await vscode.commands.getCommands(true));
    const missing = REQUIRED_COMMANDS.filter((c) => !commands.has(c));
    assert.deepStrictEqual(missing, [], `commands not registered: ${missing.join(', ')}`);
  });
});
