export async function GET() {
  return Response.json({ ok: true });
}

export async function OPTIONS() {
  return Response.json({ ok: true });
}
