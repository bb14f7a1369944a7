// Conflicts with ./page.tsx: both resolve to /about (route-page-conflict).
export async function GET() {
  return new Response('about', { headers: { 'content-type': 'text/plain' } });
}
