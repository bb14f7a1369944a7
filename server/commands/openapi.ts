// `route-atlas openapi`: an OpenAPI 3.1 document of one app's route handlers, as JSON or YAML, on stdout or
// into a file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SUPPORTED_MAJORS } from '../analysis/nextVersion';
import { readAnalysisFlag } from './analysisFlags';
import { ParseCache } from '../analysis/parseCache';
import { Workspace } from '../analysis/workspace';
import { printable } from '../printable';
import type * as OpenApi from '../openapi/index';

// The generator is required when the command runs, not when the CLI starts: every plain scan loads this
// module with the CLI, and need not evaluate it.
const openApi = (): typeof OpenApi => require('../openapi/index');

const USAGE = `Usage: route-atlas openapi [dir] [options]

Writes an OpenAPI 3.1 document of the route handlers of the Next.js app under dir (default: the bundled
sample app): a path per URL, an operation per exported method, request bodies from zod, valibot and yup
schemas, and the responses the code answers with.

Options:
  --app <root>           the app to describe when dir holds several (its root, as the scan lists it, or its package name)
  -o, --output <file>    write the document to file instead of stdout (.yaml/.yml: YAML)
  --yaml                 write YAML instead of JSON
  --next-version <N>     analyze as Next.js N (${SUPPORTED_MAJORS.join(', ')}) for the caching verdicts
  --cache-components     analyze with cacheComponents on (--no-cache-components: off)
  --no-cache             do not read the parse cache the scan keeps
  -h, --help             show this help
`;

/** How many notes are printed on stderr; the document carries each one beside the schema it is about. */
const MAX_PRINTED_NOTES = 20;

interface OpenApiCliOptions {
  dir?: string;
  app?: string;
  output?: string;
  yaml: boolean;
  cache: boolean;
  nextVersion?: number;
  cacheComponents?: boolean;
}

class UsageError extends Error {}

const usageError = (message: string): never => {
  throw new UsageError(message);
};

function parseArgs(argv: string[]): OpenApiCliOptions | 'help' {
  const options: OpenApiCliOptions = { yaml: false, cache: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const valueOf = (name: string): string => {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
      return value;
    };
    if (arg === '-h' || arg === '--help') return 'help';
    const flagEnd = readAnalysisFlag(argv, i, options, usageError);
    if (flagEnd !== undefined) i = flagEnd;
    else if (arg === '--yaml') options.yaml = true;
    else if (arg === '--app' || arg.startsWith('--app=')) options.app = valueOf('--app');
    else if (arg === '-o' || arg === '--output' || arg.startsWith('--output=')) options.output = valueOf(arg.startsWith('-o') ? '-o' : '--output');
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else if (options.dir === undefined) options.dir = arg;
    else throw new UsageError(`only one folder can be described, got ${options.dir} and ${arg}`);
  }
  return options;
}

export function runOpenApiCommand(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  let options: OpenApiCliOptions | 'help';
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err.write(`route-atlas openapi: ${printable(error.message)}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    out.write(USAGE);
    return 0;
  }
  const dir = path.resolve(options.dir ?? path.resolve(__dirname, '..', 'test', 'sample-app'));
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    err.write(`route-atlas openapi: ${printable(dir)} is not a folder\n`);
    return 2;
  }
  const { buildOpenApiDocument, OpenApiAppError, toJsonText, toYaml } = openApi();
  const started = performance.now();
  // The scan's parse cache makes a warm run fast. It is only read: saving it here would drop the entries
  // this command does not use (the callers index's), which the next scan would then recompute.
  const cache = options.cache ? ParseCache.open(scanCacheFile(dir), dir) : undefined;
  const workspace = new Workspace(dir, { nextVersion: options.nextVersion, cacheComponents: options.cacheComponents, cache });
  const manifest = workspace.scan();
  let result;
  try {
    result = buildOpenApiDocument(workspace, manifest, { app: options.app });
  } catch (error) {
    if (!(error instanceof OpenApiAppError)) throw error;
    const hint = error.reason === 'several-apps' ? ` Choose one with --app <root>.` : '';
    err.write(`route-atlas openapi: ${printable(error.message)}${hint}\n`);
    return 2;
  }
  const format = options.yaml || /\.ya?ml$/i.test(options.output ?? '') ? 'yaml' : 'json';
  const text = format === 'yaml' ? toYaml(result.document) : toJsonText(result.document);
  if (options.output !== undefined) {
    const file = path.resolve(options.output);
    try {
      fs.writeFileSync(file, text);
    } catch (error) {
      err.write(`route-atlas openapi: cannot write ${printable(file)} (${(error as NodeJS.ErrnoException).code ?? 'error'})\n`);
      return 2;
    }
  } else out.write(text);
  const document = result.document as { paths: Record<string, Record<string, unknown>>; components?: { schemas: Record<string, unknown> }; 'x-route-atlas': { appRoot: string } };
  const operations = Object.values(document.paths).reduce((sum, item) => sum + Object.keys(item).length, 0);
  const schemas = Object.keys(document.components?.schemas ?? {}).length;
  const where = options.output !== undefined ? `, written to ${printable(options.output)}` : '';
  err.write(
    `route-atlas openapi: ${printable(document['x-route-atlas'].appRoot)}: ${operations} operations on ${Object.keys(document.paths).length} paths, ${schemas} schemas, ${result.notes.length} notes${where} in ${(performance.now() - started).toFixed(0)} ms\n`,
  );
  for (const note of result.notes.slice(0, MAX_PRINTED_NOTES)) err.write(`  note: ${printable(note)}\n`);
  if (result.notes.length > MAX_PRINTED_NOTES) err.write(`  ... and ${result.notes.length - MAX_PRINTED_NOTES} more (each is in the document, as x-route-atlas-note where it applies)\n`);
  return 0;
}

/** The scan's parse cache file for a folder (see the CLI's cacheFileFor): in its node_modules, or ROUTE_ATLAS_CACHE_DIR. */
function scanCacheFile(dir: string): string | undefined {
  const override = process.env.ROUTE_ATLAS_CACHE_DIR;
  if (override) return ParseCache.fileFor(path.resolve(override), dir);
  if (!fs.existsSync(path.join(dir, 'package.json')) && !fs.existsSync(path.join(dir, 'node_modules'))) return undefined;
  return ParseCache.fileFor(path.join(dir, 'node_modules', '.cache', 'route-atlas'), dir);
}

