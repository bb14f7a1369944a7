// How `--check --format` writes problems: placeholder until the formats are built.
import type { Problem } from '../analysis/model';

export const CHECK_FORMATS = ['text'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

export function formatCheck(problems: readonly Problem[], _format: CheckFormat, formatProblem: (p: Problem) => string): string {
  return problems.map((p) => formatProblem(p) + '\n').join('');
}
