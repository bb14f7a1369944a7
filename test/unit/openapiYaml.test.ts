// The YAML writer of `route-atlas openapi --yaml`, checked by reading its output back with the `yaml`
// package (as YAML 1.2 and as YAML 1.1, whose readers take more plain words for booleans and numbers).
import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { MAX_YAML_DEPTH, toYaml } from '../../server/openapi/yaml';

/** Strings a YAML reader could take for something else, or that a terminal or editor could act on. */
const HOSTILE_STRINGS = [
  '', ' ', '  ', 'true', 'False', 'TRUE', 'yes', 'No', 'on', 'OFF', 'y', 'n', 'null', 'Null', '~', 'nan', '.nan', '.inf', '-.inf',
  '0', '-1', '1e3', '1_000', '0x1F', '0o17', '0b101', '012', '+1', '1.', '.5', '12:30', '12:30:45', '2001-12-14', '2001-12-14t21:59:43.10-05:00',
  '- item', '-', '--', '---', '...', '? key', '?', ': x', ':', 'a: b', 'a:b', 'a #b', '#c', 'a#b', '@x', '`x', '|', '|-', '>', '>+', '&anchor', '*alias', '!tag', '!!str x',
  '%YAML 1.2', '{a}', '{}', '[a]', '[]', '"q"', "'s'", "it's", 'say "hi"', 'back\\slash', '\\n', 'tab\there', 'new\nline', 'two\n\nlines', 'cr\rx', 'crlf\r\n',
  '\u0000', '\u0007', '\u0008', '\u000b', '\u000c', '\u001b[31mred\u001b[0m', '\u007f', '\u0080', '\u0085', '\u009b', '\u00a0', '\u2028', '\u2029', '\u202e', '\u2066', '\ufeff', '\ufffe', '\uffff',
  '\ud800', '\udc00', 'x\ud800y', '\udc00\ud800', '😀', 'café', 'naïve ünïcödé', '日本語', ' leading', 'trailing ', 'trailing.', 'trailing-', 'a'.repeat(300), '<<', '=', 'x,y', 'a b', '$ref', '#/components/schemas/A',
  '/api/users/{id}', 'application/json', '200', '3.1.0', '::error::forged', '{{$processEnv HOME}}',
];

function roundTrips(value: unknown): void {
  const text = toYaml(value);
  for (const version of ['1.2', '1.1'] as const) {
    assert.deepEqual(parse(text, { version, uniqueKeys: true }), value, `YAML ${version} reads back something else from:\n${text}`);
  }
}

describe('toYaml', () => {
  it('writes every hostile string so that it reads back as the same string, as a value and as a key', () => {
    for (const text of HOSTILE_STRINGS) {
      roundTrips(text);
      roundTrips({ [text]: text });
      roundTrips([text, { key: text }]);
    }
    roundTrips(Object.fromEntries(HOSTILE_STRINGS.map((text, i) => [text, [i, text]])));
  });

  it('keeps hostile text on one line of printable characters', () => {
    const text = toYaml({ a: HOSTILE_STRINGS.join('|') });
    assert.equal(text.split('\n').length, 2, 'a string became more than one line');
    assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/);
  });

  it('writes numbers, booleans, null and nested collections as JSON has them', () => {
    roundTrips({ n: 0, neg: -3, float: 1.5, big: 1e21, small: 1e-7, max: Number.MAX_SAFE_INTEGER, t: true, f: false, nothing: null });
    roundTrips({ empty: {}, list: [], nested: [[], [{}], [[1, [2, { a: [3] }]]], { b: { c: { d: [] } } }] });
    roundTrips([{ a: 1, b: [{ c: 2, d: { e: 'x' } }, 'y'] }, [[{ f: null }]]]);
    roundTrips('top-level string');
    roundTrips(42);
    roundTrips([]);
  });

  it('leaves out undefined properties, as JSON does', () => {
    assert.deepEqual(parse(toYaml({ a: 1, b: undefined, c: { d: undefined } })), { a: 1, c: {} });
  });

  it('keeps a key named __proto__ as a key', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as object;
    const read = parse(toYaml(value)) as object;
    assert.deepEqual(Object.keys(read), ['__proto__', 'x']);
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
  });

  it('refuses values that refer to themselves and nesting beyond its bound, instead of overflowing the stack', () => {
    const loop: { self?: unknown } = {};
    loop.self = loop;
    assert.throws(() => toYaml(loop), /refers to itself/);
    let deep: unknown = 'leaf';
    for (let i = 0; i < MAX_YAML_DEPTH + 10; i++) deep = { a: deep };
    assert.throws(() => toYaml(deep), /nested more than/);
    let fine: unknown = 'leaf';
    for (let i = 0; i < MAX_YAML_DEPTH - 10; i++) fine = [fine];
    roundTrips(fine);
  });
});
