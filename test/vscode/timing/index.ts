// The extensionTestsPath of the editor benchmark (test/bench/vscodeTiming.mjs): waits in the real extension
// host until the Endpoints view is complete, then writes the extension's start timings to
// ROUTE_ATLAS_TEST_RESULTS. It opens the view first, as a user who looks at it would.
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { RouteAtlasApi } from '../../../src/extension';
import { until } from '../suite/poll';

const EXTENSION_ID = 'route-atlas.route-atlas';

export async function run(): Promise<void> {
  const openedAt = Date.now();
  await vscode.commands.executeCommand('routeAtlas.routes.focus');
  const extension = vscode.extensions.getExtension<RouteAtlasApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed`);
  const api = await extension.activate();
  const timings = await until('the complete Endpoints view', () => (api.timings().completeAt ? api.timings() : undefined), 600_000, 20);
  const rows = api.treeRows().length;
  // A session that ends the moment its view is complete would not leave the parse cache a later start
  // finds: stay as long as a user would at least, until the server has written it.
  const linger = Number(process.env.ROUTE_ATLAS_TIMING_LINGER_MS ?? 0);
  if (linger > 0) await new Promise((resolve) => setTimeout(resolve, linger));
  const target = process.env.ROUTE_ATLAS_TEST_RESULTS;
  if (target) fs.writeFileSync(target, JSON.stringify({ openedAt, ...timings, rows }, null, 2) + '\n');
}
