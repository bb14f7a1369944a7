import type { FileHost } from './host';
import type { Problem } from './model';
import { type ModuleSummary, type SummaryOptions, summarizeModule } from './moduleSummary';

/** Files larger than this are listed but not parsed. */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Reads a source file as text, or says why it is not parsed: unreadable, too large, or binary. */
export function readSourceText(host: FileHost, abs: string, file: string, maxBytes: number): string | Problem {
  let buffer: Buffer;
  try {
    buffer = host.readFile(abs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code ?? 'error';
    return { id: 'unreadable-file', severity: 'warning', file, message: `${file} could not be read (${code}).` };
  }
  if (buffer.length > maxBytes) {
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    return {
      id: 'file-too-large',
      severity: 'warning',
      file,
      message: `${file} is ${mb(buffer.length)} MB, over the ${mb(maxBytes)} MB limit: it was not parsed, so its methods are unknown.`,
    };
  }
  if (buffer.subarray(0, 8000).includes(0)) {
    return { id: 'binary-file', severity: 'warning', file, message: `${file} is a binary file, not source code; it was not parsed.` };
  }
  return buffer.toString('utf8');
}

/** The summary of a route file, or the problem that kept it from being parsed. */
export function summarizeRouteFile(host: FileHost, abs: string, file: string, maxBytes: number, options: SummaryOptions = {}): ModuleSummary | Problem {
  const text = readSourceText(host, abs, file, maxBytes);
  return typeof text === 'string' ? summarizeModule(abs, text, file, { ...options, routeFile: true }) : text;
}
