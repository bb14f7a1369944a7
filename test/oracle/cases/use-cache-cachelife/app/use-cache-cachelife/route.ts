import { cacheLife } from 'next/cache';

async function getData() {
  'use cache';
  cacheLife('minutes');
  return { at: Date.now() };
}

export async function GET() {
  return Response.json(await getData());
}
