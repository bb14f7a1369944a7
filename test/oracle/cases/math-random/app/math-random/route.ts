export async function GET() {
  return Response.json({ n: Math.random() });
}
