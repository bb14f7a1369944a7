export function generateStaticParams() {
  return [{ id: 'a' }, { id: 'b' }];
}

export async function GET() {
  return Response.json({ ok: true });
}
