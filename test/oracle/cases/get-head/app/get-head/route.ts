export async function GET() {
  return Response.json({ ok: true });
}

export async function HEAD() {
  return Response.json({ ok: true });
}
