import * as assert from 'node:assert/strict';
import type { HandlerRequestInfo, HttpMethod, RouteManifest } from '../../server/analysis/model';
import { scanWorkspace } from '../../server/analysis/scan';
import { makeTree, nextApp, removeTree } from './tempTree';

// Each app imitates a pattern of real route handlers (dubinc/dub, vercel/ai-chatbot, inbox-zero): a wrapper
// that hands the handler its query, a helper that parses the body, a schema imported from another module.
// The expected names are what the code reads, written from its meaning.

const TSCONFIG = JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } });

function requestOf(manifest: RouteManifest, url: string, method: HttpMethod): HandlerRequestInfo | undefined {
  const route = manifest.apps[0]?.routes.find((r) => r.url === url);
  assert.ok(route, `${url} is listed`);
  const found = route.methods.find((m) => m.name === method);
  assert.ok(found, `${url} exports ${method}`);
  return found.request;
}

const queryOf = (manifest: RouteManifest, url: string, method: HttpMethod = 'GET') => requestOf(manifest, url, method)?.query;
const fieldsOf = (manifest: RouteManifest, url: string, method: HttpMethod = 'POST') => [...(requestOf(manifest, url, method)?.body?.fields ?? [])].sort();

/** A wrapper in the style of dub's withWorkspace: the query as an object, built by a helper of the workspace. */
const WORKSPACE_WRAPPER = {
  'lib/query.ts': [
    'export function readQuery(url: string) {',
    '  const params: Record<string, string> = {};',
    '  new URL(url).searchParams.forEach((value, key) => {',
    '    params[key] = value;',
    '  });',
    '  return params;',
    '}',
    '',
  ].join('\n'),
  'lib/auth/workspace.ts': [
    "import { readQuery } from '../query';",
    "import { withLogging } from 'logging-package';",
    '',
    'export const withWorkspace = (handler: (context: any) => Promise<Response>, options: { plan?: string } = {}) => {',
    '  return withLogging(async (req: Request, { params }: { params: Promise<Record<string, string>> }) => {',
    '    const searchParams = readQuery(req.url);',
    '    const slug = searchParams.workspaceId;',
    '    if (!slug) return new Response(null, { status: 401 });',
    '    return handler({ req, params: await params, searchParams, workspace: { slug } });',
    '  });',
    '};',
    '',
  ].join('\n'),
  'lib/auth/index.ts': "export * from './workspace';\n",
};

describe('request inference through wrappers, helpers and schemas', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) removeTree(root);
    root = undefined;
  });
  const scan = (files: Record<string, string>) => scanWorkspace((root = makeTree(nextApp({ 'tsconfig.json': TSCONFIG, ...files }))));

  it('takes query names from the object a wrapper in another module hands the handler, and the wrapper its own', () => {
    const manifest = scan({
      ...WORKSPACE_WRAPPER,
      'app/api/links/route.ts': [
        "import { withWorkspace } from '@/lib/auth';",
        '',
        'export const GET = withWorkspace(async ({ searchParams, workspace }) => {',
        '  const { domain, page } = searchParams;',
        "  const sort = searchParams['sort'];",
        '  return Response.json({ domain, page, sort, workspace });',
        '});',
        '',
      ].join('\n'),
    });
    // workspaceId is read by the wrapper itself, on every request to the route.
    assert.deepEqual(queryOf(manifest, '/api/links'), ['domain', 'page', 'sort', 'workspaceId']);
  });

  it('invents no query name when the wrapper hands the handler no searchParams', () => {
    const manifest = scan({
      'lib/auth.ts': [
        'export function withSession(handler: (context: any) => Promise<Response>) {',
        '  return async (req: Request) => handler({ req, session: { user: 1 } });',
        '}',
        '',
      ].join('\n'),
      'app/api/me/route.ts': [
        "import { withSession } from '../../../lib/auth';",
        '',
        'export const POST = withSession(async ({ req, searchParams, session }) => {',
        "  const filter = searchParams?.get('filter');",
        '  const view = searchParams?.view;',
        '  const { nickname } = await req.json();',
        '  return Response.json({ filter, view, nickname, session });',
        '});',
        '',
      ].join('\n'),
    });
    const request = requestOf(manifest, '/api/me', 'POST');
    assert.deepEqual(request?.query, []);
    // The request it does hand over is still read.
    assert.deepEqual(request?.body, { kind: 'json', fields: ['nickname'] });
  });

  it('takes body fields from a helper in another module that returns the parsed body, imported under another name', () => {
    const manifest = scan({
      'lib/api/utils.ts': [
        'export const parseRequestBody = async (req: Request) => {',
        '  try {',
        '    return await req.json();',
        '  } catch (error) {',
        "    throw new Error('Invalid JSON');",
        '  }',
        '};',
        '',
      ].join('\n'),
      'app/api/links/route.ts': [
        "import { parseRequestBody as readBody } from '@/lib/api/utils';",
        '',
        'export async function POST(req: Request) {',
        '  const { url, key } = await readBody(req);',
        '  return Response.json({ url, key }, { status: 201 });',
        '}',
        '',
      ].join('\n'),
    });
    assert.deepEqual(requestOf(manifest, '/api/links', 'POST')?.body, { kind: 'json', fields: ['url', 'key'] });
  });

  it('reads the fields of an imported zod schema, with those of the schema it extends from a third module', () => {
    const manifest = scan({
      'lib/api/utils.ts': 'export async function parseRequestBody(req: Request) {\n  return await req.json();\n}\n',
      'lib/zod/base.ts': "import { z } from 'zod';\nexport const linkBase = z.object({ domain: z.string(), tagIds: z.array(z.string()) });\n",
      'lib/zod/links.ts': [
        "import { z } from 'zod';",
        "import { linkBase } from './base';",
        '',
        'export const createLinkSchema = linkBase.extend({ url: z.string().url(), key: z.string().optional() }).omit({ tagIds: true });',
        '',
      ].join('\n'),
      'app/api/links/route.ts': [
        "import { parseRequestBody } from '@/lib/api/utils';",
        "import { createLinkSchema } from '@/lib/zod/links';",
        '',
        'export async function POST(req: Request) {',
        '  const body = createLinkSchema.parse(await parseRequestBody(req));',
        '  return Response.json(body, { status: 201 });',
        '}',
        '',
      ].join('\n'),
    });
    const request = requestOf(manifest, '/api/links', 'POST');
    assert.equal(request?.body?.schema, 'createLinkSchema');
    assert.equal(request?.body?.kind, 'json');
    // tagIds comes from the base, and the omit takes it out again.
    assert.deepEqual(fieldsOf(manifest, '/api/links'), ['domain', 'key', 'url']);
  });

  it('keeps a field a schema omits from an imported base and then adds again', () => {
    const manifest = scan({
      'lib/zod/base.ts': "import { z } from 'zod';\nexport const pagination = ({ max }: { max: number }) => ({ page: z.coerce.number(), pageSize: z.coerce.number().max(max) });\n",
      'lib/zod/partners.ts': [
        "import { z } from 'zod';",
        "import { pagination } from './base';",
        '',
        'const listQuery = z.object({ status: z.string(), country: z.string() }).extend(pagination({ max: 100 }));',
        'export const countQuery = listQuery.omit({ status: true, page: true }).extend({ status: z.string().nullish(), groupBy: z.string() });',
        '',
      ].join('\n'),
      'app/api/partners/count/route.ts': [
        "import { countQuery } from '@/lib/zod/partners';",
        '',
        'export async function GET(request: Request) {',
        '  const query = countQuery.parse(Object.fromEntries(new URL(request.url).searchParams));',
        '  return Response.json(query);',
        '}',
        '',
      ].join('\n'),
    });
    // page is left out of what pagination() adds; status is omitted and added again.
    assert.deepEqual(queryOf(manifest, '/api/partners/count'), ['country', 'groupBy', 'pageSize', 'status']);
  });

  it('follows helpers in the route file that the module alone explains: the form body, else the query', () => {
    const manifest = scan({
      'app/api/unsubscribe/route.ts': [
        "import { withError } from '@/lib/missing-middleware';",
        '',
        'export const POST = withError(async (request: Request) => {',
        '  const token = await tokenOf(request);',
        '  return Response.json({ unsubscribed: Boolean(token) });',
        '});',
        '',
        'async function tokenOf(request: Request) {',
        '  return (await tokenFromForm(request)) || tokenFromQuery(request);',
        '}',
        '',
        'function tokenFromQuery(request: Request) {',
        "  return new URL(request.url).searchParams.get('token');",
        '}',
        '',
        'async function tokenFromForm(request: Request) {',
        "  if (!request.headers.get('content-type')?.includes('form')) return null;",
        '  const form = await request.formData();',
        "  return form.get('token');",
        '}',
        '',
      ].join('\n'),
    });
    const request = requestOf(manifest, '/api/unsubscribe', 'POST');
    assert.deepEqual(request?.query, ['token']);
    assert.deepEqual(request?.body, { kind: 'formData', fields: ['token'] });
  });

  it('takes query names from a schema that parses the searchParams a wrapper hands over, merged with another schema', () => {
    const manifest = scan({
      ...WORKSPACE_WRAPPER,
      'lib/zod/misc.ts': "import { z } from 'zod';\nexport const paginationSchema = z.object({ page: z.coerce.number(), pageSize: z.coerce.number() });\n",
      'lib/zod/tags.ts': [
        "import * as z from 'zod';",
        "import { paginationSchema } from './misc';",
        '',
        'export const getTagsQuerySchema = z.object({ search: z.string().optional(), ids: z.array(z.string()).optional() }).merge(paginationSchema);',
        '',
      ].join('\n'),
      'app/api/tags/route.ts': [
        "import { withWorkspace } from '@/lib/auth';",
        "import { getTagsQuerySchema } from '@/lib/zod/tags';",
        '',
        'export const GET = withWorkspace(async ({ searchParams }) => {',
        '  const filters = getTagsQuerySchema.parse(searchParams);',
        '  return Response.json(filters);',
        '});',
        '',
      ].join('\n'),
    });
    assert.deepEqual(queryOf(manifest, '/api/tags'), ['ids', 'page', 'pageSize', 'search', 'workspaceId']);
  });

  it('follows a wrapper re-exported under another name, and one that passes the handler on to another wrapper', () => {
    const manifest = scan({
      ...WORKSPACE_WRAPPER,
      'lib/auth/admin.ts': [
        "import { withWorkspace } from './workspace';",
        '',
        'export const withAdmin = (handler: (context: any) => Promise<Response>) => withWorkspace(handler, { plan: "enterprise" });',
        '',
      ].join('\n'),
      'lib/guards.ts': "export { withAdmin as withAdministrator } from './auth/admin';\n",
      'app/api/admin/route.ts': [
        "import { withAdministrator } from '@/lib/guards';",
        '',
        'export const GET = withAdministrator(async ({ searchParams }) => {',
        '  return Response.json({ user: searchParams.userId });',
        '});',
        '',
      ].join('\n'),
    });
    assert.deepEqual(queryOf(manifest, '/api/admin'), ['userId', 'workspaceId']);
  });

  it('reads names from a query helper known by name, getSearchParams(req.url), from a package', () => {
    const manifest = scan({
      'app/api/stats/route.ts': [
        "import { getSearchParams } from '@acme/utils';",
        '',
        'export async function GET(req: Request) {',
        '  const { from, to } = getSearchParams(req.url);',
        '  return Response.json({ from, to });',
        '}',
        '',
      ].join('\n'),
    });
    assert.deepEqual(queryOf(manifest, '/api/stats'), ['from', 'to']);
  });

  it('adds the query names a helper reads from the request it is passed', () => {
    const manifest = scan({
      'lib/pagination.ts': [
        "import type { NextRequest } from 'next/server';",
        '',
        'export function pagination(request: NextRequest) {',
        '  const params = request.nextUrl.searchParams;',
        "  return { page: Number(params.get('page') ?? 1), size: Number(params.get('size') ?? 20) };",
        '}',
        '',
      ].join('\n'),
      'app/api/items/route.ts': [
        "import type { NextRequest } from 'next/server';",
        "import { pagination } from '@/lib/pagination';",
        '',
        'export async function GET(request: NextRequest) {',
        "  const q = request.nextUrl.searchParams.get('q');",
        '  return Response.json({ q, ...pagination(request) });',
        '}',
        '',
      ].join('\n'),
    });
    assert.deepEqual(queryOf(manifest, '/api/items'), ['page', 'q', 'size']);
  });

  it('reads a schema validating Object.fromEntries(new URL(req.url).searchParams), and safeParse(...).data', () => {
    const manifest = scan({
      'app/api/threads/validation.ts': "import { z } from 'zod';\nexport const threadsQuery = z.object({ fromEmail: z.string().nullish(), limit: z.coerce.number() });\nexport const labelBody = z.object({ name: z.string(), color: z.string() });\n",
      'app/api/threads/route.ts': [
        "import { labelBody, threadsQuery } from './validation';",
        '',
        'export async function GET(request: Request) {',
        '  const query = threadsQuery.parse(Object.fromEntries(new URL(request.url).searchParams));',
        '  return Response.json(query);',
        '}',
        '',
        'export async function POST(request: Request) {',
        '  const parsed = labelBody.safeParse(await request.json());',
        '  if (!parsed.success) return Response.json({ error: parsed.error }, { status: 400 });',
        '  const { name, description } = parsed.data;',
        '  return Response.json({ name, description });',
        '}',
        '',
      ].join('\n'),
    });
    assert.deepEqual(queryOf(manifest, '/api/threads'), ['fromEmail', 'limit']);
    assert.equal(requestOf(manifest, '/api/threads', 'POST')?.body?.schema, 'labelBody');
    // description is read though the schema does not list it: a request may well send it.
    assert.deepEqual(fieldsOf(manifest, '/api/threads'), ['color', 'description', 'name']);
  });

  it('reads a body assigned after its declaration and validated by an imported schema (ai-chatbot)', () => {
    const manifest = scan({
      'app/api/chat/schema.ts': "import { z } from 'zod';\nexport const postRequestBodySchema = z.object({ id: z.string(), message: z.any(), selectedChatModel: z.string() });\n",
      'app/api/chat/route.ts': [
        "import { postRequestBodySchema, type PostRequestBody } from './schema';",
        '',
        'export async function POST(request: Request) {',
        '  let requestBody: PostRequestBody;',
        '  try {',
        '    const json = await request.json();',
        '    requestBody = postRequestBodySchema.parse(json);',
        '  } catch (_) {',
        "    return new Response('Bad request', { status: 400 });",
        '  }',
        '  const { id, message } = requestBody;',
        '  return Response.json({ id, message });',
        '}',
        '',
      ].join('\n'),
    });
    assert.equal(requestOf(manifest, '/api/chat', 'POST')?.body?.schema, 'postRequestBodySchema');
    assert.deepEqual(fieldsOf(manifest, '/api/chat'), ['id', 'message', 'selectedChatModel']);
  });

  it('reads form data fields, a body parsed from text, and a valibot schema', () => {
    const manifest = scan({
      'app/api/upload/route.ts': [
        'export async function POST(request: Request) {',
        '  const formData = await request.formData();',
        "  const file = formData.get('file');",
        "  const title = formData.get('title');",
        '  return Response.json({ file: Boolean(file), title });',
        '}',
        '',
      ].join('\n'),
      'app/api/webhook/route.ts': [
        "import * as v from 'valibot';",
        '',
        'const Event = v.object({ type: v.string(), payload: v.any() });',
        '',
        'export async function POST(request: Request) {',
        '  const raw = await request.text();',
        '  const event = v.parse(Event, JSON.parse(raw));',
        '  return Response.json({ type: event.type, id: event.id });',
        '}',
        '',
      ].join('\n'),
    });
    assert.deepEqual(requestOf(manifest, '/api/upload', 'POST')?.body, { kind: 'formData', fields: ['file', 'title'] });
    const webhook = requestOf(manifest, '/api/webhook', 'POST');
    assert.equal(webhook?.body?.schema, 'Event');
    assert.deepEqual(fieldsOf(manifest, '/api/webhook'), ['id', 'payload', 'type']);
  });

  it('takes the query from the second argument of a wrapper that calls handler(req, { searchParams })', () => {
    const manifest = scan({
      'lib/with-query.ts': [
        'export function withQuery(handler: (req: Request, context: any) => Promise<Response>) {',
        '  return async (req: Request) => {',
        '    const searchParams = Object.fromEntries(new URL(req.url).searchParams);',
        '    return handler(req, { searchParams });',
        '  };',
        '}',
        '',
      ].join('\n'),
      'app/api/search/route.ts': [
        "import { withQuery } from '@/lib/with-query';",
        '',
        'export const GET = withQuery(async (req, { searchParams }) => {',
        '  const { term } = searchParams;',
        "  const agent = req.headers.get('user-agent');",
        '  return Response.json({ term, agent });',
        '});',
        '',
      ].join('\n'),
    });
    const request = requestOf(manifest, '/api/search', 'GET');
    assert.deepEqual(request?.query, ['term']);
    assert.deepEqual(request?.headers, ['user-agent']);
  });

  it('ends on helpers that call each other and schemas that extend each other across modules', () => {
    const manifest = scan({
      'lib/a.ts': "import { readB } from './b';\nexport function readA(req: Request): unknown {\n  const q = new URL(req.url).searchParams.get('a');\n  return q ? readB(req) : null;\n}\n",
      'lib/b.ts': "import { readA } from './a';\nexport function readB(req: Request): unknown {\n  const q = new URL(req.url).searchParams.get('b');\n  return q ? readA(req) : null;\n}\n",
      'lib/schema-a.ts': "import { schemaB } from './schema-b';\nexport const schemaA = schemaB.extend({ fromA: z.string() });\n",
      'lib/schema-b.ts': "import { schemaA } from './schema-a';\nexport const schemaB = schemaA.extend({ fromB: z.string() });\n",
      'app/api/loop/route.ts': [
        "import { readA } from '@/lib/a';",
        "import { schemaA } from '@/lib/schema-a';",
        '',
        'export async function POST(req: Request) {',
        '  readA(req);',
        '  const body = schemaA.parse(await req.json());',
        '  return Response.json(body);',
        '}',
        '',
      ].join('\n'),
    });
    assert.deepEqual(requestOf(manifest, '/api/loop', 'POST')?.query, ['a', 'b']);
    assert.deepEqual(fieldsOf(manifest, '/api/loop'), ['fromA', 'fromB']);
  });

  it('follows helpers at most three calls away from the handler', () => {
    const helper = (name: string, next?: string) =>
      `${next ? `import { ${next} } from './${next}';\n` : ''}export function ${name}(req: Request) {\n  const value = new URL(req.url).searchParams.get('${name}');\n  ${next ? `return ${next}(req) ?? value;` : 'return value;'}\n}\n`;
    const manifest = scan({
      'lib/one.ts': helper('one', 'two'),
      'lib/two.ts': helper('two', 'three'),
      'lib/three.ts': helper('three', 'four'),
      'lib/four.ts': helper('four'),
      'app/api/deep/route.ts': "import { one } from '@/lib/one';\nexport async function GET(req: Request) {\n  return Response.json({ value: one(req) });\n}\n",
    });
    assert.deepEqual(queryOf(manifest, '/api/deep'), ['one', 'three', 'two']);
  });

  it('keeps what the handler reads when its wrapper cannot be resolved', () => {
    const manifest = scan({
      'app/api/legacy/route.ts': [
        "import { withAuth } from '@/lib/missing';",
        '',
        'export const POST = withAuth(async (request: Request) => {',
        "  const team = new URL(request.url).searchParams.get('team');",
        '  const { email } = await request.json();',
        '  return Response.json({ team, email });',
        '});',
        '',
      ].join('\n'),
    });
    const request = requestOf(manifest, '/api/legacy', 'POST');
    assert.deepEqual(request?.query, ['team']);
    assert.deepEqual(request?.body, { kind: 'json', fields: ['email'] });
  });
});
