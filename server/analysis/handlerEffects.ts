import type { CallSite, Effect, FunctionFacts } from './effects';
import { RETURNED_HANDLER_REQUEST } from './effects';
import { AnalysisLimitError, isLimitError } from './limits';
import type { Location, Span } from './model';
import type { LocalBinding } from './moduleSummary';
import { type HandlerTarget, isWorkspaceSpecifier, type ModuleLinker } from './routeModule';

/** An effect found in the handler or in a function it calls, with the calls that lead there. */
export interface TracedEffect {
  effect: Effect;
  file: string;
  /** Call sites from the handler outward; empty when the effect is in the handler itself. */
  chain: Location[];
  /** Names of the functions the chain passes through, for messages: `getSession`. */
  through: string[];
}

/** How far calls are followed into other functions. */
const MAX_CALL_DEPTH = 5;

/**
 * Effects one handler's collection may produce, the copies each call on the way makes included. A call
 * repeated n times in each of five functions that call each other copies the effects below n^5 times;
 * real handlers produce a few hundred.
 */
export const MAX_TRACED_EFFECTS = 100_000;

/** Package functions known to read cookies or headers themselves. */
const PACKAGE_READERS: Array<{ specifier: RegExp; names: RegExp; kind: 'cookies' | 'headers' }> = [
  { specifier: /^next-auth(\/|$)/, names: /^(auth|getServerSession)$/, kind: 'headers' },
  { specifier: /^@clerk\/nextjs(\/server)?$/, names: /^(auth|currentUser)$/, kind: 'headers' },
  { specifier: /^@auth0\/nextjs-auth0/, names: /^(getSession|getAccessToken)$/, kind: 'cookies' },
];

type Callee =
  | { kind: 'function'; file: string; facts: FunctionFacts; name: string; wrapperCalls: Array<{ file: string; callee: string }> }
  | { kind: 'package'; specifier: string; name: string }
  | { kind: 'unresolved'; specifier: string; name: string }
  | { kind: 'none' };

/**
 * Collects what a route handler does, following calls into workspace functions a few levels deep:
 * `GET → getSession() (lib/auth.ts:12) → cookies()`. Results per function are cached for the
 * duration of one link.
 */
export class EffectCollector {
  private readonly memo = new WeakMap<FunctionFacts, Map<string, TracedEffect[]>>();
  /** Callees by module and name (and member): a name called a thousand times is resolved once. */
  private readonly callees = new Map<string, Callee>();
  private produced = 0;

  constructor(private readonly linker: ModuleLinker) {}

  /**
   * Effects of a handler: its own code, then the wrappers around it (which run first). When following
   * its calls takes more than the work budget (MAX_TRACED_EFFECTS, or the linker's steps), the effects
   * are unknown: the result is one `tooMuchWork` effect at the handler instead of a list that may lack
   * the effect that matters.
   */
  collect(target: HandlerTarget): TracedEffect[] {
    this.produced = 0;
    try {
      const results = this.collectUnbounded(target);
      if (!this.linker.exhausted) return results;
    } catch (error) {
      if (!isLimitError(error)) throw error;
    }
    return [
      {
        effect: { kind: 'tooMuchWork', span: target.site?.span ?? FIRST_LINE, text: 'calls not followed (too much work)' },
        file: target.file,
        chain: [],
        through: [],
      },
    ];
  }

  private collectUnbounded(target: HandlerTarget): TracedEffect[] {
    const results: TracedEffect[] = [];
    if (target.site) results.push(...this.visit(target.file, target.site.facts, [0], 0, new Set()));
    if (target.site?.facts.useCache) {
      results.push({ effect: { kind: 'useCache', span: target.site.span, text: "'use cache' in the handler", inHandler: true }, file: target.file, chain: [], through: [] });
    }
    for (const wrapper of target.wrapperCalls ?? []) {
      const callee = this.resolveName(wrapper.file, wrapper.callee);
      if (callee.kind === 'function') {
        const inner = this.visit(callee.file, callee.facts, [RETURNED_HANDLER_REQUEST], 1, new Set());
        results.push(...inner.map((e) => ({ ...e, through: [wrapper.callee, ...e.through] })));
      } else if (callee.kind === 'unresolved') {
        results.push({ effect: unknownCallEffect(callee, target.site?.span), file: target.file, chain: [], through: [] });
      }
    }
    return results;
  }

  private visit(file: string, facts: FunctionFacts, requestParams: number[], depth: number, stack: Set<FunctionFacts>): TracedEffect[] {
    const key = `${file}\0${requestParams.join(',')}`;
    let byKey = this.memo.get(facts);
    if (!byKey) this.memo.set(facts, (byKey = new Map()));
    const cached = byKey.get(key);
    if (cached) return cached;
    if (stack.has(facts)) return [];
    stack.add(facts);
    this.spend(facts.effects.length + facts.paramReads.length);
    const results: TracedEffect[] = [];
    for (const effect of facts.effects) results.push({ effect, file, chain: [], through: [] });
    for (const read of facts.paramReads) {
      if (requestParams.includes(read.param)) results.push({ effect: read.effect, file, chain: [], through: [] });
    }
    if (depth < MAX_CALL_DEPTH) {
      for (const call of facts.calls) results.push(...this.visitCall(file, call, requestParams, depth, stack));
    }
    stack.delete(facts);
    byKey.set(key, results);
    return results;
  }

  /** Counts effects about to be made; throws once there are more than the budget allows. */
  private spend(effects: number): void {
    this.produced += effects;
    if (this.produced > MAX_TRACED_EFFECTS) throw new AnalysisLimitError('too-much-work', `more than ${MAX_TRACED_EFFECTS} effects along its calls`);
  }

  private visitCall(file: string, call: CallSite, requestParams: number[], depth: number, stack: Set<FunctionFacts>): TracedEffect[] {
    this.spend(1);
    const passed = call.requestArgs.filter((a) => requestParams.includes(a.param)).map((a) => a.arg);
    const callee = this.resolveCall(file, call);
    const here: Location = { file: this.linker.graph.relative(file), span: call.span };
    const label = call.member ? `${call.callee}.${call.member}` : call.callee;
    switch (callee.kind) {
      case 'function': {
        if (callee.facts.useCache) {
          const profile = callee.facts.effects.find((e) => e.kind === 'cacheLife')?.profile ?? 'default';
          const text = `${label}() ('use cache')`;
          const inside = this.visit(callee.file, callee.facts, passed, depth + 1, stack);
          this.spend(inside.length);
          return [
            { effect: { kind: 'cacheLife', span: call.span, text, profile }, file, chain: [], through: [] },
            { effect: { kind: 'useCache', span: call.span, text }, file, chain: [], through: [] },
            ...inside
              .filter((e) => e.effect.kind !== 'cacheLife' && e.effect.kind !== 'useCache')
              .map((e) => ({ ...e, effect: { ...e.effect, cached: true }, chain: [here, ...e.chain], through: [label, ...e.through] })),
          ];
        }
        const inner = this.visit(callee.file, callee.facts, passed, depth + 1, stack);
        const wrapped: TracedEffect[] = [];
        for (const wrapper of callee.wrapperCalls) {
          const wrapperCallee = this.resolveName(wrapper.file, wrapper.callee);
          if (wrapperCallee.kind === 'function') wrapped.push(...this.visit(wrapperCallee.file, wrapperCallee.facts, [RETURNED_HANDLER_REQUEST], depth + 1, stack));
        }
        this.spend(inner.length + wrapped.length);
        return [...inner, ...wrapped].map((e) => ({ ...e, chain: [here, ...e.chain], through: [label, ...e.through] }));
      }
      case 'package': {
        const reader = PACKAGE_READERS.find((r) => r.specifier.test(callee.specifier) && r.names.test(callee.name));
        if (reader) {
          return [{ effect: { kind: reader.kind, span: call.span, text: `${label}() from ${callee.specifier}` }, file, chain: [], through: [] }];
        }
        if (passed.length > 0) {
          return [{ effect: { kind: 'requestPassed', span: call.span, text: `${label}() from ${callee.specifier}` }, file, chain: [], through: [] }];
        }
        return [];
      }
      case 'unresolved':
        return [{ effect: unknownCallEffect(callee, call.span), file, chain: [], through: [] }];
      default:
        return [];
    }
  }

  private resolveCall(file: string, call: CallSite): Callee {
    if (!call.member) return this.resolveName(file, call.callee);
    const key = `${file}\0${call.callee}\0${call.member}`;
    let callee = this.callees.get(key);
    if (!callee) {
      const binding = this.linker.summaryOf(file)?.locals.get(call.callee);
      callee = binding?.type === 'import' ? this.resolveImport(file, binding.specifier, call.member) : { kind: 'none' };
      this.callees.set(key, callee);
    }
    return callee;
  }

  private resolveName(file: string, name: string): Callee {
    const key = `${file}\0${name}`;
    let callee = this.callees.get(key);
    if (!callee) this.callees.set(key, (callee = this.resolveNameUncached(file, name)));
    return callee;
  }

  private resolveNameUncached(file: string, name: string): Callee {
    const binding = this.linker.summaryOf(file)?.locals.get(name);
    if (!binding) return { kind: 'none' };
    if (binding.type === 'import') return binding.importedName === '*' ? { kind: 'none' } : this.resolveImport(file, binding.specifier, binding.importedName);
    return this.functionOf(file, binding, name);
  }

  private resolveImport(file: string, specifier: string, importedName: string): Callee {
    const target = this.linker.resolve(specifier, file);
    if (!target) return isWorkspaceSpecifier(specifier) ? { kind: 'unresolved', specifier, name: importedName } : { kind: 'package', specifier, name: importedName };
    const traced = this.linker.traceName(target, importedName);
    if (!traced) return { kind: 'none' };
    const handler = this.linker.followTraced(traced);
    if (handler.binding?.type === 'destructured' && /^NextAuth\(/.test(handler.binding.source) && importedName === 'auth') {
      return { kind: 'package', specifier: 'next-auth', name: 'auth' };
    }
    return handler.site ? { kind: 'function', file: handler.file, facts: handler.site.facts, name: importedName, wrapperCalls: handler.wrapperCalls ?? [] } : { kind: 'none' };
  }

  private functionOf(file: string, binding: LocalBinding, name: string): Callee {
    const handler = this.linker.followHandler(file, binding);
    if (handler.binding?.type === 'destructured' && /^NextAuth\(/.test(handler.binding.source) && name === 'auth') {
      return { kind: 'package', specifier: 'next-auth', name: 'auth' };
    }
    return handler.site ? { kind: 'function', file: handler.file, facts: handler.site.facts, name, wrapperCalls: handler.wrapperCalls ?? [] } : { kind: 'none' };
  }
}

const FIRST_LINE: Span = { line: 1, column: 1, endLine: 1, endColumn: 1 };

function unknownCallEffect(callee: { specifier: string; name: string }, span: Span | undefined): Effect {
  return {
    kind: 'unknownCall',
    span: span ?? { line: 1, column: 1, endLine: 1, endColumn: 1 },
    text: `${callee.name} from '${callee.specifier}'`,
  };
}

