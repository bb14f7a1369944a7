import type { NextRequest } from 'next/server';

export async function GET(request: NextRequest) {
  return Response.json({ theme: request.cookies.get('theme')?.value ?? null });
}
