import { cookies } from 'next/headers';

type Handler = (request: Request) => Promise<Response>;

function withSession(handler: Handler): Handler {
  return async (request) => {
    const store = await cookies();
    if (!store.get('session')) return Response.json({ error: 'signed out' }, { status: 401 });
    return handler(request);
  };
}

export const GET = withSession(async () => Response.json({ ok: true }));
