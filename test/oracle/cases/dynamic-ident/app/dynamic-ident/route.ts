const MODE = 'force-static';
export const dynamic = MODE;

export async function GET(request: Request) {
  return Response.json({ url: request.url });
}
