export const dynamic = 'force-dynamic';

// Three server-sent events, 300 ms apart, so that a client can show them as they arrive.
export async function GET() {
  const encoder = new TextEncoder();
  const stream = new ReadableStream({
    async start(controller) {
      for (let i = 1; i <= 3; i++) {
        controller.enqueue(encoder.encode(`data: tick ${i}\n\n`));
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      controller.close();
    },
  });
  return new Response(stream, { headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' } });
}
