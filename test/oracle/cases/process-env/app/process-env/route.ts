export async function GET() {
  return Response.json({ value: process.env.ROUTE_ATLAS_ORACLE_ENV ?? 'unset' });
}
