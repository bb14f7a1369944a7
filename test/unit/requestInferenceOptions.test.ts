import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HandlerRequestInfo, HttpMethod, RouteManifest } from '../../server/analysis/model';
import { scanWorkspace } from '../../server/analysis/scan';
import { makeTree, removeTree } from './tempTree';

// Each app imitates a pattern of API wrappers seen in formbricks/formbricks, under names of our own: a
// handler that is a property of the wrapper's options, beside the schemas the wrapper validates with; a
// helper the handler calls with the request, its schemas and its handler in one object; a body read from
// the request's stream with a size limit; a helper that returns the body inside an object; and schemas
// from a workspace package, with and without node_modules. The expected names are what the code reads.

const TSCONFIG = JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } });

/** A monorepo: the app in apps/web, a schemas package in packages/contracts, listed by pnpm-workspace.yaml. */
function monorepo(files: Record<string, string>): Record<string, string> {
  const app: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) app[name.startsWith('packages/') ? name : `apps/web/${name}`] = text;
  return {
    'package.json': JSON.stringify({ name: 'root', private: true }),
    'pnpm-workspace.yaml': 'packages:\n  - "apps/*"\n  # the shared code\n  - packages/*\n',
    'apps/web/package.json': JSON.stringify({ name: 'web', dependencies: { next: '15.5.0', '@acme/contracts': 'workspace:*' } }),
    'apps/web/tsconfig.json': TSCONFIG,
    'packages/contracts/package.json': JSON.stringify({ name: '@acme/contracts', exports: { './*': './src/*.ts' } }),
    ...app,
  };
}

/** Reads the body's bytes itself to bound its size, as formbricks' parseJsonBodyWithLimit does. */
const BODY_WITH_LIMIT = [
  'export class BodyTooLargeError extends Error {}',
  '',
  'export const readBodyWithLimit = async (request: Request, limit = 1024 * 1024): Promise<string> => {',
  "  if (Number(request.headers.get('content-length') ?? 0) > limit) throw new BodyTooLargeError();",
  "  if (!request.body) return '';",
  '  const reader = request.body.getReader();',
  '  const chunks: Uint8Array[] = [];',
  '  let size = 0;',
  '  while (true) {',
  '    const { done, value } = await reader.read();',
  '    if (done) break;',
  '    size += value.byteLength;',
  '    if (size > limit) throw new BodyTooLargeError();',
  '    chunks.push(value);',
  '  }',
  '  return new TextDecoder().decode(Buffer.concat(chunks));',
  '};',
  '',
  'export const parseJsonWithLimit = async <T = unknown>(request: Request, limit?: number): Promise<T> =>',
  '  JSON.parse(await readBodyWithLimit(request, limit)) as T;',
  '',
].join('\n');

/** A wrapper in the style of formbricks' v3 API: `withApi({ schemas: { body, query }, handler })`. */
const OPTIONS_WRAPPER = [
  "import { parseJsonWithLimit } from '@/lib/body';",
  '',
  'function queryObject(searchParams: URLSearchParams): Record<string, string> {',
  '  const query: Record<string, string> = {};',
  '  for (const key of new Set(searchParams.keys())) query[key] = searchParams.get(key) ?? "";',
  '  return query;',
  '}',
  '',
  'async function parseInput(req: Request & { nextUrl: URL }, schemas: any) {',
  '  const parsedInput: Record<string, unknown> = {};',
  '  if (schemas?.body) {',
  '    const body = await parseJsonWithLimit(req);',
  '    const result = schemas.body.safeParse(body);',
  '    if (!result.success) return { ok: false as const };',
  '    parsedInput.body = result.data;',
  '  }',
  '  if (schemas?.query) {',
  '    const result = schemas.query.safeParse(queryObject(req.nextUrl.searchParams));',
  '    if (!result.success) return { ok: false as const };',
  '    parsedInput.query = result.data;',
  '  }',
  '  return { ok: true as const, parsedInput };',
  '}',
  '',
  'export const withApi = (params: { schemas?: any; auth?: string; handler: (args: any) => Promise<Response> }) => {',
  '  const { schemas, handler } = params;',
  '  return async (req: Request & { nextUrl: URL }, props: unknown) => {',
  '    const input = await parseInput(req, schemas);',
  '    if (!input.ok) return new Response(null, { status: 400 });',
  "    return handler({ req, props, parsedInput: input.parsedInput, requestId: req.headers.get('x-request-id') });",
  '  };',
  '};',
  '',
].join('\n');

/** A client in the style of formbricks' v2 API: the handler calls it with its request, schemas and handler in one object. */
const API_CLIENT = [
  "import { parseJsonWithLimit } from '@/lib/body';",
  '',
  'const runApi = async ({ request, schemas, handler, bodyTransform }: any) => {',
  '  const parsedInput: Record<string, unknown> = {};',
  '  if (schemas?.body) {',
  '    let bodyData = await parseJsonWithLimit<Record<string, unknown>>(request);',
  '    if (bodyTransform) bodyData = await bodyTransform(bodyData);',
  '    const result = schemas.body.safeParse(bodyData);',
  '    if (!result.success) return new Response(null, { status: 422 });',
  '    parsedInput.body = result.data;',
  '  }',
  '  if (schemas?.query) {',
  '    const url = new URL(request.url);',
  '    const result = schemas.query.safeParse(Object.fromEntries(url.searchParams.entries()));',
  '    if (!result.success) return new Response(null, { status: 422 });',
  '    parsedInput.query = result.data;',
  '  }',
  '  return handler({ request, parsedInput });',
  '};',
  '',
  'export const apiClient = async ({ request, schemas, handler, bodyTransform }: any): Promise<Response> => {',
  '  try {',
  '    return await runApi({ request, schemas, handler, bodyTransform });',
  '  } catch {',
  '    return new Response(null, { status: 500 });',
  '  }',
  '};',
  '',
].join('\n');

function requestOf(manifest: RouteManifest, url: string, method: HttpMethod): HandlerRequestInfo | undefined {
  const route = manifest.apps[0]?.routes.find((r) => r.url === url);
  assert.ok(route, `${url} is listed`);
  const found = route.methods.find((m) => m.name === method);
  assert.ok(found, `${url} exports ${method}`);
  return found.request;
}

const queryOf = (manifest: RouteManifest, url: string, method: HttpMethod = 'GET') => [...(requestOf(manifest, url, method)?.query ?? [])].sort();
const fieldsOf = (manifest: RouteManifest, url: string, method: HttpMethod = 'POST') => [...(requestOf(manifest, url, method)?.body?.fields ?? [])].sort();

describe('request inference through options objects, bounded body readers and workspace packages', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) removeTree(root);
    root = undefined;
  });
  const scan = (files: Record<string, string>) => scanWorkspace((root = makeTree(monorepo(files))));

  it('takes the schemas a route hands the wrapper beside its handler, and no body where it hands no body schema', () => {
    const manifest = scan({
      'lib/body.ts': BODY_WITH_LIMIT,
      'lib/api.ts': OPTIONS_WRAPPER,
      'lib/schemas.ts': "import { z } from 'zod';\nexport const ListQuery = z.object({ workspaceId: z.string(), limit: z.coerce.number(), cursor: z.string().optional() }).strict();\n",
      'app/api/tags/route.ts': [
        "import { z } from 'zod';",
        "import { withApi } from '@/lib/api';",
        "import { ListQuery } from '@/lib/schemas';",
        '',
        'const RenameBody = z.object({ name: z.string(), color: z.string().optional() });',
        '',
        'export const GET = withApi({',
        "  auth: 'both',",
        '  schemas: { query: ListQuery },',
        '  handler: async ({ parsedInput }) => Response.json(parsedInput.query),',
        '});',
        '',
        'export const PATCH = withApi({',
        '  schemas: { body: RenameBody, params: z.object({ id: z.string() }) },',
        '  handler: async ({ parsedInput }) => Response.json(parsedInput.body),',
        '});',
        '',
      ].join('\n'),
    });
    assert.deepEqual(queryOf(manifest, '/api/tags'), ['cursor', 'limit', 'workspaceId']);
    assert.equal(requestOf(manifest, '/api/tags', 'GET')?.body, undefined, 'the GET hands no body schema, so its body is never parsed');
    assert.deepEqual(requestOf(manifest, '/api/tags', 'PATCH')?.body, { kind: 'json', fields: ['name', 'color'], schema: 'RenameBody' });
    assert.deepEqual(queryOf(manifest, '/api/tags', 'PATCH'), []);
  });

  it('follows a client the handler calls with its request, schemas and handler in one object, through a body transform', () => {
    const manifest = scan({
      'lib/body.ts': BODY_WITH_LIMIT,
      'lib/client.ts': API_CLIENT,
      'app/api/contacts/route.ts': [
        "import { apiClient } from '@/lib/client';",
        "import { ContactCreate, ContactFilter } from '@acme/contracts/contacts';",
        '',
        'export const GET = async (request: Request) =>',
        '  apiClient({ request, schemas: { query: ContactFilter }, handler: async ({ parsedInput }) => Response.json(parsedInput.query) });',
        '',
        'export const POST = async (request: Request) =>',
        '  apiClient({',
        '    request,',
        '    schemas: { body: ContactCreate },',
        '    bodyTransform: async (body) => ({ ...body, source: "api" }),',
        '    handler: async ({ parsedInput }) => Response.json(parsedInput.body, { status: 201 }),',
        '  });',
        '',
      ].join('\n'),
      'packages/contracts/src/contacts.ts': [
        "import { z } from 'zod';",
        '',
        'const Paging = z.object({ limit: z.coerce.number(), skip: z.coerce.number() });',
        'export const ContactFilter = Paging.extend({ email: z.string().optional() });',
        '',
        'const WithEmail = z.object({ kind: z.literal("email"), email: z.string() });',
        'const WithPhone = z.object({ kind: z.literal("phone"), phone: z.string() });',
        "export const ContactCreate = z.discriminatedUnion('kind', [WithEmail, WithPhone]);",
        '',
      ].join('\n'),
    });
    assert.deepEqual(queryOf(manifest, '/api/contacts'), ['email', 'limit', 'skip']);
    assert.equal(requestOf(manifest, '/api/contacts', 'GET')?.body, undefined);
    assert.deepEqual(requestOf(manifest, '/api/contacts', 'POST')?.body, { kind: 'json', fields: ['kind', 'email', 'phone'], schema: 'ContactCreate' });
  });

  it('reads a body parsed by a size-limited reader and passed through a helper that returns it inside an object', () => {
    const manifest = scan({
      'lib/body.ts': BODY_WITH_LIMIT,
      'lib/resolve.ts': [
        'export const resolveScope = async <T extends Record<string, unknown>>(body: T, allowed: string[]) => {',
        '  // `projectId` is the legacy name of `workspaceId`.',
        '  const id = (body.workspaceId ?? body.projectId) as string | undefined;',
        '  if (!id || !allowed.includes(id)) return { ok: false as const, response: new Response(null, { status: 403 }) };',
        '  return { ok: true as const, body: { ...body, workspaceId: id } };',
        '};',
        '',
      ].join('\n'),
      'app/api/hooks/route.ts': [
        "import { z } from 'zod';",
        "import { BodyTooLargeError, parseJsonWithLimit } from '@/lib/body';",
        "import { resolveScope } from '@/lib/resolve';",
        '',
        'const HookInput = z.object({ url: z.string(), workspaceId: z.string(), events: z.array(z.string()) });',
        '',
        'export async function POST(req: Request) {',
        '  let input;',
        '  try {',
        '    input = await parseJsonWithLimit<Record<string, unknown>>(req);',
        '  } catch (error) {',
        '    return new Response(null, { status: error instanceof BodyTooLargeError ? 413 : 400 });',
        '  }',
        "  const resolved = await resolveScope(input, ['w1']);",
        '  if (!resolved.ok) return resolved.response;',
        '  const parsed = HookInput.safeParse(resolved.body);',
        '  if (!parsed.success) return new Response(null, { status: 400 });',
        '  return Response.json(parsed.data, { status: 201 });',
        '}',
        '',
      ].join('\n'),
    });
    assert.deepEqual(fieldsOf(manifest, '/api/hooks'), ['events', 'projectId', 'url', 'workspaceId']);
    assert.equal(requestOf(manifest, '/api/hooks', 'POST')?.body?.kind, 'json');
    assert.equal(requestOf(manifest, '/api/hooks', 'POST')?.body?.schema, 'HookInput');
  });

  it('finds a schema in a workspace package through the manifest without node_modules, and through the link with it', () => {
    const files = {
      'app/api/surveys/route.ts': [
        "import { SurveyInput } from '@acme/contracts/surveys';",
        '',
        'export async function POST(request: Request) {',
        '  const survey = SurveyInput.parse(await request.json());',
        '  return Response.json(survey);',
        '}',
        '',
      ].join('\n'),
      'packages/contracts/src/surveys.ts': "import { z } from 'zod';\nexport const SurveyInput = z.object({ name: z.string(), questions: z.array(z.string()) });\n",
    };
    let manifest = scan(files);
    assert.deepEqual(fieldsOf(manifest, '/api/surveys'), ['name', 'questions']);
    // As an editor or CI sees it: node_modules installed, the package linked there by the package manager.
    const linked = path.join(root!, 'apps/web/node_modules/@acme');
    fs.mkdirSync(linked, { recursive: true });
    fs.symlinkSync(path.join(root!, 'packages/contracts'), path.join(linked, 'contracts'), 'dir');
    fs.rmSync(path.join(root!, 'pnpm-workspace.yaml'));
    manifest = scanWorkspace(root!);
    assert.deepEqual(fieldsOf(manifest, '/api/surveys'), ['name', 'questions']);
  });

  it('reads no key added beside a spread query as a query name, and no key of an object the body is spread into after another', () => {
    const manifest = scan({
      'lib/stats.ts': [
        'export function getStats(params: Record<string, unknown>) {',
        '  return { deprecated: params.isDeprecated, range: params.range };',
        '}',
        '',
      ].join('\n'),
      'app/api/stats/route.ts': [
        "import { getStats } from '@/lib/stats';",
        '',
        'export async function GET(req: Request) {',
        '  const query = Object.fromEntries(new URL(req.url).searchParams);',
        "  const range = new URL(req.url).searchParams.get('range');",
        '  return Response.json(getStats({ ...query, range, isDeprecated: true }));',
        '}',
        '',
        'export async function PATCH(req: Request) {',
        '  const body = await req.json();',
        "  const merged = { ...{ ownerId: 'o' }, ...body };",
        '  return Response.json({ owner: merged.ownerId, title: body.title });',
        '}',
        '',
      ].join('\n'),
    });
    assert.deepEqual(queryOf(manifest, '/api/stats'), ['range']);
    assert.deepEqual(fieldsOf(manifest, '/api/stats', 'PATCH'), ['title']);
  });
});
