import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeFileHost } from '../../server/analysis/host';
import type { RouteManifest } from '../../server/analysis/model';
import { catalogEntry, detectBundler, detectNextVersion, majorOf, readPackageJson } from '../../server/analysis/nextVersion';
import { scanWorkspace } from '../../server/analysis/scan';
import { toPosix } from '../../server/analysis/spans';
import { makeTree, removeTree } from './tempTree';

// Each case generates a workspace file written to hurt (a catastrophic pattern, a cycle, megabytes of
// nesting) and checks that the analysis answers with a problem instead of a crash or a freeze. A freeze
// shows as mocha's timeout.

const GOOD_ROUTE = 'export async function GET() { return Response.json({ ok: true }); }\n';

function routeUrls(manifest: RouteManifest): string[] {
  return manifest.apps.flatMap((app) => app.routes.map((r) => r.url)).sort();
}

function versionOf(root: string, appDir = root) {
  const relative = (abs: string) => toPosix(path.relative(root, abs));
  return detectNextVersion(nodeFileHost, appDir, readPackageJson(nodeFileHost, path.join(appDir, 'package.json')), relative);
}

describe('hostile workspace input', function () {
  this.timeout(10000);
  let root: string | undefined;
  afterEach(() => {
    if (root) removeTree(root);
    root = undefined;
  });

  describe('pnpm catalogs', () => {
    it('takes a catalog name with regex syntax literally, in a whole scan', () => {
      root = makeTree({
        'pnpm-workspace.yaml': "packages:\n  - 'apps/*'\ncatalogs:\n  stable:\n    next: ^15.5.2\n",
        'apps/web/package.json': JSON.stringify({ name: 'web', dependencies: { next: 'catalog:(' } }),
        'apps/web/app/good/route.ts': GOOD_ROUTE,
      });
      const manifest = scanWorkspace(root);
      assert.deepEqual(routeUrls(manifest), ['/good']);
      assert.equal(manifest.apps[0].nextVersion.source, 'default');
      assert.equal(manifest.apps[0].nextVersion.version, 'catalog:(');
    });

    it('does not backtrack on a catastrophic catalog name', () => {
      const key = 'x'.repeat(40);
      root = makeTree({
        'pnpm-workspace.yaml': `catalogs:\n  ${key}:\n    next: 14.2.3\n  ${key}z:\n    react: 19.0.0\n`,
        'package.json': JSON.stringify({ dependencies: { next: 'catalog:(x+x+)+y' } }),
      });
      const version = versionOf(root);
      assert.equal(version.source, 'default');
      // The same name, written as a key, is found like any other.
      fs.writeFileSync(path.join(root, 'pnpm-workspace.yaml'), `catalogs:\n  ${key}:\n    next: 13.5.0\n  '(x+x+)+y':\n    next: 14.2.3\n`);
      assert.deepEqual(versionOf(root), { version: '14.2.3', major: 14, source: 'package.json', file: 'package.json' });
    });

    it('reads default and named catalogs: quoting, comments, any indentation, CRLF', () => {
      const yaml = [
        '# the workspace',
        'packages:',
        '- apps/*',
        'catalog:   # the default one',
        '    react: ^19.0.0',
        '    "next": "^15.5.2" # pinned',
        'catalogs:',
        '   legacy:',
        "         'next': '~14.2.3'",
        '   notes:',
        '      text: |',
        '        next: 9.0.0',
        '      next: 13.0.0 #comment',
        '   "with: colon":',
        '      next: >=16.0.0 <17',
      ].join('\r\n');
      assert.equal(catalogEntry(yaml, '', 'next'), '^15.5.2');
      assert.equal(catalogEntry(yaml, 'default', 'next'), '^15.5.2');
      assert.equal(catalogEntry(yaml, 'legacy', 'next'), '~14.2.3');
      assert.equal(catalogEntry(yaml, 'notes', 'next'), '13.0.0');
      assert.equal(catalogEntry(yaml, 'with: colon', 'next'), '>=16.0.0 <17');
      assert.equal(catalogEntry(yaml, 'missing', 'next'), undefined);
      assert.equal(catalogEntry('catalogs:\n  default:\n    next: 15.1.0\n', 'default', 'next'), '15.1.0');
      assert.equal(catalogEntry("catalog:\n  next: 'it''s'\n  react: \"a\\\"b\"\n", '', 'react'), 'a"b');
      assert.equal(catalogEntry('catalog:\n  react: 19\nnext: 12\n', '', 'next'), undefined);
    });

    it('reads a megabyte of hostile YAML in one pass', () => {
      const lines: string[] = ['junk:'];
      for (let i = 0; i < 20_000; i++) lines.push(' '.repeat(1 + (i % 200)) + `k${i}: ` + '"'.repeat(i % 3) + 'x:'.repeat(20));
      lines.push('catalogs:', '  target:', '    next: 15.0.0');
      assert.equal(catalogEntry(lines.join('\n'), 'target', 'next'), '15.0.0');
      assert.equal(catalogEntry(':'.repeat(1_000_000) + '\n' + "'".repeat(1_000_000), 'x', 'next'), undefined);
    });
  });

  describe('version strings and build scripts', () => {
    it('takes the major from a long run of digits without backtracking', () => {
      assert.equal(majorOf('1'.repeat(100_000) + 'x'), undefined);
      assert.equal(majorOf('v' + '1'.repeat(50_000) + 'x 15.0.0'), 15);
      assert.equal(majorOf('^15.2.0'), 15);
      assert.equal(majorOf('16.0.0-canary.3'), 16);
    });

    it('reads the bundler flag from a long build script', () => {
      const script = 'next build '.repeat(60_000) + 'x';
      assert.equal(detectBundler({ scripts: { build: script } }, 15), 'webpack');
      assert.equal(detectBundler({ scripts: { build: script + ' --turbopack' } }, 15), 'turbopack');
      assert.equal(detectBundler({ scripts: { build: 'next build --webpack && next build --turbo' } }, 16), 'turbopack');
      assert.equal(detectBundler({ scripts: { build: 'next build; echo --turbo' } }, 15), 'webpack');
      assert.equal(detectBundler({ scripts: { build: 'next   build --webpack' } }, 16), 'webpack');
    });
  });

});
