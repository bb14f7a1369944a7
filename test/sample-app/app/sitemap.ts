export default function sitemap() {
  return [{ url: 'https://shop.example/', lastModified: new Date() }];
}
