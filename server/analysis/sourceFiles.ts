import * as fs from 'node:fs';
import type { FileHost } from './host';
import type { Problem } from './model';
import { type ModuleSummary, type SummaryOptions, summarizeWithinLimits } from './moduleSummary';

/** JavaScript and TypeScript source files (declaration files end in `.d.ts` and match too). */
export const SOURCE_FILE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;

/** Files larger than this are listed but not parsed. */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Reads a source file as text, or says why it is not parsed: unreadable, too large, or binary. */
export function readSourceText(host: FileHost, abs: string, file: string, maxBytes: number): string | Problem {
  // The size first: a 256 MB file named route.ts must not be read to learn that it is too large.
  const size = host.stat(abs)?.size;
  if (size !== undefined && size > maxBytes) return tooLargeProblem(file, size, maxBytes);
  let buffer: Buffer;
  try {
    buffer = host.readFile(abs);
  } catch (error) {
    return unreadableProblem(file, error);
  }
  if (buffer.length > maxBytes) return tooLargeProblem(file, buffer.length, maxBytes);
  if (buffer.subarray(0, 8000).includes(0)) return binaryProblem(file);
  return buffer.toString('utf8');
}

/**
 * The same as readSourceText over the disk itself, decoding in one native call (no Buffer): a cold
 * scan reads thousands of files this way.
 */
export function readSourceTextFromDisk(abs: string, file: string, maxBytes: number): string | Problem {
  let text: string;
  let fd: number | undefined;
  try {
    // Opened first, so that the size comes from the file that is then read (and a huge one is not).
    fd = fs.openSync(abs, 'r');
    const size = fs.fstatSync(fd).size;
    if (size > maxBytes) return tooLargeProblem(file, size, maxBytes);
    text = fs.readFileSync(fd, 'utf8');
  } catch (error) {
    return unreadableProblem(file, error);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  return checkSourceText(text, file, maxBytes);
}

/** The text itself, or why it is not parsed: too large or binary. */
export function checkSourceText(text: string, file: string, maxBytes: number): string | Problem {
  // A UTF-8 character takes one to four bytes, so the exact size is needed only near the limit.
  if (text.length * 4 > maxBytes) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > maxBytes) return tooLargeProblem(file, bytes, maxBytes);
  }
  if (text.lastIndexOf('\0', 8000) !== -1) return binaryProblem(file);
  return text;
}

function unreadableProblem(file: string, error: unknown): Problem {
  const code = (error as NodeJS.ErrnoException)?.code ?? 'error';
  return { id: 'unreadable-file', severity: 'warning', file, message: `${file} could not be read (${code}).` };
}

function tooLargeProblem(file: string, bytes: number, maxBytes: number): Problem {
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  return {
    id: 'file-too-large',
    severity: 'warning',
    file,
    message: `${file} is ${mb(bytes)} MB, over the ${mb(maxBytes)} MB limit: it was not parsed, so its methods are unknown.`,
  };
}

function binaryProblem(file: string): Problem {
  return { id: 'binary-file', severity: 'warning', file, message: `${file} is a binary file, not source code; it was not parsed.` };
}

/**
 * The summary of a route file, or the problem that kept it from being parsed or analyzed. `readText` is
 * its text as read already (by a read-ahead thread); without it the file is read from disk here.
 */
export function summarizeRouteFile(abs: string, file: string, maxBytes: number, options: SummaryOptions = {}, readText?: string): ModuleSummary | Problem {
  const text = readText === undefined ? readSourceTextFromDisk(abs, file, maxBytes) : checkSourceText(readText, file, maxBytes);
  return typeof text === 'string' ? summarizeWithinLimits(abs, text, file, { ...options, routeFile: true }) : text;
}
