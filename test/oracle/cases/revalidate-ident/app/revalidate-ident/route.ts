const REVALIDATE_SECONDS = 60;
export const revalidate = REVALIDATE_SECONDS;

export async function GET() {
  return Response.json({ ok: true });
}
