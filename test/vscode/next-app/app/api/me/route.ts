import { cookies } from 'next/headers';

export async function GET() {
  const session = (await cookies()).get('session');
  if (!session) return Response.json({ error: 'not logged in' }, { status: 401 });
  return Response.json({ user: session.value.replace(/^user-/, '') });
}
