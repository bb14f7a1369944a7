// The OpenAPI document of whole apps: the bundled sample app, the openapi-app fixture (zod, valibot, yup,
// form data, text, catch-alls, a basePath) and a generated hostile workspace. Every document is validated
// with @readme/openapi-parser, and read back from its YAML.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { validate } from '@readme/openapi-parser';
import { parse as parseYaml } from 'yaml';
import { Workspace } from '../../server/analysis/workspace';
import { buildOpenApiDocument, chooseApp, OpenApiAppError, toJsonText, toYaml } from '../../server/openapi/index';
import { makeTree, nextApp, removeTree } from './tempTree';

const repoRoot = path.resolve(__dirname, '../../..');
const sampleApp = path.join(repoRoot, 'test/sample-app');
const fixtureApp = path.join(repoRoot, 'test/fixtures/openapi-app');
const monorepo = path.join(repoRoot, 'test/fixtures/monorepo');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function documentOf(root: string, app?: string): { document: Json; notes: string[] } {
  const workspace = new Workspace(root);
  const manifest = workspace.scan();
  return buildOpenApiDocument(workspace, manifest, { app }) as { document: Json; notes: string[] };
}

/** Validates a copy (the parser resolves references in place) and fails with its errors. */
async function assertValid(document: Json): Promise<void> {
  const result = await validate(JSON.parse(JSON.stringify(document)));
  assert.ok(result.valid, `invalid OpenAPI document: ${JSON.stringify(result.valid ? [] : result.errors, null, 2)}`);
  assert.deepEqual(result.warnings, []);
}

function operations(document: Json): Array<{ path: string; method: string; operation: Json }> {
  return Object.entries(document.paths as Json).flatMap(([p, item]) => Object.entries(item as Json).map(([method, operation]) => ({ path: p, method, operation: operation as Json })));
}

describe('OpenAPI document', () => {
  it('describes the sample app: basePath as server, params as {name}, explicit methods only, caching on GET', async () => {
    const { document } = documentOf(sampleApp);
    await assertValid(document);
    assert.equal(document.openapi, '3.1.0');
    assert.deepEqual(document.servers, [{ url: '/shop' }]);
    assert.equal(document.info.title, 'sample-shop');
    const byId = document.paths['/api/users/{id}'];
    assert.deepEqual(Object.keys(byId), ['get', 'put', 'delete']);
    assert.deepEqual(byId.get.parameters, [{ name: 'id', in: 'path', required: true, schema: { type: 'string' }, 'x-route-atlas': { segment: '[id]', kind: 'dynamic' } }]);
    // Next's own HEAD and OPTIONS are not operations; an explicitly exported HEAD is.
    assert.equal(document.paths['/api/health'].head, undefined);
    assert.equal(document.paths['/api/health'].options, undefined);
    assert.ok(document.paths['/api/docs'].head);
    // The optional catch-all serves both paths; the catch-all one parameter.
    assert.ok(document.paths['/api/docs'] && document.paths['/api/docs/{slug}']);
    assert.equal(document.paths['/api/docs'].get.parameters, undefined);
    assert.equal(document.paths['/api/auth/{nextauth}'].get.parameters[0]['x-route-atlas'].kind, 'catchAll');
    assert.deepEqual(document.paths['/api/health'].get['x-route-atlas'], { file: 'app/api/health/route.ts', line: 3, form: 'function', caching: { kind: 'isr', revalidate: 60 } });
    assert.equal(document.paths['/api/users'].post['x-route-atlas'].caching, undefined);
    assert.deepEqual(document.paths['/api/users'].get.parameters.map((p: Json) => `${p.in}:${p.name}`), ['query:page', 'query:q']);
    assert.deepEqual(document.paths['/api/users'].post.requestBody, { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateUser' } } } });
    assert.deepEqual(document.components.schemas.CreateUser, {
      type: 'object',
      properties: { name: { type: 'string', minLength: 1 }, email: { type: 'string', format: 'email' }, role: { type: 'string', enum: ['admin', 'member'] } },
      required: ['name', 'email'],
    });
    assert.deepEqual(Object.keys(document.paths['/api/users'].post.responses), ['201', '400']);
    assert.deepEqual(document.paths['/api/users/{id}'].delete.responses, { '204': { description: 'No Content' } });
    assert.deepEqual(document.paths['/api/health'].get.responses['200'].content['application/json'].schema, {
      type: 'object',
      properties: { ok: { type: 'boolean', const: true }, at: {} },
      required: ['ok'],
    });
    const ids = operations(document).map((o) => o.operation.operationId);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.includes('getApiUsersById'));
    assert.deepEqual(document.tags.map((t: Json) => t.name), ['auth', 'docs', 'feed.xml', 'health', 'trpc', 'users']);
    // Metadata routes (robots.txt, sitemap.xml) are not API operations.
    assert.equal(document.paths['/robots.txt'], undefined);
  });

  it('describes bodies from zod, valibot and yup schemas across files, form data and text, and literal responses', async () => {
    const { document, notes } = documentOf(fixtureApp);
    await assertValid(document);
    assert.deepEqual(notes, []);
    assert.deepEqual(document.servers, [{ url: '/store' }]);
    assert.equal(document.info.version, '2.3.0');
    const schemas = document.components.schemas;
    const jsonBody = (p: string, method: string) => document.paths[p][method].requestBody.content['application/json'].schema;
    assert.deepEqual(jsonBody('/api/users', 'post'), { $ref: '#/components/schemas/CreateUser' });
    assert.deepEqual(schemas.CreateUser.properties.role, { type: 'string', enum: ['admin', 'member'], default: 'member' });
    assert.deepEqual(schemas.CreateUser.properties.address, { $ref: '#/components/schemas/Address' });
    assert.deepEqual([...schemas.CreateUser.required].sort(), ['address', 'email', 'name', 'nickname']);
    assert.equal(schemas.UpdateUser.required, undefined, 'partial() leaves nothing required');
    assert.deepEqual(schemas.TreeNode.properties.children, { type: 'array', items: { $ref: '#/components/schemas/TreeNode' } });
    // valibot through v.parse(Schema, await request.json()), yup through Schema.validate(...).
    assert.deepEqual(jsonBody('/api/orders', 'post'), { $ref: '#/components/schemas/OrderSchema' });
    assert.deepEqual(schemas.OrderSchema.properties.quantity, { type: 'integer', minimum: 1, maximum: 99 });
    assert.deepEqual([...schemas.OrderSchema.required].sort(), ['express', 'quantity', 'sku']);
    assert.deepEqual(jsonBody('/api/profile', 'put'), { $ref: '#/components/schemas/ProfileSchema' });
    assert.deepEqual(schemas.ProfileSchema.required, ['displayName']);
    assert.deepEqual(schemas.ProfileSchema.properties.birthday, { type: ['string', 'null'], format: 'date-time' });
    // A schema written in the handler, in place or as a local constant, is inlined.
    assert.deepEqual(jsonBody('/api/inline', 'post'), { type: 'object', properties: { query: { type: 'string', minLength: 2 }, limit: { type: 'number', maximum: 50 } }, required: ['query'] });
    assert.deepEqual(jsonBody('/api/local', 'post').properties.color, { type: 'string', enum: ['red', 'green'] });
    const upload = document.paths['/api/upload'].post.requestBody.content;
    assert.deepEqual(Object.keys(upload), ['multipart/form-data', 'application/x-www-form-urlencoded']);
    assert.deepEqual(upload['multipart/form-data'].schema, { type: 'object', properties: { file: {}, title: {} } });
    assert.deepEqual(document.paths['/api/echo'].post.requestBody.content, { 'text/plain': { schema: { type: 'string' } } });
    assert.deepEqual(document.paths['/api/echo'].post.responses['200'].content, { 'text/plain': { schema: {} } });
    const getUser = document.paths['/api/users/{id}'].get.responses;
    assert.deepEqual(getUser['404'].content['application/json'].schema, { type: 'object', properties: { error: { type: 'string', const: 'Not found' } }, required: ['error'] });
    assert.deepEqual(getUser['200'].content['application/json'].schema.required, ['kind', 'active']);
    assert.deepEqual(document.paths['/api/files/{path}'].get.parameters[0].name, 'path');
    assert.deepEqual(document.paths['/api/v1/things'].get.tags, ['things']);
    assert.deepEqual(document.paths['/api/v1/things'].get.parameters, [{ name: 'x-api-key', in: 'header', required: false, schema: { type: 'string' } }]);
  });

  it('asks which app to describe when there are several, and names them', () => {
    const workspace = new Workspace(monorepo);
    const manifest = workspace.scan();
    const roots = manifest.apps.map((a) => a.root);
    assert.ok(roots.length >= 2);
    assert.throws(
      () => buildOpenApiDocument(workspace, manifest),
      (error: unknown) => error instanceof OpenApiAppError && error.reason === 'several-apps' && roots.every((root) => error.message.includes(root)),
    );
    assert.throws(() => chooseApp(manifest, 'apps/nope'), (error: unknown) => error instanceof OpenApiAppError && error.reason === 'unknown-app' && error.appRoots.length === roots.length);
    for (const root of roots) {
      assert.equal(chooseApp(manifest, root).root, root);
      assert.equal(chooseApp(manifest, `./${root}/`).root, root);
      assert.equal(chooseApp(manifest, path.join(monorepo, root)).root, root);
    }
    const { document } = buildOpenApiDocument(workspace, manifest, { app: roots[0] }) as { document: Json };
    assert.equal(document['x-route-atlas'].appRoot, roots[0]);
  });

  it('stays valid and exact with hostile names, quotes, unicode, deep and cyclic schemas', async function () {
    this.timeout(60_000);
    const hostileText = 'key: value # not a comment\n- item "quoted" \'single\' \\ {{x}} \u2028\u202e end';
    let deep = 'z.string()';
    for (let i = 0; i < 60; i++) deep = `z.object({ level${i}: ${deep} })`;
    const root = makeTree(
      nextApp({
        'lib/a.ts': `import { z } from 'zod';\nimport { B } from './b';\nexport const A = z.object({ b: z.lazy(() => B).optional(), "quote\\"d key": z.string() });\n`,
        'lib/b.ts': `import { z } from 'zod';\nimport { A } from './a';\nexport const B = z.object({ a: A.nullable() });\nexport const Schema = z.object({ fromB: z.boolean() });\n`,
        'lib/weird.ts': [
          `import { z } from 'zod';`,
          `export const Schema = z.object({ fromWeird: z.number() });`,
          `export const __proto__ = z.object({ p: z.string() });`,
          `export const Ünïcode = z.object({ "__proto__": z.string(), "constructor": z.number(), "€": z.literal(${JSON.stringify(hostileText)}), ref: __proto__ });`,
          `export const Described = z.string().describe(${JSON.stringify(hostileText)});`,
          `export const Deep = ${deep};`,
          `export const Big = z.enum([${Array.from({ length: 1500 }, (_, i) => `'e${i}'`).join(', ')}]);`,
        ].join('\n'),
        'app/api/[a b]/route.ts': `import { A } from '../../../lib/a';\nexport async function POST(req: Request) { const body = A.parse(await req.json()); return Response.json({ "__proto__": 1, ${JSON.stringify(hostileText)}: "${'x'}" , ok: body }); }\n`,
        'app/api/{x}/route.ts': `import { Schema } from '../../../lib/b';\nexport async function PUT(req: Request) { Schema.parse(await req.json()); return new Response(null, { status: 204 }); }\n`,
        "app/api/it's \"q\"/route.ts": `import { Schema } from '../../../lib/weird';\nexport async function PUT(req: Request) { Schema.parse(await req.json()); return Response.json({}); }\n`,
        'app/api/café/[ид]/route.ts': `import { Ünïcode, Described } from '../../../../lib/weird';\nexport async function POST(req: Request) { const u = Ünïcode.parse(await req.json()); return Response.json({ u }); }\nexport async function PATCH(req: Request) { const d = Described.parse(await req.json()); return Response.json({ d }); }\n`,
        'app/api/new\nline/[...rest]/route.ts': `import { Deep, Big } from '../../../../lib/weird';\nexport async function POST(req: Request) { Deep.parse(await req.json()); return Response.json({}); }\nexport async function PUT(req: Request) { Big.parse(await req.json()); return Response.json({}); }\n`,
        'app/api/opt/[[...all]]/route.ts': `export function GET(request: Request) { const u = new URL(request.url); return Response.json({ q: u.searchParams.get('"odd" name') }); }\n`,
      }),
    );
    try {
      const { document, notes } = documentOf(root);
      await assertValid(document);
      // YAML and JSON text read back as the same document.
      assert.deepEqual(parseYaml(toYaml(document), { uniqueKeys: true }), JSON.parse(toJsonText(document)));
      assert.deepEqual(JSON.parse(toJsonText(document)), JSON.parse(JSON.stringify(document)));
      const paths = Object.keys(document.paths);
      assert.ok(paths.includes('/api/{a_b}'), paths.join(', '));
      assert.ok(paths.includes('/api/%7Bx%7D'), 'a folder named {x} is a static segment');
      assert.ok(paths.includes("/api/it's%20%22q%22"));
      assert.ok(paths.includes('/api/caf%C3%A9/{ид}'));
      assert.ok(paths.includes('/api/new%0Aline/{rest}'));
      assert.ok(paths.includes('/api/opt') && paths.includes('/api/opt/{all}'));
      const param = document.paths['/api/{a_b}'].post.parameters[0];
      assert.deepEqual(param['x-route-atlas'], { segment: '[a b]', kind: 'dynamic', name: 'a b' });
      const ids = operations(document).map((o) => o.operation.operationId as string);
      assert.equal(new Set(ids).size, ids.length);
      for (const id of ids) assert.match(id, /^[\p{L}\p{N}_]+$/u);
      const schemas = document.components.schemas;
      // The cycle A -> B -> A ends in references; same-named schemas of two files get two components.
      assert.deepEqual(schemas.A.properties.b, { $ref: '#/components/schemas/B' });
      assert.deepEqual(schemas.B.properties.a, { anyOf: [{ $ref: '#/components/schemas/A' }, { type: 'null' }] });
      assert.deepEqual(schemas.A.properties['quote"d key'], { type: 'string' });
      // Both are qualified by their module, so that neither name depends on which route came first.
      assert.equal(schemas.Schema, undefined);
      assert.deepEqual(Object.keys(schemas['b.Schema'].properties), ['fromB']);
      assert.deepEqual(Object.keys(schemas['weird.Schema'].properties), ['fromWeird']);
      assert.doesNotMatch(JSON.stringify(document), /\\u0000/, 'a reference kept its placeholder');
      // Component names are what OpenAPI allows; property names stay exact, __proto__ included.
      for (const name of Object.keys(schemas)) assert.match(name, /^[A-Za-z0-9._-]+$/);
      const unicode = schemas['_n_code'];
      assert.deepEqual(Object.keys(unicode.properties), ['__proto__', 'constructor', '€', 'ref']);
      assert.deepEqual(unicode.properties.ref, { $ref: '#/components/schemas/__proto__' });
      assert.deepEqual(Object.getOwnPropertyDescriptor(schemas, '__proto__')?.value, { type: 'object', properties: { p: { type: 'string' } }, required: ['p'] });
      assert.deepEqual(Object.getOwnPropertyDescriptor(unicode.properties, '__proto__')?.value, { type: 'string' });
      assert.equal(unicode.properties['€'].const, hostileText);
      assert.equal(schemas.Described.description, hostileText);
      // The deep schema is cut with a note, the long enum too.
      assert.match(JSON.stringify(schemas.Deep), /nested more than/);
      assert.match(String(schemas.Big['x-route-atlas-note']), /cut/);
      assert.ok(notes.some((note) => note.includes('lib/weird.ts')));
      const response = document.paths['/api/{a_b}'].post.responses['200'].content['application/json'].schema;
      assert.ok(Object.prototype.hasOwnProperty.call(response.properties, '__proto__'));
      assert.ok(Object.prototype.hasOwnProperty.call(response.properties, hostileText));
      assert.deepEqual(document.paths['/api/opt'].get.parameters, [{ name: '"odd" name', in: 'query', required: false, schema: { type: 'string' } }]);
    } finally {
      removeTree(root);
    }
  });
});
