export async function GET() {
  const res = await fetch('http://127.0.0.1:47391/fetch-force-cache', { cache: 'force-cache' });
  return Response.json(await res.json());
}
