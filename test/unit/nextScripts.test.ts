import * as assert from 'node:assert/strict';
import { nextDirectoriesOf, nextScriptTargets } from '../../server/analysis/nextScripts';

describe('package.json scripts: where they run next', () => {
  const cases: Array<[string, string[]]> = [
    ['next dev', ['.']],
    ['next', ['.']],
    ['next build', ['.']],
    ['next start -p 3001', ['.']],
    ['next build app', ['app']],
    ['next dev app --turbopack', ['app']],
    ['next dev --turbopack app', ['app']],
    ['next dev -p 3001 web', ['web']],
    ['next start --port 4000 -H 0.0.0.0 site', ['site']],
    ['next start --port=4000 site', ['site']],
    ['next web', ['web']],
    ['next dev ./web/', ['web']],
    ['next dev apps/../web', ['web']],
    ['next build --experimental-build-mode compile app', ['app']],
    ['next dev --experimental-https-key key.pem --experimental-https-cert cert.pem web', ['web']],
    ['next build -- web', ['web']],
    ['FOO=1 next dev web', ['web']],
    ['FOO=1 BAR="a b" next dev', ['.']],
    ['cross-env NODE_ENV=production next build site', ['site']],
    ['npx next dev', ['.']],
    ['npx --yes next build app', ['app']],
    ['pnpm exec next dev', ['.']],
    ['pnpm next build web', ['web']],
    ['yarn next dev', ['.']],
    ['bunx --bun next dev', ['.']],
    ['dotenv -e .env.local -- next dev web', ['web']],
    ['./node_modules/.bin/next dev', ['.']],
    ['cd web && next dev', ['web']],
    ['cd web && next build && cd ../docs && next build', ['web', 'docs']],
    ['cd packages/site; next dev --turbopack', ['packages/site']],
    ['next build app && next start app -p 3001', ['app', 'app']],
    ['prisma generate && next build', ['.']],
    ['(cd web && next build)', ['web']],
    ["next dev 'my app'", ['my app']],
    ['next dev "my app"', ['my app']],
    ['next dev my\\ app', ['my app']],
    ['next lint', []],
    ['next info', []],
    ['next telemetry disable', []],
    ['next-sitemap', []],
    ['nextjs-build', []],
    ['npm run dev', []],
    ['turbo run dev', []],
    ['echo next dev', []],
    ['next dev $APP_DIR', []],
    ['next dev "$APP_DIR"', []],
    ['next dev ${DIR:-web}', []],
    ['next dev /srv/web', []],
    ['cd $DIR && next dev', []],
    ['cd ~/web && next dev', []],
    ['next dev web*', []],
  ];
  for (const [script, dirs] of cases) {
    it(`${JSON.stringify(script)} → ${JSON.stringify(dirs)}`, () => {
      assert.deepEqual(nextDirectoriesOf(script), dirs);
    });
  }

  it('sums a package: runs here, and the other folders once each', () => {
    assert.deepEqual(nextScriptTargets({ dev: 'next dev app', build: 'next build app', start: 'next start', lint: 'eslint .' }), { runsHere: true, elsewhere: ['app'] });
    assert.deepEqual(nextScriptTargets({ dev: 'turbo run dev' }), { runsHere: false, elsewhere: [] });
    assert.deepEqual(nextScriptTargets(undefined), { runsHere: false, elsewhere: [] });
    assert.deepEqual(nextScriptTargets('next dev'), { runsHere: false, elsewhere: [] });
    assert.deepEqual(nextScriptTargets({ dev: 42, build: null }), { runsHere: false, elsewhere: [] });
  });

  it('stays linear and bounded on hostile scripts', () => {
    const started = performance.now();
    // A 4,000-character script is read; a longer one is not read at all.
    assert.deepEqual(nextDirectoriesOf('a '.repeat(1990) + '&& next dev web'), []);
    assert.deepEqual(nextScriptTargets({ huge: 'next dev web ' + 'x'.repeat(5000) }), { runsHere: false, elsewhere: [] });
    assert.deepEqual(nextDirectoriesOf('"'.repeat(3999)), []);
    assert.deepEqual(nextDirectoriesOf('\\'.repeat(3999)), []);
    // Words past the 400th are not read: the `next dev` after 400 `cd`s is never reached.
    assert.deepEqual(nextDirectoriesOf('cd a && '.repeat(400) + 'next dev'), []);
    const scripts = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`s${i}`, `next dev d${i}`]));
    assert.equal(nextScriptTargets(scripts).elsewhere.length, 200);
    assert.ok(performance.now() - started < 1000);
  });
});
