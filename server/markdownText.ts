// Markdown made from workspace text: file and folder names, import specifiers, source text and the messages
// that quote them. VS Code renders hovers and tooltips as markdown, loads the images in them even in
// Restricted Mode, and runs the command links of a trusted tooltip, so workspace text must never become
// markup of its own: no link, image, HTML or line break. The hover (server/lsp/present.ts) and the Endpoints
// view's tooltips (src/) both build on this module; it imports nothing, so both bundles can take it.

/** Line breaks and the other control characters: a line break would end a list item, a code span or a paragraph. */
const CONTROL_CHARACTERS = /\r\n|[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** ASCII punctuation: CommonMark lets a backslash escape each of these, and every markup starts with one. */
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;

function oneLine(text: string): string {
  return text.replace(CONTROL_CHARACTERS, ' ');
}

/**
 * Plain text that markdown shows as written, on one line. Every ASCII punctuation mark is escaped: that
 * covers links, images, HTML, emphasis, code, theme icons (`$(…)`) and also the bare URLs (`https:`, `www.`)
 * that GitHub-flavoured markdown would turn into links.
 */
export function markdownText(text: string): string {
  return oneLine(text).replace(ASCII_PUNCTUATION, '\\$&');
}

/**
 * Inline code that shows `text` as written, on one line: fenced by one backtick more than the longest run of
 * backticks inside it. Two code spans must never touch (their fences would merge into one run): callers put
 * text between them.
 */
export function markdownCode(text: string): string {
  const line = oneLine(text);
  // A span of one space, because an empty pair of fences would read as two literal backticks.
  if (line === '') return '` `';
  let longestRun = 0;
  for (const run of line.match(/`+/g) ?? []) longestRun = Math.max(longestRun, run.length);
  const fence = '`'.repeat(longestRun + 1);
  // CommonMark drops one space at each end when both ends have one; a padding space also keeps a backtick at
  // either end from joining the fence.
  const padded = line.startsWith('`') || line.endsWith('`') || (line.startsWith(' ') && line.endsWith(' ') && line.trim() !== '') ? ` ${line} ` : line;
  return `${fence}${padded}${fence}`;
}

/**
 * A message of the analysis core (a diagnostic, a caching reason) as markdown, on one line. Messages mark
 * code with single backticks, and the code they quote comes from the workspace, so it may hold backticks
 * itself: the message is cut at every backtick into text and code (an unpaired backtick stays text), and
 * each part is escaped on its own. A quote with backticks may then be cut in the wrong places, but whatever
 * the cuts, no part becomes markup.
 */
export function markdownMessage(message: string): string {
  const parts = message.split('`');
  let markdown = '';
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index];
    const isCode = index % 2 === 1;
    const isClosed = index < parts.length - 1;
    if (isCode && isClosed) markdown += markdownCode(part);
    else if (isCode) markdown += markdownText('`' + part);
    // An empty text between two code spans: a space keeps their fences apart.
    else if (part === '' && index > 0 && index + 1 < parts.length - 1) markdown += ' ';
    else markdown += markdownText(part);
  }
  return markdown;
}

/**
 * A command link, `[label](command:id?args)`, with arguments built by the caller, never from markdown.
 * `encodeURIComponent` leaves parentheses and quotes as they are; a parenthesis from a file name would end
 * the link's target early, so those are encoded too.
 */
export function markdownCommandLink(label: string, command: string, args: readonly unknown[]): string {
  const query = encodeURIComponent(JSON.stringify(args)).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[${markdownText(label)}](command:${command}?${query})`;
}
