import { cookies } from 'next/headers';

async function getData() {
  'use cache';
  return { at: Date.now() };
}

export async function GET() {
  const store = await cookies();
  return Response.json({ ...(await getData()), theme: store.get('theme')?.value ?? null });
}
