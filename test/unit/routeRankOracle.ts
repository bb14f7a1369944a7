// The test oracle for the callers index: a call ranked against every route, straight from the rules that
// RouteMatcher documents, with nothing shared with the matcher's own scan. Both matcher tests hold it to this.
import type { EndpointCall, UrlPart } from '../../server/analysis/endpointCalls';
import type { Route } from '../../server/analysis/model';

const isLineBreak = (char: string): boolean => char === '\n' || char === '\r' || char === '\u2028' || char === '\u2029';

/**
 * Whether a segment of a call can be `text`: its literal parts in order, each computed part any text
 * without a line break (what `.*` matches). A table of the positions each prefix of the pattern can end
 * at, so it shares nothing with the matcher's scan and never backtracks.
 */
export function segmentFits(segment: readonly UrlPart[], text: string): boolean {
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
export function matchRank(call: EndpointCall, candidate: Route, basePath: string): number[] | undefined {
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
export function bruteForce(call: EndpointCall, routes: readonly Route[], basePath: string): Route | undefined {
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
