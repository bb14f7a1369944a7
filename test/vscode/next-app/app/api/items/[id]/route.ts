// GET and PUT only: a PATCH answers 405, which the tests expect to be explained.
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return Response.json({ id });
}

export async function PUT(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { title } = await request.json();
  return Response.json({ id, title });
}
