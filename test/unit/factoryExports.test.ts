import * as assert from 'node:assert/strict';
import type { Route } from '../../server/analysis/model';
import { scanWorkspace } from '../../server/analysis/scan';
import { makeTree, nextApp, removeTree } from './tempTree';

/**
 * Methods and segment config destructured from a factory of the same module
 * (`export const { GET, revalidate } = createRoute(…)`), which the oracle's `destructured-*` cases built:
 * Next.js uses the run-time values and its static reader never rejects them.
 */
function routeOf(text: string, nextVersion: number, cacheComponents = false): Route {
  const root = makeTree(nextApp({ 'app/x/route.ts': text }, `^${nextVersion}.0.0`));
  try {
    const route = scanWorkspace(root, { nextVersion, cacheComponents }).apps[0].routes[0];
    assert.ok(route, 'the route is found');
    return route;
  } finally {
    removeTree(root);
  }
}

describe('factory exports: methods and segment config destructured from a local factory', () => {
  it('reads a revalidate handed in as an option, and the GET the factory returns', () => {
    const text = [
      'function createRoute(options: { revalidate: number }) {',
      '  return { GET: async () => Response.json({ ok: true }), revalidate: options.revalidate };',
      '}',
      '',
      'export const { GET, revalidate } = createRoute({ revalidate: 60 });',
      '',
    ].join('\n');
    const route = routeOf(text, 15);
    assert.deepEqual(route.segmentConfig.revalidate && { known: route.segmentConfig.revalidate.known, value: route.segmentConfig.revalidate.known && route.segmentConfig.revalidate.value }, { known: true, value: 60 });
    assert.deepEqual({ kind: route.caching?.kind, revalidate: route.caching?.revalidate }, { kind: 'isr', revalidate: 60 });
  });

  it('follows an arrow factory declared below its call, a method, a shorthand from a destructured parameter and a renamed binding', () => {
    const text = [
      "export const { GET: get, HEAD, dynamic } = make({ dynamic: 'force-static' });",
      '',
      "const make = ({ dynamic }: { dynamic: 'force-static' }) => ({",
      '  get: undefined,',
      '  GET() {',
      '    return Response.json({ ok: true });',
      '  },',
      '  HEAD: () => new Response(null),',
      '  dynamic,',
      '});',
      '',
    ].join('\n');
    const route = routeOf(text, 16);
    assert.equal(route.segmentConfig.dynamic?.known && route.segmentConfig.dynamic.value, 'force-static');
    assert.deepEqual(route.methods.filter((m) => !m.implicit).map((m) => m.name), ['HEAD']);
  });

  it('does not reject destructured segment config under cacheComponents, where Next.js does not see it', () => {
    const text = 'function createRoute() {\n  return { GET: async () => Response.json({ ok: true }), revalidate: 60 };\n}\n\nexport const { GET, revalidate } = createRoute();\n';
    assert.equal(routeOf(text, 16, true).caching?.kind, 'static');
  });

  it('leaves a factory from a package, or one that does more than return an object, as destructured', () => {
    const imported = "import { createRoute } from 'some-package';\n\nexport const { GET, revalidate } = createRoute({ revalidate: 60 });\n";
    assert.equal(routeOf(imported, 15).caching?.kind, 'unknown');
    const branching = 'function createRoute(a: boolean) {\n  if (a) return { GET: async () => new Response(null) };\n  return { GET: async () => new Response(null) };\n}\n\nexport const { GET } = createRoute(true);\n';
    assert.equal(routeOf(branching, 15).methods.find((m) => m.name === 'GET')?.form, 'destructured');
  });
});
