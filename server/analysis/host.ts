import * as fs from 'node:fs';

/** One entry of a directory listing; symbolic links are reported as such, not followed. */
export interface DirEntry {
  name: string;
  isDirectory: boolean;
  isFile: boolean;
  isSymbolicLink: boolean;
}

export interface FileStat {
  isFile: boolean;
  isDirectory: boolean;
  size: number;
  mtimeMs: number;
  /**
   * Set when the path exists but cannot be followed or inspected (`ELOOP` for a symbolic link into a loop,
   * `EACCES`): it is then neither a file nor a folder, and callers skip it.
   */
  error?: string;
}

/**
 * All file-system access of the analysis goes through this interface, so the language server can lay
 * open editor buffers over the disk and tests can count what is read. Methods throw Node errors.
 */
export interface FileHost {
  readFile(path: string): Buffer;
  /** Follows symbolic links; undefined when the path does not exist. Never throws. */
  stat(path: string): FileStat | undefined;
  readDirectory(path: string): DirEntry[];
  realpath(path: string): string;
}

export const nodeFileHost: FileHost = {
  readFile: (path) => fs.readFileSync(path),
  stat(path) {
    // Probing for files that do not exist is the common case in module resolution: no exceptions for it.
    // Any other failure belongs to this one entry (a link loop, a folder without permission) and must not
    // end the walk that met it.
    try {
      const s = fs.statSync(path, { throwIfNoEntry: false });
      return s ? { isFile: s.isFile(), isDirectory: s.isDirectory(), size: s.size, mtimeMs: s.mtimeMs } : undefined;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      return { isFile: false, isDirectory: false, size: 0, mtimeMs: 0, error: code ?? 'error' };
    }
  },
  readDirectory: (path) =>
    fs.readdirSync(path, { withFileTypes: true }).map((d) => ({
      name: d.name,
      isDirectory: d.isDirectory(),
      isFile: d.isFile(),
      isSymbolicLink: d.isSymbolicLink(),
    })),
  realpath: (path) => fs.realpathSync.native(path),
};

/** Reads a UTF-8 text file, or undefined when it cannot be read. */
export function readTextOrUndefined(host: FileHost, path: string): string | undefined {
  try {
    return host.readFile(path).toString('utf8');
  } catch {
    return undefined;
  }
}
