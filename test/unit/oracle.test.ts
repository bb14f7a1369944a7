import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CachingVerdict } from '../../server/analysis/model';
import { scanWorkspace } from '../../server/analysis/scan';

/**
 * Holds the analyzer to what real `next build` runs decided (test/oracle/record.json, written by
 * `npm run oracle`). Every case is scanned as its own app for every target the record has.
 */
interface RecordedVerdict {
  kind: string;
  revalidate?: number;
  message?: string;
}
interface OracleCase {
  case: string;
  url: string;
  file: string;
  expect: Record<string, RecordedVerdict>;
}
interface OracleRecord {
  next: Record<string, string>;
  cases: OracleCase[];
}

const repoRoot = path.resolve(__dirname, '../../..');
const record: OracleRecord = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test/oracle/record.json'), 'utf8'));

/** Cases where the analyzer knowingly differs from the build, each with the reason. Keep it short. */
const KNOWN_DIFFERENCES: Record<string, string> = {};

function targetOptions(target: string) {
  return { nextVersion: Number(target.replace('-cc', '')), cacheComponents: target.endsWith('-cc') };
}

function summarize(verdict: CachingVerdict | undefined): RecordedVerdict | undefined {
  if (!verdict) return undefined;
  return verdict.revalidate !== undefined ? { kind: verdict.kind, revalidate: verdict.revalidate } : { kind: verdict.kind };
}

describe('oracle: verdicts agree with real next build', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'route-atlas-oracle-'));
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  for (const oracleCase of record.cases) {
    for (const [target, expected] of Object.entries(oracleCase.expect)) {
      const key = `${oracleCase.case}@${target}`;
      const title = `${key}: ${oracleCase.url} is ${expected.kind}${expected.revalidate ? ` ${expected.revalidate}` : ''}`;
      const known = KNOWN_DIFFERENCES[key];
      (known ? it.skip : it)(known ? `${title} (known difference: ${known})` : title, () => {
        const appDir = path.join(work, key);
        if (!fs.existsSync(appDir)) {
          fs.cpSync(path.join(repoRoot, 'test/oracle/cases', oracleCase.case), appDir, { recursive: true });
          fs.writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ name: oracleCase.case, dependencies: { next: record.next[target] } }));
          // The oracle writes a case's own next.config settings (case.json "config") into the app it builds.
          const meta = JSON.parse(fs.readFileSync(path.join(appDir, 'case.json'), 'utf8')) as { config?: object };
          if (meta.config) fs.writeFileSync(path.join(appDir, 'next.config.js'), `module.exports = ${JSON.stringify(meta.config)};\n`);
        }
        const manifest = scanWorkspace(appDir, targetOptions(target));
        const app = manifest.apps[0];
        assert.ok(app, `no app found in ${oracleCase.case}`);
        const route = app.routes.find((r) => r.file === oracleCase.file) ?? app.routes.find((r) => r.url === oracleCase.url);
        assert.ok(route, `no route ${oracleCase.url} in ${oracleCase.case}`);
        const actual = summarize(route.caching);
        const expectedSummary = expected.revalidate !== undefined ? { kind: expected.kind, revalidate: expected.revalidate } : { kind: expected.kind };
        const detail = route.caching?.reasons.map((r) => r.message).join(' | ');
        assert.deepEqual(actual, expectedSummary, `analyzer said ${JSON.stringify(actual)} because: ${detail}\nnext build said: ${JSON.stringify(expected)}`);
      });
    }
  }
});

/**
 * Holds what the checks say about `next dev` to what `next dev` did with each case (the record's `dev` fields,
 * written by `node test/oracle/run.mjs --dev`): "refuses to start" only where it exited without "Ready",
 * "exits at once" only where it printed "Ready" and then stopped, and some word about `next dev` wherever it
 * did not serve.
 */
describe('oracle: what the checks say about next dev agrees with real next dev', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'route-atlas-oracle-dev-'));
  after(() => fs.rmSync(work, { recursive: true, force: true }));
  const withDev = (record.cases as Array<OracleCase & { dev?: Record<string, { ready: boolean; serves: boolean; message?: string }> }>).filter((c) => c.dev);

  it('has next dev results in the record', () => assert.ok(withDev.length > 0));
  for (const oracleCase of withDev) {
    for (const [target, dev] of Object.entries(oracleCase.dev!)) {
      it(`${oracleCase.case}@${target}: ${oracleCase.file} under next dev ${dev.serves ? 'serves' : dev.ready ? 'exits after Ready' : 'refuses to start'}`, () => {
        const appDir = path.join(work, `${oracleCase.case}@${target}`);
        if (!fs.existsSync(appDir)) {
          fs.cpSync(path.join(repoRoot, 'test/oracle/cases', oracleCase.case), appDir, { recursive: true });
          fs.writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ name: oracleCase.case, dependencies: { next: record.next[target] } }));
        }
        const app = scanWorkspace(appDir, targetOptions(target)).apps[0];
        const messages = app.problems.filter((p) => p.file === oracleCase.file || p.related?.some((r) => r.file === oracleCase.file)).map((p) => p.message);
        const about = (words: string) => messages.filter((m) => m.includes(words));
        if (about('refuses to start').length > 0) assert.ok(!dev.ready && !dev.serves, `we say next dev refuses to start; it ${dev.ready ? 'printed Ready' : 'served'}`);
        if (about('exits at once').length > 0) assert.ok(dev.ready && !dev.serves, 'we say next dev exits at once after Ready');
        if (!dev.serves) assert.ok(about('`next dev`').length > 0, `next dev did not serve (${dev.message}); no problem says so: ${JSON.stringify(messages)}`);
      });
    }
  }
});
