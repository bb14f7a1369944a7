// The last requests per endpoint, kept in workspace state: what was sent (so it can be sent again) and
// how it ended, failures included, without the credentials. Pure functions over plain data; the extension
// stores the lists.
import type { RequestInput } from '../../server/requests/buildRequest';
import { isCredentialName, withoutUserinfo } from '../../server/requests/credentials';

export const HISTORY_LIMIT = 20;

export interface HistoryEntry {
  /** ISO time the request was sent. */
  at: string;
  method: string;
  /** The URL as sent, params and query filled in, without credential query parameters. */
  url: string;
  /** What to send again, without credential headers and query parameters (see credentials.ts). */
  input: RequestInput;
  status?: number;
  timeMs?: number;
  /** The failure, when there was no response. */
  error?: string;
}

/** Bodies longer than this are not kept: the history is for sending again, not for archiving uploads. */
const LARGEST_KEPT_BODY = 64 * 1024;

/** The key an endpoint's history and remembered values are stored under. */
export function endpointKey(appRoot: string, routeUrl: string): string {
  return `${appRoot || '.'} ${routeUrl}`;
}

export interface HistoryOptions {
  /** At most this many entries per endpoint. */
  limit?: number;
  /** False keeps no request body (the `routeAtlas.request.historyBodies` setting). */
  keepBodies?: boolean;
}

/** A query string without its credential parameters; one that has none stays as it was typed. */
export function queryWithoutCredentials(query: string): string {
  const params = new URLSearchParams(query.trim().replace(/^\?/, ''));
  if (![...params.keys()].some(isCredentialName)) return query;
  return new URLSearchParams([...params].filter(([name]) => !isCredentialName(name))).toString();
}

/** A URL as Route Atlas stores it (the history, the log): no user name and password, no credential query parameters. */
export function storableUrl(url: string): string {
  const safe = withoutUserinfo(url);
  try {
    const parsed = new URL(safe);
    if (![...parsed.searchParams.keys()].some(isCredentialName)) return safe;
    parsed.search = queryWithoutCredentials(parsed.search);
    return parsed.href;
  } catch {
    return safe;
  }
}

/**
 * An input as history keeps it: credential headers and query parameters dropped, and the body left out when
 * it is longer than 64 KB or bodies are not to be kept.
 */
export function historyInput(input: RequestInput, keepBodies = true): RequestInput {
  const kept: RequestInput = { ...input };
  if (input.headers) kept.headers = Object.fromEntries(Object.entries(input.headers).filter(([name]) => !isCredentialName(name)));
  if (typeof input.query === 'string') kept.query = queryWithoutCredentials(input.query);
  else if (Array.isArray(input.query)) kept.query = input.query.filter(([name]) => !isCredentialName(name));
  else if (input.query) kept.query = Object.fromEntries(Object.entries(input.query).filter(([name]) => !isCredentialName(name)));
  if (!keepBodies || (typeof input.body === 'string' && input.body.length > LARGEST_KEPT_BODY)) delete kept.body;
  return kept;
}

/** The list with a new entry first, at most `limit` long, keeping only what history may keep of it. */
export function addHistoryEntry(entries: readonly HistoryEntry[] | undefined, entry: HistoryEntry, options: HistoryOptions = {}): HistoryEntry[] {
  const stored: HistoryEntry = { ...entry, url: storableUrl(entry.url), input: historyInput(entry.input, options.keepBodies ?? true) };
  if (entry.error !== undefined) stored.error = withoutUserinfo(entry.error);
  return [stored, ...(entries ?? [])].slice(0, options.limit ?? HISTORY_LIMIT);
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
