import { cookies } from 'next/headers';

export const dynamic = 'force-static';

export async function GET() {
  const store = await cookies();
  return Response.json({ theme: store.get('theme')?.value ?? null });
}
