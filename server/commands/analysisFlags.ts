// The flags every command that analyzes takes (the scan, openapi, diff, mcp), read one way.
import { SUPPORTED_MAJORS } from '../analysis/nextVersion';

export interface AnalysisFlags {
  nextVersion?: number;
  cacheComponents?: boolean;
  cache: boolean;
}

/**
 * Reads the flag at `argv[index]` into `options` when it is one of the shared ones, and returns the index of its
 * last word (`--next-version 15` takes two); undefined when it is not one of them. A bad value goes to `fail`,
 * which throws the command's own usage error.
 */
export function readAnalysisFlag(argv: readonly string[], index: number, options: AnalysisFlags, fail: (message: string) => never): number | undefined {
  const arg = argv[index];
  if (arg === '--cache-components') options.cacheComponents = true;
  else if (arg === '--no-cache-components') options.cacheComponents = false;
  else if (arg === '--no-cache') options.cache = false;
  else if (arg === '--next-version' || arg.startsWith('--next-version=')) {
    const inline = arg.startsWith('--next-version=');
    const value = inline ? arg.slice('--next-version='.length) : argv[index + 1];
    const major = Number(value);
    if (!value || !SUPPORTED_MAJORS.includes(major)) fail(`--next-version must be one of ${SUPPORTED_MAJORS.join(', ')}, got ${value || 'nothing'}`);
    options.nextVersion = major;
    return inline ? index : index + 1;
  } else return undefined;
  return index;
}
