import type { SegmentConfig, SegmentConfigKey, Span, StaticValue } from './model';

/** What the analysis knows about the app's build, for rules that differ per version. */
export interface BuildContext {
  major: number;
  cacheComponents: boolean;
  bundler: 'webpack' | 'turbopack';
  /** `experimental.useCache`: 'use cache' compiles without cacheComponents (15 and 16, as the oracle built). */
  useCache?: boolean;
}

export const ALLOWED_VALUES: Partial<Record<SegmentConfigKey, readonly string[]>> = {
  dynamic: ['auto', 'error', 'force-static', 'force-dynamic'],
  fetchCache: ['auto', 'default-cache', 'only-cache', 'force-cache', 'force-no-store', 'default-no-store', 'only-no-store'],
  runtime: ['edge', 'nodejs'],
};

/** Exports that `cacheComponents` rejects outright. */
export const CACHE_COMPONENTS_REJECTED: readonly SegmentConfigKey[] = ['dynamic', 'revalidate', 'fetchCache', 'dynamicParams', 'runtime'];

const READ_MORE = 'Read more at https://nextjs.org/docs/app/api-reference/file-conventions/route-segment-config';

export interface SegmentConfigIssue {
  key: SegmentConfigKey;
  message: string;
  span?: Span;
  file?: string;
  /** Why this fails the build, in a few words, for the verdict. */
  summary: string;
}

/** The value Next.js uses at build time: the literal, or (in 14, which reads run-time exports) the folded value. */
export function effectiveValue<T>(value: StaticValue<T> | undefined, major: number): T | undefined {
  if (!value) return undefined;
  if (value.known) return value.value;
  return major < 15 ? value.evaluated : undefined;
}

/**
 * Segment-config exports that make `next build` fail for this version and bundler, with the
 * wording Next.js prints.
 */
export function validateSegmentConfig(config: SegmentConfig, url: string, context: BuildContext): SegmentConfigIssue[] {
  const issues: SegmentConfigIssue[] = [];
  const routePage = url === '/' ? '/route' : `${url}/route`;
  if (context.cacheComponents) {
    for (const key of CACHE_COMPONENTS_REJECTED) {
      const value = config[key];
      // Builds showed that a destructured export escapes the check: only literal `export const` is read.
      if (!value || value.destructured) continue;
      issues.push({
        key,
        span: value.span,
        file: value.file,
        summary: `segment config "${key}" is not allowed with cacheComponents`,
        message: `Route segment config "${key}" is not compatible with \`nextConfig.cacheComponents\`. Please remove it.`,
      });
    }
    return issues;
  }
  for (const key of Object.keys(config) as SegmentConfigKey[]) {
    const value = config[key];
    if (!value || key === 'generateStaticParams') continue;
    if (value.destructured) continue;
    if (!value.known) {
      // 14 applies the run-time value and prints nothing, but still type-checks it.
      if (context.major < 15) {
        const issue = value.evaluated !== undefined ? invalidValue(key, value.evaluated, url, context) : undefined;
        if (issue) issues.push({ key, span: value.span, file: value.file, ...issue });
        continue;
      }
      const where = { key, span: value.span, file: value.file };
      if (context.bundler === 'turbopack' && key === 'dynamic') {
        issues.push({ ...where, summary: `dynamic is not a static string`, message: `Next.js can't recognize the exported \`dynamic\` field in route. It needs to be a static string.` });
      } else if (context.bundler === 'turbopack') {
        issues.push({
          ...where,
          summary: `${key} is not statically analyzable (${value.reason})`,
          message: `Invalid segment configuration export detected. This can cause unexpected behavior from the configs not being applied. You should see the relevant failures in the logs above. Please fix them to continue. (${key}: ${value.reason})`,
        });
      } else {
        issues.push({
          ...where,
          summary: `${key} is not statically analyzable (${value.reason})`,
          message: `Next.js can't recognize the exported \`config\` field in route "${routePage}": ${value.reason} at "${key}". Then: Invalid segment configuration export detected. Please fix them to continue.`,
        });
      }
      continue;
    }
    const issue = invalidValue(key, value.value, url, context);
    if (issue) issues.push({ key, span: value.span, file: value.file, ...issue });
  }
  return issues;
}

function invalidValue(key: SegmentConfigKey, value: unknown, url: string, context: BuildContext): { message: string; summary: string } | undefined {
  const allowed = ALLOWED_VALUES[key];
  if (allowed) {
    if (typeof value === 'string' && allowed.includes(value)) return undefined;
    // 14's types (and Turbopack's parser) still accept the old runtime name.
    if (key === 'runtime' && value === 'experimental-edge' && (context.major < 15 || context.bundler === 'turbopack')) return undefined;
    const received = JSON.stringify(value);
    if (context.major < 15) return { summary: `invalid ${key} ${received}`, message: `Invalid configuration "${key}": expected ${allowed.map((v) => `"${v}"`).join(' | ')}, got ${received}.` };
    if (context.bundler === 'turbopack') {
      return {
        summary: `invalid ${key} ${received}`,
        message: `Next.js can't recognize the exported \`${key}\` field in route. It has an invalid value: unknown variant \`${String(value)}\`, expected one of ${allowed.map((v) => `\`${v}\``).join(', ')}.`,
      };
    }
    return {
      summary: `invalid ${key} ${received}`,
      message: `Invalid segment configuration options detected for "${url}". ${READ_MORE}: Invalid enum value. Expected ${allowed.map((v) => `'${v}'`).join(' | ')}, received '${String(value)}' at "${key}"`,
    };
  }
  if (key === 'revalidate') {
    if (value === false || (typeof value === 'number' && value >= 0 && (Number.isInteger(value) || context.major < 15))) return undefined;
    const text = JSON.stringify(value);
    if (context.major < 15 && typeof value === 'number') return { summary: `invalid revalidate ${text}`, message: `Invalid configuration "revalidate": Expected "false | number (>= 0)", got "${text}".` };
    if (context.major < 15) return { summary: `invalid revalidate ${text}`, message: `Invalid revalidate value ${text} on "${url}", must be a non-negative number or "false"` };
    return { summary: `invalid revalidate ${text}`, message: `Invalid segment configuration options detected for "${url}". ${READ_MORE}: Invalid revalidate value ${text} on "${url}", must be a non-negative number or false at "revalidate"` };
  }
  if (key === 'dynamicParams' && typeof value !== 'boolean') return { summary: 'dynamicParams must be a boolean', message: `Invalid segment configuration options detected for "${url}": dynamicParams must be true or false.` };
  if (key === 'maxDuration' && (typeof value !== 'number' || value < 0)) return { summary: 'maxDuration must be a number', message: `Invalid segment configuration options detected for "${url}": maxDuration must be a non-negative number.` };
  if (key === 'preferredRegion' && !(typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string')))) {
    return { summary: 'preferredRegion must be a string or string[]', message: `Invalid segment configuration options detected for "${url}": preferredRegion must be a string or an array of strings.` };
  }
  return undefined;
}
