// The response view's formatted HTML: one tag per line by nesting, content of raw-text elements untouched,
// and bounded on hostile bodies.
import * as assert from 'node:assert/strict';
import { formatHtml } from '../../src/requests/htmlFormat';

describe('formatHtml', () => {
  it('puts each tag on its own line, indented by nesting, and collapses whitespace in text', () => {
    const html = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Not  found</title></head><body><div class="a>b"><h1>404</h1>\n\n   <p>This   page <b>could not</b> be found.</p><br/></div></body></html>';
    assert.equal(
      formatHtml(html),
      [
        '<!DOCTYPE html>',
        '<html>',
        '  <head>',
        '    <meta charset="utf-8">',
        '    <title>Not  found</title>',
        '  </head>',
        '  <body>',
        '    <div class="a>b">',
        '      <h1>',
        '        404',
        '      </h1>',
        '      <p>',
        '        This page',
        '        <b>',
        '          could not',
        '        </b>',
        '        be found.',
        '      </p>',
        '      <br/>',
        '    </div>',
        '  </body>',
        '</html>',
      ].join('\n'),
    );
  });

  it('keeps scripts, styles and <pre> as they are, and comments whole', () => {
    const html = '<body><!-- a <b> c --><pre>  two\n  lines </pre><script>if (a < b && c > d) x("</div>")</script><STYLE>p{}</STYLE></body>';
    assert.deepEqual(formatHtml(html).split('\n'), [
      '<body>',
      '  <!-- a <b> c -->',
      '  <pre>  two',
      '  lines </pre>',
      '  <script>if (a < b && c > d) x("</div>")</script>',
      '  <STYLE>p{}</STYLE>',
      '</body>',
    ]);
  });

  it('reads a < that starts no tag, a tag never closed and stray closing tags as text', () => {
    assert.equal(formatHtml('a < b</p></p><i'), 'a\n< b\n</p>\n</p>\n<i');
    assert.equal(formatHtml('<p>x<img src="y'), '<p>\n  x\n  <img src="y');
  });

  it('stays linear and bounded on hostile bodies', function () {
    // A quadratic scan would take minutes on these: the test's timeout is the guard, not a speed figure.
    this.timeout(10_000);
    const nested = '<div>'.repeat(100_000) + 'x' + '</div>'.repeat(100_000);
    const formatted = formatHtml(nested);
    assert.ok(formatted.length < nested.length * 40, `${formatted.length} characters for ${nested.length}`);
    assert.ok(formatted.split('\n').every((line) => line.length <= 32 * 2 + 6), 'indentation stops deepening');
    for (const hostile of ['<a x="'.repeat(200_000), '<a'.repeat(300_000), '<script>'.repeat(100_000), '</'.repeat(300_000)]) {
      assert.ok(formatHtml(hostile).length <= hostile.length + 64, JSON.stringify(hostile.slice(0, 8)));
    }
  });
});
