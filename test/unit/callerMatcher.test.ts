import * as assert from 'node:assert/strict';
import { bestRoute, type EndpointCall, extractEndpointCalls, type UrlPart } from '../../server/analysis/endpointCalls';
import type { HttpMethod, Route } from '../../server/analysis/model';
import { bruteForce } from './routeRankOracle';

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
