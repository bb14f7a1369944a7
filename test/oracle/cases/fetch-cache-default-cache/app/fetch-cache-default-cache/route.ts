export const fetchCache = 'default-cache';

export async function GET() {
  return Response.json({ ok: true });
}
