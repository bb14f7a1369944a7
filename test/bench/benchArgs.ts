// The options both benchmark parts read the same way.

/** The value of `--name value` or `--name=value`, if given. */
export function optionValue(argv: readonly string[], name: string): string | undefined {
  const i = argv.findIndex((a) => a === name || a.startsWith(name + '='));
  if (i < 0) return undefined;
  return argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
}

/** The options every part takes: app sizes (`--sizes 100,1_000`), runs per cell, the generator's seed, and the two switches. */
export function commonOptions(argv: readonly string[], defaultSizes: readonly number[]): { sizes: number[]; runs: number; seed: number; strict: boolean; regenerate: boolean } {
  const sizes = optionValue(argv, '--sizes')
    ?.split(',')
    .map((s) => Number(s.trim().replace(/_/g, '')))
    .filter((n) => Number.isInteger(n) && n > 0);
  return {
    sizes: sizes && sizes.length > 0 ? sizes : [...defaultSizes],
    runs: Math.max(1, Number(optionValue(argv, '--runs') ?? 3) || 3),
    seed: Number(optionValue(argv, '--seed') ?? 1) || 1,
    strict: argv.includes('--strict'),
    regenerate: argv.includes('--regenerate'),
  };
}
