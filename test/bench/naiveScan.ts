// The yardstick the editor benchmark holds the CLI against: the least a tool that lists route handlers
// must do. It walks the tree, reads every route file and matches exported method names line by line,
// with no parsing, no config and no cache.
//
//   node out/test/bench/naiveScan.js <dir>        prints [{ file, methods }] as JSON
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SKIPPED_DIRS = new Set(['node_modules', '.next', '.git', 'dist']);
const ROUTE_FILE = /^route\.(ts|tsx|js|jsx|mjs)$/;
const METHOD_EXPORT = /^\s*export\s+(?:(?:async\s+)?function\s*\*?\s*|const\s+)(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/;

export interface NaiveRoute {
  file: string;
  methods: string[];
}

export function naiveScan(root: string): NaiveRoute[] {
  const routes: NaiveRoute[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) visit(path);
      } else if (entry.isFile() && ROUTE_FILE.test(entry.name)) {
        const methods: string[] = [];
        for (const line of readFileSync(path, 'utf8').split('\n')) {
          const match = METHOD_EXPORT.exec(line);
          if (match && !methods.includes(match[1])) methods.push(match[1]);
        }
        routes.push({ file: relative(root, path).split('\\').join('/'), methods });
      }
    }
  };
  visit(root);
  return routes;
}

if (require.main === module) {
  const root = process.argv[2];
  if (!root) {
    process.stderr.write('Usage: node naiveScan.js <dir>\n');
    process.exit(2);
  }
  process.stdout.write(JSON.stringify(naiveScan(root), null, 2) + '\n');
}
