function createRoute(options: { revalidate: number }) {
  return {
    GET: async () => Response.json({ at: Date.now() }),
    revalidate: options.revalidate,
  };
}

export const { GET, revalidate } = createRoute({ revalidate: 60 });
