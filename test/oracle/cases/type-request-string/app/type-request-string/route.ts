export async function GET(request: string) {
  return Response.json({ request });
}
