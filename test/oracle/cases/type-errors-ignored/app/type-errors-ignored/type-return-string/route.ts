export async function GET(): Promise<Response | string> {
  return Response.json({ ok: true });
}
