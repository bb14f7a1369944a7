export async function get() {
  return Response.json({ ok: true });
}
