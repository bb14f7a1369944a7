export const fetchCache = 'auto';
export const revalidate = 3600;

export async function GET() {
  const res = await fetch('http://127.0.0.1:47391/fc-auto--no-store', { cache: 'no-store' });
  return Response.json(await res.json());
}
