export const unstable_paramMatching = { id: 'a' };

export function generateStaticParams() {
  return [{ id: 'a' }];
}

export async function GET() {
  return Response.json({ ok: true });
}
