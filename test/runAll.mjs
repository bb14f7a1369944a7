#!/usr/bin/env node
// `npm test`: every layer of tests in one command, cheapest first, each part timed. A failing part
// stops the run with its exit code, so CI shows the first thing that broke.
//
//   ROUTE_ATLAS_SKIP_VSCODE=1  skip the real VS Code part (for a quick local run; CI never sets it)
//   ROUTE_ATLAS_SKIP_ORACLE=1  skip the real `next build` part
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const parts = [
  { name: 'build', command: ['node', 'esbuild.mjs', '--tests', '--quiet'] },
  { name: 'type-check', command: ['npx', 'tsc', '-p', '.', '--noEmit'] },
  { name: 'core, server and oracle-record tests', command: ['npx', 'mocha'] },
  { name: 'one real next build against the record', command: ['node', 'test/oracle/run.mjs', '--quick'], skip: 'ROUTE_ATLAS_SKIP_ORACLE' },
  { name: 'the packaged .vsix installed in a real VS Code', command: ['node', 'test/vscode/vsix.mjs', '--ui', '--screenshots', 'out/screenshots'], skip: 'ROUTE_ATLAS_SKIP_VSCODE' },
];

const summary = [];
for (const part of parts) {
  if (part.skip && process.env[part.skip]) {
    summary.push(`skipped  ${part.name} (${part.skip} is set)`);
    continue;
  }
  process.stderr.write(`\n== ${part.name}: ${part.command.join(' ')}\n`);
  const started = Date.now();
  const result = spawnSync(part.command[0], part.command.slice(1), { cwd: root, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const code = result.status ?? 1;
  summary.push(`${code === 0 ? 'passed ' : 'FAILED '}  ${part.name} (${seconds} s)`);
  if (code !== 0) {
    process.stderr.write(`\n${summary.join('\n')}\n`);
    process.exit(code);
  }
}
process.stderr.write(`\n${summary.join('\n')}\n`);
