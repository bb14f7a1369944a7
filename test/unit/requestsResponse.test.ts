import * as assert from 'node:assert/strict';
import { devCommand, explainFailure, explainStatus } from '../../src/requests/explain';
import { addHistoryEntry, describeHistoryEntry, endpointKey, type HistoryEntry } from '../../src/requests/history';
import { decodeBody, formatSize, hexSummary, responseState, viewBody } from '../../src/requests/responseModel';
import { formatCurl, formatFetch } from '../../server/requests/requestText';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

describe('requests: the response view model', () => {
  it('pretty-prints JSON and passes small values on for the tree', () => {
    const { view, text } = viewBody(bytes('{"a":[1,2]}'), 'application/json; charset=utf-8');
    assert.deepEqual(view, { kind: 'json', text: '{\n  "a": [\n    1,\n    2\n  ]\n}', value: { a: [1, 2] } });
    assert.equal(text, '{"a":[1,2]}');
    assert.equal(viewBody(bytes('{"a":1}'), 'application/problem+json').view.kind, 'json');
  });

  it('keeps HTML as text, with a copy laid out a tag per line: the view shows the markup, never renders it', () => {
    const html = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const { view, text } = viewBody(bytes(html), 'text/html; charset=utf-8');
    assert.deepEqual(view, { kind: 'text', text: html, language: 'html', formatted: '<script>alert(1)</script>\n<img src=x onerror=alert(2)>' });
    assert.equal(text, html);
    const plain = viewBody(bytes('<p>one line already</p>'.replace('<p>', '').replace('</p>', '')), 'text/html').view;
    assert.equal('formatted' in plain, false, 'nothing to lay out: no second copy');
  });

  it('caps text for display and keeps all of it for the editor', () => {
    const { view, text, cut } = viewBody(bytes('x'.repeat(50)), 'text/plain', 10);
    assert.equal(cut, true);
    assert.equal(view.kind === 'text' && view.text.length, 10);
    assert.equal(text.length, 50);
  });

  it('shows images as a preview and other binaries as a hex summary', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.deepEqual(viewBody(png, 'image/png').view, { kind: 'image', mime: 'image/png', base64: 'iVBORw0KGgo=', bytes: 8 });
    const binary = viewBody(new Uint8Array([0, 1, 2, 65, 66]), 'application/octet-stream').view;
    assert.deepEqual(binary, { kind: 'binary', hex: `00000000  ${'00 01 02 41 42'.padEnd(47)}  ...AB`, bytes: 5 });
    assert.match(hexSummary(new Uint8Array(300)), /… 44 more bytes$/);
    assert.equal(viewBody(bytes('plain words'), undefined).view.kind, 'text');
    assert.equal(viewBody(new Uint8Array(0), 'text/plain').view.kind, 'empty');
  });

  it('decodes by the charset of the content type', () => {
    assert.equal(decodeBody(new Uint8Array([0xe9]), 'text/plain; charset=iso-8859-1'), 'é');
    assert.equal(decodeBody(bytes('é'), 'text/plain; charset=nonsense'), 'é');
    assert.equal(formatSize(1536), '1.5 KB');
  });

  it('builds the state the webview renders', () => {
    const { state } = responseState(
      3,
      { method: 'GET', url: 'http://localhost:3000/x' },
      { url: 'http://localhost:3000/x', status: 200, statusText: 'OK', headers: [['content-type', 'text/plain']], redirects: [], timeMs: 5, headersMs: 4, body: bytes('hi'), bytes: 2, bodyCut: false, chunks: 1 },
    );
    assert.equal(state.phase, 'done');
    assert.deepEqual(state.body, { kind: 'text', text: 'hi', language: 'plaintext' });
  });
});

describe('requests: explanations and history', () => {
  it('says how to start a missing server, with the package manager of the app', () => {
    const message = explainFailure({ kind: 'connectionRefused', url: 'http://localhost:3000/api/x', message: '' }, { devCommand: 'npm run dev' });
    assert.equal(message, 'No server on localhost:3000: start it with npm run dev?');
    assert.equal(devCommand('/app', '/', (f) => f === '/pnpm-lock.yaml'), 'pnpm dev');
    assert.equal(devCommand('/app', undefined, (f) => f === '/app/yarn.lock'), 'yarn dev');
    assert.equal(devCommand('/app', undefined, () => false), 'npm run dev');
    assert.match(explainFailure({ kind: 'timeout', url: 'http://localhost:3000/', message: '' }, { timeoutMs: 100 }), /within 100 ms/);
  });

  it('explains 405 by the methods the file exports, and 404 by where it came from', () => {
    assert.equal(explainStatus(405, 'put', undefined, { methods: ['GET', 'POST'] }), '405 Method Not Allowed: the file does not export PUT (it exports GET, POST).');
    assert.match(explainStatus(405, 'GET', undefined, { methods: ['GET'] }) ?? '', /older build/);
    assert.match(explainStatus(404, 'GET', 'text/html', { methods: ['GET'] }) ?? '', /from Next\.js/);
    assert.match(explainStatus(404, 'GET', 'application/json', { methods: ['GET'], statuses: [200, 404] }) ?? '', /from the handler itself/);
    assert.match(explainStatus(404, 'GET', 'text/html') ?? '', /no route at this URL/);
    assert.equal(explainStatus(200, 'GET', 'text/html'), undefined);
  });

  it('keeps the last 20 requests per endpoint, failures too, without credentials', () => {
    let entries: HistoryEntry[] = [];
    for (let i = 0; i < 25; i++) {
      entries = addHistoryEntry(entries, {
        at: new Date(0).toISOString(),
        method: 'GET',
        url: `http://localhost:3000/api/x?i=${i}`,
        input: { query: { i: String(i) }, headers: { Authorization: 'Bearer s', 'X-A': '1' } },
        ...(i % 2 ? { error: 'refused' } : { status: 200, timeMs: 3 }),
      });
    }
    assert.equal(entries.length, 20);
    assert.deepEqual(entries[0].input, { query: { i: '24' }, headers: { 'X-A': '1' } });
    assert.equal(describeHistoryEntry(entries[0]).label, '200 GET /api/x?i=24');
    assert.equal(describeHistoryEntry(entries[1]).label, 'failed GET /api/x?i=23');
    assert.equal(endpointKey('.', '/api/x'), '. /api/x');
  });

  it('copies a request that was sent, concrete body included, as cURL and fetch', () => {
    const draft = { method: 'PUT', url: 'http://localhost:3000/api/items/a%2Fb', headers: [['Content-Type', 'application/json']] as Array<[string, string]>, body: { kind: 'raw' as const, text: `{"t":"it's"}` } };
    assert.equal(formatCurl(draft), `curl 'http://localhost:3000/api/items/a%2Fb' \\\n  -X PUT \\\n  -H 'Content-Type: application/json' \\\n  --data-raw '{"t":"it'\\''s"}'`);
    assert.match(formatFetch(draft), /body: "\{\\"t\\":\\"it's\\"\}"/);
  });
});
