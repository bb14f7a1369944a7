// Where an app's dev server listens, read from its files: the `dev` script's port flag or PORT variable, then
// PORT in the .env files, then Next's default, http://localhost:3000. The route's publicPath already holds
// basePath, so a base URL is only scheme, host and port. No vscode here: plain Node tests run it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENV_FILE, environmentBaseUrl, pickEnvironment, readEnvironmentFiles } from '../../server/requests/httpFile';

export const DEFAULT_PORT = 3000;
/** The `source` of a base URL that nothing in the app chose. */
export const DEFAULT_PORT_SOURCE = "Next's default port";

/** A base URL and the sentence that says where it came from (shown in the response view and the README). */
export interface DetectedBaseUrl {
  baseUrl: string;
  source: string;
}

/** What a `dev` script says about the server it starts. */
export interface DevScriptInfo {
  port?: number;
  hostname?: string;
  https?: boolean;
}

/**
 * The .env files that can set PORT, highest precedence first: the order in which Next.js loads them for
 * `next dev` (a value in an earlier file wins).
 */
export const ENV_FILES = ['.env.development.local', '.env.local', '.env.development', '.env'] as const;

function validPort(text: string | undefined): number | undefined {
  if (!text || !/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port > 0 && port < 65536 ? port : undefined;
}

/**
 * Reads the port, hostname and https flag of `next dev` from a package.json script: `next dev -p 4000`,
 * `--port=4000`, `PORT=4000 next dev`, `cross-env PORT=4000 next dev --turbopack`. A flag wins over the
 * PORT variable, as it does in Next.js. Values that are not literals (`-p $PORT`) are not guessed.
 */
export function readDevScript(script: string): DevScriptInfo {
  const info: DevScriptInfo = {};
  // Only the command that runs `next dev`: `npm run db && next dev -p 4000` and `concurrently "..."` alike.
  const commands = script.split(/&&|\|\||;|\|/);
  const nextCommand = commands.find((c) => /\bnext(?:\.js)?\s+dev\b/.test(c)) ?? commands.find((c) => /\bnext\b/.test(c));
  if (!nextCommand) return info;
  const words = nextCommand.trim().replace(/^["']|["']$/g, '').split(/\s+/);
  let envPort: number | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const assignment = /^PORT=["']?(\d+)["']?$/.exec(word);
    if (assignment) envPort = validPort(assignment[1]);
    const flag = /^(-p|--port|-H|--hostname)(?:=(.*))?$/.exec(word);
    if (flag) {
      const value = flag[2] ?? words[i + 1];
      if (flag[2] === undefined) i++;
      if (flag[1] === '-p' || flag[1] === '--port') {
        const port = validPort(value?.replace(/^["']|["']$/g, ''));
        if (port) info.port = port;
      }
      else if (value && /^[\w.:[\]-]+$/.test(value)) info.hostname = value;
    }
    if (word === '--experimental-https') info.https = true;
  }
  if (info.port === undefined && envPort !== undefined) info.port = envPort;
  return info;
}

/** The PORT a dotenv file sets (`PORT=4000`, `export PORT="4000"`, comments and spaces allowed). */
export function readEnvPort(text: string): number | undefined {
  let port: number | undefined;
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?PORT\s*=\s*(?:"(\d+)"|'(\d+)'|(\d+))\s*(?:#.*)?$/.exec(line);
    // A later line overrides an earlier one, as dotenv does.
    if (match) port = validPort(match[1] ?? match[2] ?? match[3]) ?? port;
  }
  return port;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** `0.0.0.0` and `::` mean "every interface"; a client connects to localhost instead. */
function clientHostname(hostname: string | undefined): string {
  if (!hostname || hostname === '0.0.0.0' || hostname === '::' || hostname === '[::]') return 'localhost';
  return hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
}

/**
 * The base URL of an app's dev server: the `dev` script, then PORT in the .env files (in Next's order of
 * precedence), then http://localhost:3000. `appDir` is the folder of the app's package.json; `label` names
 * it in the source sentence (`apps/web`).
 */
export function detectBaseUrl(appDir: string, label = path.basename(appDir), read: (file: string) => string | undefined = readText): DetectedBaseUrl {
  let script: DevScriptInfo = {};
  const packageText = read(path.join(appDir, 'package.json'));
  if (packageText) {
    try {
      const dev = (JSON.parse(packageText) as { scripts?: Record<string, unknown> }).scripts?.dev;
      if (typeof dev === 'string') script = readDevScript(dev);
    } catch {
      // A package.json that does not parse says nothing about the port; the .env files still may.
    }
  }
  const scheme = script.https ? 'https' : 'http';
  const host = clientHostname(script.hostname);
  if (script.port) return { baseUrl: `${scheme}://${host}:${script.port}`, source: `the dev script in ${path.posix.join(label, 'package.json')}` };
  for (const name of ENV_FILES) {
    const text = read(path.join(appDir, name));
    const port = text === undefined ? undefined : readEnvPort(text);
    if (port) return { baseUrl: `${scheme}://${host}:${port}`, source: `PORT in ${path.posix.join(label, name)}` };
  }
  return { baseUrl: `${scheme}://${host}:${DEFAULT_PORT}`, source: DEFAULT_PORT_SOURCE };
}

/** What VS Code's `inspect()` returns for a setting, reduced to the scopes that matter here. */
export interface SettingValues<T> {
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/**
 * The value of a setting that may choose where requests go or what they carry. In Restricted Mode a
 * workspace (or folder) value could come from the repository that is not trusted, so only the user's own
 * (global) value counts; in a trusted workspace the most specific value wins.
 */
export function trustedSettingValue<T>(values: SettingValues<T> | undefined, isTrusted: boolean): T | undefined {
  if (!values) return undefined;
  if (!isTrusted) return values.globalValue;
  return values.workspaceFolderValue ?? values.workspaceValue ?? values.globalValue;
}

/**
 * The base URL for an app from `routeAtlas.request.baseUrls` (keys are app roots relative to the workspace
 * folder: `.`, `apps/web`; `*` matches every app). A value that is not an http(s) URL is ignored.
 */
export function baseUrlFromSetting(baseUrls: Record<string, unknown> | undefined, appRoot: string): string | undefined {
  if (!baseUrls) return undefined;
  const normalized = appRoot === '' ? '.' : appRoot.replace(/\\/g, '/').replace(/\/+$/, '');
  for (const key of [normalized, `./${normalized}`, '*']) {
    const value = baseUrls[key];
    if (typeof value === 'string' && /^https?:\/\/[^/]/i.test(value)) return value.replace(/\/+$/, '');
  }
  return undefined;
}

/** What chooses an app's base URL besides its files. */
export interface BaseUrlInputs {
  /** The app's folder relative to `root` (`.`, `apps/web`). */
  appRoot: string;
  /** The workspace folder; undefined when not known (then no file is read). */
  root: string | undefined;
  /** `vscode.workspace.isTrusted`: false in Restricted Mode. */
  isTrusted: boolean;
  /** `routeAtlas.request.baseUrls`, as trustedSettingValue reads it. */
  baseUrls: Record<string, unknown> | undefined;
  /** `routeAtlas.request.environment`, as trustedSettingValue reads it. */
  environment: string | undefined;
  read?: (file: string) => string | undefined;
}

export interface ChosenBaseUrl extends DetectedBaseUrl {
  /** In Restricted Mode: where the workspace's files would have sent requests instead, for telling the user. */
  ignoredInRestrictedMode?: DetectedBaseUrl;
}

/**
 * The base URL of an app's requests, first match wins: `routeAtlas.request.baseUrls` for the app root, the
 * `baseUrl` of the http-client.env.json environment, the port in the app's `dev` script or .env files,
 * http://localhost:3000. In Restricted Mode the three files count no more than workspace settings do: they
 * come with the repository, which could send requests (and the tokens stored for that origin) to its own
 * server, so only the user's setting or the default remains.
 */
export function chooseBaseUrl(inputs: BaseUrlInputs): ChosenBaseUrl {
  const { appRoot, root, read = readText } = inputs;
  const fromSetting = baseUrlFromSetting(inputs.baseUrls, appRoot);
  if (fromSetting) return { baseUrl: fromSetting, source: `routeAtlas.request.baseUrls["${appRoot}"]` };
  const fromFiles = root ? baseUrlFromFiles(root, appRoot, inputs.environment, read) : undefined;
  const fallback: DetectedBaseUrl = { baseUrl: `http://localhost:${DEFAULT_PORT}`, source: DEFAULT_PORT_SOURCE };
  if (!fromFiles) return fallback;
  if (inputs.isTrusted) return fromFiles;
  return fromFiles.baseUrl === fallback.baseUrl ? fallback : { ...fallback, ignoredInRestrictedMode: fromFiles };
}

/** The environment's base URL, else the port of the `dev` script or .env files, else the default. */
function baseUrlFromFiles(root: string, appRoot: string, environment: string | undefined, read: (file: string) => string | undefined): DetectedBaseUrl {
  const appDir = path.join(root, appRoot);
  const environments = readEnvironmentFiles(appDir === root ? [root] : [appDir, root], read);
  if (environments) {
    const chosen = pickEnvironment(environments.environments, environment);
    const fromEnvironment = chosen && environmentBaseUrl(chosen.variables);
    if (fromEnvironment) {
      const file = path.relative(root, path.join(environments.dir, ENV_FILE)).split(path.sep).join('/');
      return { baseUrl: fromEnvironment, source: `the "${chosen.name}" environment of ${file}` };
    }
  }
  return detectBaseUrl(appDir, appRoot, read);
}

/** Ports a `next dev` usually takes when 3000 is busy: it moves up one at a time. */
export const LIKELY_DEV_PORTS = [3000, 3001, 3002, 3003, 3004, 3005];

/**
 * The first of `ports` on localhost where a server answers like Next.js (its `X-Powered-By: Next.js`
 * header), asked all at once with a short deadline; undefined when none does.
 */
export async function findRunningNextServer(ports: readonly number[], timeoutMs = 400): Promise<number | undefined> {
  const answers = await Promise.all(
    ports.map(async (port) => {
      try {
        const response = await fetch(`http://localhost:${port}/`, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
        return /next\.js/i.test(response.headers.get('x-powered-by') ?? '') ? port : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  return answers.find((port) => port !== undefined);
}
