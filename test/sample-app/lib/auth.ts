import { cookies } from 'next/headers';

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

export async function getSession() {
  const token = (await cookies()).get('session')?.value;
  return token ? { userId: token } : null;
}

export function withAuth(handler: Handler): Handler {
  return async (request, context) => {
    const session = await getSession();
    if (!session) return Response.json({ error: 'unauthorized' }, { status: 401 });
    return handler(request, context);
  };
}

const authHandler = async (request: Request) => Response.json({ provider: new URL(request.url).pathname });
export const handlers = { GET: authHandler, POST: authHandler };
