export const unstable_dynamicStaleTime = 30;

export async function GET() {
  return Response.json({ ok: true });
}
