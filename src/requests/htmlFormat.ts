// An HTML response body laid out for reading: one tag per line, indented by nesting. It stays text (the
// response view writes it with textContent); this only adds line breaks and spaces. A Next.js error page or a
// minified HTML body is otherwise one wall of text.
//
// The scan is one pass over the body, bounded in time and output: no regular expression is built from it,
// indentation stops deepening at MAX_INDENT_DEPTH (a body of 100,000 nested <div>s must not become gigabytes
// of spaces), and a malformed tag is taken as text up to the end.

const MAX_INDENT_DEPTH = 32;
const INDENT = '  ';

/** Elements that never have content or a closing tag. */
const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
/** Elements whose content is kept as it is, up to their closing tag. */
const RAW_TEXT_ELEMENTS = new Set(['script', 'style', 'pre', 'textarea', 'title']);

/** Where the tag that starts at `start` (a `<`) ends, after its `>`; quotes in attributes are skipped. */
function tagEnd(text: string, start: number): number {
  let quote = '';
  for (let i = start + 1; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '>') return i + 1;
  }
  return -1;
}

/** The lower-case name of a tag's text (`<div class=x>` is `div`, `</DIV>` is `div`). */
function tagName(tag: string): string {
  let i = tag[1] === '/' ? 2 : 1;
  const start = i;
  while (i < tag.length && /[A-Za-z0-9:-]/.test(tag[i])) i++;
  return tag.slice(start, i).toLowerCase();
}

/** Where `</name` starts at or after `from`, compared without case; -1 when it never does. */
function closingTagAt(text: string, name: string, from: number): number {
  for (let at = text.indexOf('</', from); at !== -1; at = text.indexOf('</', at + 2)) {
    if (text.slice(at + 2, at + 2 + name.length).toLowerCase() === name) return at;
  }
  return -1;
}

export function formatHtml(text: string): string {
  const lines: string[] = [];
  let depth = 0;
  const push = (line: string) => {
    if (line) lines.push(INDENT.repeat(Math.min(depth, MAX_INDENT_DEPTH)) + line);
  };
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('<', i);
    const textEnd = open === -1 ? text.length : open;
    if (textEnd > i) push(text.slice(i, textEnd).replace(/\s+/g, ' ').trim());
    if (open === -1) break;

    if (text.startsWith('<!--', open)) {
      const close = text.indexOf('-->', open + 4);
      const end = close === -1 ? text.length : close + 3;
      push(text.slice(open, end));
      i = end;
      continue;
    }
    if (!/[A-Za-z/!?]/.test(text[open + 1] ?? '')) {
      // A `<` that starts no tag (`a < b`) is text.
      const next = text.indexOf('<', open + 1);
      const stop = next === -1 ? text.length : next;
      push(text.slice(open, stop).replace(/\s+/g, ' ').trim());
      i = stop;
      continue;
    }
    const end = tagEnd(text, open);
    if (end === -1) {
      // A tag never closed runs to the end of the body: the rest is one piece of text. Stopping here keeps
      // the scan linear (trying each later `<` again would scan to the end each time).
      push(text.slice(open).replace(/\s+/g, ' ').trim());
      break;
    }
    const tag = text.slice(open, end);
    const name = tagName(tag);
    if (tag[1] === '/') {
      depth = Math.max(0, depth - 1);
      push(tag);
    } else if (tag[1] === '!' || tag[1] === '?' || VOID_ELEMENTS.has(name) || tag.endsWith('/>')) {
      push(tag);
    } else if (RAW_TEXT_ELEMENTS.has(name)) {
      const close = closingTagAt(text, name, end);
      const contentEnd = close === -1 ? text.length : close;
      const closeTagEnd = close === -1 ? -1 : tagEnd(text, close);
      const closeEnd = closeTagEnd === -1 ? text.length : closeTagEnd;
      const content = text.slice(end, contentEnd);
      // Kept whole on the tag's lines: whitespace is part of a <pre>'s content, and of a script's.
      push(tag + content + text.slice(contentEnd, closeEnd));
      i = closeEnd;
      continue;
    } else {
      push(tag);
      depth++;
    }
    i = end;
  }
  return lines.join('\n');
}
