// What a markdown text would turn into when rendered: its links, images, raw HTML and autolinks outside code
// spans, read the way CommonMark reads inline markdown. The tests use it to show that workspace text in a
// tooltip or a hover stays text. Shared by the unit, server and real-VS-Code tests.

export interface MarkdownMarkup {
  /** The targets of inline links, `[text](target)`. */
  links: string[];
  /** The targets of images, `![alt](target)`. */
  images: string[];
  /** Anything else that may become markup: raw `<` (HTML, autolinks), bare URLs, brackets outside an inline link. */
  other: string[];
  /** The text of the code spans. */
  code: string[];
}

const ESCAPABLE = /[!-/:-@[-`{-~]/;

/** The start of the next run of exactly `length` backticks from `from`, or -1. */
function findRun(text: string, from: number, length: number): number {
  let index = from;
  while (index < text.length) {
    if (text[index] !== '`') {
      index++;
      continue;
    }
    let end = index;
    while (text[end] === '`') end++;
    if (end - index === length) return index;
    index = end;
  }
  return -1;
}

function scanInline(text: string, found: MarkdownMarkup): void {
  const openers: Array<'link' | 'image'> = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '\\' && ESCAPABLE.test(text[index + 1] ?? '')) {
      index += 2;
    } else if (char === '`') {
      let end = index;
      while (text[end] === '`') end++;
      const close = findRun(text, end, end - index);
      if (close === -1) {
        // No closing run: the backticks are literal.
        index = end;
      } else {
        found.code.push(text.slice(end, close));
        index = close + (end - index);
      }
    } else if (char === '!' && text[index + 1] === '[') {
      openers.push('image');
      index += 2;
    } else if (char === '[') {
      openers.push('link');
      index++;
    } else if (char === ']') {
      const kind = openers.pop();
      if (text[index + 1] === '(') {
        const end = text.indexOf(')', index + 2);
        const target = text.slice(index + 2, end === -1 ? undefined : end);
        (kind === 'image' ? found.images : found.links).push(target);
        index = end === -1 ? text.length : end + 1;
      } else {
        if (kind) found.other.push(`a ${kind} without a target (a reference link)`);
        index++;
      }
    } else if (char === '<') {
      found.other.push(`raw <: ${text.slice(index, index + 40)}`);
      index++;
    } else {
      const url = /^(?:https?:\/\/|www\.)\S*/i.exec(text.slice(index));
      if (url && !/[\w]/.test(text[index - 1] ?? '')) found.other.push(`bare URL: ${url[0]}`);
      index += url ? url[0].length : 1;
    }
  }
  for (const kind of openers) found.other.push(`an unescaped [ (${kind})`);
}

/** The markup in a markdown text; paragraphs (split at blank lines) are read one by one, as CommonMark does. */
export function findMarkup(markdown: string): MarkdownMarkup {
  const found: MarkdownMarkup = { links: [], images: [], other: [], code: [] };
  for (const block of markdown.split(/\n[ \t]*\n/)) scanInline(block, found);
  return found;
}

/** The arguments of a `command:id?args` link target, or undefined when the target is not a link to `command`. */
export function commandArguments(target: string, command: string): unknown[] | undefined {
  const prefix = `command:${command}?`;
  if (!target.startsWith(prefix)) return undefined;
  return JSON.parse(decodeURIComponent(target.slice(prefix.length))) as unknown[];
}
