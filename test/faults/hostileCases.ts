// Workspaces built to hurt the analysis, each beside good routes that must survive it: "bad input never
// empties the manifest" must hold for every file a repository can contain. Each generator returns the
// files to write and what a scan must then show; the CLI and the language server suites run the same cases.
// Large inputs are generated here, never committed.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { HttpMethod, Problem, RouteManifest } from '../../server/analysis/model';

export type FileTree = Record<string, string | Buffer>;

export interface ExpectedProblem {
  id: string;
  /** The file or folder the problem names, relative to the workspace folder, with `/` separators. */
  file: string;
}

export interface HostileCase {
  name: string;
  files: FileTree;
  /** What a tree of files cannot say: symbolic links, permissions, folders outside the workspace. */
  setup?: (root: string, scratch: Scratch) => void;
  /** Every route file the manifest must list, with its explicit methods; any other route is a phantom. */
  routes: Record<string, HttpMethod[]>;
  problems: ExpectedProblem[];
  /** The apps the scan must find, by root (default: the workspace folder alone). */
  appRoots?: string[];
  /** Checks particular to the case, over the whole manifest. */
  check?: (manifest: RouteManifest) => void;
}

/** Temporary folders of one case, and what must be undone before they can be removed. */
export class Scratch {
  private readonly dirs: string[] = [];
  private readonly undo: Array<() => void> = [];

  /** A new folder under the system's temp folder holding `files`; removed by `dispose`. */
  dir(files: FileTree = {}): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'route-atlas-fault-'));
    this.dirs.push(dir);
    writeTree(dir, files);
    return dir;
  }

  /** Makes a folder unreadable until `dispose`, which restores it so that it can be removed. */
  lock(dir: string): void {
    fs.chmodSync(dir, 0o000);
    this.undo.push(() => fs.chmodSync(dir, 0o755));
  }

  dispose(): void {
    for (const step of this.undo.splice(0).reverse()) {
      try {
        step();
      } catch {
        // The folder went away with its parent already.
      }
    }
    for (const dir of this.dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function writeTree(root: string, files: FileTree): void {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

/** Writes the case into a fresh temp folder and runs its setup; `scratch.dispose()` removes it all. */
export function materialize(hostile: HostileCase): { root: string; scratch: Scratch } {
  const scratch = new Scratch();
  const root = scratch.dir(hostile.files);
  hostile.setup?.(root, scratch);
  return { root, scratch };
}

let restricts: boolean | undefined;
/** False where a mode of 000 does not stop this process reading a folder (root, or CAP_DAC_OVERRIDE). */
export function chmodRestricts(): boolean {
  if (restricts === undefined) {
    const scratch = new Scratch();
    const dir = scratch.dir({ 'probe/file': '' });
    scratch.lock(path.join(dir, 'probe'));
    try {
      fs.readdirSync(path.join(dir, 'probe'));
      restricts = false;
    } catch {
      restricts = true;
    } finally {
      scratch.dispose();
    }
  }
  return restricts;
}

/**
 * When this process is root, the uid and gid of `nobody` if a process running as it can start Node: a
 * child process as that user then meets the permissions a chmod sets. Undefined otherwise.
 */
export function unprivilegedUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  let passwd = '';
  try {
    passwd = fs.readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  const entry = passwd.split('\n').find((line) => line.startsWith('nobody:'));
  if (!entry) return undefined;
  const [, , uid, gid] = entry.split(':');
  const user = { uid: Number(uid), gid: Number(gid) };
  const probe = spawnSync(process.execPath, ['-e', '0'], { ...user, cwd: os.tmpdir() });
  return probe.status === 0 ? user : undefined;
}

export const GOOD_ROUTE_FILES: FileTree = {
  'app/api/users/route.ts': [
    'export async function GET() {',
    '  return Response.json([{ id: 1 }]);',
    '}',
    '',
    'export async function POST(request: Request) {',
    '  const { name } = await request.json();',
    '  return Response.json({ name }, { status: 201 });',
    '}',
    '',
  ].join('\n'),
  'app/api/users/[id]/route.ts': [
    'export async function GET() { return Response.json({}); }',
    'export async function PUT() { return Response.json({}); }',
    'export async function DELETE() { return new Response(null, { status: 204 }); }',
    '',
  ].join('\n'),
  'app/health/route.ts': "export const dynamic = 'force-dynamic';\nexport function GET() { return new Response('ok'); }\n",
};

export const GOOD_ROUTES: Record<string, HttpMethod[]> = {
  'app/api/users/route.ts': ['GET', 'POST'],
  'app/api/users/[id]/route.ts': ['GET', 'PUT', 'DELETE'],
  'app/health/route.ts': ['GET'],
};

const PACKAGE_JSON = JSON.stringify({ name: 'fault-app', private: true, dependencies: { next: '15.5.0' } });

/** The good app, with `files` added (or replacing its package.json). */
export function withGoodApp(files: FileTree): FileTree {
  return { 'package.json': PACKAGE_JSON, ...GOOD_ROUTE_FILES, ...files };
}

const DEEP = 5000;
const MEGABYTE = 1024 * 1024;

/** A GET handler whose body holds `expression`, so that every walk over the handler meets it. */
const handlerWith = (expression: string): string => `export async function GET() {\n  const value = ${expression};\n  return Response.json({ value });\n}\n`;

function deepRoute(name: string, route: string, text: string, methods: HttpMethod[] | 'too-deep'): HostileCase {
  return {
    name,
    files: withGoodApp({ [route]: text }),
    routes: { ...GOOD_ROUTES, [route]: methods === 'too-deep' ? [] : methods },
    problems: methods === 'too-deep' ? [{ id: 'too-deep', file: route }] : [],
  };
}

/** Case 1: syntax nested or chained far beyond real code. */
export const deepSyntaxCases = (): HostileCase[] => [
  deepRoute(`${DEEP} nested parentheses`, 'app/api/parens/route.ts', handlerWith('('.repeat(DEEP) + '1' + ')'.repeat(DEEP)), 'too-deep'),
  deepRoute(`${DEEP} nested brackets`, 'app/api/brackets/route.ts', handlerWith('['.repeat(DEEP) + ']'.repeat(DEEP)), 'too-deep'),
  // A sum is a left-leaning chain the parser and the analysis both take in loops: legal and within bounds.
  deepRoute('a 1 MB sum 1+1+...', 'app/api/sum/route.ts', handlerWith('1+'.repeat(MEGABYTE / 2) + '1'), ['GET']),
  deepRoute('a 1 MB member chain a.b.c...', 'app/api/chain/route.ts', handlerWith('a' + '.b'.repeat(MEGABYTE / 2)), 'too-deep'),
  deepRoute(`${DEEP} nested arrow functions`, 'app/api/arrows/route.ts', `export const GET = ${'() => '.repeat(DEEP)}Response.json({});\n`, 'too-deep'),
  deepRoute(`${DEEP} nested JSX elements`, 'app/api/jsx/route.tsx', handlerWith('<a>'.repeat(DEEP) + '</a>'.repeat(DEEP)), 'too-deep'),
];

/** Case 2: a link to itself, inside the app dir and beside it. */
export function selfLinkCase(): HostileCase {
  return {
    name: 'a symbolic link to itself, in the app dir and beside it',
    files: withGoodApp({}),
    setup: (root) => {
      fs.symlinkSync('self', path.join(root, 'app/api/self'));
      fs.symlinkSync('beside', path.join(root, 'beside'));
    },
    routes: GOOD_ROUTES,
    problems: [
      { id: 'symlink-loop', file: 'app/api/self' },
      { id: 'symlink-loop', file: 'beside' },
    ],
  };
}

/** Case 2: a -> b -> a, which the system refuses with ELOOP, inside the app dir and beside it. */
export function linkCycleCase(): HostileCase {
  return {
    name: 'an a -> b -> a link cycle (ELOOP), in the app dir and beside it',
    files: withGoodApp({}),
    setup: (root) => {
      fs.symlinkSync('b', path.join(root, 'app/api/a'));
      fs.symlinkSync('a', path.join(root, 'app/api/b'));
      fs.symlinkSync('y', path.join(root, 'x'));
      fs.symlinkSync('x', path.join(root, 'y'));
    },
    routes: GOOD_ROUTES,
    problems: ['app/api/a', 'app/api/b', 'x', 'y'].map((file) => ({ id: 'symlink-loop', file })),
  };
}

export const SECRET_ROUTE = 'app/api/secret/route.ts';

/**
 * Case 2: a folder of the app dir that cannot be read. Where a mode of 000 stops nobody (root), the folder
 * is readable and its route is listed: then the case only shows that nothing breaks.
 */
export function unreadableFolderCase(restricted = chmodRestricts()): HostileCase {
  return {
    name: 'an app folder that cannot be read (mode 000)',
    files: withGoodApp({ [SECRET_ROUTE]: 'export async function PATCH() { return Response.json({}); }\n' }),
    setup: (root, scratch) => scratch.lock(path.join(root, 'app/api/secret')),
    routes: restricted ? GOOD_ROUTES : { ...GOOD_ROUTES, [SECRET_ROUTE]: ['PATCH'] },
    problems: restricted ? [{ id: 'unreadable-folder', file: 'app/api/secret' }] : [],
  };
}

/** Case 2: links out of the workspace, to another project's routes and to `/`, are reported and not followed. */
export function linksOutsideCase(): HostileCase {
  return {
    name: 'symbolic links to a folder outside the workspace and to /',
    files: withGoodApp({}),
    setup: (root, scratch) => {
      const elsewhere = scratch.dir({
        'route.ts': 'export async function GET() { return Response.json({ outside: true }); }\n',
        'nested/route.ts': 'export async function POST() { return Response.json({ outside: true }); }\n',
        'package.json': JSON.stringify({ dependencies: { next: '15.5.0' } }),
        'app/stolen/route.ts': 'export async function GET() { return Response.json({}); }\n',
      });
      fs.symlinkSync(elsewhere, path.join(root, 'app/api/outside'));
      fs.symlinkSync('/', path.join(root, 'app/api/rootfs'));
      fs.symlinkSync(elsewhere, path.join(root, 'elsewhere'));
      fs.symlinkSync('/', path.join(root, 'rootfs'));
    },
    routes: GOOD_ROUTES,
    problems: ['app/api/outside', 'app/api/rootfs', 'elsewhere', 'rootfs'].map((file) => ({ id: 'symlink-outside', file })),
  };
}

/** Case 2, while the server runs: links into their own ancestry and an ELOOP pair appear after the scan. */
export function laterLoops(): { files: FileTree; routes: Record<string, HttpMethod[]>; create(root: string): string[]; problems: ExpectedProblem[] } {
  const links: Array<[string, string]> = [
    ['..', 'app/api/users/up'],
    ['.', 'app/api/here'],
    ['q', 'app/api/p'],
    ['p', 'app/api/q'],
  ];
  return {
    files: withGoodApp({}),
    routes: GOOD_ROUTES,
    create: (root) => {
      for (const [target, link] of links) fs.symlinkSync(target, path.join(root, link));
      return links.map(([, link]) => link);
    },
    problems: links.map(([, link]) => ({ id: 'symlink-loop', file: link })),
  };
}

/** Case 3: a catalog reference that is not one, a catalog named like a catastrophic pattern, a 50,000-character key. */
export function hostileCatalogCase(): HostileCase {
  const longKey = 'x'.repeat(50_000);
  return {
    name: 'pnpm catalogs: "catalog:(", a catalog named (x+x+)+y and a 50,000-character key',
    files: withGoodApp({
      'package.json': JSON.stringify({ name: 'fault-app', dependencies: { next: 'catalog:(' } }),
      'pnpm-workspace.yaml': `packages:\n  - 'apps/*'\ncatalogs:\n  ${longKey}:\n    next: 13.5.0\n  '(x+x+)+y':\n    next: 14.2.3\n  ${longKey}z:\n    react: 19.0.0\n`,
      'apps/site/package.json': JSON.stringify({ name: 'site', dependencies: { next: 'catalog:(x+x+)+y' } }),
      'apps/site/app/api/ping/route.ts': 'export const GET = () => Response.json({ pong: true });\n',
    }),
    routes: { ...GOOD_ROUTES, 'apps/site/app/api/ping/route.ts': ['GET'] },
    problems: [],
    appRoots: ['.', 'apps/site'],
    check: (manifest) => {
      const site = manifest.apps.find((app) => app.root === 'apps/site');
      if (site?.nextVersion.major !== 14) throw new Error(`apps/site reads next from the '(x+x+)+y' catalog as 14.2.3, got ${JSON.stringify(site?.nextVersion)}`);
    },
  };
}

/** Case 4: a workspace package with wildcard `exports`, imported with a quote inside the specifier. */
export function wildcardExportsCase(): HostileCase {
  return {
    name: "a workspace package with wildcard exports, imported as '@acme/api/user\"'",
    files: withGoodApp({
      'package.json': JSON.stringify({ name: 'fault-app', dependencies: { next: '15.5.0', '@acme/api': 'workspace:*' } }),
      'packages/api/package.json': JSON.stringify({ name: '@acme/api', exports: { './*': './src/*.ts' } }),
      'packages/api/src/user.ts': 'export async function GET() { return Response.json({ user: 1 }); }\nexport async function DELETE() { return new Response(null); }\n',
      'app/api/odd/route.ts': "import { GET as user } from '@acme/api/user\"';\nexport async function GET() { return Response.json({ user }); }\n",
      'app/api/linked/route.ts': "export { GET, DELETE } from '@acme/api/user';\n",
    }),
    setup: (root) => {
      fs.mkdirSync(path.join(root, 'node_modules/@acme'), { recursive: true });
      fs.symlinkSync(path.join(root, 'packages/api'), path.join(root, 'node_modules/@acme/api'), 'dir');
    },
    routes: { ...GOOD_ROUTES, 'app/api/odd/route.ts': ['GET'], 'app/api/linked/route.ts': ['GET', 'DELETE'] },
    problems: [],
  };
}

/** Case 5: the text a route document is changed to, deep enough to make the analysis give up midway. */
export const THROWING_EDIT = `export async function GET() {\n  return Response.json(${'['.repeat(DEEP)}${']'.repeat(DEEP)});\n}\nexport async function POST() { return Response.json(${'('.repeat(DEEP)}1${')'.repeat(DEEP)}); }\n`;

/** Case 6: `count` file events, most of them for paths that do not exist, under app dirs and elsewhere. */
export function floodEvents(root: string, count: number, existing: readonly string[]): Array<{ path: string; type: 'created' | 'changed' | 'deleted' }> {
  const types = ['created', 'changed', 'deleted'] as const;
  const events: Array<{ path: string; type: 'created' | 'changed' | 'deleted' }> = [];
  for (let i = 0; i < count; i++) {
    const where = i % 5;
    const relative =
      where === 0
        ? `app/api/ghost${i}/route.ts`
        : where === 1
          ? `app/api/users/ghost${i}`
          : where === 2
            ? `node_modules/pkg${i % 97}/index.js`
            : where === 3
              ? `lib/generated/file${i}.ts`
              : existing[i % existing.length];
    // Deleting a file that exists would be a lie about the disk: existing paths only ever "change".
    const type = where === 4 ? 'changed' : types[i % 3];
    events.push({ path: path.join(root, relative), type });
  }
  return events;
}

/** Case 7: tsconfig.json extending itself ten times and a tsconfig pair extending each other; a route through `paths`. */
export function tsconfigCyclesCase(): HostileCase {
  return {
    name: 'tsconfig extends itself ten times and a <-> b; a route imports through a paths alias',
    files: withGoodApp({
      'tsconfig.json': JSON.stringify({ extends: [...Array(10).fill('./tsconfig.json'), './tsconfig.a.json'], compilerOptions: { baseUrl: '.', paths: { '@/*': ['./src/*'] } } }),
      'tsconfig.a.json': JSON.stringify({ extends: './tsconfig.b.json' }),
      'tsconfig.b.json': JSON.stringify({ extends: './tsconfig.a.json' }),
      'src/handlers/alias.ts': 'export async function GET() { return Response.json({}); }\nexport async function POST() { return Response.json({}, { status: 201 }); }\n',
      'app/api/alias/route.ts': "export { GET, POST } from '@/handlers/alias';\n",
    }),
    routes: { ...GOOD_ROUTES, 'app/api/alias/route.ts': ['GET', 'POST'] },
    problems: [{ id: 'tsconfig-extends-cycle', file: 'tsconfig.json' }],
  };
}

/** Case 8: a basePath of 100 KB. */
export function hugeBasePathCase(): HostileCase {
  return {
    name: "a 100 KB basePath ('/' + 'a.'.repeat(50000))",
    files: withGoodApp({ 'next.config.js': "module.exports = { basePath: '/' + 'a.'.repeat(50000) };\n" }),
    routes: GOOD_ROUTES,
    problems: [{ id: 'config-unknown-value', file: 'next.config.js' }],
    check: (manifest) => {
      for (const route of manifest.apps[0].routes) {
        if (route.publicPath.length > 1000) throw new Error(`${route.file} carries a ${route.publicPath.length}-character public path`);
      }
    },
  };
}

export const LONG_SEGMENT = 'x'.repeat(119) + 'Z';
export const LONG_ROUTE = `app/api/${LONG_SEGMENT}/route.ts`;
export const LONG_MISS_ROUTE = `app/api/${'y'.repeat(120)}/route.ts`;

/** Case 9: a URL with six computed parts in one segment, against route folders named with 120 characters. */
export function templateCallCase(): HostileCase {
  return {
    name: 'fetch(`/api/${a}${b}${c}${d}${e}${f}Z`) against 120-character route folders',
    files: withGoodApp({
      [LONG_ROUTE]: 'export async function GET() { return Response.json({}); }\n',
      [LONG_MISS_ROUTE]: 'export async function GET() { return Response.json({}); }\n',
      'components/search.tsx': [
        "'use client';",
        'export async function search(a: string, b: string, c: string, d: string, e: string, f: string) {',
        '  const response = await fetch(`/api/${a}${b}${c}${d}${e}${f}Z`);',
        '  return response.json();',
        '}',
        '',
      ].join('\n'),
      'lib/users.ts': "export const loadUsers = () => fetch('/api/users');\n",
    }),
    routes: { ...GOOD_ROUTES, [LONG_ROUTE]: ['GET'], [LONG_MISS_ROUTE]: ['GET'] },
    problems: [],
  };
}

/** Case 10: a 3 MB route file, over the 2 MB limit. */
export function tooLargeCase(): HostileCase {
  const text = 'export const GET = () => new Response("x");\n' + `// ${'padding '.repeat(12)}\n`.repeat(30_000);
  return {
    name: 'a 3 MB route file',
    files: withGoodApp({ 'app/api/huge/route.ts': text }),
    routes: { ...GOOD_ROUTES, 'app/api/huge/route.ts': [] },
    problems: [{ id: 'file-too-large', file: 'app/api/huge/route.ts' }],
    check: (manifest) => {
      const problems = allProblems(manifest).filter((p) => p.file === 'app/api/huge/route.ts');
      if (problems.length !== 1) throw new Error(`one problem for the large file, not ${JSON.stringify(problems.map((p) => p.id))}`);
    },
  };
}

/** Case 10: a binary file named route.ts. */
export function binaryRouteCase(): HostileCase {
  const binary = Buffer.alloc(64 * 1024);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 7919) % 256;
  return {
    name: 'a binary file named route.ts',
    files: withGoodApp({ 'app/api/bin/route.ts': binary }),
    routes: { ...GOOD_ROUTES, 'app/api/bin/route.ts': [] },
    problems: [{ id: 'binary-file', file: 'app/api/bin/route.ts' }],
  };
}

/** Every case that is a tree of files (plus setup), in the order of the issue. */
export function staticCases(): HostileCase[] {
  return [
    ...deepSyntaxCases(),
    selfLinkCase(),
    linkCycleCase(),
    unreadableFolderCase(),
    linksOutsideCase(),
    hostileCatalogCase(),
    wildcardExportsCase(),
    tsconfigCyclesCase(),
    hugeBasePathCase(),
    templateCallCase(),
    tooLargeCase(),
    binaryRouteCase(),
  ];
}

export function allProblems(manifest: RouteManifest): Problem[] {
  return [...manifest.problems, ...manifest.apps.flatMap((app) => app.problems)];
}

/** Route file → explicit methods, over every app. */
export function routeMethods(manifest: RouteManifest): Record<string, HttpMethod[]> {
  const routes: Record<string, HttpMethod[]> = {};
  for (const app of manifest.apps) {
    for (const route of app.routes) {
      // Metadata routes have no methods of their own; none of these cases has one.
      routes[route.file] = route.methods.filter((m) => !m.implicit).map((m) => m.name);
    }
  }
  return routes;
}

const describeProblems = (problems: readonly Problem[]): string => problems.map((p) => `  ${p.id} ${p.file ?? '-'}: ${p.message.slice(0, 300)}`).join('\n') || '  (none)';

/**
 * Checks a manifest against the case: exactly the expected routes with their methods, the apps, each
 * expected problem on its file, and no internal error. Throws with every problem in the message.
 */
export function checkExpected(manifest: RouteManifest, hostile: Pick<HostileCase, 'routes' | 'problems' | 'appRoots' | 'check'>, how: string): void {
  const problems = allProblems(manifest);
  const listing = `\nproblems:\n${describeProblems(problems)}`;
  const actual = routeMethods(manifest);
  const sorted = (routes: Record<string, HttpMethod[]>) => Object.fromEntries(Object.entries(routes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  if (JSON.stringify(sorted(actual)) !== JSON.stringify(sorted(hostile.routes))) {
    throw new Error(`${how}: routes differ\nexpected ${JSON.stringify(sorted(hostile.routes))}\nactual   ${JSON.stringify(sorted(actual))}${listing}`);
  }
  const apps = manifest.apps.map((app) => app.root);
  if (JSON.stringify(apps) !== JSON.stringify(hostile.appRoots ?? ['.'])) throw new Error(`${how}: apps ${JSON.stringify(apps)}, expected ${JSON.stringify(hostile.appRoots ?? ['.'])}${listing}`);
  for (const expected of hostile.problems) {
    const problem = problems.find((p) => p.id === expected.id && p.file === expected.file);
    if (!problem) throw new Error(`${how}: no ${expected.id} problem on ${expected.file}${listing}`);
    // A clear problem says which file it is about, in its own words too.
    if (!problem.message.includes(expected.file)) throw new Error(`${how}: the ${expected.id} message does not name ${expected.file}: ${problem.message}`);
  }
  const internal = problems.filter((p) => p.id === 'internal-error');
  if (internal.length > 0) throw new Error(`${how}: internal errors${listing}`);
  hostile.check?.(manifest);
}
