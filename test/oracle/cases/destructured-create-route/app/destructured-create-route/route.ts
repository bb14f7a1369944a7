function createRoute(options: { maxDuration: number }) {
  return {
    GET: async () => Response.json({ ok: true }),
    POST: async () => Response.json({ ok: true }),
    maxDuration: options.maxDuration,
  };
}

export const { GET, POST, maxDuration } = createRoute({ maxDuration: 30 });
