import { cookies } from 'next/headers';

async function getTheme() {
  'use cache';
  const store = await cookies();
  return { theme: store.get('theme')?.value ?? null };
}

export async function GET() {
  return Response.json(await getTheme());
}
