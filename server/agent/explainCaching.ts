// explain_caching: a GET's verdict for the app's Next.js version, why, and what would change it. The advice
// follows the rules real `next build` runs showed (README, "Caching verdicts"); it is chosen from the
// verdict's kind and `because`, so it never contradicts the verdict it explains.
import type { AppManifest, CachingReason, Route } from '../analysis/model';
import { APP_ARGUMENT, FILE_ARGUMENT, URL_ARGUMENT } from './endpoints';
import { findEndpoint, type RouteRef } from './find';
import { APP_SCHEMA, cacheComponentsOf, nextVersionLabel, structuredApp, structuredVerdict, VERDICT_SCHEMA } from './shapes';
import { inert, methodNames, verdictLabel, whereLocation } from './text';
import { type AgentContext, type AgentTool, type AgentToolResult, toolError } from './types';

const OPT_IN =
  "opt in: `export const revalidate = 60` (ISR: prerendered, regenerated at most every 60 s), `export const dynamic = 'force-static'` (prerendered; cookies(), headers() and request reads then return empty values) or `export const revalidate = false` (prerendered once)";

function at(reason: CachingReason | undefined): string {
  if (!reason?.location) return '';
  const chain = reason.chain?.length ? `, reached via ${reason.chain.map(whereLocation).join(' → ')}` : '';
  return ` (${whereLocation(reason.location)}${chain})`;
}

/** What the first reason of a dynamic verdict is about, from the words classifyCaching gives each effect kind. */
function effectKind(reason: CachingReason | undefined): 'noStore' | 'fetchNoStore' | 'fetchDefault' | 'timeVarying' | 'connection' | 'requestData' {
  const message = reason?.message ?? '';
  if (message.includes('opts out of caching')) return 'noStore';
  if (message.includes('is not cached under cacheComponents')) return 'fetchDefault';
  if (message.includes('is not cached')) return 'fetchNoStore';
  if (message.includes('differs per request')) return 'timeVarying';
  if (message.includes('waits for a request')) return 'connection';
  return 'requestData';
}

/** The request data a GET reads by name, as the handler's request info lists it. */
function requestReads(route: Route): string[] {
  const request = route.methods.find((m) => m.name === 'GET' && !m.implicit)?.request;
  if (!request) return [];
  const reads: string[] = [];
  if (request.query.length) reads.push(`query ${request.query.join(', ')}`);
  if (request.headers.length) reads.push(`headers ${request.headers.join(', ')}`);
  if (request.body) reads.push(`a ${request.body.kind} body`);
  return reads;
}

/** What would change the verdict, in the app's Next.js version, most useful first. */
export function cachingAdvice(route: Route, app: AppManifest): string[] {
  const major = app.nextVersion.major;
  const cacheComponents = cacheComponentsOf(app);
  const caching = route.caching;
  const reason = caching?.reasons[0];
  const needsOptIn = major >= 15 && !cacheComponents;
  if (!caching) {
    const own = methodNames(route);
    const making = own.filter((m) => (major >= 15 || cacheComponents ? ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] : ['POST', 'DELETE', 'PATCH', 'OPTIONS']).includes(m));
    return [
      `The route exports no GET (${own.length > 0 ? `only ${own.join(', ')}` : 'no method at all'}), so every request runs its handler; there is nothing to prerender.`,
      making.length > 0
        ? `A GET added to this file would run per request too: exporting ${making.join(', ')} makes the whole route dynamic. A GET meant to be cached belongs in a route file of its own.`
        : `A GET added to this file would be judged on its own${needsOptIn ? `; Next.js ${major} prerenders it only when the route opts in` : ''}.`,
    ];
  }
  switch (caching.kind) {
    case 'dynamic': {
      const because = caching.because ?? '';
      const exported = /^also exports (\w+)$/.exec(because);
      if (because === 'default') {
        // The verdict stops at the missing opt-in; what the handler reads says what an opt-in would meet.
        const reads = requestReads(route);
        return [
          `Next.js ${major} prerenders a GET only when the route opts in. To cache it, ${OPT_IN}.`,
          reads.length > 0
            ? `But this GET reads request data (${reads.join('; ')}): opted in, it would still run per request, or with force-static read empty values. Caching it means not reading those.`
            : 'Once opted in, the GET is prerendered only if it (and what it calls) reads no request data (cookies(), headers(), request.url, request.headers, searchParams, the body) and makes no no-store fetch; ask again after the change to see the new verdict.',
          'Keep it dynamic when the response must be fresh on every request.',
          'For comparison: Next.js 14, and Next.js 16 with cacheComponents, need no opt-in; they prerender a GET unless it reads request data (and, with cacheComponents, unless it does uncached I/O or reads the time).',
        ];
      }
      if (exported) {
        const advice = [
          `Move ${exported[1]} (and any other POST, PUT, PATCH, DELETE or OPTIONS export) into a route file of its own; while this file exports it, the whole route is dynamic and no segment config (not even force-static) changes that${at(reason)}.`,
        ];
        if (exported[1] === 'PUT') advice.push('Next.js 14 did not count PUT; 15 and 16 do.');
        if (needsOptIn) advice.push(`After the move, Next.js ${major} still needs the GET to ${OPT_IN}.`);
        return advice;
      }
      if (because === 'force-dynamic') {
        return [`Remove \`export const dynamic = 'force-dynamic'\`${at(reason)}.`, ...(needsOptIn ? [`Then ${OPT_IN}: Next.js ${major} caches no GET by default.`] : [])];
      }
      if (because === 'revalidate = 0') {
        return [`Set \`revalidate\` to a number of seconds above 0 (ISR) or to false (prerendered once) instead of 0${at(reason)}.`];
      }
      if (because.startsWith('runtime = ')) {
        return [`Remove the edge runtime export${at(reason)}: route handlers on the edge runtime always run per request.${needsOptIn ? ` Then ${OPT_IN}.` : ''}`];
      }
      if (because === 'no generateStaticParams') {
        return [
          `Export \`generateStaticParams\` from the route file, returning the ${route.params.map((p) => `[${p.name}]`).join(', ')} values to prerender: those paths are built ahead (SSG), others render on their first request (or 404 with \`export const dynamicParams = false\`).`,
          'Without it every path of a dynamic segment renders per request, even when the params are never read.',
        ];
      }
      const kind = effectKind(reason);
      const advice: string[] = [];
      if (kind === 'noStore') advice.push(`Remove \`unstable_noStore()\`${at(reason)}${cacheComponents ? '' : ' (under cacheComponents it does nothing)'}.`);
      else if (kind === 'fetchNoStore') advice.push(`Give the fetch${at(reason)} \`next: { revalidate: <seconds> }\` or \`cache: 'force-cache'\` instead of no-store / revalidate 0.`);
      else if (kind === 'fetchDefault') advice.push(`Cache the fetch${at(reason)}: \`cache: 'force-cache'\`, \`next: { revalidate: <seconds> }\`, or call it from a 'use cache' function.`);
      else if (kind === 'timeVarying') advice.push(`Move the time- or randomness-dependent code${at(reason)} into a 'use cache' function (its result is then cached with the profile cacheLife sets), or accept a per-request response.`);
      else if (kind === 'connection') advice.push(`\`connection()\`${at(reason)} exists to make the route run per request; remove it to let the GET be prerendered.`);
      else advice.push(`The GET reads request data${at(reason)}. To cache it, take that read out of the GET and the functions it calls (values from the URL path can be prerendered with generateStaticParams; per-user data cannot be cached this way).`);
      if (!cacheComponents && kind !== 'connection') {
        advice.push("Or `export const dynamic = 'force-static'` to prerender anyway: request reads then return empty values (the force-static-request-data check says where).");
      }
      return advice;
    }
    case 'static':
      return [
        'The response is computed once by `next build` and served unchanged until the next build.',
        cacheComponents
          ? "To refresh it periodically, compute it in a 'use cache' function with `cacheLife('minutes')` (or another profile), or fetch with `next: { revalidate: <seconds> }`."
          : 'To refresh it periodically, `export const revalidate = <seconds>` (ISR), or fetch with `next: { revalidate: <seconds> }`.',
        cacheComponents
          ? 'To compute it per request, `await connection()` in the GET, or read request data.'
          : "To compute it per request, `export const dynamic = 'force-dynamic'`, or read request data (cookies(), headers(), request.url).",
        ...(major === 14 ? ['In Next.js 14, Date.now(), Math.random() and fetch results in a prerendered GET are frozen at build; the frozen-time-varying check points at them.'] : []),
      ];
    case 'isr':
    case 'ssg-isr':
      return [
        `Prerendered, then regenerated in the background at most every ${caching.revalidate} s: the lowest revalidate of the route and of the fetches it makes wins${at(reason)}.`,
        'Change that number to change how fresh it is; `revalidate = false` (or removing the revalidating fetch option) makes it static, `revalidate = 0` or force-dynamic makes it per request.',
        ...(caching.kind === 'ssg-isr' ? ['Only the paths generateStaticParams returns are built ahead; others render on their first request.'] : []),
      ];
    case 'ssg':
      return [
        `The paths generateStaticParams returns are prerendered at build${at(reason)}; other param values render on their first request and are then cached, or 404 with \`export const dynamicParams = false\`.`,
        cacheComponents ? "Add cacheLife in a 'use cache' function to refresh them periodically." : 'Add `export const revalidate = <seconds>` to refresh them periodically (SSG + ISR).',
      ];
    case 'error':
      return [
        `next build fails because of this route: fix the reasons above${at(reason)}.`,
        ...(cacheComponents
          ? ["With cacheComponents the segment-config exports dynamic, revalidate, fetchCache, dynamicParams and runtime are build errors whatever their value: remove them, and use 'use cache' with cacheLife, or connection(), instead."]
          : []),
      ];
    case 'unknown':
      return [
        `Route Atlas could not follow a call the GET makes${at(reason)}. If that code reads request data (cookies(), headers(), the request object), the GET is dynamic; if not, it is prerendered${needsOptIn ? ' (once it opts in)' : ''}.`,
        'Where the call goes to a module in the workspace, an import Route Atlas can resolve (a relative path, tsconfig paths, a workspace package) lets it decide.',
      ];
  }
}

function explain(ref: RouteRef): { text: string; structured: Record<string, unknown> } {
  const { route, app } = ref;
  const lines: string[] = [];
  const getMethod = route.methods.find((m) => m.name === 'GET' && !m.implicit);
  const subject = route.kind !== 'route' ? `${route.url} (${route.kind})` : getMethod ? `GET ${route.url}` : `${route.url} (${methodNames(route).join(', ') || 'no methods'}; no GET)`;
  const atGet = getMethod?.span ? ` at ${route.file}:${getMethod.span.line}` : ` in ${route.file}`;
  lines.push(inert(`${subject}${atGet}`));
  lines.push(inert(`Analyzed for Next.js ${nextVersionLabel(app)}${cacheComponentsOf(app) ? ' with cacheComponents' : ''}, ${app.bundler}.`));
  lines.push(inert(`Verdict: ${verdictLabel(route)}`));
  const reasons = route.caching?.reasons ?? [];
  if (reasons.length > 0) {
    lines.push('Why:');
    reasons.forEach((reason, i) => lines.push(inert(`${i + 1}. ${reason.message}${at(reason)}`)));
  }
  const advice = cachingAdvice(route, app);
  lines.push('What would change it:');
  for (const line of advice) lines.push(inert(`- ${line}`));
  const structured: Record<string, unknown> = {
    url: route.url,
    publicPath: route.publicPath,
    file: route.file,
    app: structuredApp(app),
    verdict: structuredVerdict(route),
    changes: advice,
  };
  if (getMethod?.span) structured.line = getMethod.span.line;
  return { text: lines.join('\n'), structured };
}

function explainCaching(context: AgentContext, args: Record<string, unknown>): AgentToolResult {
  const found = findEndpoint(context, args);
  if (!found.ok) return toolError(found.error);
  const shown = found.value.slice(0, 3);
  const parts = shown.map(explain);
  const head = found.value.length > 1 ? [`${found.value.length} endpoints match${found.value.length > shown.length ? `; the first ${shown.length} are explained (give app or file to choose one)` : ''}.`, ''] : [];
  return { text: [...head, ...parts.map((p) => p.text).join('\n\n').split('\n')].join('\n'), structured: { total: found.value.length, explanations: parts.map((p) => p.structured) } };
}

export const EXPLAIN_CACHING: AgentTool = {
  name: 'explain_caching',
  title: 'Explain caching',
  referenceName: 'routeAtlasCaching',
  userDescription: 'Explains whether a Next.js GET is prerendered at build or runs per request, why, and what would change it.',
  description:
    'Whether a Next.js GET route handler (or metadata route) is prerendered at build (static, ISR, SSG) or runs on every request, for the Next.js version and config the app really uses (14, 15, 16, 16 with cacheComponents): the verdict, each reason with its file:line and the call chain that reaches it (GET → getSession() → cookies()), and what would change it (in Next.js 15 and 16 a GET is dynamic unless the route opts in with revalidate or force-static; exporting POST makes the whole route dynamic). Find the endpoint by url (pattern or concrete path) or file.',
  inputSchema: {
    type: 'object',
    properties: { url: URL_ARGUMENT, file: FILE_ARGUMENT, app: APP_ARGUMENT },
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      total: { type: 'integer' },
      explanations: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            url: { type: 'string' },
            publicPath: { type: 'string' },
            file: { type: 'string' },
            line: { type: 'integer', description: 'Where GET is exported.' },
            app: APP_SCHEMA,
            verdict: VERDICT_SCHEMA,
            changes: { type: 'array', items: { type: 'string' }, description: 'What would change the verdict, most useful first.' },
          },
          required: ['url', 'publicPath', 'file', 'app', 'verdict', 'changes'],
        },
      },
    },
    required: ['total', 'explanations'],
  },
  run: explainCaching,
};
