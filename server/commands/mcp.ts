// `route-atlas mcp [dir]`: an MCP server over stdio for coding agents, serving the tools of server/agent on a
// workspace kept current from file changes. The MCP SDK lives in its own bundle (dist/mcp.js), loaded here
// only when the command runs, so the plain scan starts as fast as before.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { SUPPORTED_MAJORS } from '../analysis/nextVersion';
import { readAnalysisFlag } from './analysisFlags';
import { GENERATOR_VERSION } from '../analysis/workspace';
import type * as AgentTools from '../agent/tools';
import type * as McpMain from './mcpMain';
import type * as McpSession from './mcpSession';

// The tools and the live workspace are required when the command runs, not when the CLI starts: every plain
// scan loads this module with the CLI, and need not evaluate them.
const agentTools = (): typeof AgentTools => require('../agent/tools');
const mcpSession = (): typeof McpSession => require('./mcpSession');

const usage = () => `Usage: route-atlas mcp [dir] [options]

An MCP server (stdio) for coding agents: the Next.js route handlers under dir (default: the current folder),
kept current as files change. Tools: ${agentTools().AGENT_TOOLS.map((tool) => tool.name).join(', ')}.

Options:
  --next-version <N>     analyze as Next.js N (${SUPPORTED_MAJORS.join(', ')}) instead of the detected version
  --cache-components     analyze with cacheComponents on (--no-cache-components: off)
  --no-cache             neither read nor write the parse cache
  --no-watch             scan once and never again (answers do not follow file changes)
  -h, --help             show this help

Example client configuration (Claude Code: claude mcp add route-atlas -- npx route-atlas mcp .):
  { "mcpServers": { "route-atlas": { "command": "npx", "args": ["route-atlas", "mcp", "/path/to/app"] } } }
`;

const INSTRUCTIONS =
  'Route Atlas reads the Next.js App Router route handlers (route.ts) of this workspace statically, as the files are now: list_endpoints for the table (URL globs, methods, caching), get_endpoint for one endpoint in full (params, query, body, headers, statuses, handlers), explain_caching for why a GET is prerendered or runs per request in the app’s Next.js version and what would change it, check for problems that fail next build, build_request for a cURL/fetch/.http request. Answers follow file edits made meanwhile.';

/** How long after the handshake the first scan starts. */
const SCAN_AFTER_HANDSHAKE_MS = 50;

interface McpOptions {
  dir?: string;
  nextVersion?: number;
  cacheComponents?: boolean;
  cache: boolean;
  watch: boolean;
}

class UsageError extends Error {}

const usageError = (message: string): never => {
  throw new UsageError(message);
};

function parseMcpArgs(argv: readonly string[]): McpOptions | 'help' {
  const options: McpOptions = { cache: true, watch: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return 'help';
    const flagEnd = readAnalysisFlag(argv, i, options, usageError);
    if (flagEnd !== undefined) i = flagEnd;
    else if (arg === '--no-watch') options.watch = false;
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else if (options.dir === undefined) options.dir = arg;
    else throw new UsageError(`only one folder can be served, got ${options.dir} and ${arg}`);
  }
  return options;
}

/**
 * The SDK side, from its own bundle: dist/mcp.js beside dist/cli.js. The transpiled tests have no bundle
 * but mcpMain.js beside this file; the name is computed, so the CLI bundle does not take the module in.
 */
function loadMcpMain(): typeof McpMain | undefined {
  const transpiled = path.join(__dirname, 'mcpMain.js');
  const bundled = path.join(__dirname, 'mcp.js');
  const file = fs.existsSync(transpiled) ? transpiled : bundled;
  return fs.existsSync(file) ? (require(file) as typeof McpMain) : undefined;
}

/** Everything that would log through console goes to stderr: stdout carries the protocol and nothing else. */
function consoleToStderr(err: NodeJS.WritableStream): void {
  const write = (...args: unknown[]) => err.write(`${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`);
  console.log = console.info = console.debug = console.warn = console.error = write;
}

export async function runMcpCommand(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, input: Readable = process.stdin): Promise<number> {
  let options: McpOptions | 'help';
  try {
    options = parseMcpArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err.write(`route-atlas mcp: ${error.message.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')}\n\n${usage()}`);
    return 2;
  }
  if (options === 'help') {
    out.write(usage());
    return 0;
  }
  const dir = path.resolve(options.dir ?? process.cwd());
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    err.write(`route-atlas mcp: ${JSON.stringify(dir)} is not a folder\n`);
    return 2;
  }
  const main = loadMcpMain();
  if (!main) {
    // `node esbuild.mjs --only=cli` (as `npm run scan` does) builds the CLI without the server's bundle.
    err.write(`route-atlas mcp: ${path.join(__dirname, 'mcp.js')} is missing; build it with node esbuild.mjs\n`);
    return 2;
  }
  const log = (message: string) => err.write(`route-atlas mcp: ${message}\n`);
  consoleToStderr(err);
  const { cacheFileFor, LiveWorkspace } = mcpSession();
  const session = new LiveWorkspace(dir, {
    nextVersion: options.nextVersion,
    cacheComponents: options.cacheComponents,
    cacheFile: options.cache ? cacheFileFor(dir) : undefined,
    watch: options.watch,
    log,
  });
  const served = main.serveMcp({
    name: 'route-atlas',
    version: GENERATOR_VERSION,
    instructions: INSTRUCTIONS,
    tools: agentTools().AGENT_TOOLS,
    call: (name, args) => session.call(name, args),
    input,
    output: out as Writable,
    log,
    // The scan holds the thread for a moment (a second on 500 routes with a cold cache): it starts just after
    // the handshake, so that the tools/list that clients send next is answered first, and well before a model
    // makes its first call. A call that comes sooner starts it itself.
    onInitialized: () => setTimeout(() => session.start(), SCAN_AFTER_HANDSHAKE_MS).unref(),
  });
  try {
    await served;
  } finally {
    session.close();
  }
  log('stdin closed; exiting.');
  return 0;
}
