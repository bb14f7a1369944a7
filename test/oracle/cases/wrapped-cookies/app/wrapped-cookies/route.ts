import { cookies } from 'next/headers';
import { withX } from '../../lib/withX';

export const GET = withX(async () => {
  const store = await cookies();
  return Response.json({ theme: store.get('theme')?.value ?? null });
});
