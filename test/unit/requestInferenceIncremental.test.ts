import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { HttpMethod, RouteManifest } from '../../server/analysis/model';
import { ParseCache } from '../../server/analysis/parseCache';
import { Workspace } from '../../server/analysis/scan';
import { makeTree, nextApp, removeTree, writeFiles } from './tempTree';

// Request inference reads wrappers, helpers and schemas in other modules: an edit of one of them must reach
// the routes that use it, in the editor (the reverse dependency index) and across runs (the parse cache).

const WRAPPER = (passesQuery: boolean) =>
  [
    'export function withTeam(handler: (context: any) => Promise<Response>) {',
    '  return async (req: Request) => {',
    '    const searchParams = Object.fromEntries(new URL(req.url).searchParams);',
    `    return handler({ req, team: searchParams.team${passesQuery ? ', searchParams' : ''} });`,
    '  };',
    '}',
    '',
  ].join('\n');
const HELPER = 'export async function readBody(req: Request) {\n  const body = await req.json();\n  return body;\n}\n';
const SCHEMA = (fields: string[]) => `import { z } from 'zod';\nexport const ProjectBody = z.object({ ${fields.map((f) => `${f}: z.string()`).join(', ')} });\n`;

function app(): ReturnType<typeof nextApp> {
  return nextApp({
    'lib/team.ts': WRAPPER(true),
    'lib/body.ts': HELPER,
    'lib/schemas.ts': SCHEMA(['name', 'region']),
    'app/api/projects/route.ts': [
      "import { withTeam } from '../../../lib/team';",
      "import { readBody } from '../../../lib/body';",
      "import { ProjectBody } from '../../../lib/schemas';",
      '',
      'export const GET = withTeam(async ({ searchParams }) => Response.json({ q: searchParams.q }));',
      '',
      'export async function POST(req: Request) {',
      '  const body = ProjectBody.parse(await readBody(req));',
      '  return Response.json(body, { status: 201 });',
      '}',
      '',
    ].join('\n'),
    'app/api/health/route.ts': 'export function GET() {\n  return Response.json({ ok: true });\n}\n',
  });
}

function requestOf(manifest: RouteManifest, url: string, method: HttpMethod) {
  return manifest.apps[0].routes.find((r) => r.url === url)?.methods.find((m) => m.name === method)?.request;
}

describe('request inference: edits of wrappers, helpers and schemas', () => {
  let root: string;
  let cacheDir: string;
  beforeEach(() => {
    root = makeTree(app());
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'route-atlas-cache-'));
  });
  afterEach(() => {
    removeTree(root);
    removeTree(cacheDir);
  });
  const file = (relative: string) => path.join(root, relative);

  it('re-links the route when the wrapper changes what it hands the handler', () => {
    const workspace = new Workspace(root);
    assert.deepEqual(requestOf(workspace.scan(), '/api/projects', 'GET')?.query, ['q', 'team']);
    assert.ok(workspace.affects(file('lib/team.ts'), 'changed'), 'the wrapper is a dependency');
    const manifest = workspace.applyChanges([{ path: file('lib/team.ts'), type: 'changed', text: WRAPPER(false) }]);
    // The handler's searchParams is now undefined at run time: only the wrapper's own read is left.
    assert.deepEqual(requestOf(manifest, '/api/projects', 'GET')?.query, ['team']);
  });

  it('re-links the route when the schema module or the body helper changes', () => {
    const workspace = new Workspace(root);
    assert.deepEqual(requestOf(workspace.scan(), '/api/projects', 'POST')?.body, { kind: 'json', fields: ['name', 'region'], schema: 'ProjectBody' });
    assert.ok(workspace.affects(file('lib/schemas.ts'), 'changed'), 'the schema module is a dependency');
    assert.ok(workspace.affects(file('lib/body.ts'), 'changed'), 'the helper is a dependency');
    let manifest = workspace.applyChanges([{ path: file('lib/schemas.ts'), type: 'changed', text: SCHEMA(['name', 'owner']) }]);
    assert.deepEqual(requestOf(manifest, '/api/projects', 'POST')?.body?.fields, ['name', 'owner']);
    // A helper that no longer returns the body: what the schema validates is no longer the request's body.
    manifest = workspace.applyChanges([{ path: file('lib/body.ts'), type: 'changed', text: 'export async function readBody(req: Request) {\n  return req.headers.get("x-payload");\n}\n' }]);
    assert.equal(requestOf(manifest, '/api/projects', 'POST')?.body, undefined);
  });

  it('takes the route linked from the parse cache only while the schema and wrapper modules are unchanged', () => {
    const open = () => ParseCache.open(ParseCache.fileFor(cacheDir, root), root);
    const first = new Workspace(root, { cache: open() });
    first.scan();
    (first as unknown as { options: { cache: ParseCache } }).options.cache.save();

    writeFiles(root, { 'lib/schemas.ts': SCHEMA(['name', 'owner']) });
    const second = new Workspace(root, { cache: open() });
    const manifest = second.scan();
    assert.deepEqual(requestOf(manifest, '/api/projects', 'POST')?.body?.fields, ['name', 'owner']);
    assert.deepEqual(second.linkStats, { linked: 1, fromCache: 1 }, 'only the route that reads the schema is linked again');
    (second as unknown as { options: { cache: ParseCache } }).options.cache.save();

    writeFiles(root, { 'lib/team.ts': WRAPPER(false) });
    const third = new Workspace(root, { cache: open() });
    assert.deepEqual(requestOf(third.scan(), '/api/projects', 'GET')?.query, ['team']);
    assert.deepEqual(third.linkStats, { linked: 1, fromCache: 1 });
  });
});
