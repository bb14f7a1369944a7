// Words for people: CodeLens titles and hover text built from manifest data.
import type { CachingVerdict, Route, RouteMethod } from '../analysis/model';
import { markdownCode as code, markdownMessage, markdownText as text } from '../markdownText';

const KIND_LABEL: Record<CachingVerdict['kind'], string> = {
  static: 'Static',
  isr: 'ISR',
  ssg: 'SSG',
  'ssg-isr': 'SSG + ISR',
  dynamic: 'Dynamic',
  error: 'Build error',
  unknown: 'Unknown',
};

/** The caching CodeLens title: `Static: prerendered at build`, `Dynamic: cookies() at lib/auth.ts:12`. */
export function describeVerdict(verdict: CachingVerdict, _root: string): string {
  const label = KIND_LABEL[verdict.kind];
  const reason = verdict.reasons[0];
  const where = reason?.location ? ` at ${reason.location.file.split('/').pop()}:${reason.location.span.line}` : '';
  switch (verdict.kind) {
    case 'static':
      return `${label}: prerendered at build`;
    case 'ssg':
      return `${label}: listed params prerendered at build`;
    case 'isr':
    case 'ssg-isr':
      return `${label}: prerendered, revalidated every ${verdict.revalidate} s`;
    case 'dynamic': {
      // In words a user reading the lens above a GET understands without the docs.
      const because = verdict.because;
      const method = because && /^also exports (\w+)$/.exec(because);
      if (method) return `${label}: runs per request, because this file also exports ${method[1]}`;
      if (because === 'default') return `${label} (the default): nothing opts this GET in to caching`;
      if (because === 'no generateStaticParams') return `${label}: runs per request, no generateStaticParams for its params`;
      if (because) return `${label}: ${because}${where}`;
      const code = /`([^`]+)`/.exec(reason?.message ?? '')?.[1];
      return `${label}: ${code ?? 'runs on every request'}${code ? where : ''}`;
    }
    case 'error':
      return `${label}: next build fails${where}`;
    default:
      return `${label}: ${reason?.message.split(/[,.:]/)[0] ?? 'cannot tell'}`;
  }
}

/**
 * Hover on a method name: URL, params, verdict and its reasons. Every piece of workspace text (paths, names,
 * the code that messages quote) goes through server/markdownText.ts, so that it cannot add a link or an image.
 */
export function hoverMarkdown(route: Route, method: RouteMethod): string {
  const lines = [`**${method.name}** ${code(route.publicPath)}`];
  if (route.publicPath !== route.url) lines.push(`Route pattern: ${code(route.url)}`);
  if (route.params.length > 0) lines.push(`Params: ${route.params.map((p) => `${code(p.name)} (${p.kind})`).join(', ')}`);
  const request = method.request;
  if (request?.query.length) lines.push(`Query: ${request.query.map(code).join(', ')}`);
  if (request?.body) lines.push(`Body (${request.body.kind}): ${request.body.fields.map(code).join(', ') || 'fields not known'}${request.body.schema ? ` — validated by ${code(request.body.schema)}` : ''}`);
  if (request?.statuses.length) lines.push(`Statuses: ${request.statuses.join(', ')}`);
  if (method.wrappers?.length) lines.push(`Wrapped by: ${method.wrappers.map(code).join(' → ')}`);
  if (route.caching && method.name === 'GET') {
    lines.push('', `**Caching: ${KIND_LABEL[route.caching.kind]}${route.caching.revalidate ? ` (${route.caching.revalidate} s)` : ''}**`);
    for (const reason of route.caching.reasons) {
      const where = reason.location ? ` (${text(`${reason.location.file}:${reason.location.span.line}`)})` : '';
      const chain = reason.chain?.length ? ` — via ${text(reason.chain.map((c) => `${c.file}:${c.span.line}`).join(' → '))}` : '';
      lines.push(`- ${markdownMessage(reason.message)}${where}${chain}`);
    }
  }
  return lines.join('  \n');
}
