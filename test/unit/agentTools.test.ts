import * as assert from 'node:assert/strict';
import Ajv from 'ajv';
import type { RouteManifest } from '../../server/analysis/model';
import { Workspace } from '../../server/analysis/scan';
import { languageModelTools } from '../../server/agent/languageModelTools';
import { validateArguments } from '../../server/agent/schema';
import { AGENT_TOOLS, type AgentContext, type AgentToolResult, runAgentTool } from '../../server/agent/tools';
import { agentFixture, syntheticManifest } from './agentToolsFixture';
import { lineContaining, makeTree, removeTree } from './tempTree';

const ajv = new Ajv({ strict: false, allErrors: true });

/** Runs a tool and, for a result that is not an error, holds its structured content to the tool's outputSchema. */
function run(context: AgentContext, name: string, args: unknown): AgentToolResult {
  const result = runAgentTool(name, context, args);
  const tool = AGENT_TOOLS.find((t) => t.name === name);
  if (!result.isError && tool?.outputSchema) {
    const validate = ajv.compile(tool.outputSchema);
    assert.ok(validate(result.structured), `${name} structured content breaks its outputSchema: ${ajv.errorsText(validate.errors)}`);
  }
  return result;
}

function structured<T>(result: AgentToolResult): T {
  assert.ok(!result.isError, result.text);
  return result.structured as T;
}

describe('agent tools', () => {
  let root: string;
  let context: AgentContext;
  let workspace: Workspace;
  const files = agentFixture();

  before(() => {
    root = makeTree(files);
    workspace = new Workspace(root);
    const manifest = workspace.scan();
    context = { folders: [{ manifest, callerProblems: () => workspace.callerReport().problems }] };
  });
  after(() => removeTree(root));

  describe('list_endpoints', () => {
    it('lists every route with methods, params, verdict and file:line', () => {
      const result = run(context, 'list_endpoints', {});
      const data = structured<{ total: number; leftOut: number; endpoints: Array<{ url: string; methods: string[]; params: string[]; caching: string; file: string; line: number }> }>(result);
      assert.equal(data.total, 9);
      assert.equal(data.leftOut, 0);
      const users = data.endpoints.find((e) => e.url === '/api/users')!;
      assert.deepEqual(users.methods, ['GET', 'POST']);
      assert.equal(users.caching, 'dynamic (has POST)');
      assert.equal(users.line, lineContaining(files['app/api/users/route.ts'], 'export async function GET'));
      assert.deepEqual(data.endpoints.find((e) => e.url === '/api/docs/[...slug]')!.params, ['...slug']);
      assert.match(result.text, /^\/api\/health {2}GET {2}isr 60s {2}app\/api\/health\/route\.ts:3 {2}public \/shop\/api\/health$/m);
    });

    it('filters by URL glob (pattern or public path), method and caching kind', () => {
      const urls = (args: object) => structured<{ endpoints: Array<{ url: string }> }>(run(context, 'list_endpoints', args)).endpoints.map((e) => e.url);
      assert.deepEqual(urls({ url: '/api/users/*' }), ['/api/users/[id]', '/api/users/me']);
      assert.deepEqual(urls({ url: '/api/users/**' }), ['/api/users/[id]', '/api/users/me']);
      assert.deepEqual(urls({ url: '/shop/api/users' }), ['/api/users']);
      assert.deepEqual(urls({ method: ['DELETE'] }), ['/api/users/[id]']);
      assert.deepEqual(urls({ method: 'DELETE' }), ['/api/users/[id]'], 'one value where a list is asked for is a list of one');
      assert.equal(run(context, 'list_endpoints', { method: 'FETCH' }).isError, true, 'and is still checked against the enum');
      assert.deepEqual(urls({ caching: ['default'] }), ['/api/legacy', '/api/plain']);
      assert.deepEqual(urls({ caching: ['isr'], url: '/api/**' }), ['/api/health']);
      assert.deepEqual(urls({ caching: ['static'] }), ['/api/users/me']);
    });

    it('pages a 10,000-route workspace and says how many were left out and where the next page starts', () => {
      const big: AgentContext = { folders: [{ manifest: syntheticManifest(10_000) }] };
      const first = run(big, 'list_endpoints', {});
      const data = structured<{ total: number; returned: number; leftOut: number; nextOffset: number }>(first);
      assert.deepEqual({ total: data.total, returned: data.returned, leftOut: data.leftOut, nextOffset: data.nextOffset }, { total: 10_000, returned: 100, leftOut: 9_900, nextOffset: 100 });
      assert.match(first.text, /9,900 endpoints left out\. Call again with offset 100/);
      assert.ok(first.text.length < 20_000, `the first page is ${first.text.length} characters`);
      const last = structured<{ returned: number; leftOut: number; nextOffset?: number }>(run(big, 'list_endpoints', { offset: 9_950, limit: 500 }));
      assert.deepEqual(last, { ...last, returned: 50, leftOut: 9_950 });
      assert.equal(last.nextOffset, undefined);
    });

    it('rejects a glob that cannot be a URL glob, as an error result', () => {
      const result = run(context, 'list_endpoints', { url: 'api/users' });
      assert.equal(result.isError, true);
      assert.match(result.text, /must start with \/ or \*/);
      assert.match(run(context, 'list_endpoints', { url: '/api/\nusers' }).text, /whitespace or control characters/);
    });
  });

  describe('get_endpoint', () => {
    it('routes a concrete path as Next.js does: static before dynamic before catch-all, basePath optional', () => {
      const get = (url: string) => structured<{ endpoints: Array<{ url: string; matchedBy: string; params: Array<{ name: string; value?: unknown }> }> }>(run(context, 'get_endpoint', { url })).endpoints[0];
      assert.equal(get('/api/users/me').url, '/api/users/me');
      const user = get('/shop/api/users/42');
      assert.equal(user.url, '/api/users/[id]');
      assert.equal(user.matchedBy, 'path');
      assert.deepEqual(user.params, [{ name: 'id', kind: 'dynamic', value: '42' }]);
      assert.deepEqual(get('http://localhost:3000/shop/api/docs/a/b?x=1#top').params, [{ name: 'slug', kind: 'catchAll', value: ['a', 'b'] }]);
      assert.equal(get('/api/users/{id}').matchedBy, 'pattern');
      assert.equal(get('/api/users/[id]').matchedBy, 'pattern');
    });

    it('gives params, query, body fields, headers, statuses and file:line per method, and the verdict', () => {
      const result = run(context, 'get_endpoint', { url: '/api/users' });
      const [endpoint] = structured<{ endpoints: Array<{ methods: Array<Record<string, unknown>>; caching: { kind: string; because: string } }> }>(result).endpoints;
      const get = endpoint.methods.find((m) => m.name === 'GET')!;
      const post = endpoint.methods.find((m) => m.name === 'POST')!;
      assert.deepEqual(get.query, ['page']);
      assert.deepEqual(post.body, { kind: 'json', fields: ['name', 'email'] });
      assert.deepEqual(post.headers, ['authorization']);
      assert.deepEqual(post.statuses, [201]);
      assert.deepEqual(post.location, { file: 'app/api/users/route.ts', line: lineContaining(files['app/api/users/route.ts'], 'export async function POST'), column: 23 });
      assert.deepEqual({ kind: endpoint.caching.kind, because: endpoint.caching.because }, { kind: 'dynamic', because: 'also exports POST' });
      assert.match(result.text, /^POST at app\/api\/users\/route\.ts:7:23 \(function\)$/m);
      assert.match(result.text, /^ {2}body json \{name, email\}; headers authorization; statuses 201$/m);
    });

    it('finds an endpoint by its file, also absolute, and by the module that holds its handler', () => {
      const byFile = structured<{ endpoints: Array<{ url: string }> }>(run(context, 'get_endpoint', { file: `${root}/app/api/health/route.ts` }));
      assert.deepEqual(byFile.endpoints.map((e) => e.url), ['/api/health']);
      assert.deepEqual(structured<{ endpoints: Array<{ url: string }> }>(run(context, 'get_endpoint', { file: './app/api/health/route.ts' })).endpoints.map((e) => e.url), ['/api/health']);
      const byHandler = structured<{ endpoints: Array<{ url: string; matchedBy: string; methods: Array<{ name: string; definition?: { file: string } }> }> }>(run(context, 'get_endpoint', { file: 'lib/handlers.ts' }));
      assert.deepEqual(byHandler.endpoints.map((e) => [e.url, e.matchedBy]), [['/api/legacy', 'handler']]);
      assert.equal(byHandler.endpoints[0].methods.find((m) => m.name === 'GET')?.definition?.file, 'lib/handlers.ts');
    });

    it('answers an unknown endpoint with an error that names close ones, and wants url or file but not both', () => {
      const missing = run(context, 'get_endpoint', { url: '/api/userz/1' });
      assert.equal(missing.isError, true);
      assert.match(missing.text, /^No endpoint matches \/api\/userz\/1\. Closest: /);
      assert.match(run(context, 'get_endpoint', {}).text, /Give either url .* or file/);
      assert.match(run(context, 'get_endpoint', { url: '/api/users', file: 'app/api/users/route.ts' }).text, /not both/);
      assert.match(run(context, 'get_endpoint', { url: '/api/users', app: 'nope' }).text, /No app is named "nope"\. The apps are: app \(\.\)/);
    });
  });

  describe('check', () => {
    it('lists problems as file:line:col severity id message, and filters by severity, id and file', () => {
      const all = structured<{ total: number; counts: Record<string, number>; failsBuild: number; problems: Array<{ id: string; location?: { file: string } }> }>(run(context, 'check', {}));
      assert.ok(all.problems.some((p) => p.id === 'route-page-conflict' && p.location?.file.startsWith('app/clash/')));
      assert.ok(all.failsBuild >= 1);
      const errors = run(context, 'check', { severity: ['error'] });
      assert.match(errors.text, /^app\/clash\/(route\.ts|page\.tsx):\d+:\d+ error route-page-conflict .*\[fails next build\]$/m);
      const byId = structured<{ problems: Array<{ id: string }> }>(run(context, 'check', { id: ['route-page-conflict'] }));
      assert.ok(byId.problems.length > 0 && byId.problems.every((p) => p.id === 'route-page-conflict'));
      assert.equal(structured<{ total: number }>(run(context, 'check', { file: 'app/api' })).total, all.problems.filter((p) => p.location?.file.startsWith('app/api/')).length);
      assert.equal(structured<{ total: number }>(run(context, 'check', { file: 'app/clash/**' })).total, all.problems.filter((p) => p.location?.file.startsWith('app/clash/')).length);
    });

    it('includes the callers index hints, as the CLI --check does', () => {
      const hinted = makeTree(
        agentFixtureWith({
          'app/api/todos/route.ts': 'export async function POST(request: Request) {\n  return Response.json(await request.json());\n}\n',
          'app/todos/form.tsx': "'use client';\nexport function Form() {\n  return <form onSubmit={() => fetch('/shop/api/todos', { method: 'POST' })} />;\n}\n",
        }),
      );
      try {
        const local = new Workspace(hinted);
        const manifest = local.scan();
        const result = run({ folders: [{ manifest, callerProblems: () => local.callerReport().problems }] }, 'check', { id: ['server-action-candidate'] });
        assert.match(result.text, /^app\/api\/todos\/route\.ts:1:\d+ info server-action-candidate /m);
      } finally {
        removeTree(hinted);
      }
    });
  });

  describe('explain_caching', () => {
    it('explains a GET that is dynamic by default in Next.js 15 and says how to opt in', () => {
      const result = run(context, 'explain_caching', { url: '/api/plain' });
      const [explanation] = structured<{ explanations: Array<{ verdict: { kind: string; because: string }; changes: string[] }> }>(result).explanations;
      assert.deepEqual({ kind: explanation.verdict.kind, because: explanation.verdict.because }, { kind: 'dynamic', because: 'default' });
      assert.match(explanation.changes[0], /^Next\.js 15 prerenders a GET only when the route opts in\. .*export const revalidate = 60/);
      assert.match(result.text, /^Analyzed for Next\.js 15\.5\.0 \(package\.json\), webpack\.$/m);
      assert.match(explanation.changes[1], /^Once opted in, the GET is prerendered only if/);
    });

    it('warns that opting in would not help a GET that reads request data', () => {
      const reading = makeTree(agentFixtureWith({ 'app/api/search/route.ts': "import { NextRequest } from 'next/server';\nexport function GET(request: NextRequest) {\n  return Response.json({ q: request.nextUrl.searchParams.get('q') });\n}\n" }));
      try {
        const manifest = new Workspace(reading).scan();
        const [explanation] = structured<{ explanations: Array<{ verdict: { because: string }; changes: string[] }> }>(run({ folders: [{ manifest }] }, 'explain_caching', { url: '/api/search' })).explanations;
        assert.equal(explanation.verdict.because, 'default');
        assert.match(explanation.changes[1], /^But this GET reads request data \(query q\): opted in, it would still run per request/);
      } finally {
        removeTree(reading);
      }
    });

    it('follows the call chain to the request read and points at it', () => {
      const result = run(context, 'explain_caching', { url: '/shop/api/session' });
      const [explanation] = structured<{ explanations: Array<{ verdict: { kind: string; reasons: Array<{ location: { file: string; line: number; column: number }; chain?: unknown[] }> } }> }>(result).explanations;
      assert.equal(explanation.verdict.kind, 'dynamic');
      assert.deepEqual(explanation.verdict.reasons[0].location, { file: 'lib/session.ts', line: lineContaining(SESSION_TEXT, 'cookies()'), column: explanation.verdict.reasons[0].location.column });
      assert.ok(explanation.verdict.reasons[0].chain?.length, 'the reason names the calls that lead to it');
      assert.match(result.text, /take that read out of the GET/);
    });

    it('explains ISR, force-static and a route without GET', () => {
      assert.match(run(context, 'explain_caching', { url: '/api/health' }).text, /^Verdict: isr 60s$/m);
      assert.match(run(context, 'explain_caching', { url: '/api/users/me' }).text, /^Verdict: static$/m);
      const noGet = makeTree(agentFixtureWith({ 'app/api/hook/route.ts': 'export async function POST() {\n  return new Response(null);\n}\n' }));
      try {
        const manifest = new Workspace(noGet).scan();
        const result = run({ folders: [{ manifest }] }, 'explain_caching', { url: '/api/hook' });
        assert.match(result.text, /^\/api\/hook \(POST; no GET\) in app\/api\/hook\/route\.ts$/m);
        assert.match(result.text, /^Verdict: per request \(no GET\)$/m);
        assert.match(result.text, /A GET added to this file would run per request too: exporting POST makes the whole route dynamic\./);
        assert.equal((result.structured as { explanations: Array<{ verdict: { kind: string } }> }).explanations[0].verdict.kind, 'none');
      } finally {
        removeTree(noGet);
      }
    });
  });

  describe('build_request', () => {
    it('writes cURL with the params of a concrete path, a JSON body of the fields the handler reads, and names the headers it reads', () => {
      const result = run(context, 'build_request', { url: '/api/users', method: 'POST' });
      const data = structured<{ request: string; url: string; notes: string[] }>(result);
      assert.equal(data.request, `curl 'http://localhost:3000/shop/api/users' \\\n  -H 'Content-Type: application/json' \\\n  --data-raw '{"name":"","email":""}'`);
      assert.ok(data.notes.some((n) => /reads the header authorization/.test(n)));
      const one = structured<{ request: string; url: string }>(run(context, 'build_request', { url: '/shop/api/users/42', method: 'DELETE', baseUrl: 'http://127.0.0.1:4000' }));
      assert.equal(one.request, "curl 'http://127.0.0.1:4000/shop/api/users/42' -X DELETE");
    });

    it('writes fetch and .http text, leaves params it was not given as placeholders, and fills those it was', () => {
      const fetchText = structured<{ request: string; notes: string[] }>(run(context, 'build_request', { url: '/api/users/[id]', format: 'fetch' }));
      assert.equal(fetchText.request, 'const response = await fetch("http://localhost:3000/shop/api/users/{id}");');
      assert.ok(fetchText.notes.some((n) => n.includes('{id}')));
      const http = structured<{ request: string }>(run(context, 'build_request', { file: 'app/api/users/[id]/route.ts', format: 'http', params: { id: '7' } }));
      assert.equal(http.request, '@baseUrl = http://localhost:3000\n@id = 7\n\n### GET /shop/api/users/[id]\nGET {{baseUrl}}/shop/api/users/{{id}}\n');
      const query = structured<{ url: string }>(run(context, 'build_request', { url: '/api/users', query: { page: '2' } }));
      assert.equal(query.url, 'http://localhost:3000/shop/api/users?page=2');
    });

    it('never carries credentials: a user name and password in baseUrl are dropped', () => {
      const result = run(context, 'build_request', { url: '/api/users', baseUrl: 'https://ada:s3cret@staging.example.com/' });
      assert.doesNotMatch(result.text, /s3cret|ada/);
      assert.equal((result.structured as { url: string }).url, 'https://staging.example.com/shop/api/users');
    });

    it('answers a method the route does not serve, a bad param and a bad base URL with error results', () => {
      assert.match(run(context, 'build_request', { url: '/api/health', method: 'POST' }).text, /does not answer POST; it serves GET, HEAD, OPTIONS/);
      assert.match(run(context, 'build_request', { url: '/api/users/[id]', params: { id: '..' } }).text, /"id" cannot be "\.\."/);
      assert.match(run(context, 'build_request', { url: '/api/users/[id]', params: { nope: '1' } }).text, /has no param "nope"; its params are id/);
      assert.match(run(context, 'build_request', { url: '/api/users', baseUrl: 'file:///etc/passwd' }).text, /must be an http or https URL/);
    });
  });

  describe('arguments', () => {
    it('rejects unknown arguments clearly, naming the ones the tool takes', () => {
      const result = run(context, 'list_endpoints', { mehtod: ['GET'] });
      assert.equal(result.isError, true);
      assert.equal(result.text, 'list_endpoints was called with arguments it cannot take:\n- Unknown argument: "mehtod". The arguments are: url, method, caching, app, limit, offset.');
      assert.match(run(context, 'list_endpoints', JSON.parse('{"__proto__": {"limit": 1}}')).text, /Unknown argument: "__proto__"/);
      assert.match(run(context, 'list_endpoints', { method: ['get'] }).text, /"method\[0\]" must be one of GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS; got "get"/);
      assert.match(run(context, 'list_endpoints', { limit: 1.5 }).text, /"limit" must be an integer/);
      assert.match(run(context, 'list_endpoints', 'GET').text, /the arguments must be an object/);
      assert.match(run(context, 'nope', {}).text, /^There is no tool "nope"; the tools are list_endpoints, get_endpoint, check, explain_caching, build_request\.$/);
    });

    it('answers hostile arguments promptly: a huge glob, URL or key count, deep nesting, a long hostile glob over 10,000 routes', () => {
      const big: AgentContext = { folders: [{ manifest: syntheticManifest(10_000) }] };
      const timed = (name: string, args: unknown): [AgentToolResult, number] => {
        const started = performance.now();
        const result = runAgentTool(name, big, args);
        return [result, performance.now() - started];
      };
      const cases: Array<[string, unknown, RegExp]> = [
        ['list_endpoints', { url: '/' + '*'.repeat(1_000_000) }, /at most 512 are allowed/],
        ['get_endpoint', { url: '/a'.repeat(500_000) }, /at most 2048 are allowed/],
        ['list_endpoints', Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, i])), /Unknown arguments: "k0", "k1", "k2", "k3", "k4", …/],
        ['build_request', { url: '/api/group1/item1/[id]', params: Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`p${i}`, 'x'])) }, /has 100000 entries; at most 50 are allowed/],
        ['get_endpoint', { url: nested(100_000) }, /"url" must be a string, got an object/],
        ['list_endpoints', { method: Array.from({ length: 1_000_000 }, () => 'GET') }, /has 1000000 items; at most 7 are allowed/],
      ];
      for (const [name, args, expected] of cases) {
        const [result, elapsed] = timed(name, args);
        assert.equal(result.isError, true, `${name}: ${result.text.slice(0, 200)}`);
        assert.match(result.text, expected);
        assert.ok(elapsed < 500, `${name} took ${elapsed.toFixed(0)} ms`);
      }
      // Valid but as costly as arguments get: the longest glob, alternating stars, over every route.
      const [globResult, globTime] = timed('list_endpoints', { url: '/' + '**a'.repeat(170) });
      assert.equal(structured<{ total: number }>(globResult).total, 0);
      assert.ok(globTime < 2000, `the glob took ${globTime.toFixed(0)} ms`);
      const [pathResult, pathTime] = timed('get_endpoint', { url: '/api/group1' + '/x'.repeat(1000) });
      assert.equal(pathResult.isError, true);
      assert.ok(pathTime < 1000, `the long path took ${pathTime.toFixed(0)} ms`);
    });

    it('validates the JSON Schema subset: required, defaults filled, additionalProperties schemas, the input left as it was', () => {
      const schema = { type: 'object' as const, properties: { a: { type: 'integer' as const, default: 3 }, m: { type: 'object' as const, additionalProperties: { type: 'string' as const } } }, required: ['m'], additionalProperties: false };
      const input = { m: { x: 'y' } };
      assert.deepEqual(validateArguments(schema, input), { ok: true, value: { m: { x: 'y' }, a: 3 } });
      assert.deepEqual(input, { m: { x: 'y' } });
      assert.deepEqual(validateArguments(schema, {}), { ok: false, errors: ['"m" is required.'] });
      assert.deepEqual(validateArguments(schema, { m: { x: 1 } }), { ok: false, errors: ['"m.x" must be a string, got 1.'] });
    });
  });

  describe('context', () => {
    it('says why there is nothing to answer from when the folder has no app, or is gone', () => {
      const empty: RouteManifest = { ...syntheticManifest(0), apps: [], problems: [{ id: 'folder-missing', severity: 'warning', message: 'The folder /gone does not exist or is not a folder; nothing was scanned.' }] };
      const result = run({ folders: [{ manifest: empty }] }, 'list_endpoints', {});
      assert.equal(result.isError, true);
      assert.equal(result.text, 'The folder /gone does not exist or is not a folder; nothing was scanned.');
      assert.match(run({ folders: [{ manifest: empty }] }, 'check', {}).text, /folder-missing The folder \/gone does not exist/);
    });

    it('writes a folder name with a line break in it inert, on one line', () => {
      const hostile = makeTree(agentFixtureWith({ 'app/a\nGET /api/admin  fake/route.ts': 'export function GET() {\n  return new Response(null);\n}\n' }));
      try {
        const manifest = new Workspace(hostile).scan();
        const text = run({ folders: [{ manifest }] }, 'list_endpoints', {}).text;
        assert.match(text, /^\/a\\nGET \/api\/admin {2}fake {2}GET/m);
        assert.doesNotMatch(text, /^GET \/api\/admin/m);
      } finally {
        removeTree(hostile);
      }
    });
  });

  describe('languageModelTools', () => {
    it('gives VS Code one entry per tool, with the same input schema the MCP server lists', () => {
      const entries = languageModelTools();
      assert.deepEqual(
        entries.map((e) => e.name),
        AGENT_TOOLS.map((t) => `routeAtlas_${t.name}`),
      );
      for (const [i, entry] of entries.entries()) {
        assert.equal(entry.inputSchema, AGENT_TOOLS[i].inputSchema);
        assert.equal(entry.canBeReferencedInPrompt, true);
        assert.match(entry.toolReferenceName, /^routeAtlas[A-Z]\w+$/);
        assert.ok(entry.modelDescription.length > 100 && entry.displayName.length > 0 && entry.userDescription.length > 0);
        // VS Code passes the schema to models as it is: it must compile, and survive a JSON round trip unchanged.
        ajv.compile(entry.inputSchema);
        assert.deepEqual(JSON.parse(JSON.stringify(entry.inputSchema)), entry.inputSchema);
      }
    });
  });
});

const SESSION_TEXT = agentFixture()['lib/session.ts'];

function agentFixtureWith(extra: Record<string, string>): Record<string, string> {
  return { ...agentFixture(), ...extra };
}

/** `{ a: { a: … } }`, `depth` levels deep, built without recursion. */
function nested(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}
