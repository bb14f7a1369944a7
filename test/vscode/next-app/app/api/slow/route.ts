export const dynamic = 'force-dynamic';

export async function GET(request: Request) {
  const ms = Number(new URL(request.url).searchParams.get('ms') ?? '5000');
  await new Promise((resolve) => setTimeout(resolve, ms));
  return Response.json({ waited: ms });
}
