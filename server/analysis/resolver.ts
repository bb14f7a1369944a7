import * as path from 'node:path';
import { parseJsonc } from './jsonc';
import { loadTypeScript, parseConfigFileTextToJson } from './typescriptBindings';
import type { DirEntry, FileHost } from './host';
import { readTextOrUndefined } from './host';
import { isStackOverflow, limitProblem } from './limits';
import type { Problem } from './model';
import { toPosix } from './spans';
import { listWorkspacePackages, workspacePatternsIn } from './workspacePackages';

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** `import './x.js'` in TypeScript ESM style names the emitted file; the source is `.ts`. */
const EMITTED_TO_SOURCE: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};

/** How many `extends` one tsconfig chain may follow. TypeScript sets no limit; real chains use a handful. */
const MAX_EXTENDS_DEPTH = 32;
/**
 * How many answers that found nothing (specifiers, probed names, missing folders) are kept. Each costs
 * a few hundred bytes, and a workspace can ask for any number of distinct ones; past this they are all
 * dropped, which costs only their recomputation.
 */
const MAX_MISSES = 50_000;
/** How deep `exports` conditions may nest; real packages nest two or three. */
const MAX_CONDITION_DEPTH = 16;

interface PackageManifest {
  exports?: unknown;
  main?: unknown;
  module?: unknown;
  types?: unknown;
  source?: unknown;
}

interface PathsConfig {
  /** Directory `paths` entries are relative to (baseUrl, else the tsconfig's own directory). */
  pathsBase: string;
  baseUrl?: string;
  paths: Array<{ pattern: string; targets: string[] }>;
}

/**
 * Resolves import specifiers to workspace source files: relative paths, tsconfig/jsconfig `paths` and
 * `baseUrl` (following `extends`), and workspace packages linked into node_modules. Packages that
 * live inside node_modules are never followed: they are dependencies, not the app's code.
 */
export class ModuleResolver {
  /**
   * Resolutions by what they depend on, so that the thousand route folders importing `@/lib/db` share
   * one: a relative specifier by its absolute path, a `paths`/`baseUrl` one by its tsconfig, and a
   * package name by the folder it is imported from (node_modules lookup walks up from there).
   */
  private readonly fileResolutions = new Map<string, string | null>();
  private readonly aliasResolutions = new Map<PathsConfig, Map<string, string | null>>();
  private readonly packageResolutions = new Map<string, string | null>();
  private readonly configsByDir = new Map<string, PathsConfig | null>();
  /** Each tsconfig's own result with its `extends` applied, so that a config many others extend is read once. */
  private readonly configsByFile = new Map<string, PathsConfig | null>();
  private readonly packageManifests = new Map<string, PackageManifest>();
  /** Whether a listed link leads to a file; names a listing answers by itself are not kept here. */
  private readonly fileExists = new Map<string, boolean>();
  /**
   * Each probed directory's entries by name (true for a plain file, false for anything else), so that
   * trying eight extensions costs one listing and no stat.
   */
  private readonly listings = new Map<string, Map<string, boolean> | null>();
  /** The monorepo root above each folder asked about (the folder of its workspace manifest), or null. */
  private readonly workspaceRoots = new Map<string, string | null>();
  /** Each monorepo's packages by name, listed once. */
  private readonly workspacePackages = new Map<string, ReadonlyMap<string, string>>();
  /** Answers above that found nothing, counted against MAX_MISSES. */
  private misses = 0;
  private problems: readonly Problem[] = [];
  private readonly reported = new Set<string>();

  /**
   * @param relative names a file in problems (the workspace passes its root-relative naming); absolute
   *   paths without it.
   */
  constructor(
    private readonly host: FileHost,
    private readonly stopDir: string,
    private readonly relative: (abs: string) => string = toPosix,
  ) {}

  /**
   * Problems met in tsconfig/jsconfig files so far (an `extends` cycle, a chain too long, a file too deeply
   * nested to read). Resolution reads configs lazily, so the list grows while routes are linked; it is a
   * new array only when a problem was added, and each problem stays the same object until `clear`.
   */
  configProblems(): readonly Problem[] {
    return this.problems;
  }

  /** Forget everything: a file was created or deleted, so any resolution may change. */
  clear(): void {
    this.fileResolutions.clear();
    this.aliasResolutions.clear();
    this.packageResolutions.clear();
    this.fileExists.clear();
    this.listings.clear();
    this.configsByDir.clear();
    this.configsByFile.clear();
    this.packageManifests.clear();
    this.workspaceRoots.clear();
    this.workspacePackages.clear();
    this.misses = 0;
    this.problems = [];
    this.reported.clear();
  }

  /** A file was created: specifiers that resolved to nothing may resolve now. */
  forgetMissing(): void {
    this.dropMisses();
    this.listings.clear();
    // A created folder may be a new workspace package.
    this.workspacePackages.clear();
  }

  /** A file or folder was deleted: forget what resolved to it. */
  forgetPath(deleted: string): void {
    const inside = (file: string) => file === deleted || file.startsWith(deleted + path.sep);
    for (const resolutions of this.resolutionMaps()) for (const [key, value] of resolutions) if (value !== null && inside(value)) resolutions.delete(key);
    for (const file of this.fileExists.keys()) if (inside(file)) this.fileExists.delete(file);
    this.listings.clear();
    this.workspacePackages.clear();
  }

  private *resolutionMaps(): Iterable<Map<string, string | null>> {
    yield this.fileResolutions;
    yield* this.aliasResolutions.values();
    yield this.packageResolutions;
  }

  /** Counts an answer that found nothing; past MAX_MISSES all of them go (they are only remembered work). */
  private missed(): void {
    if (++this.misses > MAX_MISSES) this.dropMisses();
  }

  private dropMisses(): void {
    for (const resolutions of this.resolutionMaps()) for (const [key, value] of resolutions) if (value === null) resolutions.delete(key);
    for (const [file, exists] of this.fileExists) if (!exists) this.fileExists.delete(file);
    for (const [dir, listing] of this.listings) if (listing === null) this.listings.delete(dir);
    this.misses = 0;
  }

  resolve(specifier: string, fromFile: string): string | undefined {
    const fromDir = path.dirname(fromFile);
    if (specifier.startsWith('.') || path.isAbsolute(specifier)) return this.resolveFile(path.resolve(fromDir, specifier));
    const config = this.pathsConfigFor(fromDir);
    if (config) {
      let resolutions = this.aliasResolutions.get(config);
      if (!resolutions) this.aliasResolutions.set(config, (resolutions = new Map()));
      let resolved = resolutions.get(specifier);
      if (resolved === undefined) {
        resolved = this.resolveAlias(config, specifier) ?? null;
        resolutions.set(specifier, resolved);
        if (resolved === null) this.missed();
      }
      if (resolved !== null) return resolved;
    }
    const key = `${fromDir}\0${specifier}`;
    let resolved = this.packageResolutions.get(key);
    if (resolved === undefined) {
      resolved = this.resolveWorkspacePackage(specifier, fromDir) ?? null;
      this.packageResolutions.set(key, resolved);
      if (resolved === null) this.missed();
    }
    return resolved ?? undefined;
  }

  private resolveFile(base: string): string | undefined {
    let resolved = this.fileResolutions.get(base);
    if (resolved === undefined) {
      resolved = this.resolveAsFile(base) ?? null;
      this.fileResolutions.set(base, resolved);
      if (resolved === null) this.missed();
    }
    return resolved ?? undefined;
  }

  private resolveAlias(config: PathsConfig, specifier: string): string | undefined {
    for (const { pattern, targets } of config.paths) {
      const star = matchPattern(pattern, specifier);
      if (star === undefined) continue;
      for (const target of targets) {
        const resolved = this.resolveFile(path.resolve(config.pathsBase, replaceFirstStar(target, star)));
        if (resolved) return resolved;
      }
    }
    return config.baseUrl ? this.resolveFile(path.resolve(config.baseUrl, specifier)) : undefined;
  }

  private exists(file: string): boolean {
    const isPlainFile = this.listingOf(path.dirname(file))?.get(path.basename(file));
    if (isPlainFile !== false) return isPlainFile === true;
    // A listed link may lead to a file: only then is a stat needed.
    let known = this.fileExists.get(file);
    if (known === undefined) {
      known = this.host.stat(file)?.isFile ?? false;
      this.fileExists.set(file, known);
      if (!known) this.missed();
    }
    return known;
  }

  /** A listing the caller already read (the app-dir walk): module probing then needs no second readdir. */
  primeListing(dir: string, entries: readonly DirEntry[]): void {
    if (!this.listings.has(dir)) this.listings.set(dir, listingOfEntries(entries));
  }

  private listingOf(dir: string): Map<string, boolean> | null {
    let listing = this.listings.get(dir);
    if (listing === undefined) {
      try {
        listing = listingOfEntries(this.host.readDirectory(dir));
      } catch {
        listing = null;
        this.missed();
      }
      this.listings.set(dir, listing);
    }
    return listing;
  }

  private resolveAsFile(base: string): string | undefined {
    const ext = path.extname(base);
    if (SOURCE_EXTENSIONS.includes(ext)) {
      for (const sourceExt of EMITTED_TO_SOURCE[ext] ?? []) {
        const candidate = base.slice(0, -ext.length) + sourceExt;
        if (this.exists(candidate)) return candidate;
      }
      if (this.exists(base)) return base;
    }
    for (const candidateExt of SOURCE_EXTENSIONS) {
      if (this.exists(base + candidateExt)) return base + candidateExt;
    }
    // Only a folder (or a link) can hold an index file: asking the parent's listing first spares a failed
    // readdir, and a remembered missing folder, for every specifier that names nothing.
    if (this.listingOf(path.dirname(base))?.get(path.basename(base)) !== false) return undefined;
    for (const candidateExt of SOURCE_EXTENSIONS) {
      const index = path.join(base, 'index' + candidateExt);
      if (this.exists(index)) return index;
    }
    return undefined;
  }

  /** A monorepo package symlinked into node_modules (`@acme/api`): follow it to its sources. */
  private resolveWorkspacePackage(specifier: string, fromDir: string): string | undefined {
    const parts = specifier.split('/');
    const nameLength = specifier.startsWith('@') ? 2 : 1;
    if (parts.length < nameLength) return undefined;
    const name = parts.slice(0, nameLength).join('/');
    const subpath = parts.slice(nameLength).join('/');
    for (let dir = fromDir; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', name);
      if (this.host.stat(candidate)?.isDirectory) {
        let real: string;
        try {
          real = this.host.realpath(candidate);
        } catch {
          return undefined;
        }
        if (real.split(path.sep).includes('node_modules')) return undefined;
        return this.resolveInPackage(real, subpath);
      }
      if (path.dirname(dir) === dir || dir === path.dirname(this.stopDir)) break;
    }
    // Not installed: a package of the monorepo, found through its workspace manifest.
    const root = this.workspaceRootFor(fromDir);
    const packageDir = root === undefined ? undefined : this.packagesOf(root).get(name);
    return packageDir === undefined ? undefined : this.resolveInPackage(packageDir, subpath);
  }

  /** The nearest folder at or above `dir` with a workspace manifest, remembered for every folder passed. */
  private workspaceRootFor(dir: string): string | undefined {
    const passed: string[] = [];
    let root: string | null | undefined;
    for (let current = dir; ; current = path.dirname(current)) {
      root = this.workspaceRoots.get(current);
      if (root !== undefined) break;
      passed.push(current);
      const patterns = workspacePatternsIn(this.host, current, this.listingOf(current));
      if (patterns?.length) {
        root = current;
        this.workspacePackages.set(current, listWorkspacePackages(this.host, current, patterns));
        break;
      }
      if (path.dirname(current) === current) {
        root = null;
        break;
      }
    }
    for (const passedDir of passed) this.workspaceRoots.set(passedDir, root);
    return root ?? undefined;
  }

  private packagesOf(root: string): ReadonlyMap<string, string> {
    let packages = this.workspacePackages.get(root);
    if (!packages) {
      packages = listWorkspacePackages(this.host, root, workspacePatternsIn(this.host, root, this.listingOf(root)) ?? []);
      this.workspacePackages.set(root, packages);
    }
    return packages;
  }

  private resolveInPackage(packageDir: string, subpath: string): string | undefined {
    const manifest = this.packageManifest(packageDir);
    const exportTarget = pickExport(manifest.exports, subpath ? `./${subpath}` : '.');
    const candidates = [exportTarget, ...(subpath ? [subpath, `src/${subpath}`] : [manifest.source, manifest.types, manifest.module, manifest.main, 'src/index', 'index'])];
    for (const candidate of candidates) {
      if (typeof candidate !== 'string' || !candidate) continue;
      const target = path.resolve(packageDir, candidate.replace(/\.d\.ts$/, '.ts'));
      // As in Node, an export (or a subpath with `..` in it) never leads out of its package.
      if (!target.startsWith(packageDir + path.sep)) continue;
      const resolved = this.resolveAsFile(target.replace(/^(.*)[\\/]dist[\\/]/, '$1/src/')) ?? this.resolveAsFile(target);
      if (resolved) return resolved;
    }
    return undefined;
  }

  /** A package's package.json, read once; a broken or missing one gives nothing, and files are probed. */
  private packageManifest(packageDir: string): PackageManifest {
    let manifest = this.packageManifests.get(packageDir);
    if (!manifest) {
      manifest = {};
      try {
        const parsed: unknown = JSON.parse(readTextOrUndefined(this.host, path.join(packageDir, 'package.json')) ?? '{}');
        if (parsed && typeof parsed === 'object') manifest = parsed as PackageManifest;
      } catch {
        // A broken package.json: fall back to probing files.
      }
      this.packageManifests.set(packageDir, manifest);
    }
    return manifest;
  }

  /** The nearest tsconfig/jsconfig at or above `dir` (up to the stop folder), remembered for every folder passed. */
  private pathsConfigFor(dir: string): PathsConfig | undefined {
    const passed: string[] = [];
    let config: PathsConfig | null | undefined;
    for (let current = dir; ; current = path.dirname(current)) {
      config = this.configsByDir.get(current);
      if (config !== undefined) break;
      passed.push(current);
      const names = this.listingOf(current);
      for (const name of ['tsconfig.json', 'jsconfig.json']) {
        const file = path.join(current, name);
        if (names?.has(name) && this.host.stat(file)?.isFile) {
          config = this.readPathsConfig(file, []) ?? null;
          break;
        }
      }
      if (config) break;
      const parent = path.dirname(current);
      if (parent === current || current === this.stopDir || !current.startsWith(this.stopDir)) {
        config = null;
        break;
      }
    }
    for (const passedDir of passed) this.configsByDir.set(passedDir, config);
    return config ?? undefined;
  }

  /**
   * Reads `baseUrl` and `paths`, following `extends` (relative files only), with comments allowed.
   * `chain` holds the configs that extend this one, outermost first: an `extends` back into it is a cycle.
   */
  private readPathsConfig(file: string, chain: string[]): PathsConfig | undefined {
    const known = this.configsByFile.get(file);
    if (known !== undefined) return known ?? undefined;
    const config = this.readPathsConfigOnce(file, chain);
    this.configsByFile.set(file, config ?? null);
    return config;
  }

  private readPathsConfigOnce(file: string, chain: string[]): PathsConfig | undefined {
    const text = readTextOrUndefined(this.host, file);
    if (text === undefined) return undefined;
    let parsed: unknown = parseJsonc(text);
    try {
      if (parsed === undefined) {
        // Not plain JSON with comments: TypeScript's reader makes the most of it, as tsc would.
        loadTypeScript();
        parsed = parseConfigFileTextToJson(file, text).config;
      }
    } catch (error) {
      // TypeScript's JSON reader recurses per bracket; a generated file can overflow it.
      if (!isStackOverflow(error)) throw error;
      this.report(`too-deep\0${file}`, { ...limitProblem(this.relative(file), error), message: `${this.relative(file)} is nested too deeply to read; its \`paths\` and \`baseUrl\` are ignored.` });
      return undefined;
    }
    if (!parsed || typeof parsed !== 'object') return undefined;
    const { extends: extendsValue, compilerOptions } = parsed as { extends?: unknown; compilerOptions?: unknown };
    const dir = path.dirname(file);
    let inherited: PathsConfig | undefined;
    chain.push(file);
    for (const parent of [extendsValue ?? []].flat()) {
      if (typeof parent !== 'string' || !parent.startsWith('.')) continue;
      const parentFile = path.resolve(dir, parent.endsWith('.json') ? parent : parent + '.json');
      if (chain.includes(parentFile)) this.reportCycle(chain, parentFile);
      else if (chain.length >= MAX_EXTENDS_DEPTH) this.reportTooLong(chain);
      else inherited = this.readPathsConfig(parentFile, chain) ?? inherited;
    }
    chain.pop();
    const options = compilerOptions && typeof compilerOptions === 'object' ? (compilerOptions as { baseUrl?: unknown; paths?: unknown }) : {};
    const baseUrl = typeof options.baseUrl === 'string' ? path.resolve(dir, options.baseUrl) : inherited?.baseUrl;
    if (!options.paths || typeof options.paths !== 'object') return inherited || baseUrl ? { pathsBase: inherited?.pathsBase ?? dir, baseUrl, paths: inherited?.paths ?? [] } : undefined;
    const paths = Object.entries(options.paths as Record<string, unknown>).map(([pattern, targets]) => ({
      pattern,
      targets: Array.isArray(targets) ? targets.filter((t): t is string => typeof t === 'string') : [],
      prefixLength: pattern.indexOf('*'),
    }));
    // Longest prefix first, as TypeScript matches patterns.
    paths.sort((a, b) => b.prefixLength - a.prefixLength);
    return { pathsBase: baseUrl ?? dir, baseUrl, paths: paths.map(({ pattern, targets }) => ({ pattern, targets })) };
  }

  private reportCycle(chain: readonly string[], parentFile: string): void {
    const from = chain[chain.length - 1];
    const names = [...chain.slice(chain.indexOf(parentFile)), parentFile].map(this.relative);
    this.report(`cycle\0${from}\0${parentFile}`, {
      id: 'tsconfig-extends-cycle',
      severity: 'warning',
      file: this.relative(from),
      message: `Circularity detected while resolving configuration: ${names.join(' -> ')}. Route Atlas ignores the \`extends\` of ${this.relative(parentFile)} in ${this.relative(from)}.`,
    });
  }

  private reportTooLong(chain: readonly string[]): void {
    const from = chain[chain.length - 1];
    this.report(`too-long\0${from}`, {
      id: 'tsconfig-extends-too-deep',
      severity: 'warning',
      file: this.relative(from),
      message: `${this.relative(chain[0])} extends more than ${MAX_EXTENDS_DEPTH} configs deep; Route Atlas ignores the \`extends\` of ${this.relative(from)}.`,
    });
  }

  /** Keeps a problem once, however many configs lead to it. */
  private report(key: string, problem: Problem): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.problems = [...this.problems, problem];
  }
}

function listingOfEntries(entries: readonly DirEntry[]): Map<string, boolean> {
  const listing = new Map<string, boolean>();
  for (const entry of entries) listing.set(entry.name, entry.isFile && !entry.isSymbolicLink);
  return listing;
}

function matchPattern(pattern: string, specifier: string): string | undefined {
  const star = pattern.indexOf('*');
  if (star === -1) return pattern === specifier ? '' : undefined;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  if (specifier.length < prefix.length + suffix.length || !specifier.startsWith(prefix) || !specifier.endsWith(suffix)) return undefined;
  return specifier.slice(prefix.length, specifier.length - suffix.length);
}

/** TypeScript's `paths` substitution: the first `*` of the target becomes the matched text, taken literally. */
function replaceFirstStar(target: string, star: string): string {
  const at = target.indexOf('*');
  return at === -1 ? target : target.slice(0, at) + star + target.slice(at + 1);
}

/** The file a package.json `exports` map gives for a subpath, preferring source-like conditions. */
function pickExport(exports: unknown, subpath: string): string | undefined {
  if (!exports) return undefined;
  if (typeof exports === 'string') return subpath === '.' ? exports : undefined;
  if (typeof exports !== 'object') return undefined;
  const map = exports as Record<string, unknown>;
  const isSubpathMap = Object.keys(map).some((key) => key.startsWith('.'));
  if (!isSubpathMap) return subpath === '.' ? pickCondition(map, 0) : undefined;
  const exact = map[subpath];
  if (exact !== undefined && exact !== null) return pickCondition(exact, 0);
  for (const [key, value] of Object.entries(map)) {
    const star = key.includes('*') ? matchPattern(key, subpath) : undefined;
    // Node puts the matched text in place of every `*` of the chosen target, as plain text.
    if (star !== undefined) return pickCondition(value, 0)?.split('*').join(star);
  }
  return undefined;
}

function pickCondition(entry: unknown, depth: number): string | undefined {
  if (typeof entry === 'string') return entry;
  if (!entry || typeof entry !== 'object' || depth >= MAX_CONDITION_DEPTH) return undefined;
  const conditions = entry as Record<string, unknown>;
  for (const condition of ['source', 'types', 'import', 'default', 'require', 'node']) {
    const picked = pickCondition(conditions[condition], depth + 1);
    if (picked) return picked;
  }
  return undefined;
}
