import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { parseJsonc } from '../../server/analysis/jsonc';

/** Every tsconfig and jsconfig file of the installed packages: real JSON with comments, as people write it. */
function realConfigs(): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 6 || found.length > 400) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(abs, depth + 1);
      else if (/^(tsconfig|jsconfig)(\.[\w-]+)?\.json$/.test(entry.name)) found.push(abs);
    }
  };
  walk(path.resolve(__dirname, '../../../node_modules'), 0);
  return found;
}

describe('parseJsonc (tsconfig files without the compiler)', () => {
  const tricky = [
    '{"a":1,}',
    '{\n  // a comment\n  "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*",], }, },\n}',
    '/* header */ { "extends": "./base.json" /* why */ }',
    '{ "a": "// not a comment", "b": "/* nor this */", "c": "a,}" }',
    '{ "a": "quote \\" and backslash \\\\", }',
    '{ "list": [1, 2, /* three */ 3,] }',
    '{"a": [ , ]}',
    '{ "a": 1 /* never closed',
    '{ "a": }',
    '',
  ];

  it('reads what TypeScript reads, or leaves it to TypeScript', () => {
    for (const text of tricky) {
      const ours = parseJsonc(text);
      const theirs = ts.parseConfigFileTextToJson('tsconfig.json', text);
      if (ours === undefined) continue;
      assert.equal(theirs.error, undefined, `${JSON.stringify(text)}: accepted here but an error for TypeScript`);
      assert.deepEqual(ours, theirs.config, JSON.stringify(text));
    }
    assert.deepEqual(parseJsonc(tricky[1]), { compilerOptions: { baseUrl: '.', paths: { '@/*': ['./src/*'] } } });
    assert.equal(parseJsonc('{ "a": 1 /* never closed'), undefined);
  });

  it('agrees with TypeScript on the tsconfig files of the installed packages', function () {
    const files = realConfigs();
    if (files.length === 0) this.skip();
    let read = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const theirs = ts.parseConfigFileTextToJson(file, text);
      const ours = parseJsonc(text);
      if (theirs.error) continue;
      assert.deepEqual(ours, theirs.config, file);
      read++;
    }
    assert.ok(read > 0);
  });

  it('takes linear time on a long run of commas and comments', () => {
    const text = '[' + '0,/**/'.repeat(200_000) + ']';
    const parsed = parseJsonc(text) as number[];
    assert.equal(parsed.length, 200_000);
  });
});
