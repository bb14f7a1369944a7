import * as path from 'node:path';

/** Scripts longer than this are generated or minified, not a command someone runs; they are not read. */
const MAX_SCRIPT_CHARS = 4000;
/** A package.json with more scripts than this is read for its first ones only. */
const MAX_SCRIPTS = 200;
/** Words read per script: a command line longer than this says nothing more about where a project is. */
const MAX_WORDS = 400;

/** The `next` subcommands that run a project in a directory (`next <command> [directory]`). */
const PROJECT_COMMANDS = new Set(['dev', 'build', 'start']);
/** Other `next` subcommands: `next info` names no project, and `next web` would be `next dev web`. */
const OTHER_COMMANDS = new Set(['info', 'telemetry', 'lint', 'export', 'typegen', 'experimental-test', 'internal', 'help']);
/** Options of `next dev|build|start` that take the next word as their value (Next.js's bin/next.ts). */
const VALUE_OPTIONS = new Set([
  '-p',
  '--port',
  '-H',
  '--hostname',
  '--keepAliveTimeout',
  '--experimental-https-key',
  '--experimental-https-cert',
  '--experimental-https-ca',
  '--experimental-upload-trace',
  '--debug-build-paths',
]);
/** Options whose value is optional: the next word is theirs unless it starts with `-`. */
const OPTIONAL_VALUE_OPTIONS = new Set(['--experimental-build-mode']);
/** Programs that run the command after them (`npx next dev`, `cross-env PORT=1 next dev`). */
const PASS_THROUGH = new Set(['npx', 'pnpx', 'bunx', 'cross-env', 'env', 'exec', 'nohup', 'time']);
/** Programs that run the command after their `--` (`dotenv -e .env -- next dev`). */
const AFTER_DOUBLE_DASH = new Set(['dotenv', 'dotenv-cli', 'doppler', 'infisical', 'op', 'env-cmd']);
/** Package managers: `pnpm next dev`, `pnpm exec next dev`, `yarn next dev`, `bun x next dev`. */
const PACKAGE_MANAGERS = new Set(['pnpm', 'yarn', 'bun', 'npm']);

/** Where a package's scripts run Next.js. */
export interface NextScriptTargets {
  /** True when a script runs `next dev|build|start` in the package's own directory. */
  runsHere: boolean;
  /** The other directories scripts pass to `next` (`next build app`, `cd web && next dev`), relative and normalized. */
  elsewhere: string[];
}

/**
 * Reads package.json scripts as a shell would split them, without running anything: each `next dev`,
 * `next build` or `next start` names the directory it runs in (its argument, after any `cd`), which is
 * where Next.js looks for the project. Arguments built at run time (`$DIR`) are not guessed.
 */
export function nextScriptTargets(scripts: unknown): NextScriptTargets {
  const targets: NextScriptTargets = { runsHere: false, elsewhere: [] };
  if (!scripts || typeof scripts !== 'object') return targets;
  let count = 0;
  for (const script of Object.values(scripts as Record<string, unknown>)) {
    if (++count > MAX_SCRIPTS) break;
    if (typeof script !== 'string' || script.length > MAX_SCRIPT_CHARS) continue;
    for (const dir of nextDirectoriesOf(script)) {
      if (dir === '.') targets.runsHere = true;
      else if (!targets.elsewhere.includes(dir)) targets.elsewhere.push(dir);
    }
  }
  return targets;
}

/** The directories one script runs `next` in, relative to the package (`.` for the package itself). */
export function nextDirectoriesOf(script: string): string[] {
  const dirs: string[] = [];
  let cwd = '.';
  for (const command of splitCommands(script)) {
    const words = programWords(command);
    if (words.length === 0) continue;
    if (words[0] === 'cd') {
      const target = words.length === 2 ? relativeDir(cwd, words[1]) : undefined;
      // A `cd` Route Atlas cannot follow leaves the rest of the script in an unknown place.
      if (target === undefined) return dirs;
      cwd = target;
      continue;
    }
    const dir = nextCommandDir(words);
    if (dir === undefined) continue;
    const resolved = relativeDir(cwd, dir);
    if (resolved !== undefined) dirs.push(resolved);
  }
  return dirs;
}

/** A word as a shell reads it, and whether any of it expands at run time. */
interface Word {
  text: string;
  dynamic: boolean;
}

/** The script's simple commands, split at `&&`, `||`, `;`, `|`, `&`, parentheses and newlines. Linear in the text. */
function splitCommands(script: string): Word[][] {
  const commands: Word[][] = [];
  let words: Word[] = [];
  let current: Word | undefined;
  let total = 0;
  const endWord = () => {
    if (current) words.push(current);
    current = undefined;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    total += words.length;
    words = [];
  };
  for (let i = 0; i < script.length && total < MAX_WORDS; i++) {
    const char = script[i];
    if (char === ' ' || char === '\t') {
      endWord();
    } else if (char === '\n' || char === ';' || char === '&' || char === '|' || char === '(' || char === ')') {
      endCommand();
    } else if (char === "'" || char === '"') {
      current ??= { text: '', dynamic: false };
      const close = script.indexOf(char, i + 1);
      const end = close === -1 ? script.length : close;
      const quoted = script.slice(i + 1, end);
      if (char === '"' && (quoted.includes('$') || quoted.includes('`'))) current.dynamic = true;
      current.text += quoted;
      i = end;
    } else if (char === '\\') {
      current ??= { text: '', dynamic: false };
      if (i + 1 < script.length && script[i + 1] !== '\n') current.text += script[i + 1];
      i++;
    } else {
      current ??= { text: '', dynamic: false };
      if (char === '$' || char === '`' || char === '*' || char === '?' || char === '~' || char === '{') current.dynamic = true;
      current.text += char;
    }
  }
  endCommand();
  return commands;
}

/** The command's words from its program on: environment assignments and launchers (`npx`, `cross-env`) are passed over. */
function programWords(command: Word[]): string[] {
  let i = 0;
  // Each pass drops one launcher or assignment; a command has fewer of them than words.
  while (i < command.length) {
    const word = command[i].text;
    if (isAssignment(word)) i++;
    else if (PASS_THROUGH.has(word)) {
      i++;
      while (i < command.length && command[i].text.startsWith('-')) i++;
    } else if (PACKAGE_MANAGERS.has(word)) {
      i++;
      while (i < command.length && command[i].text.startsWith('-')) i++;
      if (i < command.length && (command[i].text === 'exec' || command[i].text === 'x' || command[i].text === 'dlx')) i++;
      else if (word === 'npm') return [];
    } else if (AFTER_DOUBLE_DASH.has(word)) {
      const dashes = command.findIndex((w, index) => index > i && w.text === '--');
      if (dashes === -1) return [];
      i = dashes + 1;
    } else break;
  }
  const words = command.slice(i);
  // A word that expands at run time is unknown; the program itself must be known too.
  return words.map((w) => (w.dynamic ? '\0' : w.text));
}

function isAssignment(word: string): boolean {
  const equals = word.indexOf('=');
  if (equals <= 0) return false;
  for (let i = 0; i < equals; i++) {
    const c = word.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!letter && !(i > 0 && c >= 48 && c <= 57)) return false;
  }
  return true;
}

function isNextProgram(word: string): boolean {
  return word === 'next' || word.endsWith('/node_modules/.bin/next') || word === 'node_modules/.bin/next';
}

/** The directory argument of a `next dev|build|start` command: `.` when it has none, undefined when it is not one or unknown. */
function nextCommandDir(words: string[]): string | undefined {
  if (!isNextProgram(words[0])) return undefined;
  let i = 1;
  const command = words[i];
  if (command !== undefined && PROJECT_COMMANDS.has(command)) i++;
  else if (command !== undefined && (OTHER_COMMANDS.has(command) || command === '\0')) return undefined;
  // Otherwise `next` runs its default command, dev, and the word is its directory.
  let dir: string | undefined;
  for (; i < words.length; i++) {
    const word = words[i];
    if (word === '--') {
      if (dir === undefined && i + 1 < words.length) dir = words[i + 1];
      break;
    }
    if (word.startsWith('-') && word.length > 1) {
      if (word.includes('=')) continue;
      if (VALUE_OPTIONS.has(word)) i++;
      else if (OPTIONAL_VALUE_OPTIONS.has(word) && i + 1 < words.length && !words[i + 1].startsWith('-')) i++;
      continue;
    }
    if (dir === undefined) dir = word;
  }
  if (dir === undefined) return '.';
  return dir === '\0' ? undefined : dir;
}

/** `dir` taken from `cwd`, both relative to the package, normalized; undefined for absolute or unknown paths. */
function relativeDir(cwd: string, dir: string): string | undefined {
  if (dir === '\0' || dir === '' || path.posix.isAbsolute(dir) || path.win32.isAbsolute(dir)) return undefined;
  return path.posix.normalize(path.posix.join(cwd, dir.replace(/\\/g, '/'))).replace(/\/$/, '') || '.';
}
