import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Writes a folder tree from a map of relative paths to contents; returns its absolute root. */
export function makeTree(files: Record<string, string | Buffer>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'route-atlas-test-'));
  writeFiles(root, files);
  return root;
}

export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

export function removeTree(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}

/** A minimal Next.js app: package.json depending on next, plus the given files. */
export function nextApp(files: Record<string, string | Buffer>, nextRange = '15.5.0'): Record<string, string | Buffer> {
  return { 'package.json': JSON.stringify({ name: 'app', dependencies: { next: nextRange } }), ...files };
}

/** 1-based line of the first line containing `needle`, so tests never hand-count positions. */
export function lineContaining(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index === -1) throw new Error(`no line contains ${JSON.stringify(needle)}`);
  return index + 1;
}
