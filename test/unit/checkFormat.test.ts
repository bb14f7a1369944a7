import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { APP_CHECKS, ROUTE_CHECKS } from '../../server/analysis/checks';
import type { Problem } from '../../server/analysis/model';
import { formatProblem, main } from '../../server/cli';
import { CHECK_DESCRIPTIONS, formatCheck } from '../../server/commands/checkFormat';
import { lineContaining, makeTree, nextApp, removeTree } from './tempTree';

const repoRoot = path.resolve(__dirname, '../../..');
const sampleApp = path.join(repoRoot, 'test/sample-app');

/**
 * The SARIF 2.1.0 schema as Microsoft's SARIF SDK ships it (@microsoft/sarif-multitool-ts): the OASIS
 * errata01 schema in JSON Schema 2020-12. It leaves out one constraint of the OASIS file, that a region
 * has a startLine, a charOffset or a byteOffset; `assertRegionsHaveStartLine` checks that one.
 */
const SARIF_SCHEMA_FILE = path.join(repoRoot, 'node_modules/@microsoft/sarif-multitool-ts/assets/sarif-2.1.0.schema.json');

function sarifValidator() {
  // strict: false because the schema itself trips ajv's strict mode (a `required` under `anyOf`), not ours.
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(fs.readFileSync(SARIF_SCHEMA_FILE, 'utf8')));
}

function assertValidSarif(log: unknown): void {
  const validate = sarifValidator();
  assert.equal(validate(log), true, JSON.stringify(validate.errors, null, 2));
  assertRegionsHaveStartLine(log);
}

function assertRegionsHaveStartLine(value: unknown, depth = 0): void {
  assert.ok(depth < 50, 'the log nests deeper than SARIF does');
  if (Array.isArray(value)) for (const item of value) assertRegionsHaveStartLine(item, depth + 1);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'region' || key === 'deletedRegion') assert.equal(typeof (item as { startLine?: unknown }).startLine, 'number', `a ${key} without startLine`);
      assertRegionsHaveStartLine(item, depth + 1);
    }
  }
}

function runCheck(args: string[]): { code: number; stdout: string } {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (chunk) => chunks.push(String(chunk)));
  err.resume();
  const code = main(args, out, err);
  return { code, stdout: chunks.join('') };
}

const span = (line: number, column: number, endLine = line, endColumn = column + 1) => ({ line, column, endLine, endColumn });

/**
 * Problems whose files and messages hold what a repository can put in folder names: line breaks, `::`
 * (a workflow command's separator), `%` (GitHub's escape character), commas and colons (property
 * separators), brackets and parentheses, spaces, `#` and `?` (URI delimiters), an ANSI escape and a bidi override.
 */
const HOSTILE_FILES = [
  'app/a\n::error::forged/route.ts',
  'app/100%25 done,x=1:2/route.ts',
  'app/(group)/api/[id]/[[...slug]]/route.ts',
  'app/with space/#hash?query/route.ts',
  'app/e\u001b[2Jscreen/\u202etxt.ts/route.ts',
  'app/\r\nwindows/route.ts',
];

function hostileProblems(): Problem[] {
  return [
    { id: 'invalid-segment-config', severity: 'error', failsBuild: true, file: HOSTILE_FILES[0], span: span(1, 14, 1, 29), message: 'Invalid\n::error file=x::forged\r\nand 100% sure' },
    { id: 'duplicate-route', severity: 'warning', file: HOSTILE_FILES[1], span: span(3, 1), message: 'two,groups: one URL %0A', related: [{ file: HOSTILE_FILES[2], span: span(2, 5), message: 'the other\n::warning::one' }] },
    { id: 'server-action-candidate', severity: 'info', file: HOSTILE_FILES[3], span: span(4, 2), message: 'info %25 ::notice::' },
    { id: 'frozen-time-varying', severity: 'warning', file: HOSTILE_FILES[4], span: span(2, 3), message: 'esc \u001b[31m red', fix: { title: 'Add force-dynamic', edits: [{ file: HOSTILE_FILES[4], span: span(1, 1, 1, 1), newText: "export const dynamic = 'force-dynamic';\n" }] } },
    { id: 'not-a-catalogued-id', severity: 'warning', file: HOSTILE_FILES[5], message: 'a problem of a check this build does not describe' },
    { id: 'internal-error', severity: 'warning', message: 'a problem without a file' },
  ];
}

/** A workflow command line read back the way the Actions runner reads it, with its escapes undone. */
function parseWorkflowCommand(line: string): { command: string; properties: Record<string, string>; data: string } {
  assert.ok(line.startsWith('::'), `not a workflow command: ${JSON.stringify(line)}`);
  const end = line.indexOf('::', 2);
  assert.notEqual(end, -1, `no end of properties: ${JSON.stringify(line)}`);
  const head = line.slice(2, end);
  const space = head.indexOf(' ');
  const command = space === -1 ? head : head.slice(0, space);
  const properties: Record<string, string> = {};
  if (space !== -1) {
    for (const pair of head.slice(space + 1).split(',')) {
      const equals = pair.indexOf('=');
      properties[pair.slice(0, equals)] = unescapeGithub(pair.slice(equals + 1), true);
    }
  }
  return { command, properties, data: unescapeGithub(line.slice(end + 2), false) };
}

function unescapeGithub(text: string, property: boolean): string {
  let result = text.split('%0D').join('\r').split('%0A').join('\n');
  if (property) result = result.split('%3A').join(':').split('%2C').join(',');
  return result.split('%25').join('%');
}

/** What the formats write for control characters other than CR and LF: the CLI's visible escapes. */
function visibleEscapes(text: string): string {
  return text.replace(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (char) => (char === '\t' ? '\\t' : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

describe('--check --format', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) removeTree(root);
    root = undefined;
  });

  it('text is the file:line:col severity id message lines it always was', () => {
    const problems = hostileProblems();
    assert.equal(formatCheck(problems, 'text', formatProblem), problems.map((problem) => formatProblem(problem) + '\n').join(''));
  });

  it('sarif on the sample app validates against the SARIF 2.1.0 schema and places its warning', () => {
    // Paths are relative to GITHUB_WORKSPACE when it holds the scanned folder: this test is about the working directory.
    const workspace = process.env.GITHUB_WORKSPACE;
    delete process.env.GITHUB_WORKSPACE;
    let result: { code: number; stdout: string };
    try {
      result = runCheck([sampleApp, '--check', '--format', 'sarif']);
    } finally {
      if (workspace !== undefined) process.env.GITHUB_WORKSPACE = workspace;
    }
    const { code, stdout } = result;
    assert.equal(code, 0);
    const log = JSON.parse(stdout);
    assertValidSarif(log);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const [run] = log.runs;
    const sitemap = fs.readFileSync(path.join(sampleApp, 'app/sitemap.ts'), 'utf8');
    // The mocha process runs in the repository, which holds the sample app: paths are relative to it.
    assert.deepEqual(
      run.results.map((result: { ruleId: string; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } } }> }) => ({
        ruleId: result.ruleId,
        level: result.level,
        uri: result.locations[0].physicalLocation.artifactLocation.uri,
        uriBaseId: result.locations[0].physicalLocation.artifactLocation.uriBaseId,
        line: result.locations[0].physicalLocation.region.startLine,
      })),
      [{ ruleId: 'frozen-time-varying', level: 'warning', uri: 'test/sample-app/app/sitemap.ts', uriBaseId: '%SRCROOT%', line: lineContaining(sitemap, 'new Date()') }],
    );
    assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, `file://${process.cwd()}/`);
    const rules: Array<{ id: string; shortDescription: { text: string }; helpUri?: string }> = run.tool.driver.rules;
    assert.equal(rules[run.results[0].ruleIndex].id, 'frozen-time-varying');
    assert.deepEqual(
      rules.map((rule) => rule.id),
      Object.keys(CHECK_DESCRIPTIONS).sort(),
    );
    for (const rule of rules) assert.equal(rule.shortDescription.text, CHECK_DESCRIPTIONS[rule.id].description);
    assert.equal(rules.find((rule) => rule.id === 'invalid-segment-config')?.helpUri, 'https://nextjs.org/docs/app/api-reference/file-conventions/route-segment-config');
  });

  it('sarif keeps exit code 1 for an error, with level error and failsBuild', () => {
    const text = "export const dynamic = 'force-dynamik';\nexport function GET() { return new Response(''); }\n";
    root = makeTree(nextApp({ 'app/x/route.ts': text }));
    const { code, stdout } = runCheck([root, '--check', '--format', 'sarif']);
    assert.equal(code, 1);
    const log = JSON.parse(stdout);
    assertValidSarif(log);
    const result = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'invalid-segment-config');
    assert.equal(result.level, 'error');
    assert.deepEqual(result.properties, { failsBuild: true });
    // The temporary folder is outside the working directory: paths are then relative to the scanned folder.
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'app/x/route.ts');
    assert.equal(log.runs[0].originalUriBaseIds['%SRCROOT%'].uri, `file://${root}/`);
  });

  it('sarif with hostile names and messages validates, and gives back every path and message exactly', () => {
    const problems = hostileProblems();
    const base = '/work/repo';
    const log = JSON.parse(formatCheck(problems, 'sarif', formatProblem, { root: `${base}/apps/web`, baseDir: base }));
    assertValidSarif(log);
    const results = log.runs[0].results;
    assert.equal(results.length, problems.length);
    const decode = (uri: string) => uri.split('/').map(decodeURIComponent).join('/');
    problems.forEach((problem, index) => {
      const result = results[index];
      assert.equal(result.ruleId, problem.id);
      assert.equal(result.level, { error: 'error', warning: 'warning', info: 'note' }[problem.severity]);
      assert.equal(result.message.text, problem.message);
      assert.equal(log.runs[0].tool.driver.rules[result.ruleIndex].id, problem.id);
      if (problem.file === undefined) assert.equal(result.locations, undefined);
      else assert.equal(decode(result.locations[0].physicalLocation.artifactLocation.uri), `apps/web/${problem.file}`);
    });
    assert.deepEqual(results[1].relatedLocations, [
      { id: 1, physicalLocation: { artifactLocation: { uri: 'apps/web/app/(group)/api/%5Bid%5D/%5B%5B...slug%5D%5D/route.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 2, startColumn: 5, endLine: 2, endColumn: 6 } }, message: { text: 'the other\n::warning::one' } },
    ]);
    assert.deepEqual(results[3].fixes[0].artifactChanges[0].replacements, [{ deletedRegion: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }, insertedContent: { text: "export const dynamic = 'force-dynamic';\n" } }]);
    assert.equal(log.runs[0].tool.driver.rules.find((rule: { id: string }) => rule.id === 'not-a-catalogued-id').shortDescription.text, 'Route Atlas problem not-a-catalogued-id.');
  });

  it('the schema check itself fails on a log that breaks SARIF (an unencoded path, an unknown level)', () => {
    const log = JSON.parse(formatCheck(hostileProblems(), 'sarif', formatProblem, { root: '/r', baseDir: '/r' }));
    const validate = sarifValidator();
    const badUri = structuredClone(log);
    badUri.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'app/with space/[id]/route.ts';
    assert.equal(validate(badUri), false);
    const badLevel = structuredClone(log);
    badLevel.runs[0].results[0].level = 'fatal';
    assert.equal(validate(badLevel), false);
  });

  it('github writes one workflow command per problem, and no name or message can start another', () => {
    const problems = hostileProblems();
    const output = formatCheck(problems, 'github', formatProblem, { root: '/work/repo/apps/web', baseDir: '/work/repo' });
    assert.ok(output.endsWith('\n'));
    assert.doesNotMatch(output, /\r/);
    const lines = output.slice(0, -1).split('\n');
    assert.equal(lines.length, problems.length);
    const parsed = lines.map(parseWorkflowCommand);
    assert.deepEqual(
      parsed.map((command) => command.command),
      ['error', 'warning', 'notice', 'warning', 'warning', 'warning'],
    );
    problems.forEach((problem, index) => {
      const { properties, data } = parsed[index];
      const related = (problem.related ?? []).map((item) => `\napps/web/${item.file}:${item.span.line}:${item.span.column}: ${item.message}`).join('');
      assert.equal(data, visibleEscapes(problem.message + related));
      assert.equal(properties.title, `Route Atlas: ${problem.id}${problem.failsBuild ? ' (fails next build)' : ''}`);
      if (problem.file === undefined) {
        assert.deepEqual(Object.keys(properties), ['title']);
        return;
      }
      assert.equal(properties.file, visibleEscapes(`apps/web/${problem.file}`));
      if (problem.span) {
        assert.deepEqual([properties.line, properties.col, properties.endLine, properties.endColumn], [problem.span.line, problem.span.column, problem.span.endLine, problem.span.endColumn].map(String));
      }
    });
    // The escaping GitHub documents, written out once for a name with every special character.
    assert.equal(
      lines[1].slice(0, lines[1].indexOf(',title=')),
      '::warning file=apps/web/app/100%2525 done%2Cx=1%3A2/route.ts,line=3,col=1,endLine=3,endColumn=2',
    );
    assert.equal(lines[0].slice(lines[0].lastIndexOf('::forged')), '::forged%0D%0Aand 100%25 sure');
  });

  it('json is the documented shape: summary counts, and per problem id, severity, message, position, failsBuild, related and fix', () => {
    const problems = hostileProblems();
    const document = JSON.parse(formatCheck(problems, 'json', formatProblem, { root: '/r' }));
    assert.deepEqual(document.summary, { errors: 1, warnings: 4, infos: 1, failsBuild: 1 });
    assert.equal(document.version, '1.0');
    assert.equal(document.root, '/r');
    assert.deepEqual(document.problems[0], { id: 'invalid-segment-config', severity: 'error', message: problems[0].message, file: HOSTILE_FILES[0], line: 1, column: 14, endLine: 1, endColumn: 29, failsBuild: true });
    assert.deepEqual(document.problems[1].related, [{ file: HOSTILE_FILES[2], line: 2, column: 5, endLine: 2, endColumn: 6, message: 'the other\n::warning::one' }]);
    assert.deepEqual(document.problems[3].fix, problems[3].fix);
    assert.deepEqual(document.problems[4], { id: 'not-a-catalogued-id', severity: 'warning', message: problems[4].message, file: HOSTILE_FILES[5], line: 1, column: 1 });
    assert.deepEqual(document.problems[5], { id: 'internal-error', severity: 'warning', message: 'a problem without a file' });
    // The bidi override in a name is written as an escape, so that the JSON text shows in order.
    assert.ok(formatCheck(problems, 'json', formatProblem).includes('\\u202etxt.ts'));
  });

  it('json from the CLI keeps exit code 1 on an error and lists what --check lists', () => {
    root = makeTree(nextApp({ 'app/x/route.ts': "export const dynamic = 'force-dynamik';\nexport function GET() { return new Response(''); }\n" }));
    const json = runCheck([root, '--check', '--format', 'json']);
    const text = runCheck([root, '--check']);
    assert.equal(json.code, 1);
    const document = JSON.parse(json.stdout);
    assert.deepEqual(
      document.problems.map((p: { file: string; line: number; column: number; severity: string; id: string }) => `${p.file}:${p.line}:${p.column} ${p.severity} ${p.id}`),
      text.stdout.trim().split('\n').map((line) => line.split(' ').slice(0, 3).join(' ')),
    );
  });

  it('describes every check that server/analysis/checks registers', () => {
    const undescribed = [...ROUTE_CHECKS, ...APP_CHECKS].map((check) => check.id).filter((id) => !Object.hasOwn(CHECK_DESCRIPTIONS, id));
    assert.deepEqual(undescribed, []);
  });
});
