import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';

// Built into the bundles by esbuild.mjs: a digest of the analysis sources, so that a cache written by
// another build of Route Atlas (whose summaries may mean something else) is never read.
declare const ROUTE_ATLAS_BUILD_ID: string | undefined;
const BUILD_ID = typeof ROUTE_ATLAS_BUILD_ID === 'string' ? ROUTE_ATLAS_BUILD_ID : 'unbundled';
const FORMAT = 'route-atlas-parse-cache/3';
/** Values serialized together: one call per value costs more than the values (0.65 s for 20,000 of them). */
const CHUNK_VALUES = 64;

/** What is cached per file: a module's summary (route files and others differ), a next.config, a file's endpoint calls. */
export type CacheKind = 'route' | 'module' | 'config' | 'calls' | 'linked';

interface Entry {
  /** Content hash (SHA-1 of the UTF-8 text, base64) and length: a file whose text changed never matches. */
  hash: string;
  length: number;
  /** The value, once read; until then it is value `index` of chunk `chunk` in the file's blob. */
  value?: unknown;
  /** -1 for a value set since the cache was read or written. */
  chunk: number;
  index: number;
}

interface Chunk {
  offset: number;
  size: number;
  /** How many values it holds, live or not. */
  count: number;
  /** The chunk's values, once one of them was asked for. */
  values?: unknown[];
}

/**
 * The file's payload. Values are serialized in chunks into a blob and read a chunk at a time, when asked
 * for: a warm start that takes every route linked from the cache never reads the summaries behind them.
 */
export interface CacheFile {
  format: string;
  build: string;
  root: string;
  entries: Map<string, { hash: string; length: number; chunk: number; index: number }>;
  chunks: Array<{ offset: number; size: number; count: number }>;
  blob: Uint8Array;
}

const MAC_BYTES = 32;

/**
 * The key that signs cache files. A cache in a repository's node_modules is in reach of whoever can change
 * the repository: a pull request could plant entries that hide an endpoint from a CI check. Entries are
 * trusted only when signed with a key that lives outside every workspace (in the user's cache folder, or
 * ROUTE_ATLAS_CACHE_KEY for a CI job that restores its cache); undefined when there is none to be had.
 */
let cachedKey: Buffer | null | undefined;
export function cacheKey(): Buffer | undefined {
  if (cachedKey !== undefined) return cachedKey ?? undefined;
  const fromEnvironment = process.env.ROUTE_ATLAS_CACHE_KEY;
  if (fromEnvironment) return (cachedKey = createHash('sha256').update(fromEnvironment).digest());
  const home = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const file = path.join(home, 'route-atlas', 'cache-key');
  try {
    const existing = fs.readFileSync(file);
    if (existing.length === MAC_BYTES) return (cachedKey = existing);
  } catch {
    // None yet: make one.
  }
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const key = randomBytes(MAC_BYTES);
    // `wx`: of two processes making a key at once, one wins and the other reads it.
    fs.writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
    return (cachedKey = key);
  } catch {
    try {
      const written = fs.readFileSync(file);
      if (written.length === MAC_BYTES) return (cachedKey = written);
    } catch {
      // No key can be had: the cache is not used.
    }
  }
  cachedKey = null;
  return undefined;
}

function mac(key: Buffer, payload: Buffer): Buffer {
  return createHmac('sha256', key).update(payload).digest();
}

/**
 * Results of parsing files, kept across runs: a warm start reads each file and hashes it, but parses only
 * what changed, so the TypeScript compiler is not even loaded when nothing did. An entry is found by
 * kind and absolute path and is valid only for the exact text it was computed from (its content hash):
 * unlike eslint's default metadata strategy, a file edited within the same second to the same size is
 * still seen as changed. Entries not used in a run are dropped when the cache is saved.
 */
export class ParseCache {
  private entries = new Map<string, Entry>();
  private blob: Uint8Array = new Uint8Array(0);
  private chunks: Chunk[] = [];
  private readonly used = new Set<string>();
  private dirty = false;
  private lastText: string | undefined;
  private lastHash = '';
  /** Counters, for logs and tests. */
  readonly stats = { loaded: 0, hits: 0, misses: 0, saved: 0 };

  private constructor(
    /** The cache file; undefined for a cache that lives in memory only. */
    readonly file: string | undefined,
    private readonly root: string,
    private readonly key: Buffer | undefined,
  ) {}

  /**
   * Opens the cache file for a workspace root: an unreadable, foreign, corrupt or unsigned file counts as
   * empty. Without a signing key (see cacheKey) the cache lives in memory only.
   */
  static open(file: string | undefined, root: string): ParseCache {
    const key = file ? cacheKey() : undefined;
    const cache = new ParseCache(key ? file : undefined, root, key);
    if (!file || !key) return cache;
    try {
      const signed = fs.readFileSync(file);
      const payload = signed.subarray(MAC_BYTES);
      if (signed.length < MAC_BYTES || !timingSafeEqual(signed.subarray(0, MAC_BYTES), mac(key, payload))) return cache;
      const data = deserialize(payload) as Partial<CacheFile>;
      if (data.format === FORMAT && data.build === BUILD_ID && data.root === root && data.entries instanceof Map && Array.isArray(data.chunks) && data.blob instanceof Uint8Array) {
        cache.entries = data.entries;
        cache.chunks = data.chunks;
        cache.blob = data.blob;
        cache.stats.loaded = data.entries.size;
      }
    } catch {
      // No cache yet, or one this build cannot read: start empty.
    }
    return cache;
  }

  /** The cache file for a workspace root in a folder of caches (one file per root, named by its hash). */
  static fileFor(cacheDir: string, root: string): string {
    return path.join(cacheDir, `parse-${createHash('sha1').update(root).digest('hex').slice(0, 16)}.bin`);
  }

  /** The value cached for exactly this text of the file, if any. */
  get<T>(kind: CacheKind, abs: string, text: string): T | undefined {
    const key = `${kind}\0${abs}`;
    const entry = this.entries.get(key);
    if (entry && entry.length === text.length && entry.hash === this.hashOf(text)) {
      this.used.add(key);
      this.stats.hits++;
      return this.valueOf(entry) as T;
    }
    this.stats.misses++;
    return undefined;
  }

  set(kind: CacheKind, abs: string, text: string, value: unknown): void {
    const key = `${kind}\0${abs}`;
    this.entries.set(key, { hash: this.hashOf(text), length: text.length, value, chunk: -1, index: 0 });
    this.used.add(key);
    this.dirty = true;
  }

  /**
   * An entry that validates itself (a linked route: it knows the files and resolutions it came from), for
   * the caller to check; undefined when there is none.
   */
  getEntry<T>(kind: CacheKind, abs: string): T | undefined {
    const key = `${kind}\0${abs}`;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.used.add(key);
    return this.valueOf(entry) as T;
  }

  setEntry(kind: CacheKind, abs: string, value: unknown): void {
    const key = `${kind}\0${abs}`;
    this.entries.set(key, { hash: '', length: 0, value, chunk: -1, index: 0 });
    this.used.add(key);
    this.dirty = true;
  }

  /** True when there is an entry of this kind for the file (its value is not read). */
  has(kind: CacheKind, abs: string): boolean {
    return this.entries.has(`${kind}\0${abs}`);
  }

  /** Marks an entry as used without reading it: it is still valid for a later run (the summary behind a linked route). */
  keep(kind: CacheKind, abs: string): void {
    const key = `${kind}\0${abs}`;
    if (this.entries.has(key)) this.used.add(key);
  }

  /** Forgets an entry that turned out stale, so that it is not written back. */
  drop(kind: CacheKind, abs: string): void {
    this.used.delete(`${kind}\0${abs}`);
  }

  /** The content hash entries are keyed by, for callers that validate entries of their own. */
  hashText(text: string): string {
    return this.hashOf(text);
  }

  /**
   * Writes the entries used since the cache was opened, when anything changed; atomically (write, then
   * rename). A chunk whose entries are all kept and unchanged is copied as it was; only the rest is
   * serialized again, so saving after a few edits costs little however large the cache.
   */
  save(): boolean {
    if (!this.file || !this.key || (!this.dirty && this.used.size === this.entries.size)) return false;
    const keysOfChunk = new Map<number, string[]>();
    for (const [key, entry] of this.entries) {
      if (entry.chunk === -1) continue;
      const keys = keysOfChunk.get(entry.chunk);
      if (keys) keys.push(key);
      else keysOfChunk.set(entry.chunk, [key]);
    }
    const index: CacheFile['entries'] = new Map();
    const chunks: Chunk[] = [];
    const parts: Uint8Array[] = [];
    let offset = 0;
    const addChunk = (bytes: Uint8Array, count: number, values?: unknown[]) => {
      chunks.push({ offset, size: bytes.length, count, values });
      parts.push(bytes);
      offset += bytes.length;
      return chunks.length - 1;
    };
    for (const [old, keys] of keysOfChunk) {
      const chunk = this.chunks[old];
      // A chunk with a value no longer used (or replaced) is packed again, so that dead values do not pile up.
      if (keys.length !== chunk.count || !keys.every((key) => this.used.has(key))) continue;
      const at = addChunk(this.blob.subarray(chunk.offset, chunk.offset + chunk.size), chunk.count, chunk.values);
      for (const key of keys) {
        const entry = this.entries.get(key)!;
        entry.chunk = at;
        index.set(key, { hash: entry.hash, length: entry.length, chunk: at, index: entry.index });
      }
    }
    const pending: string[] = [];
    for (const key of this.used) if (this.entries.has(key) && !index.has(key)) pending.push(key);
    for (let start = 0; start < pending.length; start += CHUNK_VALUES) {
      const keys = pending.slice(start, start + CHUNK_VALUES);
      const values = keys.map((key) => this.valueOf(this.entries.get(key)!));
      const at = addChunk(serialize(values), values.length, values);
      keys.forEach((key, i) => {
        const entry = this.entries.get(key)!;
        entry.chunk = at;
        entry.index = i;
        index.set(key, { hash: entry.hash, length: entry.length, chunk: at, index: i });
      });
    }
    const blob = Buffer.concat(parts);
    const data: CacheFile = { format: FORMAT, build: BUILD_ID, root: this.root, entries: index, chunks: chunks.map(({ offset, size, count }) => ({ offset, size, count })), blob };
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      const payload = serialize(data);
      fs.writeFileSync(temporary, Buffer.concat([mac(this.key, payload), payload]));
      fs.renameSync(temporary, this.file);
    } catch {
      // A cache that cannot be written costs the next start its speed, nothing else.
      return false;
    }
    for (const key of [...this.entries.keys()]) if (!index.has(key)) this.entries.delete(key);
    this.chunks = chunks;
    this.blob = blob;
    this.dirty = false;
    this.stats.saved = index.size;
    return true;
  }

  private valueOf(entry: Entry): unknown {
    if (entry.value === undefined && entry.chunk !== -1) {
      const chunk = this.chunks[entry.chunk];
      chunk.values ??= deserialize(this.blob.subarray(chunk.offset, chunk.offset + chunk.size)) as unknown[];
      entry.value = chunk.values[entry.index];
    }
    return entry.value;
  }

  /** Hashes a text once even when get and set ask for it in a row. */
  private hashOf(text: string): string {
    if (text !== this.lastText) {
      this.lastText = text;
      this.lastHash = createHash('sha1').update(text).digest('base64');
    }
    return this.lastHash;
  }
}
