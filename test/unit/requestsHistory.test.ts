// What Route Atlas keeps of a request (the history in workspace state) and shows of it (the response model
// posted to the webview): no credentials, no user name and password, and no body when the person says so.
import * as assert from 'node:assert/strict';
import { isCredentialName } from '../../server/requests/credentials';
import { addHistoryEntry, type HistoryEntry } from '../../src/requests/history';
import { failedResponseState, responseState } from '../../src/requests/responseModel';
import type { HttpResponseData } from '../../src/requests/sendHttp';

describe('requests: what is stored and shown', () => {
  it('names credentials by one list of header names and name parts', () => {
    const credentials = ['Authorization', 'Proxy-Authorization', 'Cookie', 'X-Api-Key', 'X-Auth-Token', 'X-Access-Token', 'Api-Key', 'X-CSRF-Token', 'X-XSRF-TOKEN', 'X-Session-Id', 'X-Client-Secret', 'X-Db-Password', 'X-Amz-Security-Token', 'token', 'api_key'];
    for (const name of credentials) assert.equal(isCredentialName(name), true, name);
    for (const name of ['Accept', 'Content-Type', 'User-Agent', 'X-Tenant', 'X-Request-Id', 'Cache-Control', 'q', 'page']) assert.equal(isCredentialName(name), false, name);
  });

  const entry = (overrides: Partial<HistoryEntry> = {}): HistoryEntry => ({
    at: new Date(0).toISOString(),
    method: 'POST',
    url: 'http://ada:s3cret@localhost:3000/api/login?next=%2Fhome&token=abc',
    input: {
      query: 'next=/home&token=abc',
      body: '{"password":"hunter2"}',
      headers: { 'X-Auth-Token': 't1', 'Proxy-Authorization': 'Basic cA==', 'X-Tenant-Session': 's1', 'X-Tenant': 'acme' },
    },
    error: 'Could not reach http://ada:s3cret@localhost:3000/api/login',
    ...overrides,
  });

  it('keeps no credential header, credential query parameter, or user name and password in the history', () => {
    const [stored] = addHistoryEntry([], entry());
    assert.equal(stored.url, 'http://localhost:3000/api/login?next=%2Fhome');
    assert.equal(stored.error, 'Could not reach http://localhost:3000/api/login');
    assert.deepEqual(stored.input, { query: 'next=%2Fhome', body: '{"password":"hunter2"}', headers: { 'X-Tenant': 'acme' } });
    for (const secret of ['s3cret', 'abc', 't1', 'cA==', 's1']) assert.ok(!JSON.stringify(stored).includes(secret), secret);
    // A query given as a record or as pairs loses the same names.
    assert.deepEqual(addHistoryEntry([], entry({ input: { query: { q: 'a', api_key: 'k' } } }))[0].input.query, { q: 'a' });
    assert.deepEqual(addHistoryEntry([], entry({ input: { query: [['q', 'a'], ['session', 'x']] } }))[0].input.query, [['q', 'a']]);
  });

  it('stores no request body when routeAtlas.request.historyBodies is off', () => {
    const [kept] = addHistoryEntry([], entry());
    assert.equal(kept.input.body, '{"password":"hunter2"}');
    const [withoutBody] = addHistoryEntry([], entry(), { keepBodies: false });
    assert.equal('body' in withoutBody.input, false);
    assert.ok(!JSON.stringify(withoutBody).includes('hunter2'));
  });

  it('shows a request without the user name and password of its base URL', () => {
    const request = { method: 'GET', url: 'http://ada:s3cret@localhost:3000/api/x', baseUrlSource: 'the "dev" environment of http-client.private.env.json' };
    const response: HttpResponseData = { url: 'http://localhost:3000/api/x', status: 200, statusText: 'OK', headers: [], redirects: [], timeMs: 1, headersMs: 1, body: new Uint8Array(), bytes: 0, bodyCut: false, chunks: 0 };
    const { state } = responseState(1, request, response);
    assert.equal(state.request.url, 'http://localhost:3000/api/x');
    const failed = failedResponseState(2, request, 'invalidRequest', 'The base URL http://ada:s3cret@localhost:3000 is not valid.');
    assert.equal(failed.request.url, 'http://localhost:3000/api/x');
    assert.ok(!JSON.stringify(failed).includes('s3cret'), JSON.stringify(failed));
  });
});
