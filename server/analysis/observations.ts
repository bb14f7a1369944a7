// What one run of the analysis saw of the disk: every folder it listed, every path it stat'ed, every file it
// read (as a content hash) and every real path it asked for. The analysis is a function of what it sees, so a
// later run that sees the same answers to the same questions would compute the same manifest: the CLI keeps a
// run's output with its observations, and serves the output again only after asking every question again
// (server/commands/resultCache.ts). A question it cannot replay exactly is never skipped: the run is not kept.
import { createHash } from 'node:crypto';
import type { DirEntry, FileHost, FileStat } from './host';
import type { Problem } from './model';

export type ObservationKind = 'dir' | 'stat' | 'file' | 'text' | 'real';

/** Above this many distinct observations a run is not kept: replaying it would cost more than it saves. */
const MAX_OBSERVATIONS = 500_000;

export class Observations {
  private readonly seen = new Map<string, string>();
  /**
   * Set when one question got two answers within the run (the disk changed while it ran) or there were too
   * many to keep: such a run must not be served again.
   */
  unusable = false;

  note(kind: ObservationKind, path: string, digest: string): void {
    const key = `${kind}\0${path}`;
    const before = this.seen.get(key);
    if (before === undefined) {
      if (this.seen.size >= MAX_OBSERVATIONS) this.unusable = true;
      else this.seen.set(key, digest);
    } else if (before !== digest) {
      this.unusable = true;
    }
  }

  get size(): number {
    return this.seen.size;
  }

  /** `[kind, path, digest]` in the order they were first seen. */
  *entries(): Generator<[ObservationKind, string, string]> {
    for (const [key, digest] of this.seen) {
      const split = key.indexOf('\0');
      yield [key.slice(0, split) as ObservationKind, key.slice(split + 1), digest];
    }
  }
}

const sha1 = (data: string | Buffer) => createHash('sha1').update(data).digest('base64');

export function dirDigest(entries: readonly DirEntry[]): string {
  return sha1(entries.map((e) => `${e.isDirectory ? 'd' : e.isFile ? 'f' : e.isSymbolicLink ? 'l' : 'o'}${e.name}`).join('\0'));
}

/** Kind, and size for files (a folder's size says nothing the analysis reads, and varies by file system). */
export function statDigest(stat: FileStat | undefined): string {
  if (!stat) return 'none';
  if (stat.error) return `error:${stat.error}`;
  return stat.isFile ? `file:${stat.size}` : stat.isDirectory ? 'dir' : 'other';
}

export function bufferDigest(buffer: Buffer): string {
  return `bytes:${sha1(buffer)}`;
}

export function errorDigest(error: unknown): string {
  return `error:${(error as NodeJS.ErrnoException)?.code ?? 'error'}`;
}

/** A source file as the analysis read it: its text, or the problem that kept it from being read. */
export function textDigest(result: string | Problem): string {
  return typeof result === 'string' ? `text:${sha1(result)}` : `problem:${result.id}:${result.message}`;
}

/** A host that notes every answer it gives, errors included (a thrown error is an answer too). */
export function observingHost(base: FileHost, log: Observations): FileHost {
  const observed = <T>(kind: ObservationKind, path: string, ask: () => T, digest: (answer: T) => string): T => {
    let answer: T;
    try {
      answer = ask();
    } catch (error) {
      log.note(kind, path, errorDigest(error));
      throw error;
    }
    log.note(kind, path, digest(answer));
    return answer;
  };
  return {
    readFile: (path) => observed('file', path, () => base.readFile(path), bufferDigest),
    stat: (path) => observed('stat', path, () => base.stat(path), statDigest),
    readDirectory: (path) => observed('dir', path, () => base.readDirectory(path), dirDigest),
    realpath: (path) => observed('real', path, () => base.realpath(path), (real) => `path:${real}`),
  };
}

/** Source files read as the analysis reads them (size checked first, then decoded), perhaps ahead. */
export interface SourceTexts {
  read(path: string): string | Problem;
  /** Names every file that will be read, so that a reader thread can start on them. */
  prefetch?(paths: readonly string[]): void;
  /** The file's text if it has already been read ahead; undefined when it is not there yet. */
  ready?(path: string): string | Problem | undefined;
}

/** How many folder, stat and file answers are checked between looks at the source files read ahead. */
const CHECKS_BETWEEN_TEXTS = 256;

/**
 * Asks every question of a kept run again and says whether each answer is the same; it stops at the first that
 * differs. The source files are named to the reader first and checked as they arrive, between the other
 * questions, so that a changed file ends the check early while the reader reads on another core.
 */
export function answersUnchanged(observations: ReadonlyArray<readonly [ObservationKind, string, string]>, host: FileHost, texts: SourceTexts): boolean {
  const textEntries = observations.filter(([kind]) => kind === 'text');
  texts.prefetch?.(textEntries.map(([, path]) => path));
  let nextText = 0;
  const readyTextsUnchanged = (): boolean => {
    for (; nextText < textEntries.length; nextText++) {
      const [, path, digest] = textEntries[nextText];
      const text = texts.ready?.(path);
      if (text === undefined) return true;
      if (textDigest(text) !== digest) return false;
    }
    return true;
  };
  let checked = 0;
  for (const [kind, path, digest] of observations) {
    if (kind === 'text') continue;
    if (answer(kind, path, host) !== digest) return false;
    if (++checked % CHECKS_BETWEEN_TEXTS === 0 && !readyTextsUnchanged()) return false;
  }
  for (; nextText < textEntries.length; nextText++) {
    const [, path, digest] = textEntries[nextText];
    if (textDigest(texts.read(path)) !== digest) return false;
  }
  return true;
}

function answer(kind: Exclude<ObservationKind, 'text'>, path: string, host: FileHost): string {
  const attempt = (read: () => string) => {
    try {
      return read();
    } catch (error) {
      return errorDigest(error);
    }
  };
  switch (kind) {
    case 'dir':
      return attempt(() => dirDigest(host.readDirectory(path)));
    case 'stat':
      return statDigest(host.stat(path));
    case 'file':
      return attempt(() => bufferDigest(host.readFile(path)));
    case 'real':
      return attempt(() => `path:${host.realpath(path)}`);
  }
}
