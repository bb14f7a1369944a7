import { withX } from '../../lib/withX';

export const GET = withX(async () => Response.json({ ok: true }));
