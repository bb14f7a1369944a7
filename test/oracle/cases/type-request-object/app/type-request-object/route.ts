export async function GET(request: { user: string }) {
  return Response.json({ user: request.user });
}
