// `route-atlas openapi`: placeholder until the command is built.
export function runOpenApiCommand(_argv: string[], _out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  err.write('route-atlas openapi: not available yet\n');
  return 2;
}
