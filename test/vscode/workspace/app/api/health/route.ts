// A static GET: no request data, no dynamic APIs, so Next.js prerenders it at build time.
export async function GET() {
  return Response.json({ ok: true });
}
