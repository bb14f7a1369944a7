export const revalidate = 120;

export async function GET() {
  const res = await fetch('http://127.0.0.1:47391/revalidate-120-fetch-60', { next: { revalidate: 60 } });
  return Response.json(await res.json());
}
