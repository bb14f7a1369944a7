// The CLI's cache of a whole result: the `--json` output of a run, kept with everything the analysis saw of the
// disk (observations.ts). A later run with the same options asks every one of those questions again (each
// folder listed, each file read and hashed, each stat and real path) and writes the kept output only when
// every answer is the same; otherwise it scans (with the parse cache) and keeps the new result. Like the parse
// cache, the file is signed with the key kept outside every workspace, so a planted one is never read.
//
// Layout: MAC (32 bytes) | header length (4 bytes, big-endian) | header JSON | output bytes.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileHost } from '../analysis/host';
import { answersUnchanged, type ObservationKind, type Observations, type SourceTexts } from '../analysis/observations';
import { cacheKey } from '../analysis/parseCache';

declare const ROUTE_ATLAS_BUILD_ID: string | undefined;
const BUILD_ID = typeof ROUTE_ATLAS_BUILD_ID === 'string' ? ROUTE_ATLAS_BUILD_ID : 'unbundled';
const MAC_BYTES = 32;
const FORMAT = 1;

interface Header {
  format: number;
  key: string;
  apps: number;
  routes: number;
  observations: Array<[ObservationKind, string, string]>;
}

export interface KeptResult {
  output: Buffer;
  apps: number;
  routes: number;
  observations: number;
}

/** The file of a result for these options, beside the parse cache's file. */
export function resultFileFor(parseCacheFile: string, options: unknown): { file: string; key: string } {
  const key = createHash('sha256').update(JSON.stringify({ build: BUILD_ID, options })).digest('hex');
  return { file: path.join(path.dirname(parseCacheFile), `result-${key.slice(0, 16)}.bin`), key };
}

const mac = (key: Buffer, ...parts: Buffer[]) => {
  const hmac = createHmac('sha256', key);
  for (const part of parts) hmac.update(part);
  return hmac.digest();
};

/** The kept output, when the file is ours, for these options, and every question gets the same answer. */
export function keptResult(file: string, key: string, host: FileHost, texts: SourceTexts): KeptResult | undefined {
  const signingKey = cacheKey();
  if (!signingKey) return undefined;
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  if (data.length < MAC_BYTES + 4) return undefined;
  const body = data.subarray(MAC_BYTES);
  if (!timingSafeEqual(data.subarray(0, MAC_BYTES), mac(signingKey, body))) return undefined;
  const headerLength = body.readUInt32BE(0);
  let header: Header;
  try {
    header = JSON.parse(body.subarray(4, 4 + headerLength).toString('utf8')) as Header;
  } catch {
    return undefined;
  }
  if (header.format !== FORMAT || header.key !== key) return undefined;
  if (!answersUnchanged(header.observations, host, texts)) return undefined;
  return { output: body.subarray(4 + headerLength), apps: header.apps, routes: header.routes, observations: header.observations.length };
}

/** Keeps a run's output with what it saw; nothing when the run saw the disk change under it. */
export function keepResult(file: string, key: string, observations: Observations, output: Buffer, counts: { apps: number; routes: number }): void {
  const signingKey = cacheKey();
  if (!signingKey || observations.unusable) return;
  const header: Header = { format: FORMAT, key, apps: counts.apps, routes: counts.routes, observations: [...observations.entries()] };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(headerBytes.length, 0);
  const signature = mac(signingKey, length, headerBytes, output);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Written whole to a temporary name, then renamed: a reader never sees half a file.
    const temporary = `${file}.${process.pid}.tmp`;
    const fd = fs.openSync(temporary, 'w', 0o600);
    try {
      for (const part of [signature, length, headerBytes, output]) fs.writeSync(fd, part);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, file);
  } catch {
    // A cache that cannot be written costs only the next run's time.
  }
}
