export const dynamic = 'force-static';

export async function GET() {
  const body = '<?xml version="1.0"?><rss version="2.0"><channel><title>Shop</title></channel></rss>';
  return new Response(body, { headers: { 'content-type': 'application/rss+xml' } });
}
