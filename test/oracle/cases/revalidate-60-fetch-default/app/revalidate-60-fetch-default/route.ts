export const revalidate = 60;

export async function GET() {
  const res = await fetch('http://127.0.0.1:47391/revalidate-60-fetch-default');
  return Response.json(await res.json());
}
