import * as assert from 'node:assert/strict';
import { bestRoute, type EndpointCall, extractEndpointCalls, type UrlPart } from '../../server/analysis/endpointCalls';
import type { HttpMethod, Route } from '../../server/analysis/model';

const HTTP: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const NOWHERE = { line: 1, column: 1, endLine: 1, endColumn: 1 };

const route = (url: string, methods: readonly HttpMethod[], file = `app${url}/route.ts`): Route => ({
  url,
  publicPath: url,
  file,
  appRoot: '.',
  kind: 'route',
  methods: methods.map((name) => ({ name, kind: 'function' }) as unknown as Route['methods'][number]),
  params: [],
  segmentConfig: {},
  otherExports: [],
});

const isLineBreak = (char: string): boolean => char === '\n' || char === '\r' || char === '\u2028' || char === '\u2029';

/**
 * Whether a segment of a call can be `text`: its literal parts in order, each computed part any text
 * without a line break (what `.*` matches). A table of the positions each prefix of the pattern can end
 * at, so it shares nothing with the matcher's scan and never backtracks.
 */
function segmentFits(segment: readonly UrlPart[], text: string): boolean {
  let reachable = Array.from({ length: text.length + 1 }, (_, i) => i === 0);
  for (const part of segment) {
    const next = new Array<boolean>(text.length + 1).fill(false);
    if ('literal' in part) {
      for (let i = 0; i + part.literal.length <= text.length; i++) if (reachable[i] && text.startsWith(part.literal, i)) next[i + part.literal.length] = true;
    } else {
      let open = false;
      for (let i = 0; i <= text.length; i++) {
        if (reachable[i]) open = true;
        next[i] = open;
        if (i < text.length && isLineBreak(text[i])) open = false;
      }
    }
    reachable = next;
  }
  return reachable[text.length];
}

/** A call's rank against one route, straight from the rules (see RouteMatcher), or undefined when it cannot reach it. */
function matchRank(call: EndpointCall, candidate: Route, basePath: string): number[] | undefined {
  const literal = (segment: UrlPart[] | undefined) => (segment?.length === 1 && 'literal' in segment[0] ? segment[0].literal : undefined);
  let segments = call.segments;
  const base = basePath.split('/').filter(Boolean);
  if (base.length > 0 && base.every((b, i) => literal(segments[i]) === b)) segments = segments.slice(base.length);
  const pattern = candidate.url.split('/').filter(Boolean);
  const rank: number[] = [];
  for (let j = 0; j < pattern.length; j++) {
    const part = pattern[j];
    if (part.startsWith('[[...')) return [...rank, 4];
    if (part.startsWith('[...')) return j < segments.length ? [...rank, 3] : undefined;
    const segment = segments[j];
    if (!segment) return undefined;
    const computed = segment.length === 1 && 'dynamic' in segment[0];
    if (part.startsWith('[')) rank.push(computed ? 0 : 1);
    else if (computed) rank.push(2);
    else if (segmentFits(segment, part)) rank.push(0);
    else return undefined;
  }
  return segments.length === pattern.length ? rank : undefined;
}

/** The obvious way: rank every route, keep the best (the first of equals). */
function bruteForce(call: EndpointCall, routes: readonly Route[], basePath: string): Route | undefined {
  let best: Route | undefined;
  let bestRank: number[] = [];
  const compare = (a: number[], b: number[]) => {
    for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? -1) !== (b[i] ?? -1)) return (a[i] ?? -1) - (b[i] ?? -1);
    return 0;
  };
  for (const candidate of routes) {
    if (!candidate.methods.some((m) => m.name === call.method)) continue;
    const rank = matchRank(call, candidate, basePath);
    if (rank && (!best || compare(rank, bestRank) < 0)) [best, bestRank] = [candidate, rank];
  }
  return best;
}

/** A small deterministic generator (mulberry32), so that a failure can be replayed. */
function randomSource(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}

describe('the caller matcher on segments with many computed parts', function () {
  this.timeout(20_000);

  it('matches a template of six computed parts against a 120-character folder name, as ranking every route does', () => {
    const long = 'a'.repeat(120);
    const routes = [
      route(`/api/${long}`, ['GET', 'DELETE']),
      route('/api/[id]', ['GET']),
      route(`/api/${'a'.repeat(119)}Z`, ['POST']),
      route(`/api/x${long}y`, ['PUT']),
      route(`/api/${'ab'.repeat(60)}`, ['PATCH']),
    ];
    const calls = extractEndpointCalls(
      '/x/client.ts',
      [
        'fetch(`/api/${a}${b}${c}${d}${e}${f}Z`);',
        'fetch(`/api/${a}${b}${c}${d}${e}${f}Z`, { method: "POST" });',
        'fetch(`/api/x${a}a${b}a${c}a${d}a${e}a${f}y`, { method: "PUT" });',
        'fetch(`/api/x${a}a${b}a${c}a${d}a${e}a${f}Z`, { method: "PUT" });',
        'fetch(`/api/${a}b${b}b${c}b${d}b${e}b${f}b${g}c`, { method: "PATCH" });',
        'fetch(`/api/${a}${b}${c}${d}${e}${f}${g}${h}${i}${j}${k}${l}b`, { method: "DELETE" });',
      ].join('\n'),
    );
    assert.equal(calls.length, 6);
    for (const call of calls) assert.equal(bestRoute(call, routes, ''), bruteForce(call, routes, ''), `${call.method} ${call.text}`);
    assert.deepEqual(
      calls.map((call) => bestRoute(call, routes, '')?.url ?? null),
      ['/api/[id]', `/api/${'a'.repeat(119)}Z`, `/api/x${long}y`, null, null, null],
    );
  });

  it('finds the route that ranking every route finds, for random segments with line breaks, repeats and overlaps', () => {
    const next = randomSource(20_24);
    const text = (length: number) => Array.from({ length }, () => 'ab-\n'[next(4)]).join('');
    const routes: Route[] = [];
    for (let r = 0; r < 60; r++) {
      const parts = Array.from({ length: 1 + next(3) }, () => (next(4) === 0 ? `[p${next(3)}]` : text(1 + next(6))));
      if (next(8) === 0) parts.push(next(2) === 0 ? '[...rest]' : '[[...rest]]');
      routes.push(route('/' + parts.join('/'), HTTP.filter(() => next(2) === 0)));
    }
    let compared = 0;
    for (let c = 0; c < 3000; c++) {
      const segments: UrlPart[][] = Array.from({ length: next(4) }, () => {
        // As urlPartsOf builds them: no empty literals, and no two literals in a row.
        const segment: UrlPart[] = [];
        for (let p = 0, count = 1 + next(5); p < count; p++) {
          const last = segment[segment.length - 1];
          if (next(2) === 0) segment.push({ dynamic: true });
          else if (last && 'literal' in last) last.literal += text(1 + next(3));
          else segment.push({ literal: text(1 + next(3)) });
        }
        return segment;
      });
      const call: EndpointCall = { method: HTTP[next(HTTP.length)], segments, text: '', span: NOWHERE, urlSpan: NOWHERE };
      for (const basePath of ['', '/ab']) {
        assert.equal(bestRoute(call, routes, basePath), bruteForce(call, routes, basePath), JSON.stringify({ segments, method: call.method, basePath }));
        compared++;
      }
    }
    assert.equal(compared, 6000);
  });
});
