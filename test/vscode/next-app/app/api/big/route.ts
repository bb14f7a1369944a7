export const dynamic = 'force-dynamic';

// 1.5 MB of text: more than the response view shows.
export async function GET() {
  return new Response('0123456789abcdef'.repeat(96 * 1024), { headers: { 'Content-Type': 'text/plain' } });
}
