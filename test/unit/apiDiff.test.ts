import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ApiChange } from '../../server/apiDiff/compareManifests';
import { MARKDOWN_MARKER } from '../../server/apiDiff/formatApiDiff';
import { runDiffCommand } from '../../server/commands/diff';
import { findMarkup } from './markdownMarkup';
import { makeTree, nextApp, removeTree, writeFiles } from './tempTree';
import { runInProcess } from './inProcess';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Route Atlas test',
  GIT_AUTHOR_EMAIL: 'test@route-atlas.invalid',
  GIT_COMMITTER_NAME: 'Route Atlas test',
  GIT_COMMITTER_EMAIL: 'test@route-atlas.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A repository with the files committed; returns its folder. */
function makeRepo(files: Record<string, string | Buffer>): string {
  const root = makeTree(files);
  git(root, 'init', '-q');
  commitAll(root, 'base');
  return root;
}

function commitAll(root: string, message: string): string {
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '--allow-empty', '-m', message);
  return git(root, 'rev-parse', 'HEAD');
}

function removeFiles(root: string, ...files: string[]): void {
  for (const file of files) fs.rmSync(path.join(root, file), { recursive: true });
}

const runDiff = (args: string[]) => runInProcess(runDiffCommand, args);

interface DiffJson {
  base: { ref: string; commit: string };
  head: { ref: string; commit: string } | { workTree: true };
  folder: string;
  notes?: string[];
  summary: { breaking: number; other: number; problemsIntroduced: number; problemsFixed: number };
  changes: ApiChange[];
  problems: { introduced: Array<{ id: string; file: string }>; fixed: Array<{ id: string; file: string }> };
}

function diffJson(args: string[]): DiffJson {
  const { code, stdout, stderr } = runDiff([...args, '--format', 'json', '--no-cache']);
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout) as DiffJson;
}

/** The parts of a change a test states: what kind, where, and before and after. */
function essentials(change: ApiChange): Partial<ApiChange> {
  const { kind, endpoint, method, before, after, breaking } = change;
  return Object.fromEntries(Object.entries({ kind, endpoint, method, before, after, breaking }).filter(([, value]) => value !== undefined));
}

function byKey(a: Partial<ApiChange>, b: Partial<ApiChange>): number {
  const key = (change: Partial<ApiChange>) => `${change.endpoint} ${change.method ?? ''} ${change.kind} ${change.before ?? ''} ${change.after ?? ''}`;
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

function assertChanges(actual: ApiChange[], expected: Array<Partial<ApiChange>>): void {
  assert.deepEqual(actual.map(essentials).sort(byKey), [...expected].sort(byKey));
}

const handler = (method: string, body = 'return Response.json({ ok: true });') => `export async function ${method}(request: Request) {\n  ${body}\n}\n`;

/** The app the tests change: one route per kind of change. */
const SHOP_V1: Record<string, string> = {
  'app/api/users/route.ts':
    handler('GET', "const page = new URL(request.url).searchParams.get('page');\n  return Response.json({ page });") +
    handler('POST', 'const { name, email } = await request.json();\n  return Response.json({ name, email }, { status: 201 });'),
  'app/api/users/[id]/route.ts': handler('GET') + handler('DELETE', 'return new Response(null, { status: 204 });'),
  'app/api/legacy/route.ts': handler('GET'),
  'app/api/files/[...path]/route.ts': handler('GET'),
  'app/api/health/route.ts': 'export const revalidate = 60;\n' + handler('GET'),
  'app/api/upload/route.ts': handler('POST', 'const { file } = await request.json();\n  return Response.json({ file });'),
  // A lower-case `get` is a problem whose message quotes the file: the rename below must not make it new.
  'app/api/clock/route.ts': handler('GET') + 'export function get() {}\n',
  'app/api/broken/route.ts': handler('GET', "return Response.json({ error: 'not ready' });"),
  'app/api/hook/route.ts': handler('POST', 'const raw = await request.text();\n  return Response.json({ length: raw.length });'),
};

/** Applies the second version of the shop app to a work tree; the expected changes below are what this does. */
function applyShopV2(app: string): void {
  removeFiles(app, 'app/api/legacy', 'app/api/users/[id]', 'app/api/files/[...path]', 'app/api/clock');
  writeFiles(app, {
    // A new endpoint, whose GET answers an error with status 200: a problem introduced.
    'app/api/orders/route.ts': handler('GET', "return Response.json({ error: 'none yet' });") + handler('POST', 'return Response.json({}, { status: 201 });'),
    'app/api/users/route.ts':
      handler('GET', "const query = new URL(request.url).searchParams;\n  return Response.json({ page: query.get('page'), sort: query.get('sort') });") +
      handler('POST', 'const { name, role } = await request.json();\n  return Response.json({ name, role }, { status: 201 });'),
    // [id] renamed, DELETE gone, PATCH new.
    'app/api/users/[userId]/route.ts': handler('GET') + handler('PATCH', 'const { name } = await request.json();\n  return Response.json({ name });'),
    // A catch-all narrowed to one segment.
    'app/api/files/[path]/route.ts': handler('GET'),
    'app/api/health/route.ts': 'export const revalidate = 300;\n' + handler('GET'),
    'app/api/upload/route.ts': handler('POST', "const form = await request.formData();\n  return Response.json({ file: String(form.get('file')) });"),
    // Moved into a route group: the same URL, the same problem.
    'app/(tools)/api/clock/route.ts': SHOP_V1['app/api/clock/route.ts'],
    'app/api/broken/route.ts': handler('GET', "return Response.json({ error: 'not ready' }, { status: 503 });"),
  });
}

const SHOP_CHANGES: Array<Partial<ApiChange>> = [
  { kind: 'endpoint-removed', endpoint: '/api/legacy', before: 'GET', breaking: true },
  { kind: 'endpoint-added', endpoint: '/api/orders', after: 'GET, POST', breaking: false },
  { kind: 'query-added', endpoint: '/api/users', method: 'GET', after: 'sort', breaking: false },
  { kind: 'body-field-removed', endpoint: '/api/users', method: 'POST', before: 'email', breaking: false },
  { kind: 'body-field-added', endpoint: '/api/users', method: 'POST', after: 'role', breaking: false },
  { kind: 'param-renamed', endpoint: '/api/users/[userId]', before: 'id', after: 'userId', breaking: false },
  { kind: 'method-removed', endpoint: '/api/users/[userId]', method: 'DELETE', breaking: true },
  { kind: 'method-added', endpoint: '/api/users/[userId]', method: 'PATCH', breaking: false },
  { kind: 'param-kind-changed', endpoint: '/api/files/[path]', before: '[...path]', after: '[path]', breaking: true },
  { kind: 'caching-changed', endpoint: '/api/health', method: 'GET', before: 'isr 60s', after: 'isr 300s', breaking: false },
  { kind: 'body-kind-changed', endpoint: '/api/upload', method: 'POST', before: 'json', after: 'formData', breaking: true },
];

describe('route-atlas diff', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) removeTree(root);
  });
  const repo = (files: Record<string, string | Buffer>) => {
    const root = makeRepo(files);
    roots.push(root);
    return root;
  };

  it('reports what changed between two commits, exactly, with problems matched across a rename', () => {
    const root = repo(nextApp(SHOP_V1));
    const base = git(root, 'rev-parse', 'HEAD');
    applyShopV2(root);
    const head = commitAll(root, 'v2');
    const report = diffJson([base, head, root]);
    assertChanges(report.changes, SHOP_CHANGES);
    assert.deepEqual(report.summary, { breaking: 4, other: 7, problemsIntroduced: 1, problemsFixed: 1 });
    assert.deepEqual(report.problems.introduced.map((p) => [p.id, p.file]), [['error-status-200', 'app/api/orders/route.ts']]);
    assert.deepEqual(report.problems.fixed.map((p) => [p.id, p.file]), [['error-status-200', 'app/api/broken/route.ts']]);
    assert.deepEqual(report.base, { ref: base, commit: base });
    assert.deepEqual(report.head, { ref: head, commit: head });
    assert.equal(report.folder, '.');
    // The work tree is at the head commit: comparing with it says the same.
    assertChanges(diffJson([base, root]).changes, SHOP_CHANGES);
  });

  it('--fail-on breaking exits 1 on a breaking change and 0 when every change is compatible', () => {
    const root = repo(nextApp(SHOP_V1));
    const base = git(root, 'rev-parse', 'HEAD');
    removeFiles(root, 'app/api/files/[...path]');
    writeFiles(root, {
      'app/api/extra/route.ts': handler('GET'),
      'app/api/users/[id]/route.ts': SHOP_V1['app/api/users/[id]/route.ts'] + handler('PUT'),
      // A catch-all widened to an optional one matches every URL it did.
      'app/api/files/[[...path]]/route.ts': handler('GET'),
      // A handler that read the raw text took any body; one that parses JSON takes the JSON clients sent.
      'app/api/hook/route.ts': handler('POST', 'const { event } = await request.json();\n  return Response.json({ event });'),
    });
    const compatible = commitAll(root, 'only compatible changes');
    assertChanges(diffJson([base, compatible, root]).changes, [
      { kind: 'endpoint-added', endpoint: '/api/extra', after: 'GET', breaking: false },
      { kind: 'method-added', endpoint: '/api/users/[id]', method: 'PUT', breaking: false },
      { kind: 'param-kind-changed', endpoint: '/api/files/[[...path]]', before: '[...path]', after: '[[...path]]', breaking: false },
      { kind: 'body-kind-changed', endpoint: '/api/hook', method: 'POST', before: 'text', after: 'json', breaking: false },
    ]);
    const onlyCompatible = runDiff([base, compatible, root, '--fail-on', 'breaking']);
    assert.equal(onlyCompatible.code, 0, onlyCompatible.stderr);
    assert.match(onlyCompatible.stdout, /^0 breaking changes, 4 other changes; problems: 0 introduced, 0 fixed$/m);
    removeFiles(root, 'app/api/legacy');
    const breaking = commitAll(root, 'legacy removed');
    const withRemoval = runDiff([base, breaking, root, '--fail-on=breaking']);
    assert.equal(withRemoval.code, 1);
    assert.match(withRemoval.stdout, /^Breaking:\n {2}\/api\/legacy +endpoint removed \(GET\) +app\/api\/legacy\/route\.ts:1$/m);
    // Without the flag a breaking change is reported, not failed on.
    assert.equal(runDiff([base, breaking, root]).code, 0);
  });

  it('compares the base with the work tree: uncommitted edits, untracked files and a staged rename', () => {
    const root = repo(nextApp(SHOP_V1));
    writeFiles(root, {
      'app/api/users/route.ts': SHOP_V1['app/api/users/route.ts'].replace("get('page')", "get('cursor')"),
      'app/api/untracked/route.ts': handler('DELETE'),
    });
    git(root, 'mv', 'app/api/clock', 'app/api/timer');
    const report = diffJson(['HEAD', root]);
    assertChanges(report.changes, [
      { kind: 'query-removed', endpoint: '/api/users', method: 'GET', before: 'page', breaking: false },
      { kind: 'query-added', endpoint: '/api/users', method: 'GET', after: 'cursor', breaking: false },
      { kind: 'endpoint-added', endpoint: '/api/untracked', after: 'DELETE', breaking: false },
      { kind: 'endpoint-removed', endpoint: '/api/clock', before: 'GET', breaking: true },
      { kind: 'endpoint-added', endpoint: '/api/timer', after: 'GET', breaking: false },
    ]);
    assert.deepEqual(report.head, { workTree: true });
    // The lower-case `get` moved with its file (git sees the rename): not fixed in one place and new in another.
    assert.deepEqual(report.problems, { introduced: [], fixed: [] });
  });

  it('scans a subfolder of a monorepo, reading a workspace package through node_modules as it was in each commit', () => {
    const root = repo({
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*', 'packages/*'] }),
      '.gitignore': 'node_modules\n',
      'apps/web/package.json': JSON.stringify({ name: 'web', dependencies: { next: '15.5.0', '@acme/lib': 'workspace:*' } }),
      'apps/web/next.config.js': "module.exports = { basePath: '/shop' };\n",
      'apps/web/app/api/items/route.ts': "export * from '@acme/lib';\n",
      'packages/lib/package.json': JSON.stringify({ name: '@acme/lib', main: 'index.ts' }),
      'packages/lib/index.ts': handler('GET'),
      // Another app in the repository, outside the folder compared: its changes are not reported.
      'apps/admin/package.json': JSON.stringify({ name: 'admin', dependencies: { next: '15.5.0' } }),
      'apps/admin/app/api/stats/route.ts': handler('GET'),
    });
    // As a package manager links a workspace package: node_modules is ignored, the link leads into the repository.
    fs.mkdirSync(path.join(root, 'node_modules/@acme'), { recursive: true });
    fs.symlinkSync('../../packages/lib', path.join(root, 'node_modules/@acme/lib'));
    const base = git(root, 'rev-parse', 'HEAD');
    writeFiles(root, {
      'packages/lib/index.ts': handler('GET') + handler('POST'),
      'apps/web/next.config.js': "module.exports = { basePath: '/store' };\n",
      'apps/admin/app/api/other/route.ts': handler('GET'),
    });
    const head = commitAll(root, 'lib gains POST, basePath moves');
    const report = diffJson([base, head, path.join(root, 'apps/web')]);
    assert.equal(report.folder, 'apps/web');
    assertChanges(report.changes, [
      { kind: 'base-path-changed', endpoint: '', before: '/shop', after: '/store', breaking: true },
      { kind: 'method-added', endpoint: '/store/api/items', method: 'POST', breaking: false },
    ]);
    // From the top of the repository both apps are compared, each with its own changes.
    const whole = diffJson([base, head, root]);
    assert.deepEqual(
      whole.changes.map((change) => [change.app, change.kind, change.endpoint]).sort(),
      [
        ['apps/admin', 'endpoint-added', '/api/other'],
        ['apps/web', 'base-path-changed', ''],
        ['apps/web', 'method-added', '/store/api/items'],
      ],
    );
  });

  it('says when the folder did not exist in the base: every endpoint is new, and no problem is made of it', () => {
    const root = repo({ 'README.md': 'nothing yet\n' });
    const base = git(root, 'rev-parse', 'HEAD');
    writeFiles(root, { 'apps/web/package.json': JSON.stringify({ name: 'web', dependencies: { next: '15.5.0' } }), 'apps/web/app/api/a/route.ts': handler('GET') });
    const head = commitAll(root, 'app added');
    const report = diffJson([base, head, path.join(root, 'apps/web')]);
    assert.deepEqual(report.notes, ['apps/web does not exist in ' + base + ': every endpoint is new.']);
    assertChanges(report.changes, [{ kind: 'endpoint-added', endpoint: '/api/a', after: 'GET', breaking: false }]);
    assert.deepEqual(report.problems, { introduced: [], fixed: [] });
  });

  it('ends with exit code 2 and a clear line for a revision that does not exist, outside a repository, and in a shallow clone', () => {
    const root = repo(nextApp(SHOP_V1));
    const unknown = runDiff(['no-such-branch', root]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^route-atlas diff: unknown revision no-such-branch: no commit by that name in .+\nIf it is a branch of a remote, fetch it first \(git fetch origin no-such-branch\)\.\n$/);
    // A revision that looks like an option is a name, not an option of git.
    const written = path.join(root, 'written-by-git');
    assert.equal(runDiff(['--', `--output=${written}`, root]).code, 2);
    assert.equal(fs.existsSync(written), false);

    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'route-atlas-no-git-'));
    roots.push(outside);
    const notARepo = runDiff(['main', outside]);
    assert.equal(notARepo.code, 2);
    assert.match(notARepo.stderr, /^route-atlas diff: .+ is not in a git repository: diff compares revisions of one\n/);

    const first = git(root, 'rev-parse', 'HEAD');
    writeFiles(root, { 'app/api/later/route.ts': handler('GET') });
    commitAll(root, 'later');
    const shallow = fs.mkdtempSync(path.join(os.tmpdir(), 'route-atlas-shallow-'));
    roots.push(shallow);
    git(os.tmpdir(), 'clone', '-q', '--depth', '1', `file://${root}`, shallow);
    const cut = runDiff([first, shallow]);
    assert.equal(cut.code, 2);
    assert.match(cut.stderr, /This clone is shallow .* fetch the base first \(git fetch --depth=1 origin [0-9a-f]{40}\), or check out with fetch-depth: 0\./);
    // What the hint says works: with the base fetched, the shallow clone compares.
    git(shallow, 'fetch', '-q', '--depth=1', 'origin', first);
    assertChanges(diffJson([first, shallow]).changes, [{ kind: 'endpoint-added', endpoint: '/api/later', after: 'GET', breaking: false }]);
  });

  it('writes markdown for a pull-request comment in which workspace names stay text', () => {
    const root = repo(nextApp({ 'app/api/users/route.ts': handler('GET') }));
    const base = git(root, 'rev-parse', 'HEAD');
    const hostile = '@octocat #12 <img src=x> [a](https://evil.example) `tick`';
    writeFiles(root, {
      'app/api/users/route.ts': handler('GET', `return Response.json({ q: new URL(request.url).searchParams.get(${JSON.stringify(hostile)}) });`),
      'app/api/x @octocat/route.ts': handler('POST'),
    });
    const head = commitAll(root, 'hostile names');
    const { code, stdout } = runDiff([base, head, root, '--format', 'markdown', '--no-cache']);
    assert.equal(code, 0);
    const lines = stdout.split('\n');
    assert.equal(lines[0], MARKDOWN_MARKER);
    const changeLines = lines.filter((line) => line.startsWith('- '));
    assert.equal(changeLines.length, 2);
    for (const line of changeLines) {
      const markup = findMarkup(line);
      assert.deepEqual({ links: markup.links, images: markup.images, other: markup.other }, { links: [], images: [], other: [] }, line);
      // Outside code spans no @ or # is left that GitHub could turn into a mention or an issue link.
      const outsideCode = markup.code.reduce((rest, code) => rest.split(code).join(''), line);
      assert.doesNotMatch(outsideCode, /(^|[^\\])[@#]/, line);
    }
    // CommonMark drops the one space that pads a code span at each end.
    const codeSpans = changeLines.flatMap((line) => findMarkup(line).code.map((code) => (code.startsWith(' ') && code.endsWith(' ') ? code.slice(1, -1) : code)));
    assert.ok(codeSpans.includes(hostile), 'the query name is shown whole, as code');
    assert.ok(codeSpans.includes('/api/x @octocat'));
  });

  it('writes text in which a folder name with a line break cannot start a line of its own', () => {
    const root = repo(nextApp({ 'app/api/a/route.ts': handler('GET') }));
    const base = git(root, 'rev-parse', 'HEAD');
    writeFiles(root, { 'app/api/b\n::error::forged/route.ts': handler('GET') });
    const head = commitAll(root, 'hostile folder');
    const { code, stdout } = runDiff([base, head, root, '--no-cache']);
    assert.equal(code, 0);
    assert.ok(stdout.includes('/api/b\\n::error::forged'));
    for (const line of stdout.split('\n')) assert.ok(!line.startsWith('::'), line);
  });

  it('handles a few hundred routes with many changes in one pass', function () {
    this.timeout(120_000);
    const files: Record<string, string> = {};
    for (let index = 0; index < 500; index++) files[`app/api/r${index}/[id]/route.ts`] = handler('GET');
    const root = repo(nextApp(files));
    const base = git(root, 'rev-parse', 'HEAD');
    for (let index = 0; index < 20; index++) removeFiles(root, `app/api/r${index}`);
    const changed: Record<string, string> = {};
    for (let index = 20; index < 60; index++) changed[`app/api/r${index}/[id]/route.ts`] = handler('GET') + handler('POST');
    for (let index = 0; index < 30; index++) changed[`app/api/new${index}/route.ts`] = handler('GET');
    writeFiles(root, changed);
    const head = commitAll(root, 'many changes');
    const report = diffJson([base, head, root]);
    const count = (kind: string) => report.changes.filter((change) => change.kind === kind).length;
    assert.deepEqual(
      { removed: count('endpoint-removed'), added: count('endpoint-added'), methods: count('method-added'), all: report.changes.length },
      { removed: 20, added: 30, methods: 40, all: 90 },
    );
  });
});
