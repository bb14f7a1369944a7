import { NextRequest, NextResponse } from 'next/server';
import { z } from 'zod';

const CreateUser = z.object({
  name: z.string().min(1),
  email: z.string().email(),
  role: z.enum(['admin', 'member']).optional(),
});

export async function GET(request: NextRequest) {
  const page = Number(request.nextUrl.searchParams.get('page') ?? '1');
  const q = request.nextUrl.searchParams.get('q');
  return NextResponse.json({ page, q, users: [] });
}

export async function POST(request: Request) {
  const parsed = CreateUser.safeParse(await request.json());
  if (!parsed.success) {
    return NextResponse.json({ error: parsed.error.flatten() }, { status: 400 });
  }
  return NextResponse.json({ id: crypto.randomUUID(), ...parsed.data }, { status: 201 });
}
