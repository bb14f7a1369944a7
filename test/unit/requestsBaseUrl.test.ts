import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { baseUrlFromSetting, detectBaseUrl, findRunningNextServer, readDevScript, readEnvPort, trustedSettingValue } from '../../src/requests/baseUrl';
import { makeTree, removeTree } from './tempTree';

describe('requests: base URL detection', () => {
  it('reads the port of `next dev` from the dev script, in every way people write it', () => {
    assert.deepEqual(readDevScript('next dev -p 4000'), { port: 4000 });
    assert.deepEqual(readDevScript('next dev --port 4001 --turbopack'), { port: 4001 });
    assert.deepEqual(readDevScript('next dev --port=4002'), { port: 4002 });
    assert.deepEqual(readDevScript('PORT=4003 next dev'), { port: 4003 });
    assert.deepEqual(readDevScript('cross-env PORT=4004 next dev'), { port: 4004 });
    assert.deepEqual(readDevScript('npm run db:up && next dev -p 4005'), { port: 4005 });
    assert.deepEqual(readDevScript('concurrently "next dev -p 4006" "tsc -w"'), { port: 4006 });
  });

  it('lets the flag win over PORT, as Next.js does, and never guesses a variable', () => {
    assert.deepEqual(readDevScript('PORT=5000 next dev -p 4000'), { port: 4000 });
    assert.deepEqual(readDevScript('next dev -p $PORT'), {});
    assert.deepEqual(readDevScript('next dev'), {});
    assert.deepEqual(readDevScript('vite'), {});
  });

  it('reads the hostname and https flags', () => {
    assert.deepEqual(readDevScript('next dev -H 127.0.0.1 -p 4000 --experimental-https'), { hostname: '127.0.0.1', port: 4000, https: true });
  });

  it('reads PORT from a dotenv file, the last assignment winning', () => {
    assert.equal(readEnvPort('# dev\nPORT=4100\n'), 4100);
    assert.equal(readEnvPort('export PORT="4101" # comment'), 4101);
    assert.equal(readEnvPort("PORT='4102'\nPORT=4103"), 4103);
    assert.equal(readEnvPort('NEXT_PUBLIC_PORT=1\nPORT=abc\nPORT=70000'), undefined);
  });

  describe('an app folder', () => {
    let root: string | undefined;
    afterEach(() => {
      if (root) removeTree(root);
      root = undefined;
    });

    it('prefers the dev script to the .env files', () => {
      root = makeTree({ 'package.json': JSON.stringify({ scripts: { dev: 'next dev -p 4000' } }), '.env': 'PORT=5000' });
      assert.deepEqual(detectBaseUrl(root, 'apps/web'), { baseUrl: 'http://localhost:4000', source: 'the dev script in apps/web/package.json' });
    });

    it('takes PORT from the .env files in the order Next.js loads them', () => {
      root = makeTree({ 'package.json': JSON.stringify({ scripts: { dev: 'next dev' } }), '.env': 'PORT=5000', '.env.development': 'PORT=5001', '.env.local': 'PORT=5002' });
      assert.deepEqual(detectBaseUrl(root, '.'), { baseUrl: 'http://localhost:5002', source: 'PORT in .env.local' });
      removeTree(root);
      root = makeTree({ 'package.json': '{}', '.env': 'PORT=5000', '.env.development': 'PORT=5001', '.env.development.local': 'PORT=5003' });
      assert.equal(detectBaseUrl(root).baseUrl, 'http://localhost:5003');
      removeTree(root);
      root = makeTree({ '.env': 'PORT=5000', '.env.development': 'PORT=5001' });
      assert.equal(detectBaseUrl(root).baseUrl, 'http://localhost:5001');
    });

    it('falls back to http://localhost:3000, also when package.json is broken', () => {
      root = makeTree({ 'package.json': '{ nope' });
      assert.deepEqual(detectBaseUrl(root, '.'), { baseUrl: 'http://localhost:3000', source: "Next's default port" });
    });

    it('connects to localhost when the server listens on every interface, and brackets IPv6', () => {
      root = makeTree({ 'package.json': JSON.stringify({ scripts: { dev: 'next dev -H 0.0.0.0 -p 4000' } }) });
      assert.equal(detectBaseUrl(root).baseUrl, 'http://localhost:4000');
      removeTree(root);
      root = makeTree({ 'package.json': JSON.stringify({ scripts: { dev: 'next dev -H ::1 -p 4000' } }) });
      assert.equal(detectBaseUrl(root).baseUrl, 'http://[::1]:4000');
    });
  });

  describe('settings', () => {
    it('reads routeAtlas.request.baseUrls by app root, then *', () => {
      const setting = { 'apps/web': 'http://localhost:4000/', '*': 'http://localhost:9999', 'apps/bad': 'ftp://x' };
      assert.equal(baseUrlFromSetting(setting, 'apps/web'), 'http://localhost:4000');
      assert.equal(baseUrlFromSetting(setting, 'apps/api'), 'http://localhost:9999');
      assert.equal(baseUrlFromSetting({ 'apps/bad': 'ftp://x' }, 'apps/bad'), undefined);
      assert.equal(baseUrlFromSetting({ '.': 'http://127.0.0.1:3001' }, '.'), 'http://127.0.0.1:3001');
      assert.equal(baseUrlFromSetting(undefined, '.'), undefined);
    });

    it('ignores workspace values in Restricted Mode: only the user setting counts', () => {
      const values = { globalValue: { '.': 'http://localhost:1' }, workspaceValue: { '.': 'http://evil.example' } };
      assert.deepEqual(trustedSettingValue(values, false), { '.': 'http://localhost:1' });
      assert.deepEqual(trustedSettingValue(values, true), { '.': 'http://evil.example' });
      assert.deepEqual(trustedSettingValue({ workspaceValue: 1, workspaceFolderValue: 2 }, true), 2);
      assert.equal(trustedSettingValue({ workspaceValue: 1 }, false), undefined);
    });
  });
});

describe('finding a running Next.js dev server', () => {
  it('picks the port whose server answers like Next.js, not just any server', async () => {
    const listen = (headers: Record<string, string>) =>
      new Promise<Server>((resolve) => {
        const server = createServer((_request, response) => {
          response.writeHead(200, headers);
          response.end();
        });
        server.listen(0, '127.0.0.1', () => resolve(server));
      });
    const portOf = (server: Server) => (server.address() as AddressInfo).port;
    const other = await listen({ 'x-powered-by': 'Express' });
    const next = await listen({ 'x-powered-by': 'Next.js' });
    try {
      assert.equal(await findRunningNextServer([portOf(other), portOf(next)]), portOf(next));
      assert.equal(await findRunningNextServer([portOf(other)]), undefined);
    } finally {
      other.close();
      next.close();
    }
  });
});
