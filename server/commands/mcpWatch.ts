// Watching a workspace folder for `route-atlas mcp`: one non-recursive fs.watch per folder, skipping the
// folders the analysis skips. Node 20's `recursive: true` on Linux watches every file and folder one by one
// (node_modules included), reads the whole tree synchronously to start, and abandons the rest of a folder
// when a symbolic link in it loops (its statSync throws ELOOP); here a folder costs one watch, links are
// never followed (so no loop can be walked), and trouble is reported instead of thrown.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isWithin } from '../analysis/folders';
import type { FileChange } from '../analysis/scan';

export interface TreeWatcherOptions {
  /** Folder names never entered (node_modules, .git, .next…). */
  skip: ReadonlySet<string>;
  onChange(abs: string, type: FileChange['type']): void;
  /** Changes may now be missed: a folder could not be watched, or there are too many. */
  onTrouble(message: string): void;
  /** The root was deleted (true) or came back (false). */
  onRoot?(gone: boolean): void;
  /** At most this many folders are watched. */
  maxFolders?: number;
  /** How often a deleted root is looked for. */
  rootPollMs?: number;
}

/** Folder levels below the root a walk descends; deeper trees are generated, not written by people. */
const MAX_DEPTH = 100;
const DEFAULT_MAX_FOLDERS = 20_000;

export class TreeWatcher {
  private readonly watchers = new Map<string, fs.FSWatcher>();
  /** Symbolic links to folders inside the root, by the real folder they stand for: events there are news here too. */
  private readonly aliases = new Map<string, string[]>();
  private closed = false;
  private rootPoll: NodeJS.Timeout | undefined;
  private troubled = false;

  constructor(
    readonly root: string,
    private readonly options: TreeWatcherOptions,
  ) {}

  /** Watches every folder below the root; false when the root is not there (it is then looked for until it is). */
  start(): boolean {
    if (!isFolder(this.root)) {
      this.pollForRoot();
      return false;
    }
    this.watchTree(this.root);
    return true;
  }

  /** True when some change may have been missed since start: the caller should rescan rather than trust events. */
  get isTroubled(): boolean {
    return this.troubled;
  }

  get watchedFolders(): number {
    return this.watchers.size;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.rootPoll);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
    this.aliases.clear();
  }

  private trouble(message: string): void {
    this.troubled = true;
    this.options.onTrouble(message);
  }

  /** Watches `top` and the folders below it, iteratively, neither following links nor entering skipped folders. */
  private watchTree(top: string): void {
    const stack: Array<[string, number]> = [[top, 0]];
    const max = this.options.maxFolders ?? DEFAULT_MAX_FOLDERS;
    while (stack.length > 0 && !this.closed) {
      const [dir, depth] = stack.pop()!;
      if (this.watchers.has(dir)) continue;
      if (this.watchers.size >= max) {
        this.trouble(`More than ${max} folders: the rest are not watched, so each answer rescans the workspace.`);
        return;
      }
      if (!this.watchFolder(dir)) continue;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        // Unreadable (or gone meanwhile): the analysis reports such folders itself; a later event may open it.
        continue;
      }
      for (const entry of entries) {
        if (this.options.skip.has(entry.name)) continue;
        const abs = path.join(dir, entry.name);
        if (entry.isSymbolicLink()) this.noteLink(abs);
        else if (entry.isDirectory() && depth < MAX_DEPTH) stack.push([abs, depth + 1]);
      }
    }
  }

  private watchFolder(dir: string): boolean {
    try {
      const watcher = fs.watch(dir, { persistent: true }, (event, name) => this.onEvent(dir, event, name));
      watcher.on('error', (error: NodeJS.ErrnoException) => this.onWatcherError(dir, error));
      this.watchers.set(dir, watcher);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A folder deleted between its listing and its watch is no trouble: its parent reports the deletion.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        this.trouble(`${dir} cannot be watched (${code ?? String(error)}${code === 'ENOSPC' ? ': the system limit of inotify watches is reached, see fs.inotify.max_user_watches' : ''}).`);
      }
      return false;
    }
  }

  /** A link to a folder inside the root: changes in that folder also change the files seen through the link. */
  private noteLink(link: string): void {
    let target: string;
    try {
      target = fs.realpathSync(link);
    } catch {
      // A dangling link or one in a loop (ELOOP): there is nothing to mirror. The analysis reports loops.
      return;
    }
    let parent: string;
    try {
      parent = fs.realpathSync(path.dirname(link));
    } catch {
      return;
    }
    // A link out of the root, or to a folder above itself (a loop), is not followed by the analysis either.
    if (!isWithin(target, this.realRoot()) || isWithin(parent, target)) return;
    const links = this.aliases.get(target) ?? [];
    if (!links.includes(link)) links.push(link);
    this.aliases.set(target, links);
  }

  private realRootPath: string | undefined;
  private realRoot(): string {
    if (this.realRootPath === undefined) {
      try {
        this.realRootPath = fs.realpathSync(this.root);
      } catch {
        return this.root;
      }
    }
    return this.realRootPath;
  }

  private onEvent(dir: string, event: string, name: string | Buffer | null): void {
    if (this.closed) return;
    if (name === null || name === undefined) {
      // The kernel did not say which entry changed (an overflow): look at the whole folder again.
      this.report(dir, 'created');
      return;
    }
    const abs = path.join(dir, String(name));
    const stat = lstat(abs);
    if (!stat) {
      if (!isFolder(dir)) {
        // The watched folder itself went away (its watch reports its own name).
        this.folderGone(dir);
        return;
      }
      this.unwatchBelow(abs);
      this.report(abs, 'deleted');
      return;
    }
    if (stat.isDirectory()) {
      if (!this.watchers.has(abs) && !this.options.skip.has(String(name))) {
        this.watchTree(abs);
        this.report(abs, 'created');
      } else this.report(abs, event === 'rename' ? 'created' : 'changed');
      return;
    }
    if (stat.isSymbolicLink()) this.noteLink(abs);
    this.report(abs, event === 'rename' ? 'created' : 'changed');
  }

  private report(abs: string, type: FileChange['type']): void {
    this.options.onChange(abs, type);
    if (this.aliases.size === 0) return;
    for (const [target, links] of this.aliases) {
      if (!isWithin(abs, target)) continue;
      const rest = path.relative(target, abs);
      for (const link of links) this.options.onChange(rest ? path.join(link, rest) : link, type);
    }
  }

  private folderGone(dir: string): void {
    this.unwatchBelow(dir);
    if (dir === this.root) {
      this.options.onRoot?.(true);
      this.pollForRoot();
      return;
    }
    this.report(dir, 'deleted');
  }

  private onWatcherError(dir: string, error: NodeJS.ErrnoException): void {
    if (this.closed) return;
    this.watchers.get(dir)?.close();
    this.watchers.delete(dir);
    if (!isFolder(dir)) {
      this.folderGone(dir);
      return;
    }
    this.trouble(`Watching ${dir} failed (${error.code ?? error.message}); each answer now rescans the workspace.`);
  }

  /** Stops watching `dir` and everything below it. */
  private unwatchBelow(dir: string): void {
    for (const [watched, watcher] of this.watchers) {
      if (isWithin(watched, dir)) {
        watcher.close();
        this.watchers.delete(watched);
      }
    }
    for (const target of this.aliases.keys()) if (isWithin(target, dir)) this.aliases.delete(target);
  }

  /** Looks for a deleted root until it is back, then watches it again and says so. */
  private pollForRoot(): void {
    if (this.rootPoll || this.closed) return;
    this.rootPoll = setInterval(() => {
      if (!isFolder(this.root)) return;
      clearInterval(this.rootPoll);
      this.rootPoll = undefined;
      this.realRootPath = undefined;
      this.watchTree(this.root);
      this.options.onRoot?.(false);
    }, this.options.rootPollMs ?? 500);
    // The stdin of the server keeps the process alive; a poll must not keep it alive after stdin closes.
    this.rootPoll.unref();
  }
}

function lstat(abs: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(abs);
  } catch {
    return undefined;
  }
}

function isFolder(abs: string): boolean {
  try {
    return fs.statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

