export async function GET() {
  return Response.json({ ok: true });
}

export async function PATCH() {
  return Response.json({ ok: true });
}
