export const appRouter = {};
