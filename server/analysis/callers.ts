import * as path from 'node:path';
import { SKIPPED_DIRS } from './discover';
import { bestRoute, type EndpointCall, extractEndpointCalls, mayCallEndpoints } from './endpointCalls';
import type { FileHost } from './host';
import type { ParseCache } from './parseCache';
import type { AppManifest, HttpMethod, Problem, Span } from './model';
import { SOURCE_FILE } from './sourceFiles';

/** A place in the app's own code that calls one of its endpoints. */
export interface Caller {
  file: string;
  span: Span;
  urlSpan: Span;
  /** The URL as written: `/api/users/${…}`. */
  text: string;
  method: HttpMethod;
  /** The calling file starts with `'use client'`. */
  clientComponent: boolean;
}

export interface CallerReport {
  /** Route file → method → callers. */
  callers: Map<string, Map<HttpMethod, Caller[]>>;
  problems: Problem[];
}

interface FileCalls {
  calls: EndpointCall[];
  clientComponent: boolean;
}

const MUTATIONS: readonly HttpMethod[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Calls from each app's code to its own endpoints (`fetch('/api/users/' + id)`), indexed lazily:
 * nothing is read until a caller lens or a go-to-handler asks, and each file is re-read only after
 * it changes.
 */
export class CallerIndex {
  private readonly byFile = new Map<string, FileCalls>();
  private files: string[] | undefined;

  constructor(
    private readonly host: FileHost,
    private readonly relative: (abs: string) => string,
    /** Calls found in earlier runs, by file text: a warm start parses only the files that changed. */
    private readonly cache?: ParseCache,
  ) {}

  /** A file changed: its calls are re-read next time. Creations and deletions also re-walk the tree. */
  invalidate(abs: string, membership: boolean): void {
    this.byFile.delete(abs);
    if (membership) this.files = undefined;
  }

  /** `checkpoint` is called before each file (it may throw to give way to other work; what was read stays cached). */
  report(appRoots: ReadonlyArray<{ root: string; manifest: AppManifest; basePath: string }>, checkpoint?: (file: string) => void): CallerReport {
    const callers = new Map<string, Map<HttpMethod, Caller[]>>();
    const filesByRoot = this.filesByRoot(appRoots.map((a) => a.root));
    for (const app of appRoots) {
      for (const file of filesByRoot.get(app.root) ?? []) {
        checkpoint?.(file);
        const fileCalls = this.callsIn(file);
        for (const call of fileCalls.calls) {
          const route = bestRoute(call, app.manifest.routes, app.basePath);
          if (!route || !route.methods.some((m) => m.name === call.method)) continue;
          const byMethod = callers.get(route.file) ?? new Map<HttpMethod, Caller[]>();
          const list = byMethod.get(call.method) ?? [];
          list.push({ file: this.relative(file), span: call.span, urlSpan: call.urlSpan, text: call.text, method: call.method, clientComponent: fileCalls.clientComponent });
          byMethod.set(call.method, list);
          callers.set(route.file, byMethod);
        }
      }
    }
    return { callers, problems: serverActionHints(callers, appRoots.flatMap((a) => a.manifest.routes)) };
  }

  /**
   * The source files under each root, in walk order; a file under nested roots is under each. Found by
   * walking up from each file, so the work grows with the files, not with files times apps.
   */
  private filesByRoot(roots: readonly string[]): Map<string, string[]> {
    const byRoot = new Map<string, string[]>(roots.map((root) => [root, []]));
    for (const file of this.sourceFiles(roots)) {
      for (let dir = path.dirname(file), parent = path.dirname(dir); ; dir = parent, parent = path.dirname(dir)) {
        byRoot.get(dir)?.push(file);
        if (parent === dir) break;
      }
    }
    return byRoot;
  }

  /** The calls of one file, from the given text (an open editor) or the disk. */
  callsInText(abs: string, text: string): EndpointCall[] {
    return extractEndpointCalls(abs, text);
  }

  private callsIn(abs: string): FileCalls {
    let cached = this.byFile.get(abs);
    if (!cached) {
      let text = '';
      try {
        const buffer = this.host.readFile(abs);
        text = buffer.length < 2 * 1024 * 1024 ? buffer.toString('utf8') : '';
      } catch {
        // Unreadable files simply have no calls.
      }
      // Only files that must be parsed go through the cache: the others are told apart without the parser.
      const parsed = mayCallEndpoints(text);
      let calls = parsed ? this.cache?.get<EndpointCall[]>('calls', abs, text) : undefined;
      if (!calls) {
        calls = extractEndpointCalls(abs, text);
        if (parsed) this.cache?.set('calls', abs, text, calls);
      }
      cached = { calls, clientComponent: /^\s*(['"])use client\1/.test(text) };
      this.byFile.set(abs, cached);
    }
    return cached;
  }

  private sourceFiles(roots: readonly string[]): string[] {
    if (this.files) return this.files;
    const files: string[] = [];
    const seen = new Set<string>();
    const walk = (dir: string, depth: number) => {
      if (depth > 30) return;
      let real: string;
      try {
        real = this.host.realpath(dir);
      } catch {
        return;
      }
      if (seen.has(real)) return;
      seen.add(real);
      let entries;
      try {
        entries = this.host.readDirectory(dir);
      } catch {
        return;
      }
      for (const entry of entries) {
        const abs = path.join(dir, entry.name);
        if (entry.isDirectory && !SKIPPED_DIRS.has(entry.name) && entry.name !== 'public') walk(abs, depth + 1);
        else if (entry.isFile && SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(abs);
      }
    };
    for (const root of roots) walk(root, 0);
    this.files = files;
    return files;
  }
}

/**
 * URL segments that mark an endpoint as meant for other clients: a versioned or public API, webhooks and
 * callbacks from other services, auth flows, cron jobs, RPC and proxy endpoints.
 */
const PUBLIC_SEGMENT = /^(v\d+|public|external|webhooks?|hooks?|callbacks?|oauth|auth|cron|integrations?|trpc|graphql|rpc|proxy|stripe|inngest|qstash|slack|github|discord|og|mcp)$/i;

/** True when nothing but strong evidence would make a Server Action the better choice: see serverActionHints. */
function looksPublic(route: AppManifest['routes'][number]): boolean {
  if (route.params.some((param) => param.kind !== 'dynamic')) return true;
  if (route.methods.some((method) => method.name === 'OPTIONS' && !method.implicit)) return true;
  return route.url.split('/').some((segment) => PUBLIC_SEGMENT.test(segment));
}

/**
 * A mutation called only from the app's client components is what Server Actions are for, but only with
 * strong evidence that no one else calls it: no public-looking URL (versioned, webhooks, auth, RPC, a
 * catch-all proxy), no CORS preflight handler, no wrapper (auth and API-key middleware) and no header read
 * by name. On dub (513 routes) that took the hint from 63 mutations, most of them its documented public API,
 * to those checked by hand to be internal.
 */
function serverActionHints(callers: Map<string, Map<HttpMethod, Caller[]>>, routes: readonly AppManifest['routes'][number][]): Problem[] {
  const problems: Problem[] = [];
  for (const route of routes) {
    const byMethod = callers.get(route.file);
    if (!byMethod || looksPublic(route)) continue;
    for (const method of route.methods) {
      if (!MUTATIONS.includes(method.name) || method.implicit) continue;
      const list = byMethod.get(method.name) ?? [];
      if (list.length === 0 || !list.every((c) => c.clientComponent)) continue;
      // A wrapper (auth, API keys, rate limits) or a header read by name says other clients are expected.
      if ((method.wrappers?.length ?? 0) > 0 || (method.request?.headers.length ?? 0) > 0) continue;
      problems.push({
        id: 'server-action-candidate',
        severity: 'info',
        file: route.file,
        span: method.span,
        message: `${method.name} ${route.url} is only called from this app's client components (${list.length} call${list.length === 1 ? '' : 's'}). A Server Action would be simpler: no URL, typed arguments, and no JSON to parse. Keep the route if other clients call it.`,
        related: list.slice(0, 5).map((c) => ({ file: c.file, span: c.span, message: `called from ${c.file}` })),
      });
    }
  }
  return problems;
}
