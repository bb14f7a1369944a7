import * as assert from 'node:assert/strict';
import { readNextConfig } from '../../server/analysis/nextConfig';
import { lineContaining } from './tempTree';

function read(text: string, file = 'next.config.js') {
  return readNextConfig(text, '/abs/' + file, file);
}

describe('readNextConfig (static, never executed)', () => {
  it('reads module.exports object literals', () => {
    const { config } = read("module.exports = { basePath: '/docs', trailingSlash: true, pageExtensions: ['page.tsx', 'api.ts'], output: 'export' };");
    assert.deepEqual(config.basePath, { known: true, value: '/docs', span: config.basePath.span, file: 'next.config.js' });
    assert.equal(config.trailingSlash.known && config.trailingSlash.value, true);
    assert.deepEqual(config.pageExtensions.known && config.pageExtensions.value, ['page.tsx', 'api.ts']);
    assert.equal(config.output?.known && config.output.value, 'export');
  });

  it('follows a typed const, export default and satisfies', () => {
    const text = "import type { NextConfig } from 'next';\nconst nextConfig = {\n  cacheComponents: true,\n} satisfies NextConfig;\nexport default nextConfig;\n";
    const { config } = read(text, 'next.config.ts');
    assert.equal(config.cacheComponents.known && config.cacheComponents.value, true);
    assert.equal(config.cacheComponents.span?.line, lineContaining(text, 'cacheComponents: true'));
  });

  it('reads the older experimental.dynamicIO and experimental.ppr', () => {
    const { config } = read('module.exports = { experimental: { dynamicIO: true, ppr: "incremental" } };');
    assert.equal(config.cacheComponents.known && config.cacheComponents.value, true);
    assert.equal(config.ppr?.known && config.ppr.value, 'incremental');
  });

  it('looks through plugin wrappers and config functions', () => {
    const wrapped = read("const withBundleAnalyzer = require('@next/bundle-analyzer')({ enabled: false });\nmodule.exports = withSentryConfig(withBundleAnalyzer({ basePath: '/app' }), { silent: true });");
    assert.equal(wrapped.config.basePath.known && wrapped.config.basePath.value, '/app');
    assert.ok(wrapped.problems.some((p) => p.id === 'config-wrapped' && /withSentryConfig/.test(p.message)));
    const conditional = read("const nextConfig = { basePath: '/docs' };\nconst exportConfig = process.env.SENTRY_AUTH_TOKEN ? withSentryConfig(nextConfig, {}) : nextConfig;\nexport default exportConfig;");
    assert.equal(conditional.config.basePath.known && conditional.config.basePath.value, '/docs', 'a plugin applied in some environments only');
    assert.ok(!conditional.problems.some((p) => p.id === 'config-not-static'), JSON.stringify(conditional.problems));
    const twoConfigs = read("export default process.env.CI ? { basePath: '/a' } : { basePath: '/b' };");
    assert.ok(twoConfigs.problems.some((p) => p.id === 'config-not-static'), 'two different objects are not guessed between');
    const fn = read("module.exports = (phase) => {\n  const config = { basePath: '/fn' };\n  return config;\n};");
    assert.equal(fn.config.basePath.known && fn.config.basePath.value, '/fn');
  });

  it('reports env vars and calls as unknown with their location, never guessed', () => {
    const text = "module.exports = {\n  basePath: process.env.BASE_PATH,\n  trailingSlash: isProd(),\n};";
    const { config, problems } = read(text);
    assert.equal(config.basePath.known, false);
    if (!config.basePath.known) assert.match(config.basePath.reason, /process\.env\.BASE_PATH/);
    assert.equal(config.basePath.span?.line, lineContaining(text, 'BASE_PATH'));
    assert.equal(config.trailingSlash.known, false);
    const ids = problems.filter((p) => p.id === 'config-unknown-value').map((p) => p.span?.line);
    assert.deepEqual(ids, [lineContaining(text, 'basePath'), lineContaining(text, 'trailingSlash')]);
  });

  it('uses Next.js defaults when keys are absent', () => {
    const { config } = read('export default {};', 'next.config.mjs');
    assert.deepEqual(config.pageExtensions.known && config.pageExtensions.value, ['tsx', 'ts', 'jsx', 'js']);
    assert.equal(config.basePath.known && config.basePath.value, '');
    assert.equal(config.cacheComponents.known && config.cacheComponents.value, false);
  });

  it('marks keys a spread may set as unknown', () => {
    const { config } = read("const shared = require('./shared');\nmodule.exports = { ...shared, reactStrictMode: true };");
    assert.equal(config.basePath.known, false);
  });
});
