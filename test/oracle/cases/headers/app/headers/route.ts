import { headers } from 'next/headers';

export async function GET() {
  const list = await headers();
  return Response.json({ userAgent: list.get('user-agent') });
}
