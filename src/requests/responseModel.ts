// What the response view shows, computed from a response: the body decoded by its charset, JSON
// pretty-printed, text capped for display, images as base64 for a preview, anything else as a hex summary.
// Plain data that crosses into the webview by postMessage. No vscode here: plain Node tests run it.
import { formatHtml } from './htmlFormat';
import { withoutUserinfo } from '../../server/requests/credentials';
import type { HttpResponseData, RedirectHop } from './sendHttp';

/** Text longer than this (in characters) is cut for display; "Open body in editor" has all of it. */
export const DISPLAY_CAP = 1024 * 1024;
/** JSON up to this size also goes to the view as a value, which it renders as a foldable tree. */
const JSON_TREE_CAP = 256 * 1024;
/** Images up to this size get a preview. */
const IMAGE_PREVIEW_CAP = 2 * 1024 * 1024;
/** Raster images a webview shows through an `img` with a data: URL; SVG is shown as its text instead. */
const PREVIEW_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp', 'image/x-icon', 'image/vnd.microsoft.icon']);

export type BodyView =
  | { kind: 'empty' }
  /** `formatted`: an HTML body laid out one tag per line (htmlFormat.ts), shown first; still text. */
  | { kind: 'text'; text: string; language: string; formatted?: string }
  | { kind: 'json'; text: string; value?: unknown }
  | { kind: 'image'; mime: string; base64?: string; bytes: number }
  | { kind: 'binary'; hex: string; bytes: number };

export function headerValue(headers: ReadonlyArray<[string, string]>, name: string): string | undefined {
  return headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}

/** The media type of a Content-Type value, lower case, without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** Decodes a body with the charset of its Content-Type (UTF-8 when it names none or one TextDecoder lacks). */
export function decodeBody(bytes: Uint8Array, contentType?: string): string {
  const charset = /charset\s*=\s*"?([\w-]+)"?/i.exec(contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** Whether a media type is text a person reads: text/*, JSON, XML, JavaScript, forms, event streams. */
export function isTextual(type: string): boolean {
  return (
    type.startsWith('text/') ||
    /[+/](json|xml|javascript|ecmascript|x-www-form-urlencoded|graphql|yaml|x-yaml|csv|x-ndjson)$/.test(type) ||
    type === 'application/x-sh'
  );
}

/** Bytes without a media type that decode as UTF-8 without control characters are taken as text. */
function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 4096);
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(sample);
    // A sample cut inside a multi-byte character fails above only at its very end; that is still text.
    return !/[\0-\x08\x0E-\x1F]/.test(text);
  } catch {
    return sample.length === 4096 && bytes.length > 4096;
  }
}

/** The editor language for a body's media type, for "Open body in editor". */
export function languageOf(type: string): string {
  if (/json$/.test(type) || type === 'application/x-ndjson') return 'json';
  if (type === 'text/html') return 'html';
  if (/xml$/.test(type)) return 'xml';
  if (/javascript|ecmascript/.test(type)) return 'javascript';
  if (type === 'text/css') return 'css';
  if (type === 'text/markdown') return 'markdown';
  if (/yaml$/.test(type)) return 'yaml';
  return 'plaintext';
}

/** A hex dump of the first bytes: offset, 16 bytes in hex, and their printable ASCII. */
export function hexSummary(bytes: Uint8Array, max = 256): string {
  const lines: string[] = [];
  for (let offset = 0; offset < Math.min(bytes.length, max); offset += 16) {
    const row = bytes.subarray(offset, Math.min(offset + 16, bytes.length, max));
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (bytes.length > max) lines.push(`… ${bytes.length - max} more bytes`);
  return lines.join('\n');
}

/** 512 B, 1.5 KB, 2.0 MB. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Text cut to the display cap, and whether it was cut. */
export function capText(text: string, cap = DISPLAY_CAP): { text: string; cut: boolean } {
  return text.length > cap ? { text: text.slice(0, cap), cut: true } : { text, cut: false };
}

/** How a body shows: its decoded text (all of it, for the editor) and the capped view (for the webview). */
export function viewBody(bytes: Uint8Array, contentType: string | undefined, cap = DISPLAY_CAP): { view: BodyView; text: string; cut: boolean } {
  const type = mediaType(contentType);
  if (bytes.length === 0) return { view: { kind: 'empty' }, text: '', cut: false };
  if (PREVIEW_IMAGE_TYPES.has(type)) {
    const base64 = bytes.length <= IMAGE_PREVIEW_CAP ? Buffer.from(bytes).toString('base64') : undefined;
    return { view: { kind: 'image', mime: type, base64, bytes: bytes.length }, text: '', cut: false };
  }
  if (!isTextual(type) && !(type === '' && looksLikeText(bytes)) && type !== 'image/svg+xml') {
    return { view: { kind: 'binary', hex: hexSummary(bytes), bytes: bytes.length }, text: '', cut: false };
  }
  const text = decodeBody(bytes, contentType);
  if (/[+/]json$/.test(type) || (type === '' && /^\s*[[{]/.test(text))) {
    try {
      const value: unknown = JSON.parse(text);
      const pretty = capText(JSON.stringify(value, null, 2), cap);
      return { view: { kind: 'json', text: pretty.text, value: text.length <= JSON_TREE_CAP ? value : undefined }, text, cut: pretty.cut };
    } catch {
      // Broken JSON shows as the text it is.
    }
  }
  const shown = capText(text, cap);
  const language = languageOf(type);
  const formatted = language === 'html' ? formatHtml(shown.text) : undefined;
  return { view: { kind: 'text', text: shown.text, language, ...(formatted !== undefined && formatted !== shown.text ? { formatted } : {}) }, text, cut: shown.cut };
}

/** Everything the response view renders, as plain data (it is posted to the webview as is). */
export interface ResponseState {
  /** Increments per request, so that a late message from an older request is dropped. */
  id: number;
  request: { method: string; url: string; baseUrlSource?: string };
  phase: 'sending' | 'streaming' | 'done' | 'failed';
  status?: number;
  statusText?: string;
  headers: Array<[string, string]>;
  redirects: RedirectHop[];
  timeMs?: number;
  bytes: number;
  contentType?: string;
  body: BodyView;
  /** True when the shown text is cut at DISPLAY_CAP (or the body itself at the stored maximum). */
  cut: boolean;
  /** Why the request failed, in a sentence, when it did. */
  error?: { kind: string; message: string };
  /** A sentence about the status (404, 405) when Route Atlas can say more than the status line. */
  explanation?: string;
}

/** The request as the view shows it: its URL without a user name and password, which the view never gets. */
export function shownRequest(request: ResponseState['request']): ResponseState['request'] {
  return { ...request, url: withoutUserinfo(request.url) };
}

/** The finished state for a response. */
export function responseState(id: number, request: ResponseState['request'], response: HttpResponseData, explanation?: string): { state: ResponseState; text: string } {
  const contentType = headerValue(response.headers, 'content-type');
  const body = viewBody(response.body, contentType);
  const state: ResponseState = {
    id,
    request: shownRequest(request),
    phase: 'done',
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    redirects: response.redirects,
    timeMs: response.timeMs,
    bytes: response.bytes,
    contentType,
    body: body.view,
    cut: body.cut || response.bodyCut,
    explanation,
  };
  return { state, text: body.text };
}

/** The state for a request that got no response (or was never sent): the failure's kind and sentence. */
export function failedResponseState(id: number, request: ResponseState['request'], kind: string, message: string): ResponseState {
  return { id, request: shownRequest(request), phase: 'failed', headers: [], redirects: [], bytes: 0, body: { kind: 'empty' }, cut: false, error: { kind, message: withoutUserinfo(message) } };
}
