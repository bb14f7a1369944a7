import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileHost } from '../../server/analysis/host';
import { nodeFileHost } from '../../server/analysis/host';
import type { Problem, RouteManifest } from '../../server/analysis/model';
import { readNextConfig } from '../../server/analysis/nextConfig';
import { catalogEntry, detectBundler, detectNextVersion, majorOf, readPackageJson } from '../../server/analysis/nextVersion';
import { ModuleResolver } from '../../server/analysis/resolver';
import { scanWorkspace } from '../../server/analysis/scan';
import { toPosix } from '../../server/analysis/spans';
import { publicPathOf } from '../../server/analysis/urls';
import { makeTree, nextApp, removeTree, writeFiles } from './tempTree';

// Each case generates a workspace file written to hurt (a catastrophic pattern, a cycle, megabytes of
// nesting) and checks that the analysis answers with a problem instead of a crash or a freeze. A freeze
// shows as mocha's timeout.

const GOOD_ROUTE = 'export async function GET() { return Response.json({ ok: true }); }\n';

function routeUrls(manifest: RouteManifest): string[] {
  return manifest.apps.flatMap((app) => app.routes.map((r) => r.url)).sort();
}

function allProblems(manifest: RouteManifest): Problem[] {
  return [...manifest.problems, ...manifest.apps.flatMap((a) => a.problems)];
}

function versionOf(root: string, appDir = root) {
  const relative = (abs: string) => toPosix(path.relative(root, abs));
  return detectNextVersion(nodeFileHost, appDir, readPackageJson(nodeFileHost, path.join(appDir, 'package.json')), relative);
}

function readConfig(text: string, file = 'next.config.js') {
  return readNextConfig(text, '/abs/' + file, file);
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

  describe('package exports', () => {
    function monorepo(): string {
      const dir = makeTree({
        'packages/api/package.json': JSON.stringify({ name: '@acme/api', exports: { '.': './src/index.ts', './*': { types: './src/*.ts', default: './dist/*.js' } } }),
        'packages/api/src/index.ts': 'export const api = 1;\n',
        'packages/api/src/user.ts': 'export const user = 1;\n' + GOOD_ROUTE,
        'packages/api/src/we"ird.ts': 'export const weird = 1;\n',
        'packages/secret.ts': 'export const secret = 1;\n',
        'apps/web/package.json': JSON.stringify({ name: 'web', dependencies: { next: '15.5.0', '@acme/api': 'workspace:*' } }),
        'apps/web/app/good/route.ts': "export { GET } from '@acme/api/user';\n",
        'apps/web/app/odd/route.ts': "export { GET } from '@acme/api/user\"';\n",
      });
      fs.mkdirSync(path.join(dir, 'apps/web/node_modules/@acme'), { recursive: true });
      fs.symlinkSync(path.join(dir, 'packages/api'), path.join(dir, 'apps/web/node_modules/@acme/api'), 'dir');
      return dir;
    }

    it('substitutes a wildcard export on parsed values: odd characters are only a name', () => {
      root = monorepo();
      const resolver = new ModuleResolver(nodeFileHost, root);
      const from = path.join(root, 'apps/web/app/good/route.ts');
      const source = (file: string) => path.join(root!, 'packages/api/src', file);
      assert.equal(resolver.resolve('@acme/api/user', from), source('user.ts'));
      assert.equal(resolver.resolve('@acme/api', from), source('index.ts'));
      assert.equal(resolver.resolve('@acme/api/user"', from), undefined);
      assert.equal(resolver.resolve('@acme/api/user\\', from), undefined);
      assert.equal(resolver.resolve('@acme/api/we"ird', from), source('we"ird.ts'));
      assert.equal(resolver.resolve('@acme/api/$&$`', from), undefined);
      // As in Node, a subpath never leads out of its package.
      assert.equal(resolver.resolve('@acme/api/../../secret', from), undefined);
    });

    it('keeps every route of an app that imports such a specifier', () => {
      root = monorepo();
      const manifest = scanWorkspace(root);
      assert.deepEqual(routeUrls(manifest), ['/good', '/odd']);
      const definitionOfGet = (url: string) => manifest.apps[0].routes.find((r) => r.url === url)!.methods.find((m) => m.name === 'GET')?.definition?.file;
      assert.equal(definitionOfGet('/good'), 'packages/api/src/user.ts');
      assert.equal(definitionOfGet('/odd'), undefined);
      assert.ok(manifest.apps[0].routes.find((r) => r.url === '/odd')!.methods.some((m) => m.name === 'GET'), 'the re-export is listed');
      assert.deepEqual(allProblems(manifest).filter((p) => p.id === 'internal-error'), []);
    });

    it('survives package.json fields of the wrong type and deeply nested conditions', () => {
      const nested = '{"source":'.repeat(100_000) + '"./src/index.ts"' + '}'.repeat(100_000);
      root = makeTree({
        'packages/a/package.json': `{"main": 5, "source": ["x"], "exports": {"./deep": ${nested}}}`,
        'packages/a/src/index.ts': 'export const a = 1;\n',
        'packages/b/package.json': 'null',
        'app/route.ts': GOOD_ROUTE,
      });
      fs.mkdirSync(path.join(root, 'node_modules/@x'), { recursive: true });
      fs.symlinkSync(path.join(root, 'packages/a'), path.join(root, 'node_modules/@x/a'), 'dir');
      fs.symlinkSync(path.join(root, 'packages/b'), path.join(root, 'node_modules/@x/b'), 'dir');
      const resolver = new ModuleResolver(nodeFileHost, root);
      const from = path.join(root, 'app/route.ts');
      assert.equal(resolver.resolve('@x/a', from), path.join(root, 'packages/a/src/index.ts'));
      assert.equal(resolver.resolve('@x/a/deep', from), undefined);
      assert.equal(resolver.resolve('@x/b', from), undefined);
    });
  });

  describe('tsconfig extends', () => {
    const paths = { baseUrl: '.', paths: { '@/*': ['./src/*'] } };

    it('reads each config once through self, mutual and repeated extends, and reports the cycle', () => {
      root = makeTree({
        'tsconfig.json': JSON.stringify({ extends: Array(10).fill('./tsconfig.json'), compilerOptions: paths }),
        'a/tsconfig.json': JSON.stringify({ extends: [...Array(10).fill('./b.json'), ...Array(10).fill('./tsconfig.json')] }),
        'a/b.json': JSON.stringify({ extends: Array(10).fill('./tsconfig'), compilerOptions: { baseUrl: '.', paths: { '~/*': ['./lib/*'] } } }),
        'src/lib/db.ts': 'export const db = 1;\n',
        'a/lib/x.ts': 'export const x = 1;\n',
      });
      const reads = new Map<string, number>();
      const host: FileHost = {
        ...nodeFileHost,
        readFile: (file) => {
          reads.set(file, (reads.get(file) ?? 0) + 1);
          return nodeFileHost.readFile(file);
        },
      };
      const resolver = new ModuleResolver(host, root, (abs) => toPosix(path.relative(root!, abs)));
      assert.equal(resolver.resolve('@/lib/db', path.join(root, 'app/route.ts')), path.join(root, 'src/lib/db.ts'));
      assert.equal(resolver.resolve('~/x', path.join(root, 'a/route.ts')), path.join(root, 'a/lib/x.ts'));
      assert.ok([...reads.values()].every((count) => count === 1), `each config read once: ${JSON.stringify([...reads])}`);
      const problems = resolver.configProblems();
      assert.deepEqual(
        problems.map((p) => [p.id, p.severity, p.file]),
        [
          ['tsconfig-extends-cycle', 'warning', 'tsconfig.json'],
          ['tsconfig-extends-cycle', 'warning', 'a/b.json'],
          ['tsconfig-extends-cycle', 'warning', 'a/tsconfig.json'],
        ],
      );
      assert.match(problems[1].message, /Circularity detected while resolving configuration: a\/tsconfig\.json -> a\/b\.json -> a\/tsconfig\.json/);
      assert.equal(resolver.configProblems(), problems, 'the same list while nothing new is found');
      resolver.clear();
      assert.deepEqual(resolver.configProblems(), []);
    });

    it('bounds a long extends chain and reports where it stopped', () => {
      const files: Record<string, string> = { 'src/lib/db.ts': 'export const db = 1;\n' };
      for (let i = 0; i < 200; i++) files[i === 0 ? 'tsconfig.json' : `c${i}.json`] = JSON.stringify({ extends: `./c${i + 1}.json` });
      files['c200.json'] = JSON.stringify({ compilerOptions: paths });
      files['tsconfig.json'] = JSON.stringify({ extends: './c1.json', compilerOptions: paths });
      root = makeTree(files);
      const resolver = new ModuleResolver(nodeFileHost, root, (abs) => toPosix(path.relative(root!, abs)));
      assert.equal(resolver.resolve('@/lib/db', path.join(root, 'app/route.ts')), path.join(root, 'src/lib/db.ts'));
      assert.deepEqual(
        resolver.configProblems().map((p) => p.id),
        ['tsconfig-extends-too-deep'],
      );
    });

    it('reads a deeply nested tsconfig that is JSON with comments, and reports one only TypeScript could read as too deep', () => {
      const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
      root = makeTree({ 'tsconfig.json': `{"compilerOptions": {"x": ${deep}, "paths": {"@/*": ["./src/*"]}}} // read without the compiler`, 'src/a.ts': '' });
      let resolver = new ModuleResolver(nodeFileHost, root, (abs) => toPosix(path.relative(root!, abs)));
      assert.equal(resolver.resolve('@/a', path.join(root, 'app/route.ts')), path.join(root, 'src/a.ts'));
      assert.deepEqual(resolver.configProblems(), []);
      // `,,` is not JSON with comments: TypeScript's own reader gets it, and overflows on the nesting.
      writeFiles(root, { 'tsconfig.json': `{"compilerOptions": {"x": ${deep},, "paths": {"@/*": ["./src/*"]}}}` });
      resolver = new ModuleResolver(nodeFileHost, root, (abs) => toPosix(path.relative(root!, abs)));
      assert.equal(resolver.resolve('@/a', path.join(root, 'app/route.ts')), undefined);
      assert.deepEqual(
        resolver.configProblems().map((p) => [p.id, p.file]),
        [['too-deep', 'tsconfig.json']],
      );
    });

    it('keeps the routes of an app whose tsconfig extends itself, in a whole scan', () => {
      root = makeTree(
        nextApp({
          'tsconfig.json': JSON.stringify({ extends: Array(10).fill('./tsconfig.json'), compilerOptions: { ...paths, strict: 5 } }),
          'tsconfig.base.json': JSON.stringify({ extends: [1, null, { x: 1 }, './tsconfig.json'], compilerOptions: { baseUrl: 7, paths: 'x' } }),
          'src/lib/handler.ts': GOOD_ROUTE,
          'app/good/route.ts': "export { GET } from '@/lib/handler';\n",
          'app/other/tsconfig.json': JSON.stringify({ extends: '../../tsconfig.base.json' }),
          'app/other/route.ts': GOOD_ROUTE,
        }),
      );
      const manifest = scanWorkspace(root);
      assert.deepEqual(routeUrls(manifest), ['/good', '/other']);
      const good = manifest.apps[0].routes.find((r) => r.url === '/good')!;
      assert.ok(good.methods.some((m) => m.name === 'GET' && !m.implicit), 'GET found through the alias');
    });
  });

  describe('unresolved specifiers', () => {
    /** Every entry the resolver remembers, in whatever maps it keeps them. */
    function remembered(resolver: ModuleResolver): number {
      let count = 0;
      for (const value of Object.values(resolver)) {
        if (!(value instanceof Map)) continue;
        count += value.size;
        for (const inner of value.values()) if (inner instanceof Map) count += inner.size;
      }
      return count;
    }

    /** A file tree in memory, so that a hundred thousand misses cost no system calls. */
    function memoryHost(files: Map<string, string>): FileHost {
      const isDir = (dir: string) => [...files.keys()].some((file) => file.startsWith(dir + '/'));
      const missing = Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return {
        readFile(file) {
          const text = files.get(file);
          if (text === undefined) throw missing;
          return Buffer.from(text);
        },
        stat: (file) =>
          files.has(file) ? { isFile: true, isDirectory: false, size: 0, mtimeMs: 0 } : isDir(file) ? { isFile: false, isDirectory: true, size: 0, mtimeMs: 0 } : undefined,
        readDirectory(dir) {
          if (!isDir(dir)) throw missing;
          const names = new Set([...files.keys()].filter((file) => file.startsWith(dir + '/')).map((file) => file.slice(dir.length + 1).split('/')[0]));
          return [...names].map((name) => ({ name, isFile: files.has(`${dir}/${name}`), isDirectory: !files.has(`${dir}/${name}`), isSymbolicLink: false }));
        },
        realpath: (file) => file,
      };
    }

    it('remembers a bounded number of them, and still answers right', () => {
      const files = new Map([
        ['/ws/tsconfig.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./src/*'] } } })],
        ['/ws/src/lib/db.ts', 'export const db = 1;\n'],
        ['/ws/app/a/route.ts', GOOD_ROUTE],
      ]);
      const resolver = new ModuleResolver(memoryHost(files), '/ws');
      const from = '/ws/app/a/route.ts';
      let most = 0;
      for (let i = 0; i < 150_000; i++) {
        assert.equal(resolver.resolve(i % 2 ? `./missing-${i}` : `@/missing-${i}`, from), undefined);
        if (i % 10_000 === 0) most = Math.max(most, remembered(resolver));
      }
      most = Math.max(most, remembered(resolver));
      assert.ok(most < 200_000, `at most a bounded number remembered, not ${most}`);
      assert.equal(resolver.resolve('@/lib/db', from), '/ws/src/lib/db.ts');
      assert.equal(resolver.resolve('./missing-1', from), undefined);
      // A file created later is found once the resolver hears of it.
      files.set('/ws/app/a/missing-1.ts', 'export {};\n');
      resolver.forgetMissing();
      assert.equal(resolver.resolve('./missing-1', from), '/ws/app/a/missing-1.ts');
    });
  });

  describe('basePath', () => {
    const longBasePath = '/' + 'a.'.repeat(100_000);

    it('checks only the last segment for a file extension', () => {
      assert.equal(publicPathOf('/x', longBasePath, false), longBasePath + '/x');
      assert.equal(publicPathOf('/x', longBasePath, true), longBasePath + '/x/');
      assert.equal(publicPathOf('/feed.xml', longBasePath, true), longBasePath + '/feed.xml');
      assert.equal(publicPathOf('/a' + '.a'.repeat(100_000) + '-', '', true), '/a' + '.a'.repeat(100_000) + '-/');
      assert.equal(publicPathOf('/.env', '/docs', true), '/docs/.env/');
      assert.equal(publicPathOf('/', '/docs', true), '/docs/');
      assert.equal(publicPathOf('/.well-known/x', '', true), '/.well-known/x');
    });

    it('reports a basePath Next.js rejects, in its words, and assumes none', () => {
      const cases: Array<[string, RegExp]> = [
        ["'docs'", /Specified basePath has to start with a \/, found "docs"/],
        ["'/docs/'", /Specified basePath should not end with \/, found "\/docs\/"/],
        ["'/'", /Specified basePath \/\. basePath has to be either an empty string or a path prefix/],
        ['42', /Specified basePath is not a string, found type "number"/],
        ["['/a']", /Specified basePath is not a string, found type "object"/],
      ];
      for (const [value, message] of cases) {
        const { config, problems } = readConfig(`module.exports = {\n  basePath: ${value},\n};\n`);
        assert.equal(config.basePath.known, false, value);
        assert.equal(problems.length, 1, value);
        assert.equal(problems[0].id, 'config-invalid-value');
        assert.equal(problems[0].severity, 'error');
        assert.equal(problems[0].failsBuild, true);
        assert.equal(problems[0].span?.line, 2);
        assert.match(problems[0].message, message);
      }
      for (const value of ["''", "'/docs'", 'null']) {
        const { config, problems } = readConfig(`module.exports = { basePath: ${value} };\n`);
        assert.deepEqual(problems, [], value);
        assert.equal(config.basePath.known, true);
      }
    });

    it('takes no basePath longer than Route Atlas allows, and quotes a long one short', () => {
      const { config, problems } = readConfig(`module.exports = { basePath: '${longBasePath}' };\n`);
      assert.equal(config.basePath.known, false);
      assert.deepEqual(problems.map((p) => [p.id, p.severity]), [['config-invalid-value', 'warning']]);
      assert.match(problems[0].message, /200001 characters long/);
      const trailing = readConfig(`module.exports = { basePath: '${longBasePath}/' };\n`).problems[0];
      assert.ok(trailing.message.length < 400, 'the message quotes an excerpt');
    });

    it('lists routes without the rejected basePath, in a whole scan', () => {
      root = makeTree(
        nextApp({
          'next.config.js': `module.exports = { basePath: '${longBasePath}', trailingSlash: true };\n`,
          'app/good/route.ts': GOOD_ROUTE,
          'app/feed.xml/route.ts': GOOD_ROUTE,
          'app/a/b/c/route.ts': GOOD_ROUTE,
        }),
      );
      const manifest = scanWorkspace(root);
      assert.deepEqual(routeUrls(manifest), ['/a/b/c', '/feed.xml', '/good']);
      assert.deepEqual(manifest.apps[0].routes.map((r) => r.publicPath).sort(), ['/a/b/c/', '/feed.xml', '/good/']);
      assert.ok(allProblems(manifest).some((p) => p.id === 'config-invalid-value' && p.file === 'next.config.js'));
    });
  });

  describe('next.config syntax', () => {
    it('turns a parser stack overflow into a problem and uses the defaults', () => {
      for (const text of [
        `module.exports = { basePath: ${'['.repeat(20_000)}${']'.repeat(20_000)} };\n`,
        `module.exports = ${'('.repeat(20_000)}{ basePath: '/x' }${')'.repeat(20_000)};\n`,
      ]) {
        const { config, problems } = readConfig(text);
        assert.deepEqual(problems.map((p) => [p.id, p.file]), [['too-deep', 'next.config.js']]);
        assert.deepEqual(config.basePath, { known: true, value: '' });
      }
    });

    it('bounds its own walks over deep syntax', () => {
      const chain = `module.exports = () => {\n  const x = a${'.b'.repeat(500_000)};\n  return { basePath: '/x' };\n};\n`;
      const blocks = `module.exports = () => { ${'{'.repeat(1_000)}${'}'.repeat(1_000)} return { basePath: '/x' }; };\n`;
      for (const text of [chain, blocks]) {
        const { config, problems } = readConfig(text);
        assert.deepEqual(problems.map((p) => p.id), ['too-deep']);
        assert.match(problems[0].message, /nested more than 500 levels deep/);
        assert.deepEqual(config.basePath, { known: true, value: '' });
      }
      const fine = readConfig(`module.exports = () => { { { return { basePath: '/x' }; } } };\n`);
      assert.deepEqual(fine.config.basePath.known && fine.config.basePath.value, '/x');
    });

    it('stops following plugins and bindings that refer to one another many times over', () => {
      const lines = ['const c0 = () => 1;'];
      for (let i = 1; i <= 10; i++) lines.push(`const c${i} = withPlugin(${Array(20).fill(`c${i - 1}`).join(', ')});`);
      lines.push('module.exports = withPlugin(c10, { basePath: 1 });');
      const { config, problems } = readConfig(lines.join('\n'));
      assert.deepEqual(problems.map((p) => p.id), ['too-much-work']);
      assert.deepEqual(config.basePath, { known: true, value: '' });
    });

    it('keeps every route when the config is too deep to read, in a whole scan', () => {
      root = makeTree(
        nextApp({
          'next.config.mjs': `export default ${'['.repeat(20_000)}${']'.repeat(20_000)};\n`,
          'app/good/route.ts': GOOD_ROUTE,
        }),
      );
      const manifest = scanWorkspace(root);
      assert.deepEqual(routeUrls(manifest), ['/good']);
      assert.ok(allProblems(manifest).some((p) => p.id === 'too-deep' && p.file === 'next.config.mjs'));
    });
  });
});
