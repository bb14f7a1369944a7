import { cookies } from 'next/headers';

export async function readThemeCookie() {
  const store = await cookies();
  return store.get('theme')?.value ?? null;
}
