const handler = async (request: Request, { params }: { params: Promise<{ slug?: string[] }> }) => {
  const { slug = [] } = await params;
  return Response.json({ path: slug.join('/'), method: request.method });
};

export { handler as GET, handler as HEAD };
