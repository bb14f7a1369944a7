import * as path from 'node:path';
import { parseConfigFileTextToJson } from './typescriptBindings';
import type { DirEntry, FileHost } from './host';
import { readTextOrUndefined } from './host';

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** `import './x.js'` in TypeScript ESM style names the emitted file; the source is `.ts`. */
const EMITTED_TO_SOURCE: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};

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
  private readonly fileExists = new Map<string, boolean>();
  /**
   * Each probed directory's entries by name (true for a plain file, false for anything else), so that
   * trying eight extensions costs one listing and no stat.
   */
  private readonly listings = new Map<string, Map<string, boolean> | null>();

  constructor(private readonly host: FileHost, private readonly stopDir: string) {}

  /** Forget everything: a file was created or deleted, so any resolution may change. */
  clear(): void {
    this.fileResolutions.clear();
    this.aliasResolutions.clear();
    this.packageResolutions.clear();
    this.fileExists.clear();
    this.listings.clear();
    this.configsByDir.clear();
  }

  /** A file was created: specifiers that resolved to nothing may resolve now. */
  forgetMissing(): void {
    for (const resolutions of this.resolutionMaps()) for (const [key, value] of resolutions) if (value === null) resolutions.delete(key);
    for (const [file, exists] of this.fileExists) if (!exists) this.fileExists.delete(file);
    this.listings.clear();
  }

  /** A file or folder was deleted: forget what resolved to it. */
  forgetPath(deleted: string): void {
    const inside = (file: string) => file === deleted || file.startsWith(deleted + path.sep);
    for (const resolutions of this.resolutionMaps()) for (const [key, value] of resolutions) if (value !== null && inside(value)) resolutions.delete(key);
    for (const file of this.fileExists.keys()) if (inside(file)) this.fileExists.delete(file);
    this.listings.clear();
  }

  private *resolutionMaps(): Iterable<Map<string, string | null>> {
    yield this.fileResolutions;
    yield* this.aliasResolutions.values();
    yield this.packageResolutions;
  }

  resolve(specifier: string, fromFile: string): string | undefined {
    const fromDir = path.dirname(fromFile);
    if (specifier.startsWith('.') || path.isAbsolute(specifier)) return this.resolveFile(path.resolve(fromDir, specifier));
    const config = this.pathsConfigFor(fromDir);
    if (config) {
      let resolutions = this.aliasResolutions.get(config);
      if (!resolutions) this.aliasResolutions.set(config, (resolutions = new Map()));
      let resolved = resolutions.get(specifier);
      if (resolved === undefined) resolutions.set(specifier, (resolved = this.resolveAlias(config, specifier) ?? null));
      if (resolved !== null) return resolved;
    }
    const key = `${fromDir}\0${specifier}`;
    let resolved = this.packageResolutions.get(key);
    if (resolved === undefined) this.packageResolutions.set(key, (resolved = this.resolveWorkspacePackage(specifier, fromDir) ?? null));
    return resolved ?? undefined;
  }

  private resolveFile(base: string): string | undefined {
    let resolved = this.fileResolutions.get(base);
    if (resolved === undefined) this.fileResolutions.set(base, (resolved = this.resolveAsFile(base) ?? null));
    return resolved ?? undefined;
  }

  private resolveAlias(config: PathsConfig, specifier: string): string | undefined {
    for (const { pattern, targets } of config.paths) {
      const star = matchPattern(pattern, specifier);
      if (star === undefined) continue;
      for (const target of targets) {
        const resolved = this.resolveFile(path.resolve(config.pathsBase, target.replace('*', star)));
        if (resolved) return resolved;
      }
    }
    return config.baseUrl ? this.resolveFile(path.resolve(config.baseUrl, specifier)) : undefined;
  }

  private exists(file: string): boolean {
    let known = this.fileExists.get(file);
    if (known === undefined) {
      const isPlainFile = this.listingOf(path.dirname(file))?.get(path.basename(file));
      // A listed link may lead to a file: only then is a stat needed.
      known = isPlainFile === undefined ? false : isPlainFile || (this.host.stat(file)?.isFile ?? false);
      this.fileExists.set(file, known);
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
      if (path.dirname(dir) === dir || dir === path.dirname(this.stopDir)) return undefined;
    }
  }

  private resolveInPackage(packageDir: string, subpath: string): string | undefined {
    let manifest: { exports?: unknown; main?: string; module?: string; types?: string; source?: string } = {};
    try {
      manifest = JSON.parse(readTextOrUndefined(this.host, path.join(packageDir, 'package.json')) ?? '{}');
    } catch {
      // A broken package.json: fall back to probing files.
    }
    const exportTarget = pickExport(manifest.exports, subpath ? `./${subpath}` : '.');
    const candidates = [exportTarget, ...(subpath ? [subpath, `src/${subpath}`] : [manifest.source, manifest.types, manifest.module, manifest.main, 'src/index', 'index'])];
    for (const candidate of candidates) {
      if (!candidate) continue;
      const target = path.resolve(packageDir, candidate.replace(/\.d\.ts$/, '.ts'));
      const resolved = this.resolveAsFile(target.replace(/^(.*)[\\/]dist[\\/]/, '$1/src/')) ?? this.resolveAsFile(target);
      if (resolved) return resolved;
    }
    return undefined;
  }

  private pathsConfigFor(dir: string): PathsConfig | undefined {
    const cached = this.configsByDir.get(dir);
    if (cached !== undefined) return cached ?? undefined;
    let config: PathsConfig | undefined;
    const names = this.listingOf(dir);
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const file = path.join(dir, name);
      if (names?.has(name) && this.host.stat(file)?.isFile) {
        config = this.readPathsConfig(file, 0);
        break;
      }
    }
    const parent = path.dirname(dir);
    if (!config && parent !== dir && dir !== this.stopDir && dir.startsWith(this.stopDir)) config = this.pathsConfigFor(parent);
    this.configsByDir.set(dir, config ?? null);
    return config;
  }

  /** Reads `baseUrl` and `paths`, following `extends` (relative files only), with comments allowed. */
  private readPathsConfig(file: string, depth: number): PathsConfig | undefined {
    if (depth > 8) return undefined;
    const text = readTextOrUndefined(this.host, file);
    if (text === undefined) return undefined;
    const parsed = parseConfigFileTextToJson(file, text).config as
      | { extends?: string | string[]; compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } }
      | undefined;
    if (!parsed) return undefined;
    const dir = path.dirname(file);
    let inherited: PathsConfig | undefined;
    for (const parent of [parsed.extends ?? []].flat()) {
      if (!parent.startsWith('.')) continue;
      const parentFile = path.resolve(dir, parent.endsWith('.json') ? parent : parent + '.json');
      inherited = this.readPathsConfig(parentFile, depth + 1) ?? inherited;
    }
    const options = parsed.compilerOptions ?? {};
    const baseUrl = options.baseUrl !== undefined ? path.resolve(dir, options.baseUrl) : inherited?.baseUrl;
    if (!options.paths) return inherited || baseUrl ? { pathsBase: inherited?.pathsBase ?? dir, baseUrl, paths: inherited?.paths ?? [] } : undefined;
    const paths = Object.entries(options.paths).map(([pattern, targets]) => ({ pattern, targets }));
    // Longest prefix first, as TypeScript matches patterns.
    paths.sort((a, b) => b.pattern.indexOf('*') - a.pattern.indexOf('*'));
    return { pathsBase: baseUrl ?? dir, baseUrl, paths };
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

/** The file a package.json `exports` map gives for a subpath, preferring source-like conditions. */
function pickExport(exports: unknown, subpath: string): string | undefined {
  if (!exports) return undefined;
  if (typeof exports === 'string') return subpath === '.' ? exports : undefined;
  if (typeof exports !== 'object') return undefined;
  const map = exports as Record<string, unknown>;
  const isSubpathMap = Object.keys(map).some((key) => key.startsWith('.'));
  const entry = isSubpathMap ? map[subpath] ?? wildcardExport(map, subpath) : subpath === '.' ? map : undefined;
  return pickCondition(entry);
}

function wildcardExport(map: Record<string, unknown>, subpath: string): unknown {
  for (const [key, value] of Object.entries(map)) {
    const star = matchPattern(key, subpath);
    if (star !== undefined && key.includes('*')) return JSON.parse(JSON.stringify(value).split('*').join(star));
  }
  return undefined;
}

function pickCondition(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (!entry || typeof entry !== 'object') return undefined;
  const conditions = entry as Record<string, unknown>;
  for (const condition of ['source', 'types', 'import', 'default', 'require', 'node']) {
    const picked = pickCondition(conditions[condition]);
    if (picked) return picked;
  }
  return undefined;
}
