export const dynamic = 'force-dynamic';

// /api/redirect?hops=N redirects N times, then lands on /api/echo?from=redirect.
export async function GET(request: Request) {
  const url = new URL(request.url);
  const hops = Number(url.searchParams.get('hops') ?? '1');
  const next = hops > 1 ? `/api/redirect?hops=${hops - 1}` : '/api/echo?from=redirect';
  return new Response(null, { status: hops > 1 ? 302 : 307, headers: { Location: next } });
}
