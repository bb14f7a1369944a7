const users = [
  { id: '1', name: 'Ada' },
  { id: '2', name: 'Linus' },
];

export async function GET(request: Request) {
  const q = new URL(request.url).searchParams.get('q') ?? '';
  return Response.json(users.filter((u) => u.name.toLowerCase().includes(q.toLowerCase())));
}

export async function POST(request: Request) {
  const body = (await request.json()) as { name?: string };
  if (!body.name) {
    return Response.json({ error: 'name is required' }, { status: 400 });
  }
  return Response.json({ id: String(users.length + 1), name: body.name }, { status: 201 });
}
