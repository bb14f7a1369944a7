export async function GET(request: { headers: Headers }) {
  return Response.json({ agent: request.headers.get('user-agent') });
}
