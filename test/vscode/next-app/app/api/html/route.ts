export const dynamic = 'force-dynamic';

// A hostile body: a viewer that renders it as HTML would run both scripts.
export async function GET() {
  return new Response('<script>alert(1)</script><img src=x onerror=alert(2)>', { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}
