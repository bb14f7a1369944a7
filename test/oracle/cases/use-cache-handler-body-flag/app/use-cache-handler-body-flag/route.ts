export async function GET() {
  'use cache';
  return Response.json({ at: Date.now() });
}
