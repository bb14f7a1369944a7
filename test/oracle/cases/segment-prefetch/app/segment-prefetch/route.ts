export const prefetch = 'auto';

export async function GET() {
  return Response.json({ ok: true });
}
