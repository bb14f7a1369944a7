// The Next.js app the agent-tool and MCP tests run on: one endpoint per behaviour they look at.
import type { RouteManifest, Route } from '../../server/analysis/model';
import { nextApp } from './tempTree';

export const SESSION_MODULE = `import { cookies } from 'next/headers';

export async function readSession() {
  const store = await cookies();
  return store.get('session')?.value;
}
`;

export const USERS_ROUTE = `export async function GET(request: Request) {
  const { searchParams } = new URL(request.url);
  const page = searchParams.get('page');
  return Response.json({ page });
}

export async function POST(request: Request) {
  const { name, email } = await request.json();
  const token = request.headers.get('authorization');
  return Response.json({ name, email, token }, { status: 201 });
}
`;

/** A fixture app for Next.js 15 with a basePath: files by path. */
export function agentFixture(): Record<string, string> {
  return nextApp({
    'next.config.ts': "export default { basePath: '/shop' };\n",
    'app/api/users/route.ts': USERS_ROUTE,
    'app/api/users/[id]/route.ts':
      'export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {\n  const { id } = await params;\n  return Response.json({ id });\n}\n\nexport async function DELETE() {\n  return new Response(null, { status: 204 });\n}\n',
    'app/api/users/me/route.ts': "export const dynamic = 'force-static';\n\nexport function GET() {\n  return Response.json({ me: true });\n}\n",
    'app/api/docs/[...slug]/route.ts': 'export function GET() {\n  return Response.json({});\n}\n',
    'app/api/health/route.ts': 'export const revalidate = 60;\n\nexport function GET() {\n  return Response.json({ ok: true });\n}\n',
    'app/api/session/route.ts': "import { readSession } from '../../../lib/session';\n\nexport const revalidate = 30;\n\nexport async function GET() {\n  return Response.json({ user: await readSession() });\n}\n",
    'lib/session.ts': SESSION_MODULE,
    'app/api/legacy/route.ts': "export { GET } from '../../../lib/handlers';\n",
    'lib/handlers.ts': 'export function GET() {\n  return Response.json({ legacy: true });\n}\n',
    'app/api/plain/route.ts': 'export function GET() {\n  return Response.json({ at: Date.now() });\n}\n',
    'app/clash/route.ts': 'export function GET() {\n  return new Response("route");\n}\n',
    'app/clash/page.tsx': 'export default function Page() {\n  return null;\n}\n',
  }) as Record<string, string>;
}

/** A manifest of `count` routes without touching the disk, for tests of size and of hostile input. */
export function syntheticManifest(count: number): RouteManifest {
  const routes: Route[] = [];
  for (let i = 0; i < count; i++) {
    const url = i % 2 === 0 ? `/api/group${i % 97}/item${i}` : `/api/group${i % 97}/item${i}/[id]`;
    routes.push({
      url,
      publicPath: url,
      file: `app${url}/route.ts`,
      appRoot: '.',
      kind: 'route',
      methods: [{ name: 'GET', form: 'function', span: { line: 1, column: 17, endLine: 1, endColumn: 20 } }],
      params: i % 2 === 0 ? [] : [{ name: 'id', kind: 'dynamic' }],
      segmentConfig: {},
      otherExports: [],
      caching: { kind: 'dynamic', because: 'default', reasons: [{ message: 'Next.js 15 does not cache GET handlers unless you opt in.' }] },
    });
  }
  return {
    manifestVersion: '1.0',
    generator: { name: 'route-atlas', version: '0.1.0' },
    root: '/synthetic',
    problems: [],
    apps: [
      {
        root: '.',
        name: 'big',
        appDir: 'app',
        nextVersion: { major: 15, source: 'default' },
        config: {
          pageExtensions: { known: true, value: ['ts'] },
          basePath: { known: true, value: '' },
          trailingSlash: { known: true, value: false },
          cacheComponents: { known: true, value: false },
        },
        bundler: 'webpack',
        routes,
        pages: [],
        problems: [],
      },
    ],
  };
}
