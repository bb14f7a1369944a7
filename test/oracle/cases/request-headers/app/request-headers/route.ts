export async function GET(request: Request) {
  return Response.json({ userAgent: request.headers.get('user-agent') });
}
