export const dynamic = 'auto';

export async function GET() {
  return Response.json({ ok: true });
}
