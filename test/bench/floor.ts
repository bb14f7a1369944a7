// The floor: the least work any static analyzer of these apps must do, with nothing of ours in it.
//
// What the floor covers (our choice, kept deliberately strict so "within 2x the floor" means something):
//   * Walk every folder under the root, skipping dependency/build/VCS folders and dot folders
//     (node_modules, .next, .git, ...): the analyzer has to do this to discover the apps.
//   * Read and parse every JS/TS source file (.ts .tsx .mts .cts .js .jsx .mjs .cjs, not .d.ts):
//     route files, metadata code files, lib modules, colocated modules and next.config.js. In the
//     generated apps every lib module is imported by some route, so this is exactly the set a
//     resolver following route imports reaches, plus the config file.
//   * EXCEPT the UI convention files inside an app dir (page, layout, template, loading, error,
//     global-error, not-found, default, forbidden, unauthorized): the analyzer needs only their names
//     (page URLs for route/page conflicts), never their contents. They are listed by the walk, not
//     read. Counting them would make the floor bigger and the 2x target easier.
//   * Read (JSON.parse, no TypeScript parse) package.json and tsconfig.json files.
//   * Binary and other files (icons, .gitignore, ...) are only listed.
// The parse is a plain `ts.createSourceFile(..., setParentNodes = false)`: no binder, no checker, no
// module resolution. Each tree is dropped after parsing (only a statement count is kept, so the work
// cannot be optimized away): holding every AST would add GC time and ~1 GiB at 10,000 routes that an
// analyzer keeping per-file summaries does not need, and the floor must be the least work possible.
// Both the floor and the scan run cold in a fresh process, so both include the parser's JIT warm-up.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ts } from 'ts-morph';

export const SKIPPED_DIRS = new Set(['node_modules', '.next', 'out', 'dist', '.git', '.turbo', '.vercel', 'coverage', '.svn', '.hg']);
const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const UI_FILE = /^(page|layout|template|loading|error|global-error|not-found|default|forbidden|unauthorized)\.(tsx|ts|jsx|js|mdx)$/;
const JSON_FILE = /^(package\.json|tsconfig\.json|jsconfig\.json)$/;

export interface FloorResult {
  ms: number;
  /** Files read (sources parsed plus JSON files). */
  files: number;
  bytes: number;
  /** Source files parsed. */
  parsed: number;
  /** The part of `ms` spent in ts.createSourceFile (the rest is the walk and the reads). */
  parseMs: number;
  /** Files only listed by the walk (UI files, binaries, ...). */
  listed: number;
  dirs: number;
}

function scriptKind(name: string): ts.ScriptKind {
  if (name.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (/\.(ts|mts|cts)$/.test(name)) return ts.ScriptKind.TS;
  if (name.endsWith('.jsx')) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

/** Walks, reads and parses `root` as described above; `ms` is wall time for all of it. */
export function measureFloor(root: string): FloorResult & { statements: number } {
  const started = performance.now();
  let statements = 0;
  let parseMs = 0;
  let files = 0;
  let bytes = 0;
  let parsed = 0;
  let listed = 0;
  let dirs = 0;
  const visit = (dir: string, inAppDir: boolean) => {
    dirs++;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const name = entry.name;
      const path = join(dir, name);
      if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(name) || name.startsWith('.')) continue;
        visit(path, inAppDir || name === 'app');
        continue;
      }
      if (!entry.isFile()) continue;
      if (SOURCE.test(name) && !/\.d\.(ts|mts|cts)$/.test(name) && !(inAppDir && UI_FILE.test(name))) {
        const buffer = readFileSync(path);
        const text = buffer.toString('utf8');
        const t = performance.now();
        statements += ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, scriptKind(name)).statements.length;
        parseMs += performance.now() - t;
        files++;
        parsed++;
        bytes += buffer.length;
      } else if (JSON_FILE.test(name)) {
        const buffer = readFileSync(path);
        statements += Object.keys(JSON.parse(buffer.toString('utf8'))).length;
        files++;
        bytes += buffer.length;
      } else {
        listed++;
      }
    }
  };
  visit(root, false);
  return { ms: performance.now() - started, files, bytes, parsed, parseMs, listed, dirs, statements };
}
