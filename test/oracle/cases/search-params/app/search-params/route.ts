import type { NextRequest } from 'next/server';

export async function GET(request: NextRequest) {
  return Response.json({ q: request.nextUrl.searchParams.get('q') });
}
