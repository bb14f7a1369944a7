// The request editor's text: what a person types there is what is sent, and a mistake names its line.
import * as assert from 'node:assert/strict';
import { resolveRequest } from '../../server/requests/buildRequest';
import { formatRequestDocument, parseRequestDocument } from '../../server/requests/requestDocument';

function parsed(text: string) {
  const result = parseRequestDocument(text);
  if (!result.ok) throw new Error(`line ${result.line}: ${result.message}`);
  return result.request;
}

describe('request editor text', () => {
  it('reads the request line, the headers and the body after the blank line', () => {
    const request = parsed('# POST /api/users\n# another comment\nPOST /api/users?notify=1\nContent-Type: application/json\nX-Tenant:  dev \n\n{\n  "name": "Ada"\n}\n\n');
    assert.deepEqual(request, {
      method: 'POST',
      target: '/api/users?notify=1',
      headers: [
        ['Content-Type', 'application/json'],
        ['X-Tenant', 'dev'],
      ],
      body: '{\n  "name": "Ada"\n}',
    });
  });

  it('reads back what it writes', () => {
    const request = { method: 'PATCH', target: '/api/items/a%2Fb', headers: [['Content-Type', 'application/json']] as Array<[string, string]>, body: '{ "done": true }' };
    const text = formatRequestDocument(request, ['PATCH /api/items/[id]', 'line one\nline two']);
    assert.equal(text.split('\n').filter((l) => l.startsWith('#')).length, 2, 'a line break in a comment does not start a request line');
    assert.deepEqual(parsed(text), request);
    assert.deepEqual(parsed(formatRequestDocument({ method: 'DELETE', target: '/x', headers: [] })), { method: 'DELETE', target: '/x', headers: [], body: undefined });
  });

  it('takes an HTTP version, a lowercase method, CRLF lines and comment lines among the headers', () => {
    assert.deepEqual(parsed('put http://localhost:4000/a HTTP/1.1\r\n# not a header\r\nAccept: */*\r\n\r\nhello\r\n'), {
      method: 'PUT',
      target: 'http://localhost:4000/a',
      headers: [['Accept', '*/*']],
      body: 'hello',
    });
  });

  it('names the line of each mistake', () => {
    const cases: Array<[string, number, RegExp]> = [
      ['', 1, /no request line/],
      ['# only comments\n\n', 1, /no request line/],
      ['\nPOST\n', 2, /method, then the path/],
      ['POST api/users\n', 1, /must start with "\/"/],
      ['POST ftp://host/x\n', 1, /must start with "\/"/],
      ['PO(ST /x\n', 1, /not an HTTP method/],
      ['POST /x HTTP/1.1 extra\n', 1, /method, then the path/],
      ['POST /x\nContent-Type application/json\n', 2, /header is a name, a colon/],
      ['POST /x\nAccept: a\n{ "a": 1 }\n', 3, /leave a blank line before the body/],
    ];
    for (const [text, line, message] of cases) {
      const result = parseRequestDocument(text);
      assert.equal(result.ok, false, JSON.stringify(text));
      if (!result.ok) {
        assert.equal(result.line, line, JSON.stringify(text));
        assert.match(result.message, message);
      }
    }
  });

  it('reads a long body with long runs of spaces in one pass', () => {
    const body = `{"a": "${' '.repeat(200_000)}x"}${' '.repeat(200_000)}`;
    assert.equal(parsed(`POST /x\n\n${body}`).body, body.trimEnd());
  });

  it('sends a path to the base URL and a full URL as it is, never with credentials in it', () => {
    const target = { method: 'POST', publicPath: '/api/users/[id]', baseUrl: 'http://localhost:3000' };
    assert.equal(resolveRequest({ url: '/api/users/42?x=1', params: { id: 'ignored' } }, target).url, 'http://localhost:3000/api/users/42?x=1');
    assert.equal(resolveRequest({ url: '/a' }, { ...target, baseUrl: 'http://localhost:3000/prefix/' }).url, 'http://localhost:3000/prefix/a');
    assert.equal(resolveRequest({ url: 'https://api.example.com/v1' }, target).url, 'https://api.example.com/v1');
    assert.throws(() => resolveRequest({ url: 'http://user:secret@localhost:3000/a' }, target), /Authorization header/);
    assert.throws(() => resolveRequest({ url: 'file:///etc/passwd' }, target), /Only http and https/);
  });
});
