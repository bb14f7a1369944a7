export const revalidate = 60 * 2;

export async function GET() {
  return Response.json({ ok: true });
}
