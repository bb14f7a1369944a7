import * as assert from 'node:assert/strict';
import { matchMetadataFile, isMetadataCodeFile } from '../../server/analysis/metadataRoutes';
import type { MetadataMatch } from '../../server/analysis/metadataRoutes';

// Expected URLs are what Next.js 16 (next@16.0.0 and next@16.4.6, createPagesMapping → normalizeMetadataRoute →
// normalizeMetadataPageToRoute → normalizeAppPath) gives for the same files; the hash suffixes were produced by
// Next's own djb2Hash, and `769mad` is also the expected value in Turbopack's metadata/mod.rs test.

const EXTS = ['tsx', 'ts', 'jsx', 'js'] as const;

interface Case {
  file: string;
  /** The folder as written under the app dir; the URL folder is derived by dropping groups and slots. */
  dir?: string;
  /** The folder's URL when it is not just `dir` without groups and slots. */
  url?: string;
  exts?: readonly string[];
  sitemaps?: boolean;
  imageMetadata?: boolean;
  expect: MetadataMatch | undefined;
}

/** Drops groups and `@slot` segments, as normalizeAppPath does. */
function urlOf(dirAppPath: string): string {
  const kept = dirAppPath.split('/').filter((s) => s !== '' && !(s.startsWith('(') && s.endsWith(')')) && !s.startsWith('@'));
  return '/' + kept.join('/');
}

function run(c: Case): MetadataMatch | undefined {
  const dir = c.dir ?? '/';
  return matchMetadataFile(c.file, c.url ?? urlOf(dir), dir, dir === '/', c.exts ?? EXTS, c.sitemaps, c.imageMetadata);
}

function title(c: Case): string {
  const flags = [c.sitemaps ? 'generateSitemaps' : '', c.imageMetadata ? 'generateImageMetadata' : ''].filter(Boolean);
  const exts = c.exts ? ` exts=${c.exts.join(',')}` : '';
  return `${c.dir ?? '/'} ${c.file}${flags.length ? ` (${flags.join(', ')})` : ''}${exts} -> ${c.expect ? `${c.expect.kind} ${c.expect.source} ${c.expect.url}` : 'not a metadata route'}`;
}

function table(name: string, cases: Case[]): void {
  describe(name, () => {
    for (const c of cases) {
      it(title(c), () => assert.deepEqual(run(c), c.expect));
    }
  });
}

const s = (kind: MetadataMatch['kind'], url: string): MetadataMatch => ({ kind, source: 'static', url });
const g = (kind: MetadataMatch['kind'], url: string): MetadataMatch => ({ kind, source: 'generated', url });

describe('metadataRoutes', () => {
  table('static extensions per kind (STATIC_METADATA_IMAGES)', [
    { file: 'icon.ico', expect: s('icon', '/icon.ico') },
    { file: 'icon.jpg', expect: s('icon', '/icon.jpg') },
    { file: 'icon.jpeg', expect: s('icon', '/icon.jpeg') },
    { file: 'icon.png', expect: s('icon', '/icon.png') },
    { file: 'icon.svg', expect: s('icon', '/icon.svg') },
    { file: 'icon.gif', expect: undefined },
    { file: 'icon.webp', expect: undefined },
    { file: 'apple-icon.jpg', expect: s('apple-icon', '/apple-icon.jpg') },
    { file: 'apple-icon.jpeg', expect: s('apple-icon', '/apple-icon.jpeg') },
    { file: 'apple-icon.png', expect: s('apple-icon', '/apple-icon.png') },
    { file: 'apple-icon.ico', expect: undefined },
    { file: 'apple-icon.svg', expect: undefined },
    { file: 'apple-icon.gif', expect: undefined },
    { file: 'opengraph-image.jpg', expect: s('opengraph-image', '/opengraph-image.jpg') },
    { file: 'opengraph-image.jpeg', expect: s('opengraph-image', '/opengraph-image.jpeg') },
    { file: 'opengraph-image.png', expect: s('opengraph-image', '/opengraph-image.png') },
    { file: 'opengraph-image.gif', expect: s('opengraph-image', '/opengraph-image.gif') },
    { file: 'opengraph-image.svg', expect: undefined },
    { file: 'opengraph-image.webp', expect: undefined },
    { file: 'twitter-image.jpg', expect: s('twitter-image', '/twitter-image.jpg') },
    { file: 'twitter-image.jpeg', expect: s('twitter-image', '/twitter-image.jpeg') },
    { file: 'twitter-image.png', expect: s('twitter-image', '/twitter-image.png') },
    { file: 'twitter-image.gif', expect: s('twitter-image', '/twitter-image.gif') },
    { file: 'twitter-image.ico', expect: undefined },
    { file: 'favicon.ico', expect: s('favicon', '/favicon.ico') },
    { file: 'favicon.png', expect: undefined },
    { file: 'sitemap.xml', expect: s('sitemap', '/sitemap.xml') },
    { file: 'sitemap.txt', expect: undefined },
    { file: 'robots.txt', expect: s('robots', '/robots.txt') },
    { file: 'robots.xml', expect: undefined },
    { file: 'manifest.json', expect: s('manifest', '/manifest.json') },
    { file: 'manifest.webmanifest', expect: s('manifest', '/manifest.webmanifest') },
    { file: 'manifest.txt', expect: undefined },
    // The regexes are case-sensitive.
    { file: 'Icon.png', expect: undefined },
    { file: 'icon.PNG', expect: undefined },
    { file: 'FAVICON.ico', expect: undefined },
  ]);

  table('alt text files, page files and look-alikes are not routes', [
    { file: 'opengraph-image.alt.txt', expect: undefined },
    { file: 'twitter-image.alt.txt', expect: undefined },
    { file: 'opengraph-image.alt.txt', dir: '/blog', expect: undefined },
    { file: 'route.ts', expect: undefined },
    { file: 'page.tsx', expect: undefined },
    { file: 'layout.tsx', expect: undefined },
    { file: 'not-found.tsx', expect: undefined },
    { file: 'icons.png', expect: undefined },
    { file: 'icon-dark.png', expect: undefined },
    { file: 'my-icon.png', expect: undefined },
    { file: 'sitemaps.ts', expect: undefined },
    { file: 'icon.d.ts', expect: undefined },
    { file: 'sitemap.d.ts', expect: undefined },
    { file: 'icon', expect: undefined },
    { file: 'sitemap', expect: undefined },
  ]);

  table('numbered variants: one digit, images only (`\\d?` in isMetadataRouteFile)', [
    { file: 'icon1.png', expect: s('icon', '/icon1.png') },
    { file: 'icon0.ico', expect: s('icon', '/icon0.ico') },
    { file: 'apple-icon2.jpg', expect: s('apple-icon', '/apple-icon2.jpg') },
    { file: 'opengraph-image3.gif', expect: s('opengraph-image', '/opengraph-image3.gif') },
    { file: 'twitter-image9.png', expect: s('twitter-image', '/twitter-image9.png') },
    { file: 'icon9.tsx', expect: g('icon', '/icon9') },
    { file: 'opengraph-image2.tsx', expect: g('opengraph-image', '/opengraph-image2') },
    { file: 'icon12.png', expect: undefined },
    { file: 'icon-1.png', expect: undefined },
    { file: 'icon1', expect: undefined },
    { file: 'favicon1.ico', expect: undefined },
    { file: 'sitemap1.xml', expect: undefined },
    { file: 'sitemap2.ts', expect: undefined },
    { file: 'robots1.txt', expect: undefined },
    { file: 'manifest1.json', expect: undefined },
  ]);

  table('generated (code) files: any page extension, for every kind but favicon', [
    { file: 'icon.tsx', expect: g('icon', '/icon') },
    { file: 'icon.ts', expect: g('icon', '/icon') },
    { file: 'icon.jsx', expect: g('icon', '/icon') },
    { file: 'icon.js', expect: g('icon', '/icon') },
    { file: 'apple-icon.tsx', expect: g('apple-icon', '/apple-icon') },
    { file: 'opengraph-image.tsx', expect: g('opengraph-image', '/opengraph-image') },
    { file: 'twitter-image.ts', expect: g('twitter-image', '/twitter-image') },
    { file: 'sitemap.ts', expect: g('sitemap', '/sitemap.xml') },
    { file: 'sitemap.js', expect: g('sitemap', '/sitemap.xml') },
    // The sitemap regex takes every page extension, tsx and jsx included.
    { file: 'sitemap.tsx', expect: g('sitemap', '/sitemap.xml') },
    { file: 'sitemap.jsx', expect: g('sitemap', '/sitemap.xml') },
    { file: 'robots.ts', expect: g('robots', '/robots.txt') },
    { file: 'robots.js', expect: g('robots', '/robots.txt') },
    { file: 'robots.tsx', expect: g('robots', '/robots.txt') },
    { file: 'manifest.ts', expect: g('manifest', '/manifest.webmanifest') },
    { file: 'manifest.js', expect: g('manifest', '/manifest.webmanifest') },
    { file: 'manifest.jsx', expect: g('manifest', '/manifest.webmanifest') },
    // favicon has no code form.
    { file: 'favicon.tsx', expect: undefined },
    { file: 'favicon.ts', expect: undefined },
  ]);

  table('page extensions come from next.config', [
    { file: 'icon.tsx', exts: ['ts', 'mdx'], expect: undefined },
    { file: 'icon.ts', exts: ['ts', 'mdx'], expect: g('icon', '/icon') },
    { file: 'icon.mdx', exts: ['ts', 'mdx'], expect: g('icon', '/icon') },
    { file: 'sitemap.mdx', exts: ['ts', 'mdx'], expect: g('sitemap', '/sitemap.xml') },
    { file: 'sitemap.tsx', exts: ['ts', 'mdx'], expect: undefined },
    { file: 'icon.page.tsx', exts: ['page.tsx', 'page.ts'], expect: g('icon', '/icon') },
    { file: 'robots.page.ts', exts: ['page.tsx', 'page.ts'], expect: g('robots', '/robots.txt') },
    { file: 'icon.tsx', exts: ['page.tsx', 'page.ts'], expect: undefined },
    // Static files do not depend on the page extensions.
    { file: 'icon.png', exts: ['page.tsx'], expect: s('icon', '/icon.png') },
    { file: 'robots.txt', exts: [], expect: s('robots', '/robots.txt') },
  ]);

  table('robots, manifest and favicon only at the app-dir root', [
    { file: 'robots.ts', dir: '/blog', expect: undefined },
    { file: 'robots.txt', dir: '/blog', expect: undefined },
    { file: 'manifest.ts', dir: '/blog', expect: undefined },
    { file: 'manifest.json', dir: '/blog', expect: undefined },
    { file: 'manifest.webmanifest', dir: '/blog', expect: undefined },
    { file: 'favicon.ico', dir: '/blog', expect: undefined },
    // A route group is a folder too: `^[\\/]robots` does not match `/(site)/robots.txt`.
    { file: 'robots.ts', dir: '/(site)', expect: undefined },
    { file: 'robots.txt', dir: '/(site)', expect: undefined },
    { file: 'manifest.json', dir: '/(site)', expect: undefined },
    { file: 'favicon.ico', dir: '/(site)', expect: undefined },
    { file: 'favicon.ico', dir: '/@modal', expect: undefined },
  ]);

  table('nested folders: sitemaps and images anywhere', [
    { file: 'sitemap.xml', dir: '/blog', expect: s('sitemap', '/blog/sitemap.xml') },
    { file: 'sitemap.ts', dir: '/blog', expect: g('sitemap', '/blog/sitemap.xml') },
    { file: 'sitemap.ts', dir: '/docs/[lang]', expect: g('sitemap', '/docs/[lang]/sitemap.xml') },
    { file: 'icon.png', dir: '/blog/[slug]', expect: s('icon', '/blog/[slug]/icon.png') },
    { file: 'icon.tsx', dir: '/blog/[slug]', expect: g('icon', '/blog/[slug]/icon') },
    { file: 'opengraph-image.tsx', dir: '/shop/[...path]', expect: g('opengraph-image', '/shop/[...path]/opengraph-image') },
    { file: 'twitter-image.png', dir: '/docs/[[...slug]]', expect: s('twitter-image', '/docs/[[...slug]]/twitter-image.png') },
    { file: 'apple-icon2.png', dir: '/a/b/c', expect: s('apple-icon', '/a/b/c/apple-icon2.png') },
  ]);

  table('hash suffix for route groups and parallel-route slots (getMetadataRouteSuffix)', [
    { file: 'icon.png', dir: '/(site)', expect: s('icon', '/icon-12o0cb.png') },
    { file: 'icon.tsx', dir: '/(site)', expect: g('icon', '/icon-12o0cb') },
    { file: 'icon1.png', dir: '/(site)', expect: s('icon', '/icon1-12o0cb.png') },
    { file: 'icon9.tsx', dir: '/(site)', expect: g('icon', '/icon9-12o0cb') },
    { file: 'opengraph-image.tsx', dir: '/(site)/blog/[slug]', expect: g('opengraph-image', '/blog/[slug]/opengraph-image-fx5gi7') },
    { file: 'opengraph-image.tsx', dir: '/(marketing)/about', expect: g('opengraph-image', '/about/opengraph-image-1v42b1') },
    { file: 'twitter-image.png', dir: '/client/(meme)/more-route', expect: s('twitter-image', '/client/more-route/twitter-image-769mad.png') },
    { file: 'icon.png', dir: '/@modal/photo', expect: s('icon', '/photo/icon-1fo7g9.png') },
    { file: 'icon.png', dir: '/dashboard/@stats', expect: s('icon', '/dashboard/icon-1txmhj.png') },
    { file: 'apple-icon1.png', dir: '/(shop)/[...all]', expect: s('apple-icon', '/[...all]/apple-icon1-eoofop.png') },
    { file: 'icon.png', dir: '/shop/(a)/(b)', expect: s('icon', '/shop/icon-cqfywh.png') },
    // A hash shorter than 6 base-36 digits is kept as is.
    { file: 'icon.png', dir: '/lookup/[domain]/(dns)', expect: s('icon', '/lookup/[domain]/icon-j9m0i.png') },
    // `%5F` in a folder name is read as `_` before hashing (createPagesMapping), and in the URL (the caller's job).
    { file: 'icon.png', dir: '/%5Fpriv/(g)', url: '/_priv', expect: s('icon', '/_priv/icon-1ljq5t.png') },
    // No group or slot, no suffix: `@children`, interception `(..)x` and plain parentheses don't count (16.x).
    { file: 'icon.png', dir: '/@children/x', expect: s('icon', '/x/icon.png') },
    { file: 'icon.png', dir: '/(..)photo', expect: s('icon', '/(..)photo/icon.png') },
    { file: 'icon.tsx', dir: '/feed/(.)photo', expect: g('icon', '/feed/(.)photo/icon') },
    // Sitemaps never get a suffix, generated or static (static since 16.0; 14.2 and 15.5 added one).
    { file: 'sitemap.ts', dir: '/(site)', expect: g('sitemap', '/sitemap.xml') },
    { file: 'sitemap.xml', dir: '/(site)', expect: s('sitemap', '/sitemap.xml') },
    { file: 'sitemap.xml', dir: '/@modal/photo', expect: s('sitemap', '/photo/sitemap.xml') },
    { file: 'sitemap.ts', dir: '/(site)/blog/[slug]', sitemaps: true, expect: g('sitemap', '/blog/[slug]/sitemap/[__metadata_id__]') },
  ]);

  table('generateImageMetadata / generateSitemaps add `/[__metadata_id__]` (normalizeMetadataPageToRoute)', [
    { file: 'icon.tsx', imageMetadata: true, expect: g('icon', '/icon/[__metadata_id__]') },
    { file: 'apple-icon.tsx', imageMetadata: true, expect: g('apple-icon', '/apple-icon/[__metadata_id__]') },
    { file: 'opengraph-image.tsx', dir: '/blog/[slug]', imageMetadata: true, expect: g('opengraph-image', '/blog/[slug]/opengraph-image/[__metadata_id__]') },
    { file: 'twitter-image2.ts', dir: '/(site)', imageMetadata: true, expect: g('twitter-image', '/twitter-image2-12o0cb/[__metadata_id__]') },
    { file: 'sitemap.ts', sitemaps: true, expect: g('sitemap', '/sitemap/[__metadata_id__]') },
    { file: 'sitemap.ts', dir: '/products', sitemaps: true, expect: g('sitemap', '/products/sitemap/[__metadata_id__]') },
    { file: 'sitemap.ts', sitemaps: false, imageMetadata: false, expect: g('sitemap', '/sitemap.xml') },
    { file: 'icon.tsx', imageMetadata: false, expect: g('icon', '/icon') },
    // Next checks `generateImageMetadata || generateSitemaps` whatever the kind.
    { file: 'icon.tsx', sitemaps: true, expect: g('icon', '/icon/[__metadata_id__]') },
    { file: 'sitemap.ts', imageMetadata: true, expect: g('sitemap', '/sitemap/[__metadata_id__]') },
    { file: 'robots.ts', sitemaps: true, expect: g('robots', '/robots.txt/[__metadata_id__]') },
    { file: 'manifest.ts', imageMetadata: true, expect: g('manifest', '/manifest.webmanifest/[__metadata_id__]') },
    // A static file exports nothing: the flags are ignored.
    { file: 'icon.png', imageMetadata: true, expect: s('icon', '/icon.png') },
    { file: 'sitemap.xml', sitemaps: true, expect: s('sitemap', '/sitemap.xml') },
    { file: 'favicon.ico', imageMetadata: true, expect: s('favicon', '/favicon.ico') },
  ]);

  describe('arguments', () => {
    it('accepts a dirUrl or dirAppPath with a trailing slash', () => {
      assert.deepEqual(matchMetadataFile('icon.png', '/blog/', '/(site)/blog/', false, EXTS), s('icon', '/blog/icon-' + suffixOf('/(site)/blog') + '.png'));
    });
    it('accepts a dirAppPath without a leading slash', () => {
      assert.deepEqual(matchMetadataFile('icon.tsx', '/', '(site)', false, EXTS), g('icon', '/icon-12o0cb'));
    });
    it('accepts backslash separators in dirAppPath', () => {
      assert.deepEqual(matchMetadataFile('icon.tsx', '/blog/[slug]', '\\(site)\\blog\\[slug]', false, EXTS), g('icon', '/blog/[slug]/icon-fx5gi7'));
    });
    it('recognizes root-only kinds by atAppDirRoot, not by the paths', () => {
      assert.equal(matchMetadataFile('robots.ts', '/', '/', false, EXTS), undefined);
      assert.deepEqual(matchMetadataFile('robots.ts', '/', '/', true, EXTS), g('robots', '/robots.txt'));
    });
  });

  describe('isMetadataCodeFile', () => {
    const yes = ['icon.tsx', 'icon.ts', 'icon.jsx', 'icon.js', 'icon1.tsx', 'apple-icon.tsx', 'opengraph-image.tsx', 'opengraph-image2.ts', 'twitter-image.js', 'sitemap.ts', 'sitemap.tsx', 'robots.ts', 'manifest.ts'];
    const no = ['icon.png', 'icon1.png', 'favicon.ico', 'favicon.tsx', 'sitemap.xml', 'robots.txt', 'manifest.json', 'manifest.webmanifest', 'opengraph-image.alt.txt', 'route.ts', 'page.tsx', 'layout.tsx', 'icon12.tsx', 'icons.tsx', 'sitemap1.ts', 'icon.d.ts', 'utils.ts'];
    for (const name of yes) it(`${name} is metadata code`, () => assert.equal(isMetadataCodeFile(name, EXTS), true));
    for (const name of no) it(`${name} is not metadata code`, () => assert.equal(isMetadataCodeFile(name, EXTS), false));
    it('follows the page extensions', () => {
      assert.equal(isMetadataCodeFile('icon.mdx', ['mdx']), true);
      assert.equal(isMetadataCodeFile('icon.tsx', ['mdx']), false);
      assert.equal(isMetadataCodeFile('sitemap.page.ts', ['page.ts']), true);
    });
  });
});

/** The suffix Next gives the folder, read back through a generated icon there. */
function suffixOf(dirAppPath: string): string {
  const url = matchMetadataFile('icon.tsx', '/', dirAppPath, false, EXTS)?.url ?? '';
  return url.slice('/icon-'.length);
}
