// Mocha runner loaded by the VS Code extension host (the `extensionTestsPath` of the workbench payload).
// esbuild transpiles it to out/test/vscode/suite/index.js (CommonJS); every *.test.js next to it is run.
//
// Environment (set by test/vscode/run.mjs through `extensionEnvironment`):
//   ROUTE_ATLAS_TEST_GREP     only run tests whose full title matches this pattern
//   ROUTE_ATLAS_TEST_RESULTS  write a JSON summary of the run to this file
import * as fs from 'fs';
import * as path from 'path';

type MochaCtor = typeof import('mocha');

function loadMocha(): MochaCtor {
  // mocha 12 is an ES module package whose entry re-exports lib/mocha.cjs; require(esm) (Node >= 20.19, the
  // extension host runs Node 24) hands back its namespace, so take `default` when it is there.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require('mocha') as MochaCtor & { default?: MochaCtor };
  return loaded.default ?? loaded;
}

interface TestRecord {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export function run(): Promise<void> {
  const Mocha = loadMocha();
  const grep = process.env.ROUTE_ATLAS_TEST_GREP;
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    // The first editor, the language server and its first diagnostics take seconds in a cold extension host.
    timeout: 120_000,
    slow: 10_000,
    ...(grep ? { grep } : {}),
  });

  const files = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  for (const name of files) mocha.addFile(path.join(__dirname, name));

  const records: TestRecord[] = [];
  const started = Date.now();
  return new Promise<void>((resolve, reject) => {
    let runner: Mocha.Runner;
    try {
      runner = mocha.run((failures) => {
        writeResults(records, failures, started, files);
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else if (records.length === 0) reject(new Error(`no tests ran${grep ? ` (grep: ${grep})` : ''}; files: ${files.join(', ') || 'none'}`));
        else resolve();
      });
    } catch (error) {
      // A test file that throws while loading (syntax error, missing module) lands here.
      reject(error);
      return;
    }
    runner.on('pass', (test) => records.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration }));
    runner.on('fail', (test, error: Error) =>
      records.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration, error: String(error?.stack ?? error) }),
    );
    runner.on('pending', (test) => records.push({ title: test.fullTitle(), state: 'pending' }));
  });
}

function writeResults(records: TestRecord[], failures: number, started: number, files: string[]): void {
  const target = process.env.ROUTE_ATLAS_TEST_RESULTS;
  if (!target) return;
  try {
    const summary = {
      failures,
      passed: records.filter((r) => r.state === 'passed').length,
      pending: records.filter((r) => r.state === 'pending').length,
      durationMs: Date.now() - started,
      node: process.version,
      files,
      tests: records,
    };
    fs.writeFileSync(target, JSON.stringify(summary, null, 2) + '\n');
  } catch (error) {
    console.error(`could not write ${target}: ${String(error)}`);
  }
}
