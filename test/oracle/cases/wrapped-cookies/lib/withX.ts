type Handler = (request: Request) => Promise<Response>;

/** Wraps a handler the way auth or logging helpers do. */
export function withX(handler: Handler): Handler {
  return async (request) => {
    try {
      return await handler(request);
    } catch {
      return Response.json({ error: true }, { status: 500 });
    }
  };
}
