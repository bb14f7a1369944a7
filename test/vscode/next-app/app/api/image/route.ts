export const dynamic = 'force-dynamic';

// A 1x1 transparent PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

export async function GET() {
  return new Response(Buffer.from(PNG, 'base64'), { headers: { 'Content-Type': 'image/png' } });
}
