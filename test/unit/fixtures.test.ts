// Runs the analyzer over every fixture app in test/fixtures and compares a projection of the
// manifest with the fixture's hand-written expected.json (what Next.js itself would serve).
// UPDATE_FIXTURES=1 never rewrites expected.json: it prints the actual projection to stderr.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanWorkspace } from '../../server/analysis/scan';
import type { AppManifest, Route, RouteManifest, RouteMethod } from '../../server/analysis/model';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');

type Json = Record<string, unknown>;

interface ExpectedRoute extends Json {
  url: string;
  file: string;
}

interface ExpectedApp {
  root: string;
  appDir: string;
  routes: ExpectedRoute[];
  problems?: string[];
}

interface Expected {
  description: string;
  options?: { nextVersion?: number; cacheComponents?: boolean };
  apps: ExpectedApp[];
  problems?: string[];
}

const byUrlThenFile = (a: { url: string; file: string }, b: { url: string; file: string }) =>
  a.url < b.url ? -1 : a.url > b.url ? 1 : a.file < b.file ? -1 : a.file > b.file ? 1 : 0;

/** For each method named in `wanted`, the value `pick` gives for it (undefined when the method is missing). */
function perMethod<T>(methods: RouteMethod[], wanted: unknown, pick: (m: RouteMethod) => T): Record<string, T | undefined> {
  const out: Record<string, T | undefined> = {};
  for (const name of Object.keys(wanted as object)) {
    const m = methods.find((x) => x.name === name && !x.implicit);
    out[name] = m ? pick(m) : undefined;
  }
  return out;
}

/** The route as expected.json writes it; optional keys only when the expected route has them. */
function projectRoute(route: Route, expected: ExpectedRoute | undefined): Json {
  const explicit = route.methods.filter((m) => !m.implicit);
  const out: Json = {
    url: route.url,
    file: route.file,
    kind: route.kind,
    methods: explicit.map((m) => m.name).sort(),
    params: route.params.map((p) => ({ name: p.name, kind: p.kind })),
  };
  if (!expected) return out;
  if ('forms' in expected) out.forms = perMethod(explicit, expected.forms, (m) => m.form);
  if ('query' in expected) out.query = perMethod(explicit, expected.query, (m) => m.request && [...m.request.query].sort());
  if ('bodyFields' in expected) {
    out.bodyFields = perMethod(explicit, expected.bodyFields, (m) => m.request?.body && [...m.request.body.fields].sort());
  }
  if ('statuses' in expected) {
    out.statuses = perMethod(explicit, expected.statuses, (m) => m.request && [...m.request.statuses].sort((a, b) => a - b));
  }
  if ('segmentConfig' in expected) {
    const config: Json = {};
    for (const key of Object.keys(expected.segmentConfig as object)) {
      const value = route.segmentConfig[key as keyof Route['segmentConfig']];
      config[key] = value?.known ? value.value : { notKnown: value ?? 'absent' };
    }
    out.segmentConfig = config;
  }
  if ('otherExports' in expected) out.otherExports = route.otherExports.map((e) => e.name).sort();
  if ('publicPath' in expected) out.publicPath = route.publicPath;
  return out;
}

function projectApp(app: AppManifest, expected: ExpectedApp | undefined): Json {
  const wanted = new Map((expected?.routes ?? []).map((r) => [`${r.url}\0${r.file}`, r]));
  const out: Json = {
    root: app.root,
    appDir: app.appDir,
    routes: [...app.routes].sort(byUrlThenFile).map((r) => projectRoute(r, wanted.get(`${r.url}\0${r.file}`))),
  };
  if (expected?.problems) out.problems = presentIds(expected.problems, app.problems);
  return out;
}

/** The expected ids that are present: a missing one shows as a gap in the diff. */
function presentIds(wanted: string[], problems: Array<{ id: string }>): string[] {
  const ids = new Set(problems.map((p) => p.id));
  return wanted.filter((id) => ids.has(id));
}

function project(manifest: RouteManifest, expected: Expected): Json {
  const wanted = new Map(expected.apps.map((a) => [a.root, a]));
  const out: Json = {
    apps: [...manifest.apps]
      .sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0))
      .map((a) => projectApp(a, wanted.get(a.root))),
  };
  if (expected.problems) out.problems = presentIds(expected.problems, manifest.problems);
  return out;
}

function normalizeExpected(expected: Expected): Json {
  const out: Json = {
    apps: expected.apps.map((a) => ({
      root: a.root,
      appDir: a.appDir,
      routes: [...a.routes].sort(byUrlThenFile),
      ...(a.problems ? { problems: a.problems } : {}),
    })),
  };
  if (expected.problems) out.problems = expected.problems;
  return out;
}

const fixtureNames = fs
  .readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(FIXTURES, d.name, 'expected.json')))
  .map((d) => d.name)
  .sort();

describe('fixtures', () => {
  it('has fixtures to run', () => {
    assert.ok(fixtureNames.length > 0, `no fixtures with expected.json under ${FIXTURES}`);
  });

  for (const name of fixtureNames) {
    it(name, () => {
      const dir = path.join(FIXTURES, name);
      const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
      const actual = project(scanWorkspace(dir, expected.options), expected);
      if (process.env.UPDATE_FIXTURES === '1') {
        process.stderr.write(`--- ${name} (actual projection; expected.json is hand-written and not rewritten)\n`);
        process.stderr.write(JSON.stringify(actual, null, 2) + '\n');
      }
      assert.deepStrictEqual(actual, normalizeExpected(expected), `${name}: ${expected.description}`);
    });
  }
});
