// Plain, serializable data: the route manifest and everything in it.
// Nothing here may reference editor or LSP types; the LSP adapter converts.

/** Version of the manifest JSON format. Bump the major on any incompatible change. */
export const MANIFEST_VERSION = '1.0';

/** The seven methods Next.js dispatches to a route handler. */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** A source range, 1-based lines and columns (as editors and `file:line:col` show them), end exclusive. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A span in a named file (relative to the scanned root, `/` separators). */
export interface Location {
  file: string;
  span: Span;
}

export type Severity = 'error' | 'warning' | 'info';

/** Something the scan or a check wants a person to know. */
export interface Problem {
  /** Stable id: the diagnostic code, the setting key and the test key. */
  id: string;
  severity: Severity;
  message: string;
  file?: string;
  span?: Span;
  /** Other places that take part (the other file of a conflict, say). */
  related?: Array<Location & { message: string }>;
  /** A text edit that fixes the problem, when one is clear. */
  fix?: QuickFix;
  /** True when this problem makes `next build` fail for the app's Next.js version and bundler. */
  failsBuild?: boolean;
}

/** A text edit that fixes a problem; `span` is replaced by `newText` (an empty span inserts). */
export interface QuickFix {
  title: string;
  edits: Array<{ file: string; span: Span; newText: string }>;
}

/** How a value from a config file or a segment-config export was read. */
export type StaticValue<T> =
  | {
      known: true;
      value: T;
      span?: Span;
      file?: string;
      /** Destructured from a factory call (see the unknown variant): not read by Next's static reader. */
      destructured?: true;
    }
  | {
      known: false;
      reason: string;
      text?: string;
      span?: Span;
      file?: string;
      /** The value at run time, when simple constant folding finds it (Next.js 14 reads run-time values). */
      evaluated?: T;
      /**
       * Bound by destructuring (`export const { GET, revalidate } = createRoute(…)`): Next's static reader does
       * not see it, so it is neither rejected nor applied at build; the module's run-time value still counts.
       */
      destructured?: true;
    };

export type ParamKind = 'dynamic' | 'catchAll' | 'optionalCatchAll';

/** A dynamic URL segment. */
export interface RouteParam {
  name: string;
  kind: ParamKind;
}

/** How a method arrived at the route module's exports. */
export type ExportForm =
  | 'function' //          export async function GET() {}
  | 'const' //             export const GET = async () => {} / function () {}
  | 'wrapped' //           export const GET = withAuth(async (req) => {})
  | 'alias' //             export const POST = GET / export { handler as GET }
  | 'destructured' //      export const { GET, POST } = handlers
  | 'imported' //          import { GET } from './x'; export { GET }
  | 'reexport' //          export { GET } from '../route'
  | 'exportStar'; //       export * from '../route'

/** One exported HTTP method of a route handler. */
export interface RouteMethod {
  /** The method name as exported (always upper case for a method Next.js serves). */
  name: HttpMethod;
  /** True for the methods Next.js adds itself: OPTIONS always, HEAD where GET exists. */
  implicit?: boolean;
  form?: ExportForm;
  /** Where the name is exported, in the route file. */
  span?: Span;
  /** Where the handler's code is, when it is elsewhere (a wrapper's callback, another module). */
  definition?: Location;
  /** Wrapper calls around the handler, outermost first: `withAuth`, `compose(...)`. */
  wrappers?: string[];
  /** What a request builder needs; absent when the handler's code could not be found. */
  request?: HandlerRequestInfo;
}

/** What a handler reads from a request and what it answers, as far as it is literal. */
export interface HandlerRequestInfo {
  /**
   * Query parameter names, sorted: `searchParams.get('q')`, keys read from a query object (`getSearchParams(req.url)`,
   * the `searchParams` a wrapper hands its handler), the fields of a schema that parses the query, and what the
   * wrappers and the helpers passed the request read.
   */
  query: string[];
  body?: {
    kind: 'json' | 'formData' | 'text';
    /** Top-level field names read from the body or listed by its schema, in first-seen order. */
    fields: string[];
    /** The schema that validates the body (`schema.parse(await req.json())`, also through a helper that returns it), when found. */
    schema?: string;
  };
  /** Headers read by name (`request.headers.get('x')`, `headers().get('x')`). */
  headers: string[];
  /** Literal status codes the handler can answer with. */
  statuses: number[];
}

/** Every export of a route module other than a served method. */
export interface OtherExport {
  name: string;
  /** `default`, a `config` object, a lowercase method, a segment-config name, or a plain helper. */
  kind: 'default' | 'segmentConfig' | 'lowercaseMethod' | 'other';
  span?: Span;
  file?: string;
}

/** The segment-config exports of a route module, each as read statically. */
export interface SegmentConfig {
  dynamic?: StaticValue<string>;
  revalidate?: StaticValue<number | false>;
  fetchCache?: StaticValue<string>;
  runtime?: StaticValue<string>;
  preferredRegion?: StaticValue<string | string[]>;
  maxDuration?: StaticValue<number>;
  dynamicParams?: StaticValue<boolean>;
  /** Present when `generateStaticParams` is exported; the value is always `true`. */
  generateStaticParams?: StaticValue<true>;
}

export const SEGMENT_CONFIG_KEYS = [
  'dynamic',
  'revalidate',
  'fetchCache',
  'runtime',
  'preferredRegion',
  'maxDuration',
  'dynamicParams',
  'generateStaticParams',
] as const;
export type SegmentConfigKey = (typeof SEGMENT_CONFIG_KEYS)[number];

export type RouteKind =
  | 'route' //    a Route Handler: route.ts
  | 'sitemap'
  | 'robots'
  | 'manifest'
  | 'icon'
  | 'apple-icon'
  | 'favicon'
  | 'opengraph-image'
  | 'twitter-image';

/** The verdict for a GET (or a metadata route) under the app's Next.js version and config. */
export type CachingKind = 'static' | 'isr' | 'ssg' | 'ssg-isr' | 'dynamic' | 'error' | 'unknown';

export interface CachingReason {
  message: string;
  location?: Location;
  /** Calls that lead from the handler to the reason, outermost first. */
  chain?: Location[];
}

export interface CachingVerdict {
  kind: CachingKind;
  /** Seconds, for `isr` and `ssg-isr`. */
  revalidate?: number;
  /**
   * For `dynamic`: what made it so, in a few words for badges and lenses: `default` (Next.js 15 and 16 cache
   * no GET without an opt-in), `cookies()`, `also exports POST`, `force-dynamic`, ...
   */
  because?: string;
  reasons: CachingReason[];
}

/** One URL the app serves from a file under its app dir. */
export interface Route {
  /** The URL pattern as Next.js writes it: `/api/users/[id]`; groups and slots dropped; no basePath. */
  url: string;
  /** `basePath` + url (+ a trailing slash with `trailingSlash: true`): what a client requests. */
  publicPath: string;
  /** The route file, relative to the scanned root, `/` separators. */
  file: string;
  /** The app root this route belongs to, relative to the scanned root (`.` for the root itself). */
  appRoot: string;
  kind: RouteKind;
  /** For metadata routes: `static` for a file served as is (icon.png), `generated` for code (icon.tsx). */
  metadataSource?: 'static' | 'generated';
  methods: RouteMethod[];
  params: RouteParam[];
  /** Set when the path passes through an intercepting segment such as `(..)photo`. */
  intercepting?: boolean;
  segmentConfig: SegmentConfig;
  otherExports: OtherExport[];
  caching?: CachingVerdict;
}

/** A `page` file: not served by us, but needed to find route/page conflicts. */
export interface PageEntry {
  url: string;
  file: string;
}

export interface NextVersionInfo {
  /** Exact version when installed, else the range from package.json. */
  version?: string;
  /** The major version the analysis uses. */
  major: number;
  source: 'installed' | 'package.json' | 'override' | 'default';
  file?: string;
}

/** The parts of next.config.* the analysis uses, each read without executing it. */
export interface NextConfigInfo {
  /** The config file, relative to the scanned root; absent when the app has none. */
  file?: string;
  pageExtensions: StaticValue<string[]>;
  basePath: StaticValue<string>;
  trailingSlash: StaticValue<boolean>;
  /** `cacheComponents`, or its predecessors `experimental.dynamicIO` / `experimental.cacheComponents`. */
  cacheComponents: StaticValue<boolean>;
  /** `experimental.ppr` as written. */
  ppr?: StaticValue<boolean | string>;
  output?: StaticValue<string>;
  /** `typescript.ignoreBuildErrors`: `next build` then skips its type check, and type errors no longer fail it. */
  ignoreBuildErrors?: StaticValue<boolean>;
  /** `experimental.useCache`: 'use cache' without cacheComponents. */
  useCache?: StaticValue<boolean>;
}

/** One Next.js app: a folder with next.config.* or a package.json that depends on `next`, and an app dir. */
export interface AppManifest {
  /** Relative to the scanned root; `.` for the root itself. */
  root: string;
  name?: string;
  /** The app dir Next.js uses: `app` or `src/app`, relative to the app root. */
  appDir: string;
  nextVersion: NextVersionInfo;
  config: NextConfigInfo;
  /** Which bundler `next build` uses, read from the build script. */
  bundler: 'webpack' | 'turbopack';
  routes: Route[];
  pages: PageEntry[];
  problems: Problem[];
}

export interface RouteManifest {
  manifestVersion: string;
  generator: { name: 'route-atlas'; version: string };
  /** The scanned folder, absolute. */
  root: string;
  apps: AppManifest[];
  /** Problems that belong to no app: unreadable folders, symlink loops, app roots without an app dir. */
  problems: Problem[];
}
