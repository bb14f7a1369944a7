export const fetchCache = 'force-cache';
export const revalidate = 3600;

export async function GET() {
  const res = await fetch('http://127.0.0.1:47391/fc-force-cache--force-cache', { cache: 'force-cache' });
  return Response.json(await res.json());
}
