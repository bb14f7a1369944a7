import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GitTreeHost } from '../../server/analysis/gitHost';
import { Workspace } from '../../server/analysis/scan';
import { makeTree, nextApp, removeTree } from './tempTree';

const repoRoot = path.resolve(__dirname, '../../..');

function git(cwd: string, ...args: string[]): string {
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t.invalid', GIT_CONFIG_NOSYSTEM: '1' };
  return execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'core.symlinks=true', ...args], { cwd, env, encoding: 'utf8' }).trim();
}

/** Commits everything in `root` and returns the commit. */
function commitTree(root: string): string {
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'tree');
  return git(root, 'rev-parse', 'HEAD');
}

/** The manifest of `dir` as the disk shows it, and as the commit shows it through GitTreeHost. */
function scanBoth(toplevel: string, commit: string, dir: string): { disk: unknown; git: unknown; blobs: number } {
  const disk = new Workspace(dir).scan();
  const host = GitTreeHost.open(toplevel, commit);
  try {
    return { disk, git: new Workspace(dir, { host }).scan(), blobs: host.blobsRead };
  } finally {
    host.dispose();
  }
}

describe('GitTreeHost: a commit read as the disk', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) removeTree(root);
    root = undefined;
  });

  it('gives every fixture app the same manifest as its files on disk', function () {
    this.timeout(60_000);
    root = makeTree({});
    fs.cpSync(path.join(repoRoot, 'test/fixtures'), root, { recursive: true });
    const commit = commitTree(root);
    const real = fs.realpathSync.native(root);
    const fixtures = fs.readdirSync(real).filter((name) => fs.statSync(path.join(real, name)).isDirectory() && name !== '.git');
    assert.ok(fixtures.length > 40, 'the fixtures were copied');
    let blobs = 0;
    for (const fixture of fixtures) {
      const both = scanBoth(real, commit, path.join(real, fixture));
      assert.deepEqual(both.git, both.disk, fixture);
      blobs += both.blobs;
    }
    assert.ok(blobs > fixtures.length, 'the files came from git');
  });

  it('follows committed symbolic links as the disk does: into the app, in a loop, and out of the repository', () => {
    root = makeTree(nextApp({ 'app/api/real/route.ts': 'export function GET() { return new Response("x"); }\n', 'lib/shared.ts': 'export const x = 1;\n' }));
    fs.symlinkSync('real', path.join(root, 'app/api/alias'));
    fs.mkdirSync(path.join(root, 'app/loop'));
    fs.symlinkSync('b', path.join(root, 'app/loop/a'));
    fs.symlinkSync('a', path.join(root, 'app/loop/b'));
    fs.symlinkSync('/', path.join(root, 'app/api/outside'));
    const commit = commitTree(root);
    const real = fs.realpathSync.native(root);
    const both = scanBoth(real, commit, real);
    assert.deepEqual(both.git, both.disk);
    const host = GitTreeHost.open(real, commit);
    try {
      assert.equal(host.stat(path.join(real, 'app/loop/a'))?.error, 'ELOOP');
      assert.equal(host.realpath(path.join(real, 'app/api/alias/route.ts')), path.join(real, 'app/api/real/route.ts'));
      assert.deepEqual(host.readDirectory(path.join(real, 'app/api')).map((entry) => [entry.name, entry.isSymbolicLink]).sort(), [['alias', true], ['outside', true], ['real', false]]);
      // A link out of the repository leads to the disk.
      assert.equal(host.stat(path.join(real, 'app/api/outside'))?.isDirectory, true);
    } finally {
      host.dispose();
    }
  });

  it('reads large, binary and oddly named files byte for byte, and fails like the disk for what is not there', () => {
    const large = 'export const data = ' + JSON.stringify('x'.repeat(1_500_000)) + ';\n';
    const binary = Buffer.from([0, 1, 2, 255, 10, 13, 0, 0x80]);
    root = makeTree({ 'large.ts': large, 'bin.dat': binary, 'a\nb ü/c.ts': 'odd\n', 'empty.ts': '' });
    const commit = commitTree(root);
    const real = fs.realpathSync.native(root);
    // What a later checkout does to the work tree does not reach the commit.
    fs.writeFileSync(path.join(real, 'large.ts'), 'changed');
    const host = GitTreeHost.open(real, commit);
    try {
      assert.equal(host.readFile(path.join(real, 'large.ts')).toString('utf8'), large);
      assert.equal(host.stat(path.join(real, 'large.ts'))?.size, Buffer.byteLength(large));
      assert.deepEqual(host.readFile(path.join(real, 'bin.dat')), binary);
      assert.equal(host.readFile(path.join(real, 'a\nb ü/c.ts')).toString('utf8'), 'odd\n');
      assert.equal(host.readFile(path.join(real, 'empty.ts')).length, 0);
      assert.equal(host.stat(path.join(real, 'missing.ts')), undefined);
      assert.throws(() => host.readFile(path.join(real, 'missing.ts')), { code: 'ENOENT' });
      assert.throws(() => host.readDirectory(path.join(real, 'large.ts')), { code: 'ENOTDIR' });
      assert.throws(() => host.readFile(path.join(real, 'a\nb ü')), { code: 'EISDIR' });
      assert.equal(host.blobsRead, 4);
    } finally {
      host.dispose();
    }
  });
});
