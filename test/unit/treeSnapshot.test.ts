import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanWorkspace } from '../../server/analysis/scan';
import { readTreeSnapshot, writeTreeSnapshot } from '../../src/treeSnapshot';
import { makeTree, nextApp, removeTree } from './tempTree';

describe('the Endpoints view snapshot kept between sessions', () => {
  let root: string;
  beforeEach(() => {
    root = makeTree(nextApp({ 'app/api/users/route.ts': 'export async function GET() { return Response.json([]); }\n' }));
  });
  afterEach(() => removeTree(root));

  it('gives back the manifests it was given, for the same workspace folders only', async () => {
    const file = path.join(root, 'storage', 'endpoints.json');
    const manifests = [{ uri: 'file:///work/a', manifest: scanWorkspace(root) }];
    await writeTreeSnapshot(file, ['file:///work/a'], manifests);
    const read = await readTreeSnapshot(file, ['file:///work/a']);
    // As JSON carries it (no undefined fields), which is what the server sends the view anyway.
    assert.deepEqual(read?.manifests, JSON.parse(JSON.stringify(manifests)));
    assert.ok(read!.savedAt <= Date.now());
    assert.equal(await readTreeSnapshot(file, ['file:///work/b']), undefined, 'another folder');
    assert.equal(await readTreeSnapshot(file, ['file:///work/a', 'file:///work/b']), undefined, 'a folder more');
    assert.equal(await readTreeSnapshot(path.join(root, 'none.json'), ['file:///work/a']), undefined, 'no snapshot');
  });

  it('ignores a snapshot it cannot read, and leaves no partial file behind', async () => {
    const file = path.join(root, 'endpoints.json');
    fs.writeFileSync(file, '{"format":"route-atlas-tree-snapshot/1","folders":["file:///work/a"],"savedAt":1,"manifests":[{"uri":"file:///work/a"}]}');
    assert.equal(await readTreeSnapshot(file, ['file:///work/a']), undefined);
    fs.writeFileSync(file, '{ not json');
    assert.equal(await readTreeSnapshot(file, ['file:///work/a']), undefined);
    await writeTreeSnapshot(file, ['file:///work/a'], [{ uri: 'file:///work/a', manifest: scanWorkspace(root) }]);
    assert.deepEqual(fs.readdirSync(root).filter((name) => name.includes('.tmp')), []);
  });
});
