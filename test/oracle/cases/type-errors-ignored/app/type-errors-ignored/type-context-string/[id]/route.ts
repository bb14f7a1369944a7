export async function GET(request: Request, id: string) {
  return Response.json({ id });
}
