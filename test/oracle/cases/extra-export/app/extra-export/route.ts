export const helper = 42;

export async function GET() {
  return Response.json({ ok: true });
}
