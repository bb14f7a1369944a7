import { unstable_noStore } from 'next/cache';

export async function GET() {
  unstable_noStore();
  return Response.json({ ok: true });
}
