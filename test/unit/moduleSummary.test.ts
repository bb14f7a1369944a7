import * as assert from 'node:assert/strict';
import { type ModuleSummary, summarizeModule } from '../../server/analysis/moduleSummary';

/** What a constant folds to (`evaluated`), when the summary holds it as a value. */
function evaluatedOf(summary: ModuleSummary, name: string): unknown {
  const binding = summary.locals.get(name);
  assert.equal(binding?.type, 'value', `${name} is not a value binding`);
  return binding.type === 'value' && !binding.value.known ? binding.value.evaluated : undefined;
}

const ROUTE = `import { db } from '@/lib/db';
import { unusedHelper } from '@/lib/unused';

const MINUTE = 60;
const HOUR = MINUTE * 60;
const TEAM_STATUS = { draft: 'draft', active: 'active' } as const;

function toDto(row: unknown) {
  return row;
}

function loadAll() {
  return db.findMany();
}

export const revalidate = HOUR;
export const maxDuration = 2 * MINUTE;
const withLogging = (handler: unknown) => handler;
const handler = async () => Response.json(await loadAll());
export const GET = withLogging(handler);
export { handler as POST };
`;

describe('module summaries', () => {
  const summary = summarizeModule('/app/x/route.ts', ROUTE, 'app/x/route.ts', { routeFile: true });

  it('keeps the locals the exports reach, and drops the rest', () => {
    // `db.findMany()` is read as a database effect where it is called; the linker never looks `db` up.
    assert.deepEqual([...summary.locals.keys()].sort(), ['GET', 'HOUR', 'handler', 'loadAll', 'maxDuration', 'revalidate', 'withLogging']);
    const loadAll = summary.locals.get('loadAll');
    assert.deepEqual(loadAll?.type === 'function' && loadAll.handler.facts.effects.map((e) => e.kind), ['database']);
  });

  it('reads a kept constant, folding the constants declared before it', () => {
    assert.equal(evaluatedOf(summary, 'HOUR'), 3600);
    assert.equal(evaluatedOf(summary, 'maxDuration'), 120);
  });

  it('does not fold a constant declared after the one read', () => {
    const later = summarizeModule('/app/y/route.ts', 'export const revalidate = 2 * LATER;\nconst LATER = 60;\n', 'app/y/route.ts', { routeFile: true });
    assert.equal(evaluatedOf(later, 'revalidate'), undefined);
  });

  it('lists the blank lines between top-level statements, not those inside them', () => {
    const text = 'import a from "a";\n\nexport async function GET() {\n\n  return a;\n}\n   \nexport const dynamic = "force-static";\n';
    assert.deepEqual(summarizeModule('/app/z/route.ts', text, 'app/z/route.ts', { routeFile: true }).blankLines, [2, 7, 9]);
  });
});
