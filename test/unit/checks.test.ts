// One table per check (server/analysis/checks/*, plus the `no-methods` scan problem and the
// `server-action-candidate` caller hint): cases where it fires, with the file, line, severity and
// failsBuild per Next.js version and bundler (as /work/shared/nextjs-rules.md records real `next build` runs),
// the quick fix applied to the text, and near-misses of correct code where it must stay quiet.
import * as assert from 'node:assert/strict';
import type { Problem, QuickFix, Severity } from '../../server/analysis/model';
import { scanWorkspace, Workspace } from '../../server/analysis/scan';
import { lineContaining, makeTree, nextApp, removeTree } from './tempTree';

type Files = Record<string, string>;

/** A Next.js version as the app would build it: the major, the bundler flag, cacheComponents. */
type Version = '14' | '15' | '15 --turbopack' | '16' | '16 --webpack' | '16 cacheComponents';

const VERSIONS: Record<Version, { nextVersion: number; cacheComponents: boolean; build?: string }> = {
  '14': { nextVersion: 14, cacheComponents: false },
  '15': { nextVersion: 15, cacheComponents: false },
  '15 --turbopack': { nextVersion: 15, cacheComponents: false, build: 'next build --turbopack' },
  '16': { nextVersion: 16, cacheComponents: false },
  '16 --webpack': { nextVersion: 16, cacheComponents: false, build: 'next build --webpack' },
  '16 cacheComponents': { nextVersion: 16, cacheComponents: true },
};

/** Every problem a person sees for the app: the scan's, each app's, and the caller hints. */
function problemsOf(files: Files, version: Version): Problem[] {
  const { nextVersion, cacheComponents, build } = VERSIONS[version];
  const tree: Record<string, string | Buffer> = nextApp(files, `^${nextVersion}.0.0`);
  if (build) tree['package.json'] = JSON.stringify({ name: 'app', dependencies: { next: `^${nextVersion}.0.0` }, scripts: { build } });
  const root = makeTree(tree);
  try {
    const manifest = scanWorkspace(root, { nextVersion, cacheComponents });
    const workspace = new Workspace(root, { nextVersion, cacheComponents });
    workspace.scan();
    return [...manifest.problems, ...manifest.apps.flatMap((app) => app.problems), ...workspace.callerReport().problems];
  } finally {
    removeTree(root);
  }
}

function only(problems: Problem[], id: string): Problem[] {
  return problems.filter((p) => p.id === id);
}

/** The text after the fix's edits (1-based, end-exclusive spans), applied back to front. */
function applyFix(text: string, fix: QuickFix): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (line: number, column: number) => (line - 1 < lineStarts.length ? lineStarts[line - 1] + column - 1 : text.length);
  const edits = fix.edits.map((e) => ({ start: offset(e.span.line, e.span.column), end: offset(e.span.endLine, e.span.endColumn), newText: e.newText }));
  edits.sort((a, b) => b.start - a.start);
  let result = text;
  for (const edit of edits) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

interface Verdict {
  severity: Severity;
  failsBuild: boolean;
}
/** `next build` fails. */
const FAILS: Verdict = { severity: 'error', failsBuild: true };
/** An error (`next dev` refuses it), but `next build` passes. */
const ERROR: Verdict = { severity: 'error', failsBuild: false };
const WARNS: Verdict = { severity: 'warning', failsBuild: false };
const INFO: Verdict = { severity: 'info', failsBuild: false };

interface FireCase {
  shows: string;
  files: Files;
  /** The file the problem is reported on. */
  file: string;
  /** Text on the line the problem points at (in `file`); absent for whole-file problems (line 1). */
  at?: string;
  related?: string[];
  /** Severity and failsBuild per version; the case runs under each version listed. */
  in: Partial<Record<Version, Verdict>>;
  message?: RegExp | Partial<Record<Version, RegExp>>;
  /** The quick fix: its title and the whole of `file` after applying it. Absent: the problem has no fix. */
  fix?: { title: string; result: string };
}

interface QuietCase {
  shows: string;
  files: Files;
  in: Version[];
  /** Other problems the tree is expected to have (ids); by default none at all. */
  others?: string[];
}

interface CheckTable {
  id: string;
  fires: FireCase[];
  quiet: QuietCase[];
}

// ---------------------------------------------------------------------------------------------
// Shared snippets

const GET_OK = 'export async function GET() {\n  return Response.json({ ok: true });\n}\n';
const USE_CACHE_HELPER = "async function getData() {\n  'use cache';\n  return { at: Date.now() };\n}\n\nexport async function GET() {\n  return Response.json(await getData());\n}\n";
const PAGE = 'export default function Page() {\n  return null;\n}\n';
const ALL_BUILDS = (v: Verdict, turbopack: Verdict = v): Partial<Record<Version, Verdict>> => ({
  '14': v,
  '15': v,
  '15 --turbopack': turbopack,
  '16': turbopack,
  '16 --webpack': v,
});

const COOKIES_UNDER = (mode: string) =>
  [
    "import { cookies } from 'next/headers';",
    '',
    `export const dynamic = '${mode}';`,
    '',
    'export async function GET() {',
    "  const theme = (await cookies()).get('theme');",
    "  return Response.json({ theme: theme?.value ?? 'light' });",
    '}',
    '',
  ].join('\n');

const OUTPUT_EXPORT = { 'next.config.js': "module.exports = { output: 'export' };\n" };

// ---------------------------------------------------------------------------------------------
// The tables

const TABLES: CheckTable[] = [
  {
    id: 'route-page-conflict',
    fires: [
      {
        shows: 'on x/route.ts beside x/page.tsx, in Next.js’s wording for the bundler',
        files: { 'app/x/route.ts': GET_OK, 'app/x/page.tsx': PAGE },
        file: 'app/x/route.ts',
        at: 'export async function GET',
        related: ['app/x/page.tsx'],
        in: ALL_BUILDS(FAILS),
        message: {
          '14': /^You cannot have two parallel pages that resolve to the same path\. Please check \/x\/page and \/x\/route\./,
          '15': /^You cannot have two parallel pages that resolve to the same path\./,
          '15 --turbopack': /^Conflicting route and page at \/x: route at \/x\/route and page at \/x\/page/,
          '16': /^Conflicting route and page at \/x: route at \/x\/route and page at \/x\/page/,
          '16 --webpack': /^You cannot have two parallel pages that resolve to the same path\./,
        },
      },
      {
        shows: 'through route groups: (shop)/cart/route.ts and (marketing)/cart/page.tsx',
        files: { 'app/(shop)/cart/route.ts': GET_OK, 'app/(marketing)/cart/page.tsx': PAGE },
        file: 'app/(shop)/cart/route.ts',
        at: 'export async function GET',
        related: ['app/(marketing)/cart/page.tsx'],
        in: { '14': FAILS, '16': FAILS },
      },
      {
        shows: 'at the root: app/route.ts and app/page.tsx',
        files: { 'app/route.ts': GET_OK, 'app/page.tsx': PAGE },
        file: 'app/route.ts',
        at: 'export async function GET',
        related: ['app/page.tsx'],
        in: { '15': FAILS, '16': FAILS },
      },
    ],
    quiet: [
      { shows: 'a route and a page at different URLs (api/x/route.ts, x/page.tsx)', files: { 'app/api/x/route.ts': GET_OK, 'app/x/page.tsx': PAGE }, in: ['14', '15', '16'] },
      { shows: 'a route nested under a page (x/page.tsx, x/feed/route.ts)', files: { 'app/x/page.tsx': PAGE, 'app/x/feed/route.ts': GET_OK }, in: ['14', '16'] },
    ],
  },
  {
    id: 'duplicate-route',
    fires: [
      {
        shows: 'on (a)/x/route.ts and (b)/x/route.ts: Turbopack fails, webpack keeps one silently',
        files: { 'app/(a)/x/route.ts': GET_OK, 'app/(b)/x/route.ts': GET_OK },
        file: 'app/(b)/x/route.ts',
        at: 'export async function GET',
        related: ['app/(a)/x/route.ts'],
        in: ALL_BUILDS(WARNS, FAILS),
        message: {
          '14': /both resolve to \/x; webpack builds keep one of them silently/,
          '15 --turbopack': /^Conflicting routes at \/x: \/\(a\)\/x\/route and \/\(b\)\/x\/route/,
          '16': /^Conflicting routes at \/x/,
          '16 --webpack': /webpack builds keep one of them silently/,
        },
      },
    ],
    quiet: [
      { shows: 'two groups at different URLs ((a)/x, (b)/y)', files: { 'app/(a)/x/route.ts': GET_OK, 'app/(b)/y/route.ts': GET_OK }, in: ['14', '15', '16'] },
      {
        shows: 'route.ts beside route.js in one folder (that is duplicate-route-file)',
        files: { 'app/x/route.ts': GET_OK, 'app/x/route.js': GET_OK },
        in: ['15', '16'],
        others: ['duplicate-route-file'],
      },
    ],
  },
  {
    id: 'duplicate-route-file',
    fires: [
      {
        shows: 'on route.ts beside route.js: every version builds silently, dev and build serve different files',
        files: { 'app/x/route.ts': GET_OK, 'app/x/route.js': GET_OK },
        file: 'app/x/route.ts',
        related: ['app/x/route.js'],
        in: { '14': WARNS, '15': WARNS, '16': WARNS, '16 --webpack': WARNS },
        message: /Duplicate page detected\. app\/x\/route\.js and app\/x\/route\.ts resolve to \/x/,
      },
    ],
    quiet: [
      { shows: 'route.ts and route.js in different folders', files: { 'app/x/route.ts': GET_OK, 'app/y/route.js': GET_OK }, in: ['14', '16'] },
      { shows: 'route.ts beside a helper module in its folder', files: { 'app/x/route.ts': GET_OK, 'app/x/handlers.ts': 'export const answer = 42;\n' }, in: ['15'] },
    ],
  },
  {
    id: 'slug-name-conflict',
    fires: [
      {
        shows: 'on items/[id] and items/[userId]/other: 14 fails, 15 and 16 build (dev refuses)',
        files: { 'app/items/[id]/route.ts': GET_OK, 'app/items/[userId]/other/route.ts': GET_OK },
        file: 'app/items/[userId]/other/route.ts',
        related: ['app/items/[id]/route.ts'],
        in: { '14': FAILS, '15': ERROR, '16': ERROR },
        message: /^You cannot use different slug names for the same dynamic path \('id' !== 'userId'\)\./,
      },
      {
        shows: 'on items/[id] and items/[slug] at the same leaf: 14 and 16 fail, 15 builds',
        files: { 'app/items/[id]/route.ts': GET_OK, 'app/items/[slug]/route.ts': GET_OK },
        file: 'app/items/[slug]/route.ts',
        related: ['app/items/[id]/route.ts'],
        in: { '14': FAILS, '15': ERROR, '15 --turbopack': ERROR, '16': FAILS, '16 --webpack': FAILS },
        message: { '14': /\('id' !== 'slug'\)/, '16': /Ambiguous app routes/ },
      },
      {
        shows: 'between a page and a route (items/[id]/page.tsx, items/[slug]/route.ts), on the route',
        files: { 'app/items/[id]/page.tsx': PAGE, 'app/items/[slug]/route.ts': GET_OK },
        file: 'app/items/[slug]/route.ts',
        related: ['app/items/[id]/page.tsx'],
        in: { '14': FAILS },
        message: /different slug names for the same dynamic path/,
      },
    ],
    quiet: [
      {
        shows: 'dynamic segment names equal at the same level (items/[id], items/[id]/other)',
        files: { 'app/items/[id]/route.ts': GET_OK, 'app/items/[id]/other/route.ts': GET_OK },
        in: ['14', '15', '16'],
      },
      { shows: 'different names under different parents (a/[id], b/[slug])', files: { 'app/a/[id]/route.ts': GET_OK, 'app/b/[slug]/route.ts': GET_OK }, in: ['14', '16'] },
    ],
  },
  {
    id: 'duplicate-slug',
    fires: [
      {
        shows: 'on [id]/x/[id]: 14 and 16 fail, 15 builds',
        files: { 'app/[id]/x/[id]/route.ts': GET_OK },
        file: 'app/[id]/x/[id]/route.ts',
        in: { '14': FAILS, '15': ERROR, '16': FAILS },
        message: /^You cannot have the same slug name "id" repeat within a single dynamic path/,
      },
      {
        shows: 'on a required and an optional catch-all at one level (x/[...a], x/[[...a]])',
        files: { 'app/x/[...a]/route.ts': GET_OK, 'app/x/[[...a]]/route.ts': GET_OK },
        file: 'app/x/[[...a]]/route.ts',
        related: ['app/x/[...a]/route.ts'],
        in: { '14': FAILS },
        message: /You cannot use both an required and optional catch-all route at the same level/,
      },
    ],
    quiet: [{ shows: 'two different slugs in one path ([id]/x/[slug])', files: { 'app/[id]/x/[slug]/route.ts': GET_OK }, in: ['14', '15', '16'] }],
  },
  {
    id: 'optional-catchall-conflict',
    fires: [
      {
        shows: 'on x/route.ts beside x/[[...slug]]/route.ts: 15 builds, 14 and 16 fail',
        files: { 'app/x/route.ts': GET_OK, 'app/x/[[...slug]]/route.ts': GET_OK },
        file: 'app/x/[[...slug]]/route.ts',
        related: ['app/x/route.ts'],
        in: { '14': FAILS, '15': ERROR, '15 --turbopack': ERROR, '16': FAILS, '16 --webpack': FAILS },
        message: /same specificity as an? optional catch-all route \("\/x" and "\/x\[\[\.\.\.slug\]\]"\)/,
      },
      {
        shows: 'on page.tsx beside [[...slug]]/route.ts at the root',
        files: { 'app/page.tsx': PAGE, 'app/[[...slug]]/route.ts': GET_OK },
        file: 'app/[[...slug]]/route.ts',
        related: ['app/page.tsx'],
        in: { '14': FAILS, '15': ERROR, '16': FAILS },
      },
    ],
    quiet: [
      { shows: 'x/route.ts beside a required catch-all x/[...slug]', files: { 'app/x/route.ts': GET_OK, 'app/x/[...slug]/route.ts': GET_OK }, in: ['14', '15', '16'] },
      { shows: 'an optional catch-all under another URL (x/route.ts, y/[[...slug]])', files: { 'app/x/route.ts': GET_OK, 'app/y/[[...slug]]/route.ts': GET_OK }, in: ['16'] },
    ],
  },
  {
    id: 'catchall-not-last',
    fires: [
      {
        shows: 'on x/[...path]/y: only 15 with webpack builds',
        files: { 'app/x/[...path]/y/route.ts': GET_OK },
        file: 'app/x/[...path]/y/route.ts',
        in: { '14': FAILS, '15': ERROR, '15 --turbopack': FAILS, '16': FAILS, '16 --webpack': FAILS },
        message: /^Catch-all must be the last part of the URL in route "\/x\/\[\.\.\.path\]\/y"\./,
      },
    ],
    quiet: [
      { shows: 'a catch-all that ends the URL (x/[...path])', files: { 'app/x/[...path]/route.ts': GET_OK }, in: ['14', '15', '16'] },
      { shows: 'a single dynamic segment in the middle (x/[path]/y)', files: { 'app/x/[path]/y/route.ts': GET_OK }, in: ['14', '16'] },
    ],
  },
  {
    id: 'default-export-only',
    fires: [
      {
        shows: 'on a route.ts with only export default: every build fails its type check',
        files: { 'app/x/route.ts': 'export default async function handler() {\n  return Response.json({ ok: true });\n}\n' },
        file: 'app/x/route.ts',
        at: 'export default',
        in: { '14': FAILS, '15': FAILS, '16': FAILS, '16 --webpack': FAILS, '16 cacheComponents': FAILS },
        message: /^Detected default export in 'app\/x\/route\.ts'\. Export a named export for each HTTP method instead/,
      },
      {
        shows: 'on a route.js with only export default: Turbopack (16) builds it, webpack does not',
        files: { 'app/x/route.js': 'export default async function handler() {\n  return Response.json({ ok: true });\n}\n' },
        file: 'app/x/route.js',
        at: 'export default',
        in: { '14': FAILS, '15': FAILS, '16': WARNS, '16 --webpack': FAILS },
      },
    ],
    quiet: [
      { shows: 'a named GET, with the default export in a page elsewhere', files: { 'app/api/x/route.ts': GET_OK, 'app/x/page.tsx': PAGE }, in: ['14', '16'] },
    ],
  },
  {
    id: 'no-methods',
    fires: [
      { shows: 'on an empty route.ts', files: { 'app/x/route.ts': '' }, file: 'app/x/route.ts', in: { '15': WARNS, '16': WARNS }, message: /^No HTTP methods exported in 'app\/x\/route\.ts'/ },
      { shows: 'on a route.ts with only segment config', files: { 'app/x/route.ts': "export const dynamic = 'force-static';\n" }, file: 'app/x/route.ts', in: { '14': WARNS, '16': WARNS } },
    ],
    quiet: [
      { shows: 'GET re-exported from another route file', files: { 'app/x/route.ts': "export { GET } from '../y/route';\n", 'app/y/route.ts': GET_OK }, in: ['15', '16'] },
      { shows: 'GET exported as a const arrow function', files: { 'app/x/route.ts': 'export const GET = async () => Response.json({ ok: true });\n' }, in: ['14', '16'] },
    ],
  },
  {
    id: 'lowercase-method',
    fires: [
      {
        shows: 'on export async function get in route.ts, with a rename fix',
        files: { 'app/x/route.ts': 'export async function get() {\n  return Response.json({ ok: true });\n}\n' },
        file: 'app/x/route.ts',
        at: 'export async function get',
        in: { '14': FAILS, '15': FAILS, '16': FAILS, '16 --webpack': FAILS },
        message: /^Detected lowercase method 'get' in 'app\/x\/route\.ts'\. Export the uppercase 'GET' method name to fix this error/,
        fix: { title: "Rename 'get' to 'GET'", result: GET_OK },
      },
      {
        shows: 'on export function get in route.js: Turbopack (16) builds it, webpack does not',
        files: { 'app/x/route.js': 'export async function get() {\n  return Response.json({ ok: true });\n}\n' },
        file: 'app/x/route.js',
        at: 'export async function get',
        in: { '14': FAILS, '15': FAILS, '16': WARNS, '16 --webpack': FAILS },
        fix: { title: "Rename 'get' to 'GET'", result: GET_OK },
      },
      {
        shows: 'on export const get = arrow, with a rename fix',
        files: { 'app/x/route.ts': "import { NextResponse } from 'next/server';\n\nexport const get = async () => NextResponse.json({ ok: true });\n" },
        file: 'app/x/route.ts',
        at: 'export const get',
        in: { '15': FAILS, '16': FAILS },
        fix: { title: "Rename 'get' to 'GET'", result: "import { NextResponse } from 'next/server';\n\nexport const GET = async () => NextResponse.json({ ok: true });\n" },
      },
      {
        shows: 'on export function get beside an exported POST: Turbopack’s type check passes (a method is left)',
        files: { 'app/x/route.ts': 'export function get() {\n  return Response.json({ ok: true });\n}\n\nexport async function POST() {\n  return new Response(null, { status: 204 });\n}\n' },
        file: 'app/x/route.ts',
        at: 'export function get',
        in: { '15': FAILS, '16': WARNS, '16 --webpack': FAILS },
        fix: { title: "Rename 'get' to 'GET'", result: 'export function GET() {\n  return Response.json({ ok: true });\n}\n\nexport async function POST() {\n  return new Response(null, { status: 204 });\n}\n' },
      },
    ],
    quiet: [
      {
        shows: 'a lowercase local helper named get that is not exported',
        files: {
          'app/x/route.ts':
            "async function get(url: string) {\n  return fetch(url, { cache: 'no-store' });\n}\n\nexport async function GET() {\n  const res = await get('https://example.com/prices');\n  return Response.json(await res.json());\n}\n",
        },
        in: ['14', '15', '16'],
      },
      {
        shows: 'an exported lowercase helper that is not a method name (getUser)',
        files: { 'app/x/route.ts': 'export function getUser() {\n  return null;\n}\n\nexport async function GET() {\n  return Response.json(getUser());\n}\n' },
        in: ['16'],
        others: ['invalid-route-export'],
      },
    ],
  },
  {
    id: 'invalid-route-export',
    fires: [
      {
        shows: 'on export const helper beside GET: webpack builds fail, Turbopack builds',
        files: { 'app/x/route.ts': 'export const helper = 42;\n\n' + GET_OK },
        file: 'app/x/route.ts',
        at: 'export const helper',
        in: { '14': FAILS, '15': FAILS, '16': WARNS, '16 --webpack': FAILS, '16 cacheComponents': WARNS },
        message: { '14': /^"helper" is not a valid Route export field\./, '15': /^"helper" is not a valid Route export field\./, '16': /"helper" is exported from a route file but Next\.js does not use it/ },
      },
    ],
    quiet: [
      {
        shows: 'the allowed exports (revalidate, maxDuration, preferredRegion, runtime, generateStaticParams) and an unexported helper',
        files: {
          'app/items/[id]/route.ts': [
            'export const revalidate = 60;',
            'export const maxDuration = 30;',
            "export const preferredRegion = 'auto';",
            "export const runtime = 'nodejs';",
            '',
            'export async function generateStaticParams() {',
            "  return [{ id: 'a' }];",
            '}',
            '',
            'const helper = 42;',
            '',
            'export async function GET() {',
            '  return Response.json({ helper });',
            '}',
            '',
          ].join('\n'),
        },
        in: ['14', '15', '16'],
      },
    ],
  },
  {
    id: 'invalid-handler-type',
    fires: [
      {
        shows: 'on params typed as a plain object: a Promise since 15 (14 accepts any second argument)',
        files: { 'app/items/[id]/route.ts': 'export async function GET(request: Request, { params }: { params: { id: string } }) {\n  return Response.json({ ok: true });\n}\n' },
        file: 'app/items/[id]/route.ts',
        at: 'export async function GET',
        in: { '15': FAILS, '15 --turbopack': FAILS, '16': FAILS, '16 --webpack': FAILS, '16 cacheComponents': FAILS },
        message: {
          '15': /^Route "app\/items\/\[id\]\/route\.ts" has an invalid "GET" export: Type "\{ params: \{ id: string \} \}" is not a valid type for the function's second argument\. next build fails/,
          '16': /^Type 'typeof import\("app\/items\/\[id\]\/route"\)' does not satisfy the constraint 'RouteHandlerConfig<"\/items\/\[id\]">'/,
        },
      },
      {
        shows: 'on params typed as a Promise of a param the route does not have (the validator of 15.5 and 16)',
        files: { 'app/items/[id]/route.ts': 'export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {\n  const { slug } = await params;\n  return Response.json({ slug });\n}\n' },
        file: 'app/items/[id]/route.ts',
        at: 'export async function GET',
        in: { '15': FAILS, '16': FAILS },
      },
      {
        shows: 'on a second argument that is not the context object',
        files: { 'app/items/[id]/route.ts': 'export async function GET(request: Request, id: string) {\n  return Response.json({ id });\n}\n' },
        file: 'app/items/[id]/route.ts',
        at: 'export async function GET',
        in: { '15': FAILS, '16': FAILS },
      },
      {
        shows: 'on a first argument typed as a string, in every version',
        files: { 'app/x/route.ts': 'export const GET = async (request: string) => Response.json({ request });\n' },
        file: 'app/x/route.ts',
        at: 'export const GET',
        in: { '14': FAILS, '15': FAILS, '16': FAILS },
        message: { '14': /is not a valid type for the function's first argument/ },
      },
      {
        shows: 'on a return type that is not a Response',
        files: { 'app/x/route.ts': 'export async function GET(): Promise<Response | string> {\n  return Response.json({ ok: true });\n}\n' },
        file: 'app/x/route.ts',
        at: 'export async function GET',
        in: { '14': FAILS, '15': FAILS, '16': FAILS },
        message: { '14': /^Route "app\/x\/route\.ts" has an invalid export: "Promise<Response \| string>" is not a valid GET return type/ },
      },
      {
        shows: 'once on a handler exported as both GET and POST',
        files: { 'app/items/[id]/route.ts': 'async function handler(request: Request, { params }: { params: { id: string } }) {\n  return Response.json({ ok: true });\n}\n\nexport { handler as GET, handler as POST };\n' },
        file: 'app/items/[id]/route.ts',
        at: 'async function handler',
        in: { '15': FAILS },
      },
      {
        shows: 'as a warning when next.config sets typescript.ignoreBuildErrors',
        files: {
          'next.config.js': 'module.exports = { typescript: { ignoreBuildErrors: true } };\n',
          'app/x/route.ts': 'export async function GET(request: string) {\n  return Response.json({ request });\n}\n',
        },
        file: 'app/x/route.ts',
        at: 'export async function GET',
        in: { '14': WARNS, '16': WARNS },
        message: /typescript\.ignoreBuildErrors/,
      },
    ],
    quiet: [
      {
        shows: 'the signatures Next.js documents: NextRequest, Request, params as a Promise, NextResponse',
        files: {
          'app/items/[id]/route.ts': [
            "import { NextRequest, NextResponse } from 'next/server';",
            '',
            'export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }): Promise<NextResponse> {',
            '  const { id } = await params;',
            '  return NextResponse.json({ id });',
            '}',
            '',
            'export async function POST(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {',
            '  const { id } = await context.params;',
            '  return Response.json({ id });',
            '}',
            '',
          ].join('\n'),
        },
        in: ['14', '15', '16'],
      },
      {
        shows: 'params typed as a plain object in 14, where it is one',
        files: { 'app/items/[id]/route.ts': 'export async function GET(request: Request, { params }: { params: { id: string } }) {\n  return Response.json({ id: params.id });\n}\n' },
        in: ['14'],
      },
      {
        shows: 'untyped handlers in route.js, a wrapped handler and an annotated const (their types are not the annotations)',
        files: {
          'app/a/[id]/route.js': 'export async function GET(request, { params }) {\n  return Response.json({ id: (await params).id });\n}\n',
          'app/b/route.ts': 'const withAuth = (h: (r: Request) => Promise<Response>) => h;\n\nexport const GET = withAuth(async (request: string | Request) => Response.json({ ok: true }));\n',
          'app/c/route.ts': 'type Handler = (request: Request) => Promise<Response>;\n\nexport const GET: Handler = async (request: any) => Response.json({ ok: true });\n',
        },
        in: ['15', '16'],
      },
      {
        shows: 'types syntax cannot decide: a named type, a type literal with an index signature, a Promise of a named type',
        files: {
          'app/items/[id]/route.ts': [
            'type Ctx = { params: Promise<{ id: string }> };',
            '',
            'export async function GET(request: Request, context: Ctx) {',
            '  const { id } = await context.params;',
            '  return Response.json({ id });',
            '}',
            '',
            'export async function PUT(request: { [key: string]: unknown } & Request, context: { params: Promise<Record<string, string>> }) {',
            '  return Response.json({ ok: true });',
            '}',
            '',
          ].join('\n'),
        },
        in: ['15', '16'],
      },
    ],
  },
  {
    id: 'invalid-segment-config',
    fires: [
      {
        shows: "on dynamic = 'force-dynamik', in each version's wording",
        files: { 'app/x/route.ts': "export const dynamic = 'force-dynamik';\n\n" + GET_OK },
        file: 'app/x/route.ts',
        at: 'export const dynamic',
        in: { '14': FAILS, '15': FAILS, '16': FAILS, '16 --webpack': FAILS },
        message: {
          '14': /^Invalid configuration "dynamic": expected "auto" \| "error" \| "force-static" \| "force-dynamic", got "force-dynamik"\./,
          '15': /Invalid segment configuration options detected for "\/x"\..*Invalid enum value\. Expected 'auto' \| 'error' \| 'force-static' \| 'force-dynamic', received 'force-dynamik' at "dynamic"/,
          '16': /^Next\.js can't recognize the exported `dynamic` field in route\. It has an invalid value: unknown variant `force-dynamik`/,
          '16 --webpack': /Invalid enum value\. Expected 'auto' \| 'error' \| 'force-static' \| 'force-dynamic', received 'force-dynamik'/,
        },
      },
      {
        shows: 'on revalidate = 60 * 2 in 15 and 16 (not statically analyzable)',
        files: { 'app/x/route.ts': 'export const revalidate = 60 * 2;\n\n' + GET_OK },
        file: 'app/x/route.ts',
        at: 'export const revalidate',
        in: { '15': FAILS, '16': FAILS, '16 --webpack': FAILS },
        message: {
          '15': /Unsupported node type "BinaryExpression" at "revalidate"/,
          '16': /^Invalid segment configuration export detected\./,
          '16 --webpack': /Unsupported node type "BinaryExpression" at "revalidate"/,
        },
      },
      {
        shows: 'on revalidate = REVALIDATE_SECONDS in 15 and 16',
        files: { 'app/x/route.ts': 'const REVALIDATE_SECONDS = 60;\nexport const revalidate = REVALIDATE_SECONDS;\n\n' + GET_OK },
        file: 'app/x/route.ts',
        at: 'export const revalidate',
        in: { '15': FAILS, '16': FAILS },
        message: { '15': /Unknown identifier "REVALIDATE_SECONDS" at "revalidate"/ },
      },
      {
        shows: 'on dynamic = MODE in 15 and 16',
        files: { 'app/x/route.ts': "const MODE = 'force-static';\nexport const dynamic = MODE;\n\n" + GET_OK },
        file: 'app/x/route.ts',
        at: 'export const dynamic',
        in: { '15': FAILS, '16': FAILS, '16 --webpack': FAILS },
        message: {
          '15': /Unknown identifier "MODE" at "dynamic"/,
          '16': /^Next\.js can't recognize the exported `dynamic` field in route\. It needs to be a static string\./,
          '16 --webpack': /Unknown identifier "MODE" at "dynamic"/,
        },
      },
      {
        shows: "on revalidate = '60' (a string) in every version",
        files: { 'app/x/route.ts': "export const revalidate = '60';\n\n" + GET_OK },
        file: 'app/x/route.ts',
        at: 'export const revalidate',
        in: { '14': FAILS, '15': FAILS, '16': FAILS },
        message: { '14': /^Invalid revalidate value "60" on "\/x", must be a non-negative number or "false"/, '15': /Invalid revalidate value "60" on "\/x"/ },
      },
      {
        shows: 'on revalidate = -1 in every version',
        files: { 'app/x/route.ts': 'export const revalidate = -1;\n\n' + GET_OK },
        file: 'app/x/route.ts',
        at: 'export const revalidate',
        in: { '14': FAILS, '15': FAILS, '16': FAILS, '16 --webpack': FAILS },
        message: {
          '14': /Invalid configuration "revalidate": Expected "false \| number \(>= 0\)", got "-1"\./,
          '15': /Unsupported node type "UnaryExpression" at "revalidate"/,
          '16': /^Invalid segment configuration export detected\./,
          '16 --webpack': /Unsupported node type "UnaryExpression" at "revalidate"/,
        },
      },
      {
        shows: "on the page config ensureStatic in a route file of 16 without cacheComponents (16.4)",
        files: { 'app/x/route.ts': "export const ensureStatic = 'auto';\n\n" + GET_OK },
        file: 'app/x/route.ts',
        at: 'export const ensureStatic',
        in: { '16': FAILS },
        message: /^Route "\/x\/route" cannot use `export const ensureStatic = \.\.\.` without enabling `cacheComponents`\./,
      },
      {
        shows: 'on instant in a route file of 16 without cacheComponents, in its own wording',
        files: { 'app/x/route.ts': 'export const instant = false;\n\n' + GET_OK },
        file: 'app/x/route.ts',
        at: 'export const instant',
        in: { '16': FAILS },
        message: /^Route segment config "instant" requires `nextConfig\.cacheComponents` to be enabled\./,
      },
      {
        shows: 'on unstable_paramMatching in a route file, with cacheComponents too',
        files: { 'app/x/[id]/route.ts': "export const unstable_paramMatching = { id: 'a' };\n\nexport function generateStaticParams() {\n  return [{ id: 'a' }];\n}\n\n" + GET_OK },
        file: 'app/x/[id]/route.ts',
        at: 'export const unstable_paramMatching',
        in: { '16': FAILS, '16 cacheComponents': FAILS },
        message: /cannot export parameter matching\. It is only supported in layouts and pages\./,
      },
    ],
    quiet: [
      {
        shows: 'instant, prefetch and ensureStatic in route files under cacheComponents (16.4 accepts them)',
        files: { 'app/x/route.ts': "export const instant = false;\nexport const prefetch = 'auto';\nexport const ensureStatic = 'auto';\n\n" + GET_OK },
        in: ['16 cacheComponents'],
      },
      {
        shows: 'segment config destructured with the methods (Next reads only literal exports: builds pass)',
        files: {
          'app/x/route.ts':
            'function createRoute(options: { maxDuration: number }) {\n  return { GET: async () => Response.json({ ok: true }), POST: async () => Response.json({ ok: true }), maxDuration: options.maxDuration };\n}\n\nexport const { GET, POST, maxDuration } = createRoute({ maxDuration: 30 });\n',
        },
        in: ['15', '16', '16 cacheComponents'],
      },
      { shows: 'revalidate = 60 * 2 in 14 (applied at run time)', files: { 'app/x/route.ts': 'export const revalidate = 60 * 2;\n\n' + GET_OK }, in: ['14'] },
      {
        shows: 'revalidate = REVALIDATE_SECONDS and dynamic = MODE in 14',
        files: { 'app/x/route.ts': "const REVALIDATE_SECONDS = 60;\nconst MODE = 'force-static';\nexport const revalidate = REVALIDATE_SECONDS;\nexport const dynamic = MODE;\n\n" + GET_OK },
        in: ['14'],
      },
      {
        shows: "literal revalidate = 60, revalidate = false and dynamic = 'force-static'",
        files: { 'app/x/route.ts': 'export const revalidate = 60;\n\n' + GET_OK, 'app/y/route.ts': "export const dynamic = 'force-static';\nexport const revalidate = false;\n\n" + GET_OK },
        in: ['14', '15', '16'],
      },
      {
        shows: "dynamic = 'force-dynamik' under cacheComponents (segment-config-cache-components reports it)",
        files: { 'app/x/route.ts': "export const dynamic = 'force-dynamik';\n\n" + GET_OK },
        in: ['16 cacheComponents'],
        others: ['segment-config-cache-components'],
      },
    ],
  },
  {
    id: 'segment-config-cache-components',
    fires: [
      {
        shows: 'on revalidate = 60 between other config lines, with a fix that removes the line',
        files: { 'app/x/route.ts': "export const maxDuration = 30;\nexport const revalidate = 60;\nexport const preferredRegion = 'auto';\n\n" + GET_OK },
        file: 'app/x/route.ts',
        at: 'export const revalidate',
        in: { '16 cacheComponents': FAILS },
        message: /^Route segment config "revalidate" is not compatible with `nextConfig\.cacheComponents`\. Please remove it\./,
        fix: { title: 'Remove the `revalidate` export', result: "export const maxDuration = 30;\nexport const preferredRegion = 'auto';\n\n" + GET_OK },
      },
      {
        shows: "on dynamic = 'force-static' after the imports, with a fix that leaves one blank line",
        files: {
          'app/x/route.ts': "import { NextResponse } from 'next/server';\n\nexport const dynamic = 'force-static';\n\nexport async function GET() {\n  return NextResponse.json({ ok: true });\n}\n",
        },
        file: 'app/x/route.ts',
        at: 'export const dynamic',
        in: { '16 cacheComponents': FAILS },
        message: /^Route segment config "dynamic" is not compatible/,
        fix: { title: 'Remove the `dynamic` export', result: "import { NextResponse } from 'next/server';\n\nexport async function GET() {\n  return NextResponse.json({ ok: true });\n}\n" },
      },
      {
        shows: "on runtime = 'nodejs' as the last line",
        files: { 'app/x/route.ts': GET_OK + "export const runtime = 'nodejs';\n" },
        file: 'app/x/route.ts',
        at: 'export const runtime',
        in: { '16 cacheComponents': FAILS },
        fix: { title: 'Remove the `runtime` export', result: GET_OK },
      },
      {
        shows: "on fetchCache = 'default-cache' as the last line",
        files: { 'app/x/route.ts': GET_OK + "export const fetchCache = 'default-cache';\n" },
        file: 'app/x/route.ts',
        at: 'export const fetchCache',
        in: { '16 cacheComponents': FAILS },
        fix: { title: 'Remove the `fetchCache` export', result: GET_OK },
      },
      {
        shows: 'on dynamicParams = false beside generateStaticParams (which stays)',
        files: {
          'app/items/[id]/route.ts':
            "export const dynamicParams = false;\nexport async function generateStaticParams() {\n  return [{ id: 'a' }];\n}\n\nexport async function GET() {\n  return Response.json({ ok: true });\n}\n",
        },
        file: 'app/items/[id]/route.ts',
        at: 'export const dynamicParams',
        in: { '16 cacheComponents': FAILS },
        fix: { title: 'Remove the `dynamicParams` export', result: "export async function generateStaticParams() {\n  return [{ id: 'a' }];\n}\n\nexport async function GET() {\n  return Response.json({ ok: true });\n}\n" },
      },
    ],
    quiet: [
      {
        shows: 'generateStaticParams, maxDuration and preferredRegion under cacheComponents',
        files: {
          'app/items/[id]/route.ts':
            "export const maxDuration = 30;\nexport const preferredRegion = 'auto';\n\nexport async function generateStaticParams() {\n  return [{ id: 'a' }, { id: 'b' }];\n}\n\nexport async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {\n  const { id } = await params;\n  return Response.json({ id });\n}\n",
        },
        in: ['16 cacheComponents'],
      },
      { shows: 'revalidate = 60 without cacheComponents', files: { 'app/x/route.ts': 'export const revalidate = 60;\n\n' + GET_OK }, in: ['15', '16'] },
    ],
  },
  {
    id: 'dynamic-error-dynamic-api',
    fires: [
      {
        shows: "on cookies() under dynamic = 'error', with a fix to force-dynamic",
        files: { 'app/x/route.ts': COOKIES_UNDER('error') },
        file: 'app/x/route.ts',
        at: 'await cookies()',
        related: ['app/x/route.ts'],
        in: { '14': FAILS, '15': FAILS, '16': FAILS },
        message: {
          '14': /Route \/x with `dynamic = "error"` couldn't be rendered statically because it used `cookies`\./,
          '15': /Route \/x with `dynamic = "error"` couldn't be rendered statically because it used `cookies`\./,
          '16': /Route \/x with `dynamic = "error"` couldn't be rendered statically because it used `cookies\(\)`\./,
        },
        fix: { title: "Change to dynamic = 'force-dynamic'", result: COOKIES_UNDER('force-dynamic') },
      },
      {
        shows: "on request.url under dynamic = 'error'",
        files: { 'app/x/route.ts': "export const dynamic = 'error';\n\nexport async function GET(request: Request) {\n  return Response.json({ url: request.url });\n}\n" },
        file: 'app/x/route.ts',
        at: 'request.url',
        related: ['app/x/route.ts'],
        in: { '14': FAILS, '15': FAILS, '16': FAILS },
        message: /couldn't be rendered statically because it used `request\.url`\./,
        fix: { title: "Change to dynamic = 'force-dynamic'", result: "export const dynamic = 'force-dynamic';\n\nexport async function GET(request: Request) {\n  return Response.json({ url: request.url });\n}\n" },
      },
    ],
    quiet: [
      {
        shows: "dynamic = 'error' with only request.method (prerendered fine)",
        files: { 'app/x/route.ts': "export const dynamic = 'error';\n\nexport async function GET(request: Request) {\n  return Response.json({ method: request.method });\n}\n" },
        in: ['14', '15', '16'],
      },
      {
        shows: "cookies() without dynamic = 'error' (the route is just dynamic)",
        files: { 'app/x/route.ts': "import { cookies } from 'next/headers';\n\nexport async function GET() {\n  const theme = (await cookies()).get('theme');\n  return Response.json({ theme: theme?.value });\n}\n" },
        in: ['14', '15', '16'],
      },
      {
        shows: "cookies() under dynamic = 'error' with cacheComponents (the segment config is the error)",
        files: { 'app/x/route.ts': COOKIES_UNDER('error') },
        in: ['16 cacheComponents'],
        others: ['segment-config-cache-components'],
      },
    ],
  },
  {
    id: 'fetch-cache-conflict',
    fires: [
      {
        shows: "on a no-store fetch under fetchCache = 'only-cache' in a prerendered GET",
        files: {
          'app/x/route.ts':
            "export const fetchCache = 'only-cache';\nexport const revalidate = 3600;\n\nexport async function GET() {\n  const res = await fetch('https://example.com/a', { cache: 'no-store' });\n  return Response.json(await res.json());\n}\n",
        },
        file: 'app/x/route.ts',
        at: "await fetch(",
        in: { '14': FAILS, '15': FAILS, '16': FAILS },
        message: /^cache: 'no-store' used on fetch for <url> with 'export const fetchCache = 'only-cache': prerendering \/x throws/,
      },
      {
        shows: "on a force-cache fetch under fetchCache = 'only-no-store'; a warning where 15 does not prerender the GET",
        files: {
          'app/x/route.ts': "export const fetchCache = 'only-no-store';\n\nexport async function GET() {\n  const res = await fetch('https://example.com/a', { cache: 'force-cache' });\n  return Response.json(await res.json());\n}\n",
        },
        file: 'app/x/route.ts',
        at: "await fetch(",
        in: { '14': FAILS, '15': WARNS },
      },
    ],
    quiet: [
      {
        shows: "fetches fetchCache allows: force-cache under only-cache, no-store under only-no-store, any fetch under force-no-store",
        files: {
          'app/a/route.ts': "export const fetchCache = 'only-cache';\nexport const revalidate = 60;\n\nexport async function GET() {\n  const res = await fetch('https://example.com/a', { cache: 'force-cache' });\n  return Response.json(await res.json());\n}\n",
          'app/b/route.ts': "export const fetchCache = 'only-no-store';\nexport const revalidate = 60;\n\nexport async function GET() {\n  const res = await fetch('https://example.com/b', { cache: 'no-store' });\n  return Response.json(await res.json());\n}\n",
          'app/c/route.ts': "export const fetchCache = 'force-no-store';\nexport const revalidate = 60;\n\nexport async function GET() {\n  const res = await fetch('https://example.com/c', { cache: 'force-cache' });\n  return Response.json(await res.json());\n}\n",
        },
        in: ['14', '15', '16'],
      },
    ],
  },
  {
    id: 'unavailable-api',
    fires: [
      {
        shows: 'on connection() in Next.js 14',
        files: { 'app/x/route.ts': "import { connection } from 'next/server';\n\nexport async function GET() {\n  await connection();\n  return Response.json({ ok: true });\n}\n" },
        file: 'app/x/route.ts',
        at: 'await connection()',
        in: { '14': FAILS },
        message: /has no exported member 'connection'\. connection\(\) needs Next\.js 15 or later/,
      },
      {
        shows: "on a 'use cache' helper without cacheComponents (15 and 16 stop compiling)",
        files: { 'app/x/route.ts': USE_CACHE_HELPER },
        file: 'app/x/route.ts',
        at: 'await getData()',
        in: { '15': FAILS, '16': FAILS },
        message: { '15': /^To use "use cache", please enable the experimental feature flag "useCache"/, '16': /^To use "use cache", please enable the feature flag `cacheComponents`/ },
      },
      {
        shows: "on 'use cache' at the top of the GET handler itself, also under cacheComponents",
        files: { 'app/x/route.ts': "export async function GET() {\n  'use cache';\n  return Response.json({ at: Date.now() });\n}\n" },
        file: 'app/x/route.ts',
        at: 'export async function GET',
        in: { '16': FAILS, '16 cacheComponents': FAILS },
        message: { '16 cacheComponents': /^Only plain objects, and a few built-ins, can be passed to Client Components/ },
      },
      {
        shows: "on cookies() inside a 'use cache' helper under cacheComponents",
        files: {
          'app/x/route.ts':
            "import { cookies } from 'next/headers';\n\nasync function getTheme() {\n  'use cache';\n  const store = await cookies();\n  return { theme: store.get('theme')?.value ?? null };\n}\n\nexport async function GET() {\n  return Response.json(await getTheme());\n}\n",
        },
        file: 'app/x/route.ts',
        at: 'await cookies()',
        in: { '16 cacheComponents': FAILS },
        message: /^Route "\/x": `cookies\(\)` can't be read inside `"use cache"`/,
      },
    ],
    quiet: [
      { shows: "a 'use cache' helper under cacheComponents", files: { 'app/x/route.ts': USE_CACHE_HELPER }, in: ['16 cacheComponents'] },
      {
        shows: "'use cache' in a helper and in the handler with experimental.useCache (both build in 15 and 16: oracle use-cache-*-flag)",
        files: {
          'next.config.js': 'module.exports = { experimental: { useCache: true } };\n',
          'app/x/route.ts': USE_CACHE_HELPER,
          'app/y/route.ts': "export async function GET() {\n  'use cache';\n  return Response.json({ at: Date.now() });\n}\n",
        },
        in: ['15', '16'],
      },
      { shows: "a 'use cache' helper in 14, which ignores the directive (so its Date.now() is frozen)", files: { 'app/x/route.ts': USE_CACHE_HELPER }, in: ['14'], others: ['frozen-time-varying'] },
      {
        shows: 'connection() in Next.js 15 and 16',
        files: { 'app/x/route.ts': "import { connection } from 'next/server';\n\nexport async function GET() {\n  await connection();\n  return Response.json({ ok: true });\n}\n" },
        in: ['15', '16', '16 cacheComponents'],
      },
    ],
  },
  {
    id: 'frozen-time-varying',
    fires: [
      {
        shows: 'on Date.now() in a GET that 14 prerenders, with a fix that adds force-dynamic',
        files: { 'app/x/route.ts': 'export async function GET() {\n  return Response.json({ now: Date.now() });\n}\n' },
        file: 'app/x/route.ts',
        at: 'Date.now()',
        in: { '14': WARNS },
        message: /^GET \/x is prerendered at build, so `Date\.now\(\)` reads the time once during next build/,
        fix: { title: "Add `export const dynamic = 'force-dynamic'`", result: "export const dynamic = 'force-dynamic';\n\nexport async function GET() {\n  return Response.json({ now: Date.now() });\n}\n" },
      },
      {
        shows: 'on new Date() after the imports, with the added export set off by one blank line each side',
        files: { 'app/x/route.ts': "import { NextResponse } from 'next/server';\n\nexport async function GET() {\n  return NextResponse.json({ now: new Date().toISOString() });\n}\n" },
        file: 'app/x/route.ts',
        at: 'new Date()',
        in: { '14': WARNS },
        fix: {
          title: "Add `export const dynamic = 'force-dynamic'`",
          result: "import { NextResponse } from 'next/server';\n\nexport const dynamic = 'force-dynamic';\n\nexport async function GET() {\n  return NextResponse.json({ now: new Date().toISOString() });\n}\n",
        },
      },
      {
        shows: "on Math.random() under dynamic = 'force-static' in every version, with a fix to force-dynamic",
        files: { 'app/x/route.ts': "export const dynamic = 'force-static';\n\nexport async function GET() {\n  return Response.json({ n: Math.random() });\n}\n" },
        file: 'app/x/route.ts',
        at: 'Math.random()',
        in: { '14': WARNS, '15': WARNS, '16': WARNS },
        message: /reads a random value once during next build/,
        fix: { title: "Change to dynamic = 'force-dynamic'", result: "export const dynamic = 'force-dynamic';\n\nexport async function GET() {\n  return Response.json({ n: Math.random() });\n}\n" },
      },
      {
        shows: 'on process.env under cacheComponents (prerendered), without a segment-config fix',
        files: { 'app/x/route.ts': 'export async function GET() {\n  return Response.json({ region: process.env.REGION });\n}\n' },
        file: 'app/x/route.ts',
        at: 'process.env.REGION',
        in: { '16 cacheComponents': WARNS },
        message: /reads an environment variable once during next build/,
      },
    ],
    quiet: [
      { shows: 'Date.now() in 15 and 16 without an opt-in (never run at build)', files: { 'app/x/route.ts': 'export async function GET() {\n  return Response.json({ now: Date.now() });\n}\n' }, in: ['15', '16'] },
      { shows: 'Date.now() under cacheComponents (renders per request)', files: { 'app/x/route.ts': 'export async function GET() {\n  return Response.json({ now: Date.now() });\n}\n' }, in: ['16 cacheComponents'] },
      {
        shows: 'new Date() with revalidate = 60 (ISR refreshes it)',
        files: { 'app/x/route.ts': 'export const revalidate = 60;\n\nexport async function GET() {\n  return Response.json({ now: new Date().toISOString() });\n}\n' },
        in: ['14', '15', '16'],
      },
    ],
  },
  {
    id: 'force-static-request-data',
    fires: [
      {
        shows: "on cookies() under dynamic = 'force-static' (an empty store at build), with a fix to force-dynamic",
        files: { 'app/x/route.ts': COOKIES_UNDER('force-static') },
        file: 'app/x/route.ts',
        at: 'await cookies()',
        related: ['app/x/route.ts'],
        in: { '14': WARNS, '15': WARNS, '16': WARNS },
        message: /^With `dynamic = 'force-static'`, `cookies\(\)` returns an empty cookie store/,
        fix: { title: "Change to dynamic = 'force-dynamic'", result: COOKIES_UNDER('force-dynamic') },
      },
      {
        shows: "on nextUrl.searchParams under dynamic = 'force-static' (null at build)",
        files: {
          'app/x/route.ts':
            "import type { NextRequest } from 'next/server';\n\nexport const dynamic = 'force-static';\n\nexport async function GET(request: NextRequest) {\n  const q = request.nextUrl.searchParams.get('q');\n  return Response.json({ q });\n}\n",
        },
        file: 'app/x/route.ts',
        at: 'request.nextUrl.searchParams',
        related: ['app/x/route.ts'],
        in: { '15': WARNS },
        message: /returns null for every query parameter/,
        fix: {
          title: "Change to dynamic = 'force-dynamic'",
          result:
            "import type { NextRequest } from 'next/server';\n\nexport const dynamic = 'force-dynamic';\n\nexport async function GET(request: NextRequest) {\n  const q = request.nextUrl.searchParams.get('q');\n  return Response.json({ q });\n}\n",
        },
      },
      {
        shows: 'on revalidate = 60 with request.headers: revalidate has no effect',
        files: { 'app/x/route.ts': "export const revalidate = 60;\n\nexport async function GET(request: Request) {\n  const agent = request.headers.get('user-agent');\n  return Response.json({ agent });\n}\n" },
        file: 'app/x/route.ts',
        at: 'export const revalidate',
        related: ['app/x/route.ts'],
        in: { '14': WARNS, '15': WARNS, '16': WARNS },
        message: /^`revalidate = 60` has no effect: `request\.headers` reads the request/,
      },
    ],
    quiet: [
      {
        shows: 'revalidate = 60 with no request reads',
        files: { 'app/x/route.ts': "export const revalidate = 60;\n\nexport async function GET() {\n  const res = await fetch('https://example.com/prices');\n  return Response.json(await res.json());\n}\n" },
        in: ['14', '15', '16'],
      },
      {
        shows: 'force-static without request reads (request.method is known at build)',
        files: { 'app/x/route.ts': "export const dynamic = 'force-static';\n\nexport async function GET(request: Request) {\n  return Response.json({ method: request.method });\n}\n" },
        in: ['14', '15', '16'],
      },
    ],
  },
  {
    id: 'params-not-awaited',
    fires: [
      {
        shows: 'on params.id without await, fixed to (await params).id',
        files: { 'app/items/[id]/route.ts': 'export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {\n  return Response.json({ id: params.id });\n}\n' },
        file: 'app/items/[id]/route.ts',
        at: 'params.id',
        in: { '15': WARNS, '16': WARNS },
        message: { '15': /^`params` is a Promise in Next\.js 15: await it/, '16': /^`params` is a Promise in Next\.js 16/ },
        fix: { title: 'Await params', result: 'export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {\n  return Response.json({ id: (await params).id });\n}\n' },
      },
      {
        shows: 'on const { id } = params, fixed to await params',
        files: { 'app/items/[id]/route.ts': 'export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {\n  const { id } = params;\n  return Response.json({ id });\n}\n' },
        file: 'app/items/[id]/route.ts',
        at: '= params',
        in: { '15': WARNS, '16': WARNS },
        fix: { title: 'Await params', result: 'export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {\n  const { id } = await params;\n  return Response.json({ id });\n}\n' },
      },
      {
        shows: 'on context.params.id in a DELETE, fixed to (await context.params).id',
        files: { 'app/items/[id]/route.ts': 'export async function DELETE(request: Request, context: { params: Promise<{ id: string }> }) {\n  const id = context.params.id;\n  return Response.json({ deleted: id });\n}\n' },
        file: 'app/items/[id]/route.ts',
        at: 'context.params.id',
        in: { '15': WARNS },
        fix: { title: 'Await context.params', result: 'export async function DELETE(request: Request, context: { params: Promise<{ id: string }> }) {\n  const id = (await context.params).id;\n  return Response.json({ deleted: id });\n}\n' },
      },
      {
        shows: 'on params.id passed straight to a function, fixed to (await params).id',
        files: {
          'app/items/[id]/route.ts':
            'export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {\n  return Response.json(await findItem(params.id));\n}\n\nasync function findItem(id: string) {\n  return { id };\n}\n',
        },
        file: 'app/items/[id]/route.ts',
        at: 'findItem(params.id)',
        in: { '15': WARNS, '16': WARNS },
        fix: {
          title: 'Await params',
          result: 'export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {\n  return Response.json(await findItem((await params).id));\n}\n\nasync function findItem(id: string) {\n  return { id };\n}\n',
        },
      },
    ],
    quiet: [
      {
        shows: 'await params and (await params).id',
        files: {
          'app/items/[id]/route.ts':
            'export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {\n  const { id } = await params;\n  const again = (await params).id;\n  return Response.json({ id, again });\n}\n',
        },
        in: ['15', '16'],
      },
      {
        shows: 'params.id in Next.js 14 (params is a plain object)',
        files: { 'app/items/[id]/route.ts': 'export async function GET(request: Request, { params }: { params: { id: string } }) {\n  return Response.json({ id: params.id });\n}\n' },
        in: ['14'],
      },
      {
        shows: 'params.then(...)',
        files: { 'app/items/[id]/route.ts': 'export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {\n  return params.then(({ id }) => Response.json({ id }));\n}\n' },
        in: ['15'],
      },
    ],
  },
  {
    id: 'error-status-200',
    fires: [
      {
        shows: 'on Response.json({ error }) in a catch block, with a fix that adds { status: 500 }',
        files: {
          'app/x/route.ts':
            "export async function GET() {\n  try {\n    const res = await fetch('https://example.com/prices');\n    return Response.json(await res.json());\n  } catch {\n    return Response.json({ error: 'Could not load prices' });\n  }\n}\n",
        },
        file: 'app/x/route.ts',
        at: "{ error: 'Could not load prices' }",
        in: { '15': WARNS, '16': WARNS },
        message: /^GET \/x returns an error payload with status 200/,
        fix: {
          title: 'Add { status: 500 }',
          result:
            "export async function GET() {\n  try {\n    const res = await fetch('https://example.com/prices');\n    return Response.json(await res.json());\n  } catch {\n    return Response.json({ error: 'Could not load prices' }, { status: 500 });\n  }\n}\n",
        },
      },
      {
        shows: 'on NextResponse.json({ errors }) in a POST',
        files: {
          'app/x/route.ts':
            "import { NextResponse } from 'next/server';\n\nexport async function POST(request: Request) {\n  try {\n    return NextResponse.json(await save(await request.json()), { status: 201 });\n  } catch (e) {\n    return NextResponse.json({ errors: [String(e)] });\n  }\n}\n\nasync function save(body: unknown) {\n  return body;\n}\n",
        },
        file: 'app/x/route.ts',
        at: 'NextResponse.json({ errors',
        in: { '15': WARNS },
        message: /^POST \/x returns an error payload with status 200/,
        fix: {
          title: 'Add { status: 500 }',
          result:
            "import { NextResponse } from 'next/server';\n\nexport async function POST(request: Request) {\n  try {\n    return NextResponse.json(await save(await request.json()), { status: 201 });\n  } catch (e) {\n    return NextResponse.json({ errors: [String(e)] }, { status: 500 });\n  }\n}\n\nasync function save(body: unknown) {\n  return body;\n}\n",
        },
      },
      {
        shows: 'on a "not found" error, with a fix that adds { status: 404 }',
        files: {
          'app/x/[id]/route.ts':
            "export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {\n  const { id } = await params;\n  if (id !== 'a') return Response.json({ error: 'Item not found' });\n  return Response.json({ id });\n}\n",
        },
        file: 'app/x/[id]/route.ts',
        at: "{ error: 'Item not found' }",
        in: { '15': WARNS },
        message: /^GET \/x\/\[id\] returns an error payload with status 200/,
        fix: {
          title: 'Add { status: 404 }',
          result:
            "export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {\n  const { id } = await params;\n  if (id !== 'a') return Response.json({ error: 'Item not found' }, { status: 404 });\n  return Response.json({ id });\n}\n",
        },
      },
    ],
    quiet: [
      {
        shows: 'Response.json({ error }, { status: 400 })',
        files: {
          'app/x/route.ts':
            "export async function GET(request: Request) {\n  const id = new URL(request.url).searchParams.get('id');\n  if (!id) {\n    const error = 'id is required';\n    return Response.json({ error }, { status: 400 });\n  }\n  return Response.json({ id });\n}\n",
        },
        in: ['14', '15', '16'],
      },
      { shows: 'a payload key that only contains the word (errorCount)', files: { 'app/x/route.ts': 'export async function GET() {\n  return Response.json({ errorCount: 0 });\n}\n' }, in: ['15'] },
    ],
  },
  {
    id: 'output-export-dynamic',
    fires: [
      {
        shows: "on a GET without force-static or revalidate in 15 and 16 with output: 'export'",
        files: { ...OUTPUT_EXPORT, 'app/x/route.ts': GET_OK },
        file: 'app/x/route.ts',
        at: 'export async function GET',
        in: { '15': FAILS, '16': FAILS },
        message: /^export const dynamic = "force-static"\/export const revalidate not configured on route "\/x" with "output: export"\./,
      },
      {
        shows: "on an exported POST with output: 'export'",
        files: { ...OUTPUT_EXPORT, 'app/x/route.ts': "export const dynamic = 'force-static';\n\n" + GET_OK + '\nexport async function POST(request: Request) {\n  return Response.json(await request.json());\n}\n' },
        file: 'app/x/route.ts',
        at: 'export async function POST',
        in: { '14': FAILS, '15': FAILS, '16': FAILS },
        message: /only supports GET route handlers; POST at \/x cannot be exported/,
      },
      {
        shows: "on dynamic = 'force-dynamic' with output: 'export'",
        files: { ...OUTPUT_EXPORT, 'app/x/route.ts': "export const dynamic = 'force-dynamic';\n\n" + GET_OK },
        file: 'app/x/route.ts',
        at: 'export const dynamic',
        in: { '14': FAILS, '15': FAILS, '16': FAILS },
        message: /^export const dynamic = "force-dynamic" on page "\/x" cannot be used with "output: export"\./,
      },
      {
        shows: "on cookies() in 14 with output: 'export', where Next sets dynamic = 'error' and fails with that message",
        files: { ...OUTPUT_EXPORT, 'app/x/route.ts': "import { cookies } from 'next/headers';\n\nexport async function GET() {\n  const theme = (await cookies()).get('theme');\n  return Response.json({ theme: theme?.value });\n}\n" },
        file: 'app/x/route.ts',
        at: 'await cookies()',
        in: { '14': FAILS },
        message: /Route \/x with `dynamic = "error"` couldn't be rendered statically because it used `cookies`/,
      },
    ],
    quiet: [
      { shows: "a force-static GET with output: 'export'", files: { ...OUTPUT_EXPORT, 'app/x/route.ts': "export const dynamic = 'force-static';\n\n" + GET_OK }, in: ['14', '15', '16'] },
      { shows: "a constant GET in 14 with output: 'export' (prerendered)", files: { ...OUTPUT_EXPORT, 'app/x/route.ts': GET_OK }, in: ['14'] },
      {
        shows: "cookies() with output: 'standalone'",
        files: {
          'next.config.js': "module.exports = { output: 'standalone' };\n",
          'app/x/route.ts': "import { cookies } from 'next/headers';\n\nexport async function GET() {\n  const theme = (await cookies()).get('theme');\n  return Response.json({ theme: theme?.value });\n}\n",
        },
        in: ['15'],
      },
    ],
  },
  {
    id: 'server-action-candidate',
    fires: [
      {
        shows: "on a POST called only from a 'use client' component",
        files: {
          'app/api/todos/route.ts': "export async function POST(request: Request) {\n  const todo = await request.json();\n  return Response.json(todo, { status: 201 });\n}\n",
          'app/todos/add-todo.tsx':
            "'use client';\n\nexport function AddTodo() {\n  async function add(title: string) {\n    await fetch('/api/todos', { method: 'POST', body: JSON.stringify({ title }) });\n  }\n  return <button onClick={() => add('milk')}>Add</button>;\n}\n",
        },
        file: 'app/api/todos/route.ts',
        at: 'export async function POST',
        related: ['app/todos/add-todo.tsx'],
        in: { '15': INFO, '16': INFO },
        message: /^POST \/api\/todos is only called from this app's client components \(1 call\)\./,
      },
    ],
    quiet: [
      {
        shows: 'a POST also called from server code',
        files: {
          'app/api/todos/route.ts': "export async function POST(request: Request) {\n  const todo = await request.json();\n  return Response.json(todo, { status: 201 });\n}\n",
          'app/todos/add-todo.tsx': "'use client';\n\nexport function AddTodo() {\n  return <button onClick={() => fetch('/api/todos', { method: 'POST', body: '{}' })}>Add</button>;\n}\n",
          'scripts/seed.ts': "export async function seed() {\n  await fetch('http://localhost:3000/api/todos', { method: 'POST', body: '{}' });\n}\n",
        },
        in: ['15'],
      },
      {
        shows: 'a POST under a versioned public API, called only from client code',
        files: {
          'app/api/v1/todos/route.ts': "export async function POST(request: Request) {\n  return Response.json(await request.json(), { status: 201 });\n}\n",
          'app/todos/add-todo.tsx': "'use client';\n\nexport function AddTodo() {\n  return <button onClick={() => fetch('/api/v1/todos', { method: 'POST', body: '{}' })}>Add</button>;\n}\n",
        },
        in: ['15'],
      },
      {
        shows: 'a POST behind a wrapper (auth or API-key middleware), called only from client code',
        files: {
          'lib/with-api-key.ts': 'export function withApiKey(handler: (request: Request) => Promise<Response>) {\n  return (request: Request) => handler(request);\n}\n',
          'app/api/todos/route.ts': "import { withApiKey } from '../../../lib/with-api-key';\n\nexport const POST = withApiKey(async (request: Request) => Response.json(await request.json(), { status: 201 }));\n",
          'app/todos/add-todo.tsx': "'use client';\n\nexport function AddTodo() {\n  return <button onClick={() => fetch('/api/todos', { method: 'POST', body: '{}' })}>Add</button>;\n}\n",
        },
        in: ['15'],
      },
      {
        shows: 'a POST that reads an authorization header, called only from client code',
        files: {
          'app/api/todos/route.ts': "export async function POST(request: Request) {\n  const key = request.headers.get('authorization');\n  return Response.json({ key }, { status: 201 });\n}\n",
          'app/todos/add-todo.tsx': "'use client';\n\nexport function AddTodo() {\n  return <button onClick={() => fetch('/api/todos', { method: 'POST', body: '{}' })}>Add</button>;\n}\n",
        },
        in: ['15'],
      },
      {
        shows: "a GET called only from a 'use client' component (not a mutation)",
        files: {
          'app/api/todos/route.ts': GET_OK,
          'app/todos/list.tsx': "'use client';\n\nexport function List() {\n  fetch('/api/todos').then((r) => r.json());\n  return null;\n}\n",
        },
        in: ['15'],
      },
    ],
  },
];

// ---------------------------------------------------------------------------------------------

const ALL_IDS = [
  'route-page-conflict',
  'duplicate-route',
  'duplicate-route-file',
  'slug-name-conflict',
  'duplicate-slug',
  'optional-catchall-conflict',
  'catchall-not-last',
  'default-export-only',
  'no-methods',
  'lowercase-method',
  'invalid-route-export',
  'invalid-handler-type',
  'invalid-segment-config',
  'segment-config-cache-components',
  'dynamic-error-dynamic-api',
  'fetch-cache-conflict',
  'unavailable-api',
  'frozen-time-varying',
  'force-static-request-data',
  'params-not-awaited',
  'error-status-200',
  'output-export-dynamic',
  'server-action-candidate',
];

function messageFor(c: FireCase, version: Version): RegExp | undefined {
  if (!c.message) return undefined;
  return c.message instanceof RegExp ? c.message : c.message[version];
}

describe('checks: each fires where Next.js fails or misbehaves, and stays quiet on correct code', () => {
  it('has a table, with cases that fire and cases that stay quiet, for every check id', () => {
    assert.deepEqual(
      TABLES.map((t) => t.id),
      ALL_IDS,
    );
    for (const table of TABLES) assert.ok(table.fires.length > 0 && table.quiet.length > 0, table.id);
  });

  for (const table of TABLES) {
    describe(table.id, () => {
      for (const c of table.fires) {
        for (const [version, verdict] of Object.entries(c.in) as Array<[Version, Verdict]>) {
          const severityText = verdict.failsBuild ? 'build fails' : `${verdict.severity}, build passes`;
          it(`${table.id} fires ${c.shows} [Next.js ${version}: ${severityText}]`, () => {
            const found = only(problemsOf(c.files, version), table.id);
            assert.equal(found.length, 1, `one ${table.id} problem, got ${JSON.stringify(found, null, 1)}`);
            const [problem] = found;
            const text = c.files[c.file];
            assert.ok(text !== undefined, `${c.file} is in the tree`);
            assert.deepEqual(
              { file: problem.file, line: problem.span?.line ?? 1, severity: problem.severity, failsBuild: problem.failsBuild ?? false, related: problem.related?.map((r) => r.file) },
              { file: c.file, line: c.at ? lineContaining(text, c.at) : 1, severity: verdict.severity, failsBuild: verdict.failsBuild, related: c.related },
            );
            const message = messageFor(c, version);
            if (message) assert.match(problem.message, message);
            if (!c.fix) {
              assert.equal(problem.fix, undefined, 'no quick fix');
              return;
            }
            assert.ok(problem.fix, 'a quick fix');
            assert.equal(problem.fix.title, c.fix.title);
            assert.deepEqual(
              problem.fix.edits.map((e) => e.file),
              problem.fix.edits.map(() => c.file),
              'the fix edits the file with the problem',
            );
            assert.equal(applyFix(text, problem.fix), c.fix.result);
          });
        }
      }
      for (const c of table.quiet) {
        for (const version of c.in) {
          it(`${table.id} stays quiet on ${c.shows} [Next.js ${version}]`, () => {
            const problems = problemsOf(c.files, version);
            assert.deepEqual(only(problems, table.id), []);
            assert.deepEqual([...new Set(problems.map((p) => p.id))].sort(), [...(c.others ?? [])].sort(), 'no other problems on correct code');
          });
        }
      }
    });
  }
});
