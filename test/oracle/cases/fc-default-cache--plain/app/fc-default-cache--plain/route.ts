export const fetchCache = 'default-cache';
export const revalidate = 3600;

export async function GET() {
  const res = await fetch('http://127.0.0.1:47391/fc-default-cache--plain');
  return Response.json(await res.json());
}
