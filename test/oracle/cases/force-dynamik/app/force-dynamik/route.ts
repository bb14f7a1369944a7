export const dynamic = 'force-dynamik';

export async function GET() {
  return Response.json({ ok: true });
}
