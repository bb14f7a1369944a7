// Runs a command of the CLI in this process, as the tests do, with its stdout and stderr collected.
import { PassThrough } from 'node:stream';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `command(args, out, err)`, synchronous as the CLI's commands are: what it wrote, and its exit code. */
export function runInProcess(command: (args: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream) => number | Promise<number>, args: string[]): CommandResult {
  const out = new PassThrough();
  const err = new PassThrough();
  const stdout: string[] = [];
  const stderr: string[] = [];
  out.on('data', (chunk) => stdout.push(String(chunk)));
  err.on('data', (chunk) => stderr.push(String(chunk)));
  const code = command(args, out, err);
  if (typeof code !== 'number') throw new Error('the command answered asynchronously; await it instead');
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}
