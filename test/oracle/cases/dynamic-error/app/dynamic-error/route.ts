export const dynamic = 'error';

export async function GET() {
  return Response.json({ ok: true });
}
