// The last requests per endpoint, kept in workspace state: what was sent (so it can be sent again) and
// how it ended, failures included. Pure functions over plain data; the extension stores the lists.
import type { RequestInput } from './buildRequest';

export const HISTORY_LIMIT = 20;

export interface HistoryEntry {
  /** ISO time the request was sent. */
  at: string;
  method: string;
  /** The URL as sent, params and query filled in. */
  url: string;
  /** What to send again. Header values that carry credentials are not kept. */
  input: RequestInput;
  status?: number;
  timeMs?: number;
  /** The failure, when there was no response. */
  error?: string;
}

/** Headers whose values are credentials: never written to workspace state. */
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'x-api-key']);

/** The key an endpoint's history and remembered values are stored under. */
export function endpointKey(appRoot: string, routeUrl: string): string {
  return `${appRoot || '.'} ${routeUrl}`;
}

/** An input as history keeps it: credential headers dropped, a body longer than 64 KB left out. */
export function historyInput(input: RequestInput): RequestInput {
  const kept: RequestInput = { ...input };
  if (input.headers) kept.headers = Object.fromEntries(Object.entries(input.headers).filter(([name]) => !SECRET_HEADERS.has(name.toLowerCase())));
  if (typeof input.body === 'string' && input.body.length > 64 * 1024) delete kept.body;
  return kept;
}

/** The list with a new entry first, at most `limit` long. */
export function addHistoryEntry(entries: readonly HistoryEntry[] | undefined, entry: HistoryEntry, limit = HISTORY_LIMIT): HistoryEntry[] {
  return [{ ...entry, input: historyInput(entry.input) }, ...(entries ?? [])].slice(0, limit);
}

/** One line for a history entry in a quick pick: `200 GET /api/users?q=a · 12 ms`. */
export function describeHistoryEntry(entry: HistoryEntry): { label: string; description: string } {
  let path = entry.url;
  try {
    const url = new URL(entry.url);
    path = url.pathname + url.search;
  } catch {
    // Kept as it was sent.
  }
  const outcome = entry.status !== undefined ? String(entry.status) : 'failed';
  const detail = entry.error ?? (entry.timeMs !== undefined ? `${entry.timeMs} ms` : '');
  return { label: `${outcome} ${entry.method} ${path}`, description: [new Date(entry.at).toLocaleString(), detail].filter(Boolean).join(' · ') };
}
