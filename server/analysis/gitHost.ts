import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { type DirEntry, type FileHost, type FileStat, nodeFileHost } from './host';

/** A git command that failed: `message` is git's own first line of stderr (or why git did not start). */
export class GitError extends Error {
  constructor(
    message: string,
    /** True when git itself could not be started (not installed, not on PATH). */
    readonly notInstalled = false,
  ) {
    super(message);
  }
}

/**
 * Git never takes optional locks for us (a diff that refreshes the index would otherwise write it while an
 * editor or another git runs), and never prompts: a CI job has nobody to answer.
 */
const GIT_ENV = { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' };

/** Output of git is at most this large; a tree listing of 100,000 files is about 15 MB. */
const MAX_GIT_OUTPUT = 512 * 1024 * 1024;

/** Runs git synchronously in `cwd` and returns its stdout; throws GitError with git's message. */
export function runGit(cwd: string, args: readonly string[]): string {
  return runGitBuffer(cwd, args).toString('utf8');
}

function runGitBuffer(cwd: string, args: readonly string[]): Buffer {
  try {
    return execFileSync('git', args, { cwd, env: GIT_ENV, maxBuffer: MAX_GIT_OUTPUT, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (failure.code === 'ENOENT') throw new GitError('git is not installed or not on PATH', true);
    const stderr = failure.stderr?.toString('utf8').trim();
    throw new GitError(stderr ? stderr.split('\n')[0] : failure.message);
  }
}

interface TreeEntry {
  kind: 'file' | 'link' | 'folder' | 'submodule';
  oid?: string;
  size: number;
  /** A symbolic link's target, once read. */
  target?: string;
}

/** Where a path leads: a path in the tree (relative, `/` separators, '' for the top), a path on disk, or a link loop. */
type Resolved = { tree: string } | { disk: string } | { loop: true };

/** Symbolic links followed while resolving one path, as Linux allows (ELOOP beyond). */
const MAX_LINK_HOPS = 40;

/**
 * The files of one git commit as a FileHost, so that the analysis scans a revision exactly as it scans the
 * disk, without checking it out. The tree is listed once (`git ls-tree -r`), and file contents are read on
 * demand from one long-running `git cat-file --batch`, so a scan of thousands of files starts two processes.
 *
 * Dependencies are not in git: paths inside a `node_modules` folder, and paths outside the repository, are
 * read from the disk (the work tree's installed packages serve both revisions alike). A `node_modules` entry
 * that is a link back into the repository (a workspace package) is followed, and read from the commit.
 */
export class GitTreeHost implements FileHost {
  private readonly entries = new Map<string, TreeEntry>();
  private readonly children = new Map<string, DirEntry[]>();
  private readonly blobs: BlobReader;
  /** Real paths on disk of the paths below node_modules that were asked for. */
  private readonly diskRealpaths = new Map<string, string>();

  private constructor(
    /** The repository's top folder, absolute and real. */
    readonly toplevel: string,
    /** The commit whose tree this host serves (a full object id). */
    readonly commit: string,
    private readonly fallback: FileHost,
  ) {
    this.children.set('', []);
    this.blobs = new BlobReader(toplevel);
  }

  /** Lists the commit's tree; throws GitError when git cannot. Call `dispose` when done. */
  static open(toplevel: string, commit: string, fallback: FileHost = nodeFileHost): GitTreeHost {
    const host = new GitTreeHost(toplevel, commit, fallback);
    host.load(runGitBuffer(toplevel, ['ls-tree', '-r', '-t', '-l', '-z', '--full-tree', commit]));
    return host;
  }

  /** Counters for logs and tests: how many file contents came out of git. */
  get blobsRead(): number {
    return this.blobs.count;
  }

  dispose(): void {
    this.blobs.dispose();
  }

  private load(listing: Buffer): void {
    let start = 0;
    while (start < listing.length) {
      let end = listing.indexOf(0, start);
      if (end === -1) end = listing.length;
      // `<mode> <type> <object> <size>\t<path>`; the path is bytes up to the NUL, any character allowed.
      const tab = listing.indexOf(9, start);
      if (tab !== -1 && tab < end) {
        const [mode, type, oid, size] = listing.toString('latin1', start, tab).trim().split(/\s+/);
        const rel = listing.toString('utf8', tab + 1, end);
        this.add(rel, mode, type, oid, size);
      }
      start = end + 1;
    }
  }

  private add(rel: string, mode: string, type: string, oid: string, size: string): void {
    const kind: TreeEntry['kind'] = type === 'tree' ? 'folder' : type === 'commit' ? 'submodule' : mode === '120000' ? 'link' : 'file';
    this.entries.set(rel, { kind, oid, size: Number(size) || 0 });
    if (kind === 'folder') this.children.set(rel, this.children.get(rel) ?? []);
    const slash = rel.lastIndexOf('/');
    const parent = slash === -1 ? '' : rel.slice(0, slash);
    let siblings = this.children.get(parent);
    if (!siblings) this.children.set(parent, (siblings = []));
    siblings.push({ name: rel.slice(slash + 1), isDirectory: kind === 'folder' || kind === 'submodule', isFile: kind === 'file', isSymbolicLink: kind === 'link' });
  }

  // The FileHost methods are properties, not prototype methods: the Workspace spreads its host into a
  // wrapper object, which copies own properties only.
  readonly stat = (abs: string): FileStat | undefined => {
    const resolved = this.resolve(abs, true);
    if ('loop' in resolved) return { isFile: false, isDirectory: false, size: 0, mtimeMs: 0, error: 'ELOOP' };
    if ('disk' in resolved) return this.fallback.stat(resolved.disk);
    if (resolved.tree === '') return { isFile: false, isDirectory: true, size: 0, mtimeMs: 0 };
    const entry = this.entries.get(resolved.tree);
    if (!entry) return undefined;
    const isDirectory = entry.kind === 'folder' || entry.kind === 'submodule';
    return { isFile: !isDirectory, isDirectory, size: isDirectory ? 0 : entry.size, mtimeMs: 0 };
  };

  readonly readDirectory = (abs: string): DirEntry[] => {
    const resolved = this.resolve(abs, true);
    if ('loop' in resolved) throw fsError('ELOOP', 'scandir', abs);
    if ('disk' in resolved) return this.fallback.readDirectory(resolved.disk);
    const entry = resolved.tree === '' ? undefined : this.entries.get(resolved.tree);
    // A submodule's files are not in this repository's objects: it lists as an empty folder.
    if (entry?.kind === 'submodule') return [];
    const listing = this.children.get(resolved.tree);
    if (listing) return listing.map((child) => ({ ...child }));
    throw fsError(entry ? 'ENOTDIR' : 'ENOENT', 'scandir', abs);
  };

  readonly readFile = (abs: string): Buffer => {
    const resolved = this.resolve(abs, true);
    if ('loop' in resolved) throw fsError('ELOOP', 'open', abs);
    if ('disk' in resolved) return this.fallback.readFile(resolved.disk);
    const entry = resolved.tree === '' ? undefined : this.entries.get(resolved.tree);
    if (!entry) throw fsError(resolved.tree === '' ? 'EISDIR' : 'ENOENT', 'open', abs);
    if (entry.kind !== 'file') throw fsError('EISDIR', 'open', abs);
    return this.blobs.read(entry.oid!);
  };

  readonly realpath = (abs: string): string => {
    const resolved = this.resolve(abs, true);
    if ('loop' in resolved) throw fsError('ELOOP', 'realpath', abs);
    if ('disk' in resolved) return this.fallback.realpath(resolved.disk);
    if (resolved.tree !== '' && !this.entries.has(resolved.tree)) throw fsError('ENOENT', 'realpath', abs);
    return resolved.tree === '' ? this.toplevel : path.join(this.toplevel, ...resolved.tree.split('/'));
  };

  /**
   * Where an absolute path leads, following the commit's symbolic links component by component (the last
   * one too when `followLast`), at most MAX_LINK_HOPS of them.
   */
  private resolve(abs: string, followLast: boolean, hopsSoFar = 0): Resolved {
    const relative = path.relative(this.toplevel, abs);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return this.diskSide(abs, hopsSoFar);
    let parts = relative === '' ? [] : relative.split(path.sep);
    let current = '';
    let hops = hopsSoFar;
    for (let index = 0; index < parts.length; ) {
      const name = parts[index];
      if (name === 'node_modules') return this.diskSide(path.join(this.toplevel, ...current.split('/'), ...parts.slice(index)), hops);
      const candidate = current === '' ? name : `${current}/${name}`;
      const entry = this.entries.get(candidate);
      const isLast = index === parts.length - 1;
      if (entry?.kind !== 'link' || (isLast && !followLast)) {
        current = candidate;
        index++;
        continue;
      }
      if (++hops > MAX_LINK_HOPS) return { loop: true };
      const target = this.linkTarget(entry);
      const rest = parts.slice(index + 1);
      const base = path.isAbsolute(target) ? target : path.join(this.toplevel, ...current.split('/').filter(Boolean), target);
      const next = path.relative(this.toplevel, base);
      if (next.startsWith('..') || path.isAbsolute(next)) return this.diskSide(path.join(base, ...rest), hops);
      parts = [...(next === '' ? [] : next.split(path.sep)), ...rest];
      current = '';
      index = 0;
    }
    return { tree: current };
  }

  /**
   * A path the commit does not hold is read from the disk; but a path that is really (through the links of
   * node_modules) a file of the repository is read from the commit, so that a workspace package is seen as
   * it was at the commit too.
   */
  private diskSide(abs: string, hops: number): Resolved {
    const real = this.diskRealpath(abs);
    const relative = path.relative(this.toplevel, real);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative) || relative.split(path.sep).includes('node_modules')) return { disk: abs };
    // Back into the repository through links on disk: that counts as a hop, so that links between the
    // commit and the disk cannot send the walk round for ever.
    if (hops + 1 > MAX_LINK_HOPS) return { loop: true };
    return this.resolve(real, true, hops + 1);
  }

  /** The real path of a path on disk; a path that does not exist keeps its missing tail (its folder is resolved). */
  private diskRealpath(abs: string): string {
    const known = this.diskRealpaths.get(abs);
    if (known !== undefined) return known;
    let real: string;
    try {
      real = fs.realpathSync.native(abs);
    } catch {
      const parent = path.dirname(abs);
      real = parent === abs ? abs : path.join(this.diskRealpath(parent), path.basename(abs));
    }
    if (this.diskRealpaths.size > 100_000) this.diskRealpaths.clear();
    this.diskRealpaths.set(abs, real);
    return real;
  }

  private linkTarget(entry: TreeEntry): string {
    entry.target ??= this.blobs.read(entry.oid!).toString('utf8');
    return entry.target;
  }
}

function fsError(code: string, syscall: string, abs: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${syscall} '${abs}'`), { code, syscall, path: abs });
}

// The thread that talks to `git cat-file --batch`: a few lines of plain Node, evaluated from this string.
// The scan is synchronous, so it cannot wait for a child's output on its own event loop; this thread owns
// the child, and the scan waits on a shared counter for each answer (see BlobReader.read).
const CAT_FILE_SOURCE = `
const { workerData } = require('node:worker_threads');
const { spawn } = require('node:child_process');
const { port, answered, cwd, env } = workerData;
const waiting = [];
let chunks = [];
let buffered = 0;
let failure;
let stderr = '';
function reply(message, transfer) {
  port.postMessage(message, transfer);
  Atomics.add(answered, 0, 1);
  Atomics.notify(answered, 0);
}
function fail(message) {
  failure = failure || message;
  while (waiting.length > 0) reply({ oid: waiting.shift(), error: failure });
}
const git = spawn('git', ['cat-file', '--batch'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
git.on('error', (error) => fail('git cat-file could not start: ' + error.message));
git.on('close', (code) => fail('git cat-file ended (' + code + ')' + (stderr ? ': ' + stderr.trim().split('\\n')[0] : '')));
git.stdin.on('error', () => {});
git.stderr.on('data', (data) => { if (stderr.length < 4000) stderr += data; });
git.stdout.on('data', (chunk) => { chunks.push(chunk); buffered += chunk.length; answer(); });
port.on('message', (oid) => {
  if (failure) { reply({ oid, error: failure }); return; }
  waiting.push(oid);
  git.stdin.write(oid + '\\n');
});
function take(count) {
  const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  chunks = all.length > count ? [all.subarray(count)] : [];
  buffered = all.length - count;
  return all.subarray(0, count);
}
function headerLine() {
  // '<oid> <type> <size>' or '<oid> missing', without taking it: an answer is taken only when complete, so
  // a large file is joined from its chunks once, not once per chunk.
  const parts = [];
  for (const chunk of chunks) {
    const at = chunk.indexOf(10);
    parts.push(at === -1 ? chunk : chunk.subarray(0, at));
    if (at !== -1) return Buffer.concat(parts).toString('latin1');
  }
  return undefined;
}
function answer() {
  while (waiting.length > 0 && buffered > 0) {
    const header = headerLine();
    if (header === undefined) return;
    const fields = header.split(' ');
    if (fields.length < 3) {
      take(header.length + 1);
      reply({ oid: waiting.shift(), error: fields.slice(1).join(' ') || 'no answer' });
      continue;
    }
    const size = Number(fields[2]);
    if (buffered < header.length + 1 + size + 1) return;
    const whole = take(header.length + 1 + size + 1);
    // A buffer of its own, so that it can be handed over instead of copied.
    const data = new Uint8Array(size);
    data.set(whole.subarray(header.length + 1, header.length + 1 + size));
    reply({ oid: waiting.shift(), data }, [data.buffer]);
  }
}
`;

/** How long one answer of git may take before the read fails: a hung git must not hang the scan. */
const BLOB_WAIT_MS = 60_000;

/**
 * Reads objects from `git cat-file --batch` synchronously: each read posts the object id to the thread that
 * owns the child and waits on a shared counter until the answer is there. One child serves every read.
 */
class BlobReader {
  private readonly answered = new Int32Array(new SharedArrayBuffer(4));
  private channel: { port: MessagePort; worker: Worker } | undefined;
  count = 0;

  constructor(private readonly cwd: string) {}

  read(oid: string): Buffer {
    const { port } = this.start();
    port.postMessage(oid);
    const deadline = performance.now() + BLOB_WAIT_MS;
    for (;;) {
      const seen = Atomics.load(this.answered, 0);
      for (let received = receiveMessageOnPort(port); received; received = receiveMessageOnPort(port)) {
        const answer = received.message as { oid: string; data?: Uint8Array; error?: string };
        // An answer to a read that timed out earlier is late, not ours.
        if (answer.oid !== oid) continue;
        if (answer.error !== undefined) throw Object.assign(new Error(`git cat-file ${oid}: ${answer.error}`), { code: 'EGIT' });
        this.count++;
        const data = answer.data!;
        return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      }
      const left = deadline - performance.now();
      if (left <= 0) throw Object.assign(new Error(`git cat-file ${oid}: no answer in ${BLOB_WAIT_MS / 1000} s`), { code: 'ETIMEDOUT' });
      Atomics.wait(this.answered, 0, seen, Math.min(left, 1000));
    }
  }

  dispose(): void {
    if (!this.channel) return;
    this.channel.port.close();
    void this.channel.worker.terminate();
    this.channel = undefined;
  }

  private start(): { port: MessagePort; worker: Worker } {
    if (!this.channel) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(CAT_FILE_SOURCE, { eval: true, workerData: { port: port2, answered: this.answered, cwd: this.cwd, env: GIT_ENV }, transferList: [port2] });
      // Its failures reach the reader as answers (or as the deadline); nothing to do on this thread's loop.
      worker.on('error', () => undefined);
      worker.unref();
      this.channel = { port: port1, worker };
    }
    return this.channel;
  }
}
