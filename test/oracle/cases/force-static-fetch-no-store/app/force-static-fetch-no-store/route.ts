export const dynamic = 'force-static';

export async function GET() {
  const res = await fetch('http://127.0.0.1:47391/force-static-fetch-no-store', { cache: 'no-store' });
  return Response.json(await res.json());
}
