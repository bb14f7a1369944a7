import { withAuth } from '@/lib/auth';

type Context = { params: Promise<{ id: string }> };

export const GET = withAuth(async (_request: Request, { params }: Context) => {
  const { id } = await params;
  return Response.json({ id });
});

export const PUT = withAuth(async (request: Request, { params }: Context) => {
  const { id } = await params;
  const { name, email } = await request.json();
  return Response.json({ id, name, email });
});

export const DELETE = withAuth(async () => new Response(null, { status: 204 }));
