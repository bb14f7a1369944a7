import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';

// Built into the bundles by esbuild.mjs: a digest of the analysis sources, so that a cache written by
// another build of Route Atlas (whose summaries may mean something else) is never read.
declare const ROUTE_ATLAS_BUILD_ID: string | undefined;
const BUILD_ID = typeof ROUTE_ATLAS_BUILD_ID === 'string' ? ROUTE_ATLAS_BUILD_ID : 'unbundled';
const FORMAT = 'route-atlas-parse-cache/1';

/** What is cached per file: a module's summary (route files and others differ), a next.config, a file's endpoint calls. */
export type CacheKind = 'route' | 'module' | 'config' | 'calls';

interface Entry {
  /** Content hash (SHA-1 of the UTF-8 text, base64) and length: a file whose text changed never matches. */
  hash: string;
  length: number;
  value: unknown;
}

interface CacheFile {
  format: string;
  build: string;
  root: string;
  entries: Map<string, Entry>;
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
  ) {}

  /** Opens the cache file for a workspace root: an unreadable, foreign or corrupt file counts as empty. */
  static open(file: string | undefined, root: string): ParseCache {
    const cache = new ParseCache(file, root);
    if (!file) return cache;
    try {
      const data = deserialize(fs.readFileSync(file)) as Partial<CacheFile>;
      if (data.format === FORMAT && data.build === BUILD_ID && data.root === root && data.entries instanceof Map) {
        cache.entries = data.entries;
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
      return entry.value as T;
    }
    this.stats.misses++;
    return undefined;
  }

  set(kind: CacheKind, abs: string, text: string, value: unknown): void {
    const key = `${kind}\0${abs}`;
    this.entries.set(key, { hash: this.hashOf(text), length: text.length, value });
    this.used.add(key);
    this.dirty = true;
  }

  /** Writes the entries used since the cache was opened, when anything changed; atomically (write, then rename). */
  save(): boolean {
    if (!this.file || (!this.dirty && this.used.size === this.entries.size)) return false;
    const kept = new Map<string, Entry>();
    for (const key of this.used) {
      const entry = this.entries.get(key);
      if (entry) kept.set(key, entry);
    }
    const data: CacheFile = { format: FORMAT, build: BUILD_ID, root: this.root, entries: kept };
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, serialize(data));
      fs.renameSync(temporary, this.file);
    } catch {
      // A cache that cannot be written costs the next start its speed, nothing else.
      return false;
    }
    this.entries = kept;
    this.dirty = false;
    this.stats.saved = kept.size;
    return true;
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
