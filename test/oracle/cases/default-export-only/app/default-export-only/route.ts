export default async function handler() {
  return Response.json({ ok: true });
}
