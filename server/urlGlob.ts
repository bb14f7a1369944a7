// URL globs, as `route-atlas --url` and the agent tools take them: `*` stands for any text within a segment,
// `**` for any text across segments, everything else for itself (`[id]` included). Imports nothing, so the
// CLI, the MCP server and the language server can all take it.

/** A compiled glob: whether a URL matches it. */
export type GlobMatcher = (url: string) => boolean;

/**
 * Compiles a glob into a matcher that follows every pattern position a prefix of the URL can reach at once,
 * as a bit set: each URL character costs one pass over `glob.length / 32` words, so a match takes time
 * proportional to the product of the two lengths divided by 32, and nothing backtracks. Runs of three or
 * more stars mean what `**` means and are read as `**`.
 */
export function compileGlob(glob: string): GlobMatcher {
  const pattern = glob.replace(/\*{3,}/g, '**');
  const positions = pattern.length + 1;
  const words = Math.ceil(positions / 32);
  const star = new Uint32Array(words);
  const across = new Uint32Array(words);
  /** For each character of the pattern, the positions that hold it (stars aside). */
  const literal = new Map<string, Uint32Array>();
  for (let p = 0; p < pattern.length; p++) {
    const char = pattern[p];
    const bit = 1 << (p & 31);
    if (char === '*') {
      star[p >>> 5] |= bit;
      if (pattern[p + 1] === '*') across[p >>> 5] |= bit;
      continue;
    }
    let mask = literal.get(char);
    if (!mask) literal.set(char, (mask = new Uint32Array(words)));
    mask[p >>> 5] |= bit;
  }
  const endWord = pattern.length >>> 5;
  const endBit = 1 << (pattern.length & 31);

  /** Adds to `set` the position after every star in it (a star may match nothing); runs are at most two long. */
  const close = (set: Uint32Array): void => {
    for (let round = 0; round < 2; round++) {
      let carry = 0;
      for (let w = 0; w < words; w++) {
        const stars = set[w] & star[w];
        const shifted = ((stars << 1) | carry) >>> 0;
        carry = stars >>> 31;
        set[w] |= shifted;
      }
    }
  };

  return (url: string): boolean => {
    let reach = new Uint32Array(words);
    let next = new Uint32Array(words);
    reach[0] = 1;
    close(reach);
    for (let i = 0; i < url.length; i++) {
      // UTF-16 units on both sides, as the pattern is indexed.
      const char = url[i];
      const mask = literal.get(char);
      const stay = char === '/' ? across : star;
      let carry = 0;
      let any = 0;
      for (let w = 0; w < words; w++) {
        // A literal position that holds this character moves on by one; a star position stays.
        const moved = mask ? reach[w] & mask[w] : 0;
        const shifted = ((moved << 1) | carry) >>> 0;
        carry = moved >>> 31;
        next[w] = (shifted | (reach[w] & stay[w])) >>> 0;
        any |= next[w];
      }
      if (any === 0) return false;
      close(next);
      [reach, next] = [next, reach];
    }
    return (reach[endWord] & endBit) !== 0;
  };
}

/** Whether a URL matches a glob (see compileGlob; compile once to test many URLs). */
export function globMatches(glob: string, url: string): boolean {
  return compileGlob(glob)(url);
}
