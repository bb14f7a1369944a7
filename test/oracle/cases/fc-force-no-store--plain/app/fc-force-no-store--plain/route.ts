export const fetchCache = 'force-no-store';
export const revalidate = 3600;

export async function GET() {
  const res = await fetch('http://127.0.0.1:47391/fc-force-no-store--plain');
  return Response.json(await res.json());
}
