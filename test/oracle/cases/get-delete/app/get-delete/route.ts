export async function GET() {
  return Response.json({ ok: true });
}

export async function DELETE() {
  return Response.json({ ok: true });
}
