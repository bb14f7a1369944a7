import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { type FileHost, nodeFileHost } from '../../server/analysis/host';
import { scanWorkspace } from '../../server/analysis/scan';
import { makeTree, nextApp, removeTree } from './tempTree';

const ROUTE = 'export async function GET() { return Response.json({ ok: true }); }\n';

/** A host over the disk that counts how often each folder is listed. */
function countingHost(): { host: FileHost; listings: Map<string, number> } {
  const listings = new Map<string, number>();
  const host: FileHost = {
    ...nodeFileHost,
    readDirectory: (dir) => {
      listings.set(dir, (listings.get(dir) ?? 0) + 1);
      return nodeFileHost.readDirectory(dir);
    },
  };
  return { host, listings };
}

describe('the cold scan lists each folder once', () => {
  let root: string;
  afterEach(() => removeTree(root));

  for (const appDir of ['app', 'src/app']) {
    it(`with the app dir at ${appDir}/, monorepo or not`, () => {
      const app = (prefix: string) =>
        Object.fromEntries(
          Object.entries(
            nextApp({
              [`${appDir}/api/users/route.ts`]: ROUTE,
              [`${appDir}/api/users/[id]/route.ts`]: ROUTE,
              [`${appDir}/(shop)/cart/route.ts`]: ROUTE,
              'lib/util.ts': 'export const x = 1;\n',
            }),
          ).map(([file, text]) => [prefix + file, text]),
        );
      root = makeTree({ ...app(''), ...app('apps/admin/') });
      const { host, listings } = countingHost();
      const manifest = scanWorkspace(root, { host });
      assert.deepEqual(
        manifest.apps.map((a) => a.routes.map((r) => r.url).sort()),
        [
          ['/api/users', '/api/users/[id]', '/cart'],
          ['/api/users', '/api/users/[id]', '/cart'],
        ],
      );
      const appFolder = path.join(root, appDir, 'api', 'users');
      assert.equal(listings.get(appFolder), 1, `${appFolder} listed ${listings.get(appFolder)} times`);
      const twice = [...listings].filter(([, count]) => count > 1).map(([dir]) => path.relative(root, dir));
      assert.deepEqual(twice, []);
    });
  }
});
