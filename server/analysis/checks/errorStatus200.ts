import type { RouteCheck } from './types';

/** `Response.json({ error })` without a status tells clients and caches the request succeeded. */
export const errorStatus200: RouteCheck = {
  id: 'error-status-200',
  scope: 'route',
  run({ route, handlers, relative }) {
    const problems = [];
    const seen = new Set<string>();
    for (const [method, target] of handlers) {
      for (const response of target.site?.facts.errorResponses ?? []) {
        const file = relative(target.file);
        const key = `${file}:${response.span.line}:${response.span.column}`;
        if (seen.has(key)) continue;
        seen.add(key);
        problems.push({
          id: 'error-status-200',
          severity: 'warning' as const,
          file,
          span: response.span,
          message: `${method} ${route.url} returns an error payload with status 200; clients, fetch's \`ok\` and caches will treat it as a success.`,
          // Quick fix titles are plain text: no backticks.
          fix: { title: `Add { status: ${response.status} }`, edits: [{ file, span: response.insertAt, newText: `, { status: ${response.status} }` }] },
        });
      }
    }
    return problems;
  },
};
