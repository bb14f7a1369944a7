async function getData() {
  'use cache';
  return { at: Date.now() };
}

export async function GET() {
  return Response.json(await getData());
}
