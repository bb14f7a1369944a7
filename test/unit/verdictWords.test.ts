// The caching CodeLens title is what a user reads above a GET: it has to say why, in words, for each verdict.
import * as assert from 'node:assert/strict';
import { scanWorkspace } from '../../server/analysis/scan';
import { describeVerdict } from '../../server/lsp/present';
import { makeTree, nextApp, removeTree } from './tempTree';

function lensOf(file: string, source: string, nextVersion: number): string {
  const root = makeTree(nextApp({ [file]: source }, `^${nextVersion}.0.0`));
  try {
    const manifest = scanWorkspace(root, { nextVersion });
    const [route] = manifest.apps.flatMap((app) => app.routes);
    assert.ok(route?.caching, 'the route has a caching verdict');
    return describeVerdict(route.caching, root);
  } finally {
    removeTree(root);
  }
}

const GET = 'export async function GET() { return Response.json({}); }\n';

describe('caching lens words', () => {
  it('names the other method that makes a GET dynamic (Next.js 14)', () => {
    assert.equal(lensOf('app/x/route.ts', `${GET}export async function POST() { return Response.json({}); }\n`, 14), 'Dynamic: runs per request, because this file also exports POST');
    assert.equal(lensOf('app/x/route.ts', GET, 14), 'Static: prerendered at build');
  });

  it('says a GET is dynamic by default in Next.js 15', () => {
    assert.equal(lensOf('app/x/route.ts', GET, 15), 'Dynamic (the default): nothing opts this GET in to caching');
  });

  it('says the params have no generateStaticParams when a GET opts in without listing them', () => {
    assert.equal(lensOf('app/x/[id]/route.ts', `export const revalidate = 60;\n${GET}`, 15), 'Dynamic: runs per request, no generateStaticParams for its params');
    assert.equal(lensOf('app/x/route.ts', `export const revalidate = 60;\n${GET}`, 15), 'ISR: prerendered, revalidated every 60 s');
  });

  it('points at the call that makes it dynamic, with file and line', () => {
    const source = "import { cookies } from 'next/headers';\nexport const revalidate = 60;\nexport async function GET() {\n  const c = await cookies();\n  return Response.json({ c: c.size });\n}\n";
    assert.equal(lensOf('app/x/route.ts', source, 15), 'Dynamic: cookies() at route.ts:4');
  });

  it('names the segment config that forces a GET to run per request', () => {
    assert.equal(lensOf('app/x/route.ts', `export const dynamic = 'force-dynamic';\n${GET}`, 14), 'Dynamic: force-dynamic at route.ts:1');
  });
});
