import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HttpMethod, RouteManifest } from '../../server/analysis/model';
import { scanWorkspace } from '../../server/analysis/scan';
import { type ManifestResult, ManifestRequest, ServerStatusNotification, type ServerStatusParams } from '../../server/protocol';
import { allProblems, Scratch, writeTree } from '../faults/hostileCases';
import { startTestSession, type TestSession } from './lspClient';

// A storm of editor edits and file events on a generated app, then one question: once the server is idle,
// is its manifest the one a fresh scan of the final disk gives? ROUTE_ATLAS_STRESS_SEED=<n> replays a run.

const SEED = Number(process.env.ROUTE_ATLAS_STRESS_SEED ?? 20_251_202) >>> 0;
const ROUTES = 300;
const OPERATIONS = 3000;
const LIBRARIES = 10;
const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Storm {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = random(seed);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** A route's text: some methods, sometimes segment config, sometimes broken, now and then too deep to analyze. */
  routeText(): string {
    const methods = METHODS.filter(() => this.chance(0.4));
    const lines: string[] = [];
    if (this.chance(0.2)) lines.push(`export const dynamic = '${this.pick(['force-dynamic', 'force-static', 'auto'])}';`);
    if (this.chance(0.1)) lines.push('export const revalidate = 60;');
    for (const method of methods) {
      lines.push(
        this.chance(0.5)
          ? `export async function ${method}(request: Request) {\n  const q = new URL(request.url).searchParams.get('q');\n  return Response.json({ q });\n}`
          : `export const ${method} = async () => Response.json({ ${method.toLowerCase()}: ${this.int(100)} });`,
      );
    }
    let text = lines.join('\n') + '\n';
    if (this.chance(0.1)) text += 'export async function GET() {\n  return Response.json({ broken: [1, 2\n';
    if (this.chance(0.02)) text += `export const deep = ${'('.repeat(2000)}1${')'.repeat(2000)};\n`;
    return text;
  }

  libraryText(): string {
    return METHODS.filter(() => this.chance(0.5))
      .map((method) => `export async function ${method}() { return Response.json({ from: 'lib' }); }`)
      .join('\n') + '\n';
  }
}

const relativeImport = (fromDir: string, target: string) => {
  const relative = path.posix.relative(fromDir, target);
  return relative.startsWith('.') ? relative : `./${relative}`;
};

/** The app: ~300 routes in 30 groups, some dynamic, one in ten re-exporting a library module. */
function generateApp(storm: Storm): Record<string, string> {
  const files: Record<string, string> = { 'package.json': JSON.stringify({ name: 'storm', dependencies: { next: '15.5.0' } }) };
  for (let k = 0; k < LIBRARIES; k++) files[`lib/h${k}.ts`] = storm.libraryText();
  for (let i = 0; i < ROUTES; i++) {
    const folder = i % 9 === 0 ? `app/api/g${i % 30}/[id]/r${i}` : `app/api/g${i % 30}/r${i}`;
    files[`${folder}/route.ts`] = i % 10 === 0 ? `export { GET, POST } from '${relativeImport(folder, `lib/h${i % LIBRARIES}`)}';\n` : storm.routeText();
  }
  return files;
}

interface OpenDocument {
  version: number;
  text: string;
}

describe('stress: a storm of edits and file events ends in the manifest of a fresh scan', function () {
  this.timeout(90_000);
  let scratch: Scratch | undefined;
  let session: TestSession | undefined;
  /** What the server and a fresh scan say once the storm is over, and the storm's last steps. */
  let outcome: { actual: RouteManifest; expected: RouteManifest; log: string[] } | undefined;

  before(async () => {
    process.stderr.write(`      stress seed ${SEED} (ROUTE_ATLAS_STRESS_SEED=${SEED} replays it)\n`);
    scratch = new Scratch();
    session = startTestSession({ debounceMs: 0 });
    outcome = await runStorm(session, scratch, new Storm(SEED));
  });

  after(() => {
    session?.dispose();
    scratch?.dispose();
    session = scratch = undefined;
  });

  it(`${OPERATIONS} random edits, creations, deletions and renames over ${ROUTES} routes: the same routes and problems (seed ${SEED})`, () => {
    const { actual, expected, log } = outcome!;
    assert.deepEqual(
      withSortedProblems(actual),
      withSortedProblems(expected),
      `seed ${SEED}: the manifest differs from a fresh scan:\n${explainDifference(actual, expected)}\nlast operations:\n  ${log.slice(-15).join('\n  ')}`,
    );
  });

  it(`the same manifest as a fresh scan, problems in the same order too (seed ${SEED})`, () => {
    const { actual, expected } = outcome!;
    assert.deepEqual(actual, expected, `seed ${SEED}: ${explainDifference(actual, expected)}`);
  });
});

async function runStorm(session: TestSession, scratch: Scratch, storm: Storm): Promise<{ actual: RouteManifest; expected: RouteManifest; log: string[] }> {
  const root = scratch.dir(generateApp(storm));
  const abs = (relative: string) => path.join(root, relative);
  const uriOf = (relative: string) => pathToFileURL(abs(relative)).toString();
  /** Route folders on disk (relative), each holding route.ts. */
  const folders = new Set(
    fs
      .readdirSync(abs('app'), { recursive: true, encoding: 'utf8' })
      .filter((entry) => entry.endsWith('route.ts'))
      .map((entry) => path.posix.join('app', path.dirname(entry.split(path.sep).join('/')))),
  );
  const open = new Map<string, OpenDocument>();
  const log: string[] = [];

  const client = session.client;
  const rootUri = pathToFileURL(root).toString();
  const ready = session.waitFor<ServerStatusParams>(ServerStatusNotification.method, (s) => s.state === 'ready', 30_000);
  await client.sendRequest('initialize', { processId: null, rootUri, workspaceFolders: [{ uri: rootUri, name: 'storm' }], capabilities: {}, initializationOptions: { settings: {} } });
  client.sendNotification('initialized', {});
  await ready;

  const events = (changes: Array<[string, 1 | 2 | 3]>) =>
    client.sendNotification('workspace/didChangeWatchedFiles', { changes: changes.map(([relative, type]) => ({ uri: uriOf(relative), type })) });
  const closeDocument = (file: string) => {
    open.delete(file);
    client.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(file) } });
  };
  /** An editor closes what it showed of a folder before the folder goes. */
  const closeBelow = (folder: string) => {
    for (const file of [...open.keys()]) if (file.startsWith(folder + '/')) closeDocument(file);
  };
  let created = 0;

  for (let step = 0; step < OPERATIONS; step++) {
    const roll = storm.int(100);
    const folder = storm.pick([...folders]);
    const file = `${folder}/route.ts`;
    if (roll < 60) {
      // Typing in the editor: open the route with its disk text first, then change it.
      let document = open.get(file);
      if (!document) {
        document = { version: 1, text: fs.readFileSync(abs(file), 'utf8') };
        open.set(file, document);
        client.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(file), languageId: 'typescript', version: 1, text: document.text } });
      }
      document.text = storm.routeText();
      document.version++;
      client.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(file), version: document.version }, contentChanges: [{ text: document.text }] });
      log.push(`edit ${file}`);
    } else if (roll < 65 && open.size > 0) {
      const closed = storm.pick([...open.keys()]);
      closeDocument(closed);
      log.push(`close ${closed}`);
    } else if (roll < 70 && open.size > 0) {
      // Saving: the disk gets the editor's text; the watcher's event is moot while the document is open.
      const saved = storm.pick([...open.keys()]);
      fs.writeFileSync(abs(saved), open.get(saved)!.text);
      events([[saved, 2]]);
      log.push(`save ${saved}`);
    } else if (roll < 78) {
      const fresh = `app/api/g${storm.int(30)}/n${created++}${storm.chance(0.3) ? '/[slug]' : ''}`;
      writeTree(root, { [`${fresh}/route.ts`]: storm.routeText() });
      folders.add(fresh);
      // Watchers report a folder created with its contents as the folder, or as the file, or both.
      const reported = storm.pick([[[fresh, 1]], [[`${fresh}/route.ts`, 1]], [[fresh, 1], [`${fresh}/route.ts`, 1]]] as Array<Array<[string, 1]>>);
      events(reported);
      log.push(`create ${fresh}`);
    } else if (roll < 85 && folders.size > 50) {
      closeBelow(folder);
      fs.rmSync(abs(folder), { recursive: true, force: true });
      folders.delete(folder);
      events([[folder, 3]]);
      log.push(`delete ${folder}`);
    } else if (roll < 92) {
      closeBelow(folder);
      const renamed = `${path.posix.dirname(folder)}/m${created++}`;
      fs.renameSync(abs(folder), abs(renamed));
      folders.delete(folder);
      folders.add(renamed);
      events([
        [folder, 3],
        [renamed, 1],
      ]);
      log.push(`rename ${folder} -> ${renamed}`);
    } else if (roll < 97) {
      const library = `lib/h${storm.int(LIBRARIES)}.ts`;
      fs.writeFileSync(abs(library), storm.libraryText());
      events([[library, 2]]);
      log.push(`library ${library}`);
    } else if (!open.has(file)) {
      fs.writeFileSync(abs(file), storm.routeText());
      events([[file, 2]]);
      log.push(`disk ${file}`);
    }
    // Let the server run now and then, so that edits meet updates in every state.
    if (storm.chance(0.05)) await new Promise((resolve) => setTimeout(resolve, storm.int(4)));
    if (step % 500 === 499) await client.sendRequest<ManifestResult>(ManifestRequest.method, {});
  }

  // Both sides must read the same text: the editor's goes to disk, then the documents close.
  for (const [file, document] of open) fs.writeFileSync(abs(file), document.text);
  for (const file of [...open.keys()]) closeDocument(file);

  await waitUntilIdle(session);
  const result = await client.sendRequest<ManifestResult>(ManifestRequest.method, {});
  return { actual: result.folders[0].manifest, expected: JSON.parse(JSON.stringify(scanWorkspace(root))) as RouteManifest, log };
}

/** The manifest with each list of problems in one canonical order, for comparing what is reported, not where in the list. */
function withSortedProblems(manifest: RouteManifest): RouteManifest {
  const sorted = <T>(items: T[]) => items.map((item) => [JSON.stringify(item), item] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item);
  return { ...manifest, problems: sorted(manifest.problems), apps: manifest.apps.map((app) => ({ ...app, problems: sorted(app.problems) })) };
}

/** Idle: the last status says ready and nothing has been sent for a while. */
async function waitUntilIdle(session: TestSession, quietMs = 400, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = session.notifications.length;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const statuses = session.notifications.filter((n) => n.method === ServerStatusNotification.method);
    const last = statuses[statuses.length - 1]?.params as ServerStatusParams | undefined;
    if (session.notifications.length === seen && last?.state === 'ready') return;
    if (Date.now() > deadline) throw new Error(`the server was still busy after ${timeoutMs} ms (last status ${JSON.stringify(last)})`);
  }
}

/** The first differences between two manifests, in words: a deep diff of 300 routes is unreadable. */
function explainDifference(actual: RouteManifest, expected: RouteManifest): string {
  const lines: string[] = [];
  const byFile = (manifest: RouteManifest) => new Map(manifest.apps.flatMap((app) => app.routes).map((route) => [route.file, route]));
  const a = byFile(actual);
  const e = byFile(expected);
  for (const file of e.keys()) if (!a.has(file)) lines.push(`missing route ${file}`);
  for (const file of a.keys()) if (!e.has(file)) lines.push(`phantom route ${file}`);
  for (const [file, route] of e) {
    const other = a.get(file);
    if (other && JSON.stringify(other) !== JSON.stringify(route)) {
      const methods = (r: typeof route) => r.methods.map((m) => m.name + (m.implicit ? '*' : '')).join(',');
      lines.push(`route ${file} differs: methods ${methods(other)} vs ${methods(route)}; caching ${other.caching?.kind} vs ${route.caching?.kind}`);
    }
  }
  const key = (p: { id: string; file?: string; message: string }) => `${p.id} ${p.file ?? '-'} ${p.message.slice(0, 120)}`;
  const actualProblems = allProblems(actual).map(key);
  const expectedProblems = allProblems(expected).map(key);
  for (const problem of expectedProblems) if (!actualProblems.includes(problem)) lines.push(`missing problem ${problem}`);
  for (const problem of actualProblems) if (!expectedProblems.includes(problem)) lines.push(`extra problem ${problem}`);
  if (lines.length === 0 && JSON.stringify(actualProblems) !== JSON.stringify(expectedProblems)) lines.push('the same problems in another order');
  if (lines.length === 0) lines.push('(the routes and problems agree; the difference is elsewhere: order, pages or config)');
  return lines.slice(0, 30).join('\n');
}
