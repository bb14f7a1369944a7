import * as assert from 'node:assert/strict';
import type { Route, RouteMethod } from '../../server/analysis/model';
import { formatHttpFile, httpRequestsForRoute, paramVariables, variablesOf } from '../../server/requests/httpFile';

const info = (extra: Partial<NonNullable<RouteMethod['request']>> = {}) => ({ query: [], headers: [], statuses: [], ...extra });

// Folder names, query names and body fields from a hostile repository: a line break that adds a header, and
// template syntax that REST Client (`{{$processEnv NAME}}` reads the user's environment) and httpYac
// (`{{ js }}` runs code) would evaluate.
const INJECTED_HEADER = '\nX-Injected: 1';
const PROCESS_ENV = '{{$processEnv HOME}}';
const SCRIPT = '{{ require("child_process").execSync("id") }}';

function hostileRoutes(): Array<Pick<Route, 'url' | 'publicPath' | 'methods'>> {
  const methods: RouteMethod[] = [
    { name: 'GET', request: info({ query: [PROCESS_ENV, `q${INJECTED_HEADER}`], headers: ['authorization'] }) },
    { name: 'POST', request: info({ body: { kind: 'json', fields: [PROCESS_ENV, `name${INJECTED_HEADER}`, SCRIPT] } }) },
    { name: 'PUT', request: info({ body: { kind: 'formData', fields: [PROCESS_ENV, `f${INJECTED_HEADER}`] } }) },
  ];
  return [
    { url: `/api/a${INJECTED_HEADER}/[id]`, publicPath: `/api/a${INJECTED_HEADER}/[id]`, methods },
    { url: `/api/${PROCESS_ENV}/[${PROCESS_ENV}]`, publicPath: `/api/${PROCESS_ENV}/[${PROCESS_ENV}]`, methods },
    { url: `/api/${SCRIPT}\r\n\r\nGET https://evil.example/`, publicPath: `/api/${SCRIPT}\r\n\r\nGET https://evil.example/`, methods },
  ];
}

/** The lines the export may write: comments, variables, request separators, request lines, its own headers, and bodies. */
function assertOnlyExpectedLines(text: string): void {
  for (const line of text.split('\n')) {
    assert.doesNotMatch(line, /^X-Injected/i, `an injected header line:\n${text}`);
    assert.doesNotMatch(line, /^GET https:\/\/evil/, `an injected request:\n${text}`);
  }
  assert.doesNotMatch(text, /[\r\u2028\u2029\u0085]/, 'no line break other than the file\'s own');
}

/** Every `{{…}}` in the text is a plain variable Route Atlas declared or wrote (baseUrl, token, a param). */
function assertOnlyOwnVariables(text: string, variables: readonly string[]): void {
  assert.ok(!text.includes('{{$'), `a {{$ system variable:\n${text}`);
  for (const match of text.matchAll(/\{\{(.*?)\}\}/g)) assert.ok(variables.includes(match[1]), `{{${match[1]}}} is not one of ${variables.join(', ')}:\n${text}`);
  // Outside those variables, no `{{` opens a template at all (httpYac runs a line that starts with one).
  assert.ok(!text.replace(/\{\{[\w.-]+\}\}/g, '').includes('{{'), text);
}

describe('requests: the .http export of hostile names', () => {
  it('writes no header, request or template syntax that came from a folder, query or field name', () => {
    const routes = hostileRoutes();
    const requests = routes.flatMap((route) => httpRequestsForRoute(route));
    const params = paramVariables(routes);
    const variables: Record<string, string> = { baseUrl: `http://localhost:3000${INJECTED_HEADER}` };
    for (const name of params) variables[name] = `${PROCESS_ENV}${INJECTED_HEADER}`;
    const text = formatHttpFile(requests, variables, `Requests for ${PROCESS_ENV}${INJECTED_HEADER}\r\n{{ js }}`);
    assertOnlyExpectedLines(text);
    assertOnlyOwnVariables(text, [...variablesOf(requests), ...Object.keys(variables)]);
  });

  it('keeps the hostile parts as data: percent-encoded in URLs, \\u escapes in JSON bodies', () => {
    const [injected, processEnv] = hostileRoutes();
    const get = httpRequestsForRoute(injected, 'GET')[0];
    assert.equal(get.url, '{{baseUrl}}/api/a%0AX-Injected:%201/{{id}}?%7B%7B%24processEnv%20HOME%7D%7D=&q%0AX-Injected%3A%201=');
    assert.equal(get.name, 'GET /api/a%0AX-Injected:%201/[id]');
    assert.equal(httpRequestsForRoute(processEnv, 'GET')[0].url, '{{baseUrl}}/api/%7B%7B$processEnv%20HOME%7D%7D/{{___processEnv_HOME__}}?%7B%7B%24processEnv%20HOME%7D%7D=&q%0AX-Injected%3A%201=');
    const post = httpRequestsForRoute(injected, 'POST')[0];
    // The body is the same JSON: its field names come back unchanged when a server parses it.
    assert.deepEqual(Object.keys(JSON.parse(post.body!)), [PROCESS_ENV, `name${INJECTED_HEADER}`, SCRIPT]);
  });
});
