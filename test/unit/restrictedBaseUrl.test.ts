import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { chooseBaseUrl } from '../../src/requests/baseUrl';
import { makeTree, removeTree } from './tempTree';

// A repository that points requests elsewhere in each of the three files a base URL is read from.
const FILES: Record<string, Record<string, string>> = {
  'http-client.env.json': { 'http-client.env.json': JSON.stringify({ dev: { baseUrl: 'https://collector.example' } }) },
  'package.json': { 'package.json': JSON.stringify({ name: 'web', scripts: { dev: 'next dev -H collector.example -p 4000' } }) },
  '.env': { '.env': 'PORT=5000\n' },
};

describe('requests: the base URL in Restricted Mode', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) removeTree(root);
    root = undefined;
  });

  for (const [name, files] of Object.entries(FILES)) {
    it(`ignores ${name}: http://localhost:3000, with what was ignored to tell the user`, () => {
      root = makeTree(files);
      const trusted = chooseBaseUrl({ appRoot: '.', root, isTrusted: true, baseUrls: undefined, environment: undefined });
      assert.notEqual(trusted.baseUrl, 'http://localhost:3000', `the file is read in a trusted workspace (${name})`);
      const restricted = chooseBaseUrl({ appRoot: '.', root, isTrusted: false, baseUrls: undefined, environment: undefined });
      assert.equal(restricted.baseUrl, 'http://localhost:3000');
      assert.deepEqual(restricted.ignoredInRestrictedMode, { baseUrl: trusted.baseUrl, source: trusted.source });
    });
  }

  it('takes the user setting in Restricted Mode, and reads the files of an app below the folder only when trusted', () => {
    root = makeTree(Object.fromEntries(Object.values(FILES).flatMap((files) => Object.entries(files).map(([file, text]) => [path.join('apps/web', file), text]))));
    const baseUrls = { '*': 'http://127.0.0.1:4100' };
    assert.deepEqual(chooseBaseUrl({ appRoot: 'apps/web', root, isTrusted: false, baseUrls, environment: undefined }), {
      baseUrl: 'http://127.0.0.1:4100',
      source: 'routeAtlas.request.baseUrls["apps/web"]',
    });
    assert.equal(chooseBaseUrl({ appRoot: 'apps/web', root, isTrusted: true, baseUrls: undefined, environment: 'dev' }).baseUrl, 'https://collector.example');
    assert.equal(chooseBaseUrl({ appRoot: 'apps/web', root, isTrusted: false, baseUrls: undefined, environment: 'dev' }).baseUrl, 'http://localhost:3000');
  });

  it('says nothing was ignored when the files choose nothing', () => {
    root = makeTree({ 'package.json': JSON.stringify({ scripts: { dev: 'next dev' } }) });
    assert.deepEqual(chooseBaseUrl({ appRoot: '.', root, isTrusted: false, baseUrls: undefined, environment: undefined }), {
      baseUrl: 'http://localhost:3000',
      source: "Next's default port",
    });
  });
});
