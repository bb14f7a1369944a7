// The Endpoints view's filter in a real VS Code: what a user sees after `method:DELETE`.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { until } from './poll';

const EXTENSION_ID = 'route-atlas.route-atlas';

interface TreeRow {
  depth: number;
  label: string;
  description?: string;
}

describe('the Endpoints view filter in a real VS Code', () => {
  let api: { treeRows(): TreeRow[] };
  before(async () => {
    api = await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    await vscode.commands.executeCommand('routeAtlas.routes.focus');
    await until('the endpoint rows', () => (api.treeRows().some((row) => row.label === '[id]') ? true : undefined));
  });
  after(() => vscode.commands.executeCommand('routeAtlas.clearFilter'));

  it('shows only the matching endpoint, the path to it, and the methods the filter names', async () => {
    await vscode.commands.executeCommand('routeAtlas.filterEndpoints', 'method:DELETE');
    const rows = api.treeRows();
    // users/[id] exports GET and DELETE; users exports GET and POST, and is shown only as the path to [id].
    assert.deepEqual(
      rows.map((row) => `${row.depth} ${row.label}${row.description ? ` · ${row.description}` : ''}`),
      ['0 api', '1 users', '2 [id] · GET DELETE · dynamic', '3 DELETE'],
    );
    await vscode.commands.executeCommand('routeAtlas.clearFilter');
    assert.ok(api.treeRows().some((row) => row.label === 'health'), 'clearing the filter shows everything again');
  });
});
