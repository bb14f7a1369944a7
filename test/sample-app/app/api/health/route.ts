export const revalidate = 60;

export function GET() {
  return Response.json({ ok: true, at: new Date().toISOString() });
}
