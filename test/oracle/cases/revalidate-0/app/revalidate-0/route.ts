export const revalidate = 0;

export async function GET() {
  return Response.json({ ok: true });
}
