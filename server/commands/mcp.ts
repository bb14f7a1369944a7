// `route-atlas mcp`: placeholder until the command is built.
export function runMcpCommand(_argv: string[], _out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  err.write('route-atlas mcp: not available yet\n');
  return 2;
}
