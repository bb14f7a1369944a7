// `route-atlas diff`: placeholder until the command is built.
export function runDiffCommand(_argv: string[], _out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  err.write('route-atlas diff: not available yet\n');
  return 2;
}
