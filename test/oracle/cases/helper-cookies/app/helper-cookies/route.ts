import { readThemeCookie } from '../../lib/readThemeCookie';

export async function GET() {
  return Response.json({ theme: await readThemeCookie() });
}
