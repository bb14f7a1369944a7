import * as assert from 'node:assert/strict';
import { compileGlob, globMatches } from '../../server/urlGlob';

/** The glob matcher the CLI had before the bit-set one: a set of reachable pattern positions. The oracle. */
function referenceMatches(glob: string, url: string): boolean {
  let reach = new Set<number>([0]);
  const close = (positions: Set<number>) => {
    for (const p of [...positions]) {
      let q = p;
      while (glob[q] === '*') positions.add(++q);
    }
    return positions;
  };
  reach = close(reach);
  for (let i = 0; i < url.length; i++) {
    const char = url[i];
    const next = new Set<number>();
    for (const p of reach) {
      if (glob[p] === '*') {
        if (glob[p + 1] === '*' || char !== '/') next.add(p);
      } else if (glob[p] === char) next.add(p + 1);
    }
    reach = close(next);
    if (reach.size === 0) return false;
  }
  return reach.has(glob.length);
}

/** A small deterministic generator, so that a failure repeats. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

describe('urlGlob', () => {
  it('matches * within a segment and ** across, [id] literally', () => {
    assert.ok(globMatches('/api/users/**', '/api/users/[id]/posts'));
    assert.ok(!globMatches('/api/users/*', '/api/users/[id]/posts'));
    assert.ok(globMatches('/api/users/[id]', '/api/users/[id]'));
    assert.ok(!globMatches('/api/users/[id]', '/api/users/42'));
    assert.ok(globMatches('**/route', '/a/b/route'));
    assert.ok(globMatches('/api/**', '/api/'));
    assert.ok(globMatches('/api/*', '/api/'));
    assert.ok(!globMatches('', '/'));
    assert.ok(globMatches('', ''));
  });

  it('agrees with the set-of-positions matcher on thousands of random globs and URLs, across word boundaries', () => {
    const next = random(7);
    const alphabet = ['a', 'b', '/', '*', '[', ']'];
    const urlAlphabet = ['a', 'b', '/', '[', ']'];
    for (let round = 0; round < 4000; round++) {
      // Lengths up to 80 put pattern positions past the first and second 32-bit words.
      const glob = Array.from({ length: Math.floor(next() * 80) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      const url = Array.from({ length: Math.floor(next() * 90) }, () => urlAlphabet[Math.floor(next() * urlAlphabet.length)]).join('');
      assert.equal(globMatches(glob, url), referenceMatches(glob, url), `${JSON.stringify(glob)} on ${JSON.stringify(url)}`);
    }
  });

  it('matches a hostile glob against 10,000 long URLs in well under a second', () => {
    const glob = '/' + '**a'.repeat(170) + 'b';
    const matcher = compileGlob(glob);
    const url = '/' + 'a/'.repeat(150);
    const started = performance.now();
    let matched = 0;
    for (let i = 0; i < 10_000; i++) if (matcher(url + i)) matched++;
    const elapsed = performance.now() - started;
    assert.equal(matched, 0);
    assert.ok(elapsed < 1500, `took ${elapsed.toFixed(0)} ms`);
  });
});
