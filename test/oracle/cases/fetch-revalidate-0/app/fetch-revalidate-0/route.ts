export async function GET() {
  const res = await fetch('http://127.0.0.1:47391/fetch-revalidate-0', { next: { revalidate: 0 } });
  return Response.json(await res.json());
}
