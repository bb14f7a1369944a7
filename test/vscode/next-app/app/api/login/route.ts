import { cookies } from 'next/headers';

export async function POST(request: Request) {
  const { user } = await request.json();
  const jar = await cookies();
  jar.set('session', `user-${user}`, { path: '/', httpOnly: true });
  return Response.json({ ok: true });
}
