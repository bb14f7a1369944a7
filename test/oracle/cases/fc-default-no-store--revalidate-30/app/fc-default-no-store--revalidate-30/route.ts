export const fetchCache = 'default-no-store';
export const revalidate = 3600;

export async function GET() {
  const res = await fetch('http://127.0.0.1:47391/fc-default-no-store--revalidate-30', { next: { revalidate: 30 } });
  return Response.json(await res.json());
}
