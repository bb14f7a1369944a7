import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { scanWorkspace } from '../../server/analysis/scan';
import { majorOf } from '../../server/analysis/nextVersion';
import { makeTree, removeTree } from './tempTree';

const ROUTE = 'export const GET = () => new Response("");\n';

describe('Next.js version detection', () => {
  let root: string;
  afterEach(() => removeTree(root));

  it('prefers the installed package, walking up to a hoisted monorepo install', () => {
    root = makeTree({
      'node_modules/next/package.json': JSON.stringify({ name: 'next', version: '14.2.35' }),
      'apps/web/package.json': JSON.stringify({ name: 'web', dependencies: { next: '^15.0.0' } }),
      'apps/web/app/x/route.ts': ROUTE,
    });
    const [app] = scanWorkspace(root).apps;
    assert.deepEqual(app.nextVersion, { version: '14.2.35', major: 14, source: 'installed', file: 'node_modules/next/package.json' });
  });

  it('falls back to the package.json range, and to a pnpm catalog', () => {
    root = makeTree({
      'pnpm-workspace.yaml': "packages:\n  - 'apps/*'\ncatalog:\n  react: ^19.0.0\n  next: ^15.5.2\n",
      'apps/a/package.json': JSON.stringify({ dependencies: { next: 'catalog:' } }),
      'apps/a/app/x/route.ts': ROUTE,
      'apps/b/package.json': JSON.stringify({ dependencies: { next: '~14.2.3' } }),
      'apps/b/app/x/route.ts': ROUTE,
    });
    const apps = scanWorkspace(root).apps;
    assert.deepEqual(apps.map((a) => [a.root, a.nextVersion.major, a.nextVersion.source]), [
      ['apps/a', 15, 'package.json'],
      ['apps/b', 14, 'package.json'],
    ]);
  });

  it('without a next of its own, takes the nearest package.json above it that names next, never one outside the folder', () => {
    root = makeTree({
      'package.json': JSON.stringify({ name: 'examples', private: true, devDependencies: { next: '14.2.35' } }),
      // An example with a next.config but no dependency on next: the workspace root declares it.
      'examples/blog/package.json': JSON.stringify({ name: 'blog', scripts: { dev: 'next dev' } }),
      'examples/blog/next.config.js': 'module.exports = {};\n',
      'examples/blog/app/api/x/route.ts': ROUTE,
      // One that declares its own wins over the root's.
      'examples/shop/package.json': JSON.stringify({ name: 'shop', dependencies: { next: '^16.1.0' } }),
      'examples/shop/app/api/x/route.ts': ROUTE,
    });
    const apps = scanWorkspace(root).apps;
    assert.deepEqual(apps.map((a) => [a.root, a.nextVersion.major, a.nextVersion.source, a.nextVersion.file]), [
      ['examples/blog', 14, 'package.json', 'package.json'],
      ['examples/shop', 16, 'package.json', 'examples/shop/package.json'],
    ]);
    // Scanned from the example's own folder, the root above it is outside: the default stands.
    const [alone] = scanWorkspace(path.join(root, 'examples/blog')).apps;
    assert.equal(alone.nextVersion.source, 'default');
  });

  it('lets the caller override the version and cacheComponents', () => {
    root = makeTree({ 'package.json': JSON.stringify({ dependencies: { next: '15.0.0' } }), 'app/x/route.ts': ROUTE });
    const [app] = scanWorkspace(root, { nextVersion: 16, cacheComponents: true }).apps;
    assert.equal(app.nextVersion.major, 16);
    assert.equal(app.nextVersion.source, 'override');
    assert.equal(app.config.cacheComponents.known && app.config.cacheComponents.value, true);
  });

  it('reads the bundler from the build script', () => {
    root = makeTree({
      'package.json': JSON.stringify({ dependencies: { next: '16.0.0' }, scripts: { build: 'next build --webpack' } }),
      'app/x/route.ts': ROUTE,
    });
    assert.equal(scanWorkspace(root).apps[0].bundler, 'webpack');
  });

  it('takes the major from ranges', () => {
    assert.equal(majorOf('^15.2.0'), 15);
    assert.equal(majorOf('>=14.0.0 <16'), 14);
    assert.equal(majorOf('16.0.0-canary.3'), 16);
    assert.equal(majorOf('latest'), undefined);
    assert.ok(path.isAbsolute(root ?? '/'));
  });
});
