// sendHttpRequest against real HTTP servers on loopback: redirects, cookies, tokens, timeouts, streams.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CookieJar, parseSetCookie } from '../../src/requests/cookieJar';
import { type RedirectQuestion, RequestFailure, sendHttpRequest } from '../../src/requests/sendHttp';

type Handler = (request: http.IncomingMessage, response: http.ServerResponse, body: string) => void;

interface TestServer {
  origin: string;
  seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }>;
  close(): Promise<void>;
}

async function serve(handler: Handler): Promise<TestServer> {
  const seen: TestServer['seen'] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      handler(request, response, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function unusedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe('requests: sending', () => {
  const servers: TestServer[] = [];
  const start = async (handler: Handler) => {
    const server = await serve(handler);
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('follows redirects itself and records every hop', async () => {
    const server = await start((request, response) => {
      if (request.url === '/a') response.writeHead(302, { Location: '/b' }).end('moved');
      else if (request.url === '/b') response.writeHead(307, { Location: `${server.origin}/c?x=1` }).end();
      else response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"done":true}');
    });
    const result = await sendHttpRequest({ method: 'GET', url: `${server.origin}/a`, headers: [] }, { timeoutMs: 5000 });
    assert.equal(result.status, 200);
    assert.equal(result.url, `${server.origin}/c?x=1`);
    assert.deepEqual(result.redirects, [
      { status: 302, url: `${server.origin}/a`, location: `${server.origin}/b` },
      { status: 307, url: `${server.origin}/b`, location: `${server.origin}/c?x=1` },
    ]);
    assert.equal(text(result.body), '{"done":true}');
  });

  it('turns a POST into a GET without body on 303, and keeps method and body on 307', async () => {
    const server = await start((request, response) => {
      if (request.url === '/see-other') response.writeHead(303, { Location: '/end' }).end();
      else if (request.url === '/temporary') response.writeHead(307, { Location: '/end' }).end();
      else response.end('ok');
    });
    const post = { method: 'POST', headers: [['Content-Type', 'application/json']] as Array<[string, string]>, body: '{"a":1}' };
    await sendHttpRequest({ ...post, url: `${server.origin}/see-other` }, { timeoutMs: 5000 });
    await sendHttpRequest({ ...post, url: `${server.origin}/temporary` }, { timeoutMs: 5000 });
    assert.deepEqual(
      server.seen.map((s) => [s.method, s.url, s.body, s.headers['content-type'] ?? null]),
      [
        ['POST', '/see-other', '{"a":1}', 'application/json'],
        ['GET', '/end', '', null],
        ['POST', '/temporary', '{"a":1}', 'application/json'],
        ['POST', '/end', '{"a":1}', 'application/json'],
      ],
    );
  });

  it('stops after five redirects', async () => {
    const server = await start((request, response) => response.writeHead(302, { Location: `/r${request.url}` }).end());
    const failure = await sendHttpRequest({ method: 'GET', url: `${server.origin}/`, headers: [] }, { timeoutMs: 5000 }).catch((e: unknown) => e);
    assert.ok(failure instanceof RequestFailure);
    assert.equal(failure.kind, 'tooManyRedirects');
    assert.equal(failure.redirects.length, 6);
    assert.equal(server.seen.length, 6);
  });

  it('keeps cookies per origin: log in once, then call a protected endpoint', async () => {
    const server = await start((request, response) => {
      if (request.url === '/login') response.writeHead(200, { 'Set-Cookie': ['session=abc; Path=/; HttpOnly', 'theme=dark; Path=/settings'] }).end();
      else response.writeHead(request.headers.cookie?.includes('session=abc') ? 200 : 401).end(request.headers.cookie ?? '');
    });
    const jar = new CookieJar();
    const other = await start((_request, response) => response.end());
    await sendHttpRequest({ method: 'POST', url: `${server.origin}/login`, headers: [] }, { timeoutMs: 5000, cookies: jar });
    const me = await sendHttpRequest({ method: 'GET', url: `${server.origin}/me`, headers: [] }, { timeoutMs: 5000, cookies: jar });
    assert.equal(me.status, 200);
    assert.equal(text(me.body), 'session=abc');
    const settings = await sendHttpRequest({ method: 'GET', url: `${server.origin}/settings/x`, headers: [] }, { timeoutMs: 5000, cookies: jar });
    assert.equal(text(settings.body), 'theme=dark; session=abc');
    await sendHttpRequest({ method: 'GET', url: `${other.origin}/`, headers: [] }, { timeoutMs: 5000, cookies: jar });
    assert.equal(other.seen[0].headers.cookie, undefined, 'another origin gets none of them');
  });

  it('sends a stored token only to its own origin, also across a redirect', async () => {
    const elsewhere = await start((_request, response) => response.end('elsewhere'));
    const home = await start((request, response) => {
      if (request.url === '/away') response.writeHead(302, { Location: `${elsewhere.origin}/landing` }).end();
      else response.end();
    });
    const authorizationFor = (origin: string) => (origin === home.origin ? 'Bearer t0ken' : undefined);
    const confirmRedirect = async () => true;
    await sendHttpRequest({ method: 'GET', url: `${home.origin}/away`, headers: [] }, { timeoutMs: 5000, authorizationFor, confirmRedirect });
    assert.equal(home.seen[0].headers.authorization, 'Bearer t0ken');
    assert.equal(elsewhere.seen[0].headers.authorization, undefined);
    // A header typed by hand does not follow a redirect to another origin either.
    await sendHttpRequest({ method: 'GET', url: `${home.origin}/away`, headers: [['Authorization', 'Basic eA==']] }, { timeoutMs: 5000, confirmRedirect });
    assert.equal(home.seen[1].headers.authorization, 'Basic eA==');
    assert.equal(elsewhere.seen[1].headers.authorization, undefined);
  });

  it('hands each piece of a streamed body over as it arrives', async () => {
    const server = await start((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      let n = 0;
      const timer = setInterval(() => {
        response.write(`data: ${++n}\n\n`);
        if (n === 3) {
          clearInterval(timer);
          response.end();
        }
      }, 150);
    });
    const arrivals: Array<{ at: number; text: string }> = [];
    const started = Date.now();
    let headersAt = -1;
    const result = await sendHttpRequest(
      { method: 'GET', url: `${server.origin}/`, headers: [] },
      { timeoutMs: 5000, onHeaders: () => (headersAt = Date.now() - started), onChunk: (chunk) => arrivals.push({ at: Date.now() - started, text: text(chunk) }) },
    );
    assert.deepEqual(
      arrivals.map((a) => a.text),
      ['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n'],
    );
    assert.ok(headersAt < arrivals[0].at + 5, 'headers come before the body');
    assert.ok(arrivals[2].at - arrivals[0].at >= 250, `pieces arrive apart: ${arrivals.map((a) => a.at).join(', ')} ms`);
    assert.equal(result.chunks, 3);
    assert.equal(text(result.body), 'data: 1\n\ndata: 2\n\ndata: 3\n\n');
  });

  it('times out waiting for headers, and when a body goes silent', async () => {
    const server = await start((request, response) => {
      if (request.url === '/slow') setTimeout(() => response.end('late'), 1500);
      else {
        response.writeHead(200);
        response.write('first');
        setTimeout(() => response.end('late'), 1500);
      }
    });
    for (const path of ['/slow', '/silent']) {
      const started = Date.now();
      const failure = await sendHttpRequest({ method: 'GET', url: `${server.origin}${path}`, headers: [] }, { timeoutMs: 300 }).catch((e: unknown) => e);
      assert.ok(failure instanceof RequestFailure, path);
      assert.equal(failure.kind, 'timeout', path);
      assert.ok(Date.now() - started < 1200, `${path} gave up after ${Date.now() - started} ms`);
    }
  });

  it('is cancelled by its signal', async () => {
    const server = await start((_request, response) => setTimeout(() => response.end(), 2000));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const failure = await sendHttpRequest({ method: 'GET', url: `${server.origin}/`, headers: [] }, { timeoutMs: 5000, signal: controller.signal }).catch((e: unknown) => e);
    assert.ok(failure instanceof RequestFailure);
    assert.equal(failure.kind, 'cancelled');
  });

  it('names a refused connection and an invalid URL', async () => {
    const port = await unusedPort();
    const refused = await sendHttpRequest({ method: 'GET', url: `http://127.0.0.1:${port}/api`, headers: [] }, { timeoutMs: 5000 }).catch((e: unknown) => e);
    assert.ok(refused instanceof RequestFailure);
    assert.equal(refused.kind, 'connectionRefused');
    assert.equal(refused.code, 'ECONNREFUSED');
    const invalid = await sendHttpRequest({ method: 'GET', url: 'http//nope', headers: [] }, { timeoutMs: 5000 }).catch((e: unknown) => e);
    assert.equal((invalid as RequestFailure).kind, 'invalidUrl');
    const file = await sendHttpRequest({ method: 'GET', url: 'file:///etc/passwd', headers: [] }, { timeoutMs: 5000 }).catch((e: unknown) => e);
    assert.equal((file as RequestFailure).kind, 'invalidUrl');
  });

  it('keeps at most maxStoredBytes of a body and says it cut the rest', async () => {
    const server = await start((_request, response) => response.end('x'.repeat(100_000)));
    const result = await sendHttpRequest({ method: 'GET', url: `${server.origin}/`, headers: [] }, { timeoutMs: 5000, maxStoredBytes: 1000 });
    assert.equal(result.body.byteLength, 1000);
    assert.equal(result.bodyCut, true);
  });
});

describe('requests: redirects to another origin', () => {
  const servers: TestServer[] = [];
  const start = async (handler: Handler) => {
    const server = await serve(handler);
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  /** A confirmation that gives one answer and keeps every question it was asked. */
  const answering = (answer: boolean) => {
    const questions: RedirectQuestion[] = [];
    return { questions, confirmRedirect: async (question: RedirectQuestion) => (questions.push(question), answer) };
  };
  const login = (url: string) => ({ method: 'POST', url, headers: [['Content-Type', 'application/json']] as Array<[string, string]>, body: '{"password":"hunter2"}' });

  it('asks before a 307 to another loopback port, naming both URLs, and sends nothing there when declined', async () => {
    const second = await start((_request, response) => response.end('second'));
    const first = await start((_request, response) => response.writeHead(307, { Location: `${second.origin}/login` }).end('moved'));
    const { questions, confirmRedirect } = answering(false);
    const result = await sendHttpRequest(login(`${first.origin}/api/login`), { timeoutMs: 5000, confirmRedirect });
    assert.deepEqual(
      questions.map((q) => [q.status, q.from, q.to, q.method, q.bodyBytes, q.leavesMachine]),
      [[307, `${first.origin}/api/login`, `${second.origin}/login`, 'POST', 22, false]],
    );
    assert.deepEqual(second.seen, []);
    // What is shown is the redirect itself, with the reason it went no further.
    assert.deepEqual([result.status, text(result.body), result.redirects], [307, 'moved', []]);
    assert.equal(result.notFollowed?.location, `${second.origin}/login`);
    assert.match(result.notFollowed?.reason ?? '', /chose not to/);

    // Without anyone to ask, a redirect to another origin is not followed either.
    const unasked = await sendHttpRequest(login(`${first.origin}/api/login`), { timeoutMs: 5000 });
    assert.equal(unasked.status, 307);
    assert.deepEqual(second.seen, []);
  });

  it('replays a body on a 307 to another origin only after a yes', async () => {
    const second = await start((_request, response) => response.end('second'));
    const first = await start((_request, response) => response.writeHead(307, { Location: `${second.origin}/login` }).end());
    const { questions, confirmRedirect } = answering(true);
    const result = await sendHttpRequest(login(`${first.origin}/api/login`), { timeoutMs: 5000, confirmRedirect });
    assert.equal(questions.length, 1);
    assert.deepEqual([result.status, text(result.body)], [200, 'second']);
    assert.deepEqual(
      second.seen.map((s) => [s.method, s.url, s.body, s.headers['content-type']]),
      [['POST', '/login', '{"password":"hunter2"}', 'application/json']],
    );
  });

  it('asks before a redirect leaves the machine', async () => {
    const first = await start((_request, response) => response.writeHead(307, { Location: 'https://elsewhere.example/login' }).end());
    const { questions, confirmRedirect } = answering(false);
    const result = await sendHttpRequest(login(`${first.origin}/api/login`), { timeoutMs: 5000, confirmRedirect });
    assert.deepEqual(
      questions.map((q) => [q.from, q.to, q.leavesMachine]),
      [[`${first.origin}/api/login`, 'https://elsewhere.example/login', true]],
    );
    assert.equal(result.status, 307);
    assert.equal(result.notFollowed?.location, 'https://elsewhere.example/login');
  });

  it('refuses a redirect to data:, file: or javascript:, and one that carries a password, and says why', async () => {
    const locations = ['data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', 'javascript:alert(1)'];
    const server = await start((request, response) => {
      const index = Number(request.url?.slice(1));
      response.writeHead(302, { Location: index < locations.length ? locations[index] : `http://ada:s3cret@127.0.0.1:1/x` }).end('see elsewhere');
    });
    for (const [index, location] of [...locations, 'http://127.0.0.1:1/x'].entries()) {
      const { questions, confirmRedirect } = answering(true);
      const result = await sendHttpRequest({ method: 'GET', url: `${server.origin}/${index}`, headers: [] }, { timeoutMs: 5000, confirmRedirect });
      assert.deepEqual([result.status, text(result.body), result.redirects, questions], [302, 'see elsewhere', [], []], location);
      assert.equal(result.notFollowed?.location, location);
      assert.match(result.notFollowed?.reason ?? '', index < locations.length ? /only http and https/ : /user name and password/, location);
    }
  });

  it('carries only harmless headers to another origin, and every header within one', async () => {
    const second = await start((_request, response) => response.end());
    const first = await start((request, response) => {
      if (request.url === '/same') response.writeHead(302, { Location: '/next' }).end();
      else if (request.url === '/next') response.end();
      else response.writeHead(302, { Location: `${second.origin}/landing` }).end();
    });
    const sent: Array<[string, string]> = [
      ['Accept', 'application/json'],
      ['User-Agent', 'atlas-test'],
      ['X-Api-Key', 'k1'],
      ['Proxy-Authorization', 'Basic cHJveHk6cA=='],
      ['X-Auth-Token', 't1'],
      ['X-Tenant-Secret', 's1'],
      ['X-Trace', 'on'],
      ['Authorization', 'Bearer a1'],
    ];
    const names = sent.map(([name]) => name.toLowerCase());
    await sendHttpRequest({ method: 'GET', url: `${first.origin}/same`, headers: sent }, { timeoutMs: 5000 });
    assert.equal(first.seen[1].url, '/next');
    assert.deepEqual(
      names.map((name) => first.seen[1].headers[name]),
      sent.map(([, value]) => value),
      'a redirect within the origin keeps every header',
    );
    await sendHttpRequest({ method: 'GET', url: `${first.origin}/away`, headers: sent }, { timeoutMs: 5000, confirmRedirect: async () => true });
    assert.deepEqual(
      names.map((name) => [name, second.seen[0].headers[name]]),
      names.map((name) => [name, name === 'accept' ? 'application/json' : name === 'user-agent' ? 'atlas-test' : undefined]),
    );
  });
});

describe('requests: cookie jar', () => {
  const url = new URL('http://localhost:3000/api/auth/login');

  it('parses attributes, defaulting Path to the request directory', () => {
    assert.deepEqual(parseSetCookie('a=1', url, 0), { name: 'a', value: '1', path: '/api/auth', secure: false });
    assert.deepEqual(parseSetCookie('a=b=c; Path=/; Secure; Max-Age=60; HttpOnly', url, 1000), { name: 'a', value: 'b=c', path: '/', secure: true, expires: 61_000 });
    assert.equal(parseSetCookie('novalue', url), undefined);
  });

  it('deletes a cookie that a response expires', () => {
    const jar = new CookieJar();
    jar.store(url, ['session=1; Path=/'], 0);
    assert.equal(jar.header('http://localhost:3000/x', 0), 'session=1');
    jar.store(url, ['session=; Path=/; Max-Age=0'], 10);
    assert.equal(jar.header('http://localhost:3000/x', 10), undefined);
    jar.store(url, ['short=1; Path=/; Expires=Thu, 01 Jan 1970 00:00:01 GMT'], 0);
    assert.equal(jar.header('http://localhost:3000/x', 500), 'short=1');
    assert.equal(jar.header('http://localhost:3000/x', 1500), undefined);
  });

  it('matches paths by segment and sends Secure cookies to https or loopback only', () => {
    const jar = new CookieJar();
    jar.store('https://example.com/', ['s=1; Path=/api; Secure']);
    assert.equal(jar.header('https://example.com/api/x'), 's=1');
    assert.equal(jar.header('https://example.com/apix'), undefined);
    assert.equal(jar.header('http://example.com/api/x'), undefined, 'another origin (http)');
    jar.store('http://localhost:3000/', ['s=2; Path=/; Secure']);
    assert.equal(jar.header('http://localhost:3000/'), 's=2');
    jar.clear('http://localhost:3000');
    assert.deepEqual(jar.cookies('http://localhost:3000'), []);
  });
});
