import { cookies } from 'next/headers';

export const revalidate = 60;

export async function GET() {
  const store = await cookies();
  return Response.json({ theme: store.get('theme')?.value ?? null });
}
