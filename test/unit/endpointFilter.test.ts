import * as assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { scanWorkspace } from '../../server/analysis/scan';
import { matchesEndpointFilter, parseEndpointFilter } from '../../src/endpointFilter';
import { buildEndpointTree, childrenOf, endpointDescription, type EndpointTreeNode, filteredChildren, filterTree, methodDescription } from '../../src/endpointTree';
import { makeTree, nextApp, removeTree } from './tempTree';

const handler = (methods: string[]) => methods.map((m) => `export async function ${m}() { return new Response(null); }`).join('\n') + '\n';

describe('the Endpoints view filter', () => {
  let root: string;
  afterEach(() => removeTree(root));

  /** The rows the view shows under a filter, depth first, as `depth label`. */
  function rowsUnder(text: string): string[] {
    const manifest = scanWorkspace(root);
    const tree = buildEndpointTree([{ uri: pathToFileURL(root).toString(), manifest }]);
    const filter = parseEndpointFilter(text)!;
    const filtered = filterTree(tree, (endpoint) => matchesEndpointFilter(filter, endpoint));
    const rows: string[] = [];
    const walk = (nodes: readonly EndpointTreeNode[], depth: number) => {
      for (const node of filteredChildren(nodes, filtered, filter.methods)) {
        const label = node.type === 'method' ? node.method.name : node.label;
        const role = node.type === 'endpoint' ? (filtered.matched.has(node) ? ' (match)' : ' (path)') : '';
        rows.push(`${depth} ${label}${role}`);
        walk(childrenOf(node), depth + 1);
      }
    };
    walk(tree.roots, 0);
    return rows;
  }

  it('shows only the matches and the path to them, and only the methods a method filter names', () => {
    root = makeTree(
      nextApp({
        'app/api/users/route.ts': handler(['GET', 'POST']),
        'app/api/users/[id]/route.ts': handler(['GET', 'DELETE']),
        'app/api/posts/route.ts': handler(['GET']),
        'app/api/posts/[id]/route.ts': handler(['GET', 'PATCH']),
      }),
    );
    assert.deepEqual(rowsUnder('method:DELETE'), ['0 api', '1 users (path)', '2 [id] (match)', '3 DELETE']);
    assert.deepEqual(rowsUnder('posts'), ['0 api', '1 posts (match)', '2 GET', '2 [id] (match)', '3 GET', '3 PATCH']);
    assert.deepEqual(rowsUnder('method:delete nothing-here'), []);
  });
});

describe('the caching badge', () => {
  let root: string;
  afterEach(() => removeTree(root));

  it('tells a GET dynamic by default from one that something in its code makes dynamic, and filters by it', () => {
    root = makeTree(
      nextApp(
        {
          'app/plain/route.ts': handler(['GET']),
          // Opted in (revalidate), so what its code does decides; without an opt-in, Next.js 15 never runs it at build.
          'app/cookie/route.ts': "import { cookies } from 'next/headers';\nexport const revalidate = 60;\nexport async function GET() { return Response.json((await cookies()).get('a')); }\n",
          'app/both/route.ts': handler(['GET', 'POST']),
          'app/static/route.ts': "export const dynamic = 'force-static';\n" + handler(['GET']),
          'app/isr/route.ts': 'export const revalidate = 3600;\n' + handler(['GET']),
          'app/proxy/[...path]/route.ts': handler(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']),
          'app/five/route.ts': handler(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']),
          'app/four/route.ts': handler(['GET', 'POST', 'PUT', 'DELETE']),
        },
        '15.5.0',
      ),
    );
    const manifest = scanWorkspace(root);
    const tree = buildEndpointTree([{ uri: pathToFileURL(root).toString(), manifest }]);
    const badge = (url: string) => endpointDescription(tree.endpoints.find((e) => e.route.url === url)!.route);
    assert.equal(badge('/plain'), 'GET', 'the default is no exception: no word');
    assert.equal(badge('/cookie'), 'GET · dynamic');
    assert.equal(badge('/both'), 'GET POST · dynamic');
    assert.equal(badge('/static'), 'GET · static');
    assert.equal(badge('/isr'), 'GET · ISR 1h');
    // A row must fit the default sidebar: many methods are counted, the method rows below name them.
    assert.equal(badge('/proxy/[...path]'), 'every method · dynamic');
    assert.equal(badge('/five'), 'GET POST PUT +2 · dynamic');
    assert.equal(badge('/four'), 'GET POST PUT DELETE · dynamic');
    // The reason is on the GET's own row, where the short method name leaves room for it.
    const getRow = (url: string) => {
      const endpoint = tree.endpoints.find((e) => e.route.url === url)!;
      const method = endpoint.methods.find((m) => m.method.name === 'GET')!;
      return methodDescription(method.method, endpoint.route);
    };
    assert.equal(getRow('/plain'), 'dynamic (default)');
    assert.equal(getRow('/cookie'), 'dynamic: cookies()');
    assert.equal(getRow('/both'), 'dynamic (has POST)');
    assert.equal(getRow('/isr'), 'ISR 1h');
    const urls = (text: string) => tree.endpoints.filter((e) => matchesEndpointFilter(parseEndpointFilter(text)!, e)).map((e) => e.route.url).sort();
    assert.deepEqual(urls('cache:default'), ['/plain']);
    assert.deepEqual(urls('cache:dynamic'), ['/both', '/cookie', '/five', '/four', '/plain', '/proxy/[...path]']);
    assert.deepEqual(urls('cache:static,isr'), ['/isr', '/static']);
  });
});
