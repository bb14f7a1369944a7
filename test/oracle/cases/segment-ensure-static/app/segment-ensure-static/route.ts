export const ensureStatic = 'auto';

export async function GET() {
  return Response.json({ ok: true });
}
