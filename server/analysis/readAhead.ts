import * as os from 'node:os';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { DEFAULT_MAX_FILE_BYTES } from './sourceFiles';

// The reading thread is a few lines of plain Node, evaluated from this string: it loads no parser and no
// bundle, so it starts in about 50 ms, well before the walk that asks for the files is over.
const READER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { closeSync, fstatSync, openSync, readFileSync } = require('node:fs');
const { port, delivered, maxBytes } = workerData;
port.on('message', (paths) => {
  const results = [];
  for (const path of paths) {
    // A file over the limit is left to the caller, which reports it without reading it either.
    let text = null;
    let fd;
    try { fd = openSync(path, 'r'); if (fstatSync(fd).size <= maxBytes) text = readFileSync(fd, 'utf8'); } catch {}
    if (fd !== undefined) try { closeSync(fd); } catch {}
    results.push(path, text);
  }
  port.postMessage(results);
  Atomics.add(delivered, 0, paths.length);
  Atomics.notify(delivered, 0);
});
`;

const BATCH = 32;
/** A read that has not arrived after this long is done by the caller itself. */
const WAIT_MS = 10_000;

/**
 * Reads files on another thread ahead of the one that parses them. A cold scan spends about a tenth of
 * its time in reads; the walk names the route files long before the parser gets to them, so the reads
 * can run on the second core in the meantime. Synchronous on this side: `take` waits for a file that
 * was asked for and has not arrived yet.
 */
export class FileReadAhead {
  private readonly delivered = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private readonly texts = new Map<string, string | null>();
  private readonly requested = new Set<string>();
  private pending: string[] = [];
  private received = 0;
  private sent = 0;
  private failed = false;

  private constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(READER_SOURCE, { eval: true, workerData: { port: port2, delivered: this.delivered, maxBytes: DEFAULT_MAX_FILE_BYTES }, transferList: [port2] });
    // A reader that fails costs nothing but its reads: `take` then answers undefined and the caller reads.
    this.worker.on('error', () => {
      this.failed = true;
    });
    this.worker.unref();
  }

  /** A reader when this machine has a second core to run it on. */
  static start(): FileReadAhead | undefined {
    if (os.availableParallelism() < 2) return undefined;
    try {
      return new FileReadAhead();
    } catch {
      return undefined;
    }
  }

  /** Queues a file to be read. */
  request(abs: string): void {
    if (this.requested.has(abs)) return;
    this.requested.add(abs);
    this.pending.push(abs);
    if (this.pending.length >= BATCH) this.flush();
  }

  /** Sends the files queued so far (`take` does, before it waits). */
  private flush(): void {
    if (this.pending.length === 0) return;
    this.port.postMessage(this.pending);
    this.sent += this.pending.length;
    this.pending = [];
  }

  /**
   * The text of a requested file, waiting for it if it is on its way; undefined when it was not requested
   * or the reader could not read it (the caller reads it itself, and so gets the error the reader swallowed).
   */
  take(abs: string): string | undefined {
    if (!this.requested.has(abs)) return undefined;
    this.flush();
    const deadline = performance.now() + WAIT_MS;
    while (!this.texts.has(abs) && !this.failed && this.received < this.sent) {
      const seen = Atomics.load(this.delivered, 0);
      if (this.drain() > 0) continue;
      const left = deadline - performance.now();
      if (left <= 0 || Atomics.wait(this.delivered, 0, seen, left) === 'timed-out') break;
    }
    this.drain();
    const text = this.texts.get(abs);
    this.texts.delete(abs);
    this.requested.delete(abs);
    return text ?? undefined;
  }

  /** The text of a requested file if it has arrived; undefined (without waiting) when it has not. */
  takeIfReady(abs: string): string | null | undefined {
    this.flush();
    if (!this.texts.has(abs)) this.drain();
    if (!this.texts.has(abs)) return undefined;
    const text = this.texts.get(abs);
    this.texts.delete(abs);
    this.requested.delete(abs);
    return text;
  }

  dispose(): void {
    this.port.close();
    void this.worker.terminate();
  }

  private drain(): number {
    let files = 0;
    for (let message = receiveMessageOnPort(this.port); message; message = receiveMessageOnPort(this.port)) {
      const results = message.message as Array<string | null>;
      for (let i = 0; i < results.length; i += 2) this.texts.set(results[i] as string, results[i + 1]);
      files += results.length / 2;
    }
    this.received += files;
    return files;
  }
}
