// JSON Schema (2020-12, as OpenAPI 3.1 uses it) from zod, valibot and yup schemas, read from their syntax:
// nothing is executed or type-checked. A schema is a call chain (`z.string().email().optional()`,
// `v.pipe(v.string(), v.email())`, `yup.string().required()`); its head says which library it belongs to
// (through imports, followed across files on demand), the first call what it is, and the calls after it
// how it is narrowed. A name declared at the top level of a module becomes a component (`$ref`), which is
// also what ends cycles: a component is converted once, from a queue, never inside another. What cannot be
// read statically becomes an open schema that says why.
import type { ts } from 'ts-morph';
import {
  isArrayLiteralExpression,
  isArrowFunction,
  isBlock,
  isCallExpression,
  isFunctionExpression,
  isIdentifier,
  isNumericLiteral,
  isObjectLiteralExpression,
  isPrefixUnaryExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isReturnStatement,
  isShorthandPropertyAssignment,
  isSpreadAssignment,
  isSpreadElement,
  isStringLiteralLike,
  SyntaxKind,
} from '../analysis/typescriptBindings';
import { AnalysisLimitError, isLimitError, MAX_SYNTAX_DEPTH } from '../analysis/limits';
import { foldNumber, propertyNameText, readStaticValue, unwrapExpression } from '../analysis/staticValues';
import { anyOf, constSchema, enumSchema, type JsonSchema, objectOf, openSchema, ownValue, setKey, typeOf, withNull } from './jsonSchema';
import type { ModuleIndex, Resolved, SchemaLibrary, SourceIndex } from './sourceIndex';

/** How deep schemas nest inside one schema (components break the nesting); deeper parts are left open. */
export const MAX_SCHEMA_DEPTH = 32;
/** How many schema nodes one document converts; past it every schema is left open, with a note. */
export const MAX_DOCUMENT_SCHEMA_NODES = 50_000;
/** How many values an enum keeps; a longer one is cut, with a note. */
export const MAX_ENUM_VALUES = 1_000;
/** How many components one document holds. */
export const MAX_COMPONENTS = 2_000;

/** Where an expression is read: its module, and the handler's own local constants when it is in a handler. */
export interface ConvertScope {
  module: ModuleIndex;
  locals?: ReadonlyMap<string, ts.Expression>;
}

/** A schema while its chain is read: whether it may be left out of an object, and whether null is allowed. */
interface SchemaState {
  schema: JsonSchema;
  optional: boolean;
  nullable: boolean;
}

interface Step {
  name: string;
  /** Absent for a property read (`z.coerce`), present (maybe empty) for a call. */
  args?: readonly ts.Expression[];
  /** The call or property read, for notes. */
  node?: ts.Expression;
}

interface Chain {
  head: ts.Identifier;
  /** Arguments when the head itself is called: `object({...})` imported from valibot. */
  headArgs?: readonly ts.Expression[];
  steps: Step[];
}

interface Component {
  /** What `$ref` says until the names are chosen (see `finalizeRefs`). */
  placeholder: string;
  module: ModuleIndex;
  declaration: string;
  init: ts.Expression;
  schema?: JsonSchema;
}

/** Placeholders start with a character no name has, so that they cannot be mistaken for a real reference. */
const PLACEHOLDER_PREFIX = '#/components/schemas/\u0000';

type Declaration = Extract<Resolved, { kind: 'declaration' }>;
type Base = Resolved | { kind: 'local'; init: ts.Expression };

/** Methods of a named schema that need nothing of its shape: the name stays a `$ref`. */
const REF_KEEPING = new Set([
  'optional', 'nullable', 'nullish', 'default', 'prefault', 'catch', 'describe', 'meta', 'openapi', 'array', 'or', 'and',
  'refine', 'superRefine', 'check', 'transform', 'pipe', 'brand', 'readonly', 'overwrite', 'label', 'test', 'when',
  'defined', 'notRequired', 'nonNullable', 'typeError', 'strip',
]);

const STRING_FORMATS: Record<string, string> = {
  email: 'email',
  url: 'uri',
  httpUrl: 'uri',
  uuid: 'uuid',
  uuidv4: 'uuid',
  uuidv6: 'uuid',
  uuidv7: 'uuid',
  guid: 'uuid',
  ipv4: 'ipv4',
  ipv6: 'ipv6',
  hostname: 'hostname',
  datetime: 'date-time',
  isoTimestamp: 'date-time',
  isoDate: 'date',
  date: 'date',
  time: 'time',
  duration: 'duration',
};

/** Zod string kinds without a JSON Schema format: still strings. */
const ZOD_STRINGS = new Set(['cuid', 'cuid2', 'ulid', 'xid', 'ksuid', 'nanoid', 'emoji', 'base64', 'base64url', 'jwt', 'e164', 'cidrv4', 'cidrv6', 'ip', 'mac', 'templateLiteral', 'stringbool', 'hex', 'hash']);

export class SchemaConverter {
  private nodes = 0;
  private readonly components = new Map<string, Component>();
  private readonly componentsByRef = new Map<string, Component>();
  /** Each placeholder's final `$ref`, once `componentSchemas` has named the components. */
  private readonly finalRefs = new Map<string, string>();
  private readonly queue: Component[] = [];
  /** Initializers being converted in place (a name whose shape a method needs), to stop on cycles. */
  private readonly inlining = new Set<ts.Expression>();
  /** Notes with where they are, once each. */
  private readonly noteSet = new Set<string>();

  /**
   * @param qualifierOf a stable prefix for a module's components, used when two modules declare schemas of
   *   the same name: by default the module's path without the folders every route has (`users.schema`).
   */
  constructor(
    private readonly index: SourceIndex,
    private readonly qualifierOf: (module: ModuleIndex) => string = (module) => pathQualifier(index.access.relative(module.abs)),
  ) {}

  /** What could not be converted exactly, with the file and line where it is, once each. */
  get notes(): string[] {
    return [...this.noteSet];
  }

  /** The JSON Schema of a schema expression; a named schema is a `$ref` to its component. */
  schemaOf(expression: ts.Expression, scope: ConvertScope): JsonSchema {
    return finalize(this.guarded(expression, scope, 0));
  }

  /** The schema a name has at the top level of a module (the body schema a handler names). */
  schemaOfName(module: ModuleIndex, name: string): JsonSchema {
    const resolved = this.index.resolveName(module, name);
    if (resolved.kind === 'declaration') return finalize(this.reference(resolved));
    return this.open(`${name} is not a schema Route Atlas can read: ${resolved.kind === 'unresolved' ? resolved.reason : `it is ${describeResolved(resolved)}`}`, module, undefined);
  }

  /**
   * Converts every component referenced so far (and those they reference), names them, and returns them
   * by name, sorted. A name is the declared one when no other component has it; declarations of the same
   * name in several modules are all qualified by their module (`workspaces.upload-url.schema`), so that
   * a name does not depend on which route came first. References elsewhere get their final form from
   * `finalizeRefs`.
   */
  componentSchemas(): JsonSchema {
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      next.schema = finalize(this.guarded(next.init, { module: next.module }, 0));
    }
    const all = [...this.components.values()];
    const declaredCount = new Map<string, number>();
    for (const component of all) declaredCount.set(safeComponentName(component.declaration), (declaredCount.get(safeComponentName(component.declaration)) ?? 0) + 1);
    const named = all.map((component) => {
      const plain = safeComponentName(component.declaration);
      const name = declaredCount.get(plain)! > 1 ? safeComponentName(`${this.qualifierOf(component.module)}.${component.declaration}`) : plain;
      return { component, name, file: this.index.access.relative(component.module.abs) };
    });
    // Names that still collide (two declarations sanitized alike) are numbered in the order of their files.
    named.sort((a, b) => (a.name !== b.name ? (a.name < b.name ? -1 : 1) : a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const used = new Set<string>();
    for (const entry of named) {
      let name = entry.name;
      for (let n = 2; used.has(name); n++) name = `${entry.name}_${n}`;
      used.add(name);
      entry.name = name;
      this.finalRefs.set(entry.component.placeholder, `#/components/schemas/${name}`);
    }
    const schemas = named.map(({ component, name }) => [name, component.schema ?? {}] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [, schema] of schemas) this.finalizeRefs(schema);
    return objectOf(schemas);
  }

  /** Gives every `$ref` inside `value` (made before `componentSchemas` named the components) its final form. */
  finalizeRefs(value: unknown): void {
    const stack: unknown[] = [value];
    while (stack.length > 0) {
      const current = stack.pop();
      if (Array.isArray(current)) for (const item of current) stack.push(item);
      else if (current && typeof current === 'object') {
        for (const key of Object.keys(current)) {
          const item = ownValue(current as JsonSchema, key);
          if (key === '$ref' && typeof item === 'string' && item.startsWith(PLACEHOLDER_PREFIX)) setKey(current as JsonSchema, key, this.finalRefs.get(item) ?? item);
          else if (item && typeof item === 'object') stack.push(item);
        }
      }
    }
  }

  /** A conversion that a limit of the analysis (a chain or nesting too deep) ends with an open schema. */
  private guarded(expression: ts.Expression, scope: ConvertScope, depth: number): SchemaState {
    try {
      return this.convert(expression, scope, depth);
    } catch (error) {
      if (!isLimitError(error)) throw error;
      return state(this.open(`the schema is nested too deeply to read (${error instanceof Error ? error.message : 'stack'})`, scope.module, expression));
    }
  }

  private open(reason: string, module: ModuleIndex, node: ts.Node | undefined): JsonSchema {
    const where = node ? `${this.index.access.relative(module.abs)}:${module.sourceFile.getLineAndCharacterOfPosition(node.getStart(module.sourceFile)).line + 1}` : this.index.access.relative(module.abs);
    this.noteSet.add(`${where}: ${reason}`);
    return openSchema(reason);
  }

  private convert(expression: ts.Expression, scope: ConvertScope, depth: number): SchemaState {
    if (++this.nodes > MAX_DOCUMENT_SCHEMA_NODES) {
      // One note for the document, not one per schema left open.
      if (this.nodes === MAX_DOCUMENT_SCHEMA_NODES + 1) this.noteSet.add(`The document's schemas reached ${MAX_DOCUMENT_SCHEMA_NODES} nodes; the rest are left open.`);
      return state(openSchema(`cut: the document's schemas reached ${MAX_DOCUMENT_SCHEMA_NODES} nodes`));
    }
    if (depth > MAX_SCHEMA_DEPTH) return state(this.open(`cut: schemas nested more than ${MAX_SCHEMA_DEPTH} levels deep`, scope.module, expression));
    const expr = unwrapExpression(expression);
    const chain = decodeChain(expr);
    if (!chain) return state(this.open(`\`${snippet(expr, scope.module)}\` is not a schema Route Atlas can read statically`, scope.module, expr));
    return this.convertChain(chain, expr, scope, depth);
  }

  private resolveHead(name: string, scope: ConvertScope): Base {
    const local = scope.locals?.get(name);
    if (local) return { kind: 'local', init: local };
    return this.index.resolveName(scope.module, name);
  }

  private convertChain(chain: Chain, expr: ts.Expression, scope: ConvertScope, depth: number): SchemaState {
    let base: Base = this.resolveHead(chain.head.text, scope);
    let steps = chain.steps;
    // `schemas.User` through `import * as schemas`: a namespace's export is read like a name of its own.
    while (base.kind === 'namespace' && chain.headArgs === undefined && steps.length > 0 && steps[0].args === undefined) {
      base = this.index.resolveExport(base.module, steps[0].name);
      steps = steps.slice(1);
    }
    switch (base.kind) {
      case 'library':
        return this.libraryChain(base.library, base.importedName, chain.headArgs, steps, expr, scope, depth);
      case 'declaration': {
        if (chain.headArgs !== undefined) break;
        const library = this.libraryOf(base.init, base.module, 0) ?? 'zod';
        if (steps[0]?.name === 'shape' && steps[0].args === undefined && steps[1] && steps[1].args === undefined && !this.inlining.has(base.init)) {
          // `User.shape.email`: one field of an object schema.
          const object = this.inline(base.init, { module: base.module }, depth);
          const properties = object.schema.properties as JsonSchema | undefined;
          const field = properties ? ownValue(properties, steps[1].name) : undefined;
          if (!field || typeof field !== 'object') break;
          const required = Array.isArray(object.schema.required) && object.schema.required.includes(steps[1].name);
          return this.applyModifiers({ schema: field as JsonSchema, optional: !required, nullable: false }, steps.slice(2), library, scope, depth);
        }
        if (steps.length > 0 && steps[0].args === undefined) {
          // `schemas.user` where `const schemas = { user: z.object(...) }`.
          const member = memberOf(base.init, steps[0].name);
          if (!member) break;
          return this.applyModifiers(this.convert(member, { module: base.module }, depth + 1), steps.slice(1), library, scope, depth);
        }
        const keepsRef = steps.every((step) => REF_KEEPING.has(step.name));
        const start = keepsRef || this.inlining.has(base.init) ? this.reference(base) : this.inline(base.init, { module: base.module }, depth);
        return this.applyModifiers(start, steps, library, scope, depth);
      }
      case 'local': {
        if (chain.headArgs !== undefined || this.inlining.has(base.init)) break;
        const library = this.libraryOf(base.init, scope.module, 0, scope) ?? 'zod';
        return this.applyModifiers(this.inline(base.init, { module: scope.module, locals: scope.locals }, depth), steps, library, scope, depth);
      }
      case 'unresolved':
        return state(this.open(`\`${snippet(expr, scope.module)}\`: ${base.reason}`, scope.module, expr));
    }
    return state(this.open(`\`${snippet(expr, scope.module)}\` is not a schema Route Atlas can read statically`, scope.module, expr));
  }

  /** A name's initializer converted in place, when a method needs its shape (`Base.extend({...})`). */
  private inline(init: ts.Expression, scope: ConvertScope, depth: number): SchemaState {
    this.inlining.add(init);
    try {
      return this.convert(init, scope, depth + 1);
    } finally {
      this.inlining.delete(init);
    }
  }

  /** A `$ref` to the component of a top-level name, queued for conversion the first time. */
  private reference(declaration: Declaration): SchemaState {
    let target = declaration;
    // `export const updateTag = createTag`: both names are the same schema, and one component.
    for (let hop = 0; hop < 16; hop++) {
      const init = unwrapExpression(target.init);
      if (!isIdentifier(init)) break;
      const next = this.index.resolveName(target.module, init.text);
      if (next.kind !== 'declaration' || next.init === target.init) break;
      target = next;
    }
    const key = `${target.module.abs}\0${target.name}`;
    let component = this.components.get(key);
    if (!component) {
      if (this.components.size >= MAX_COMPONENTS) return state(this.open(`cut: the document holds ${MAX_COMPONENTS} components`, target.module, target.init));
      const placeholder = `${PLACEHOLDER_PREFIX}${this.components.size}`;
      component = { placeholder, module: target.module, declaration: target.name === '*default*' ? 'default' : target.name, init: target.init };
      this.components.set(key, component);
      this.componentsByRef.set(placeholder, component);
      this.queue.push(component);
    }
    return { schema: { $ref: component.placeholder }, optional: this.declaredOptional(target.init, target.module, 0), nullable: false };
  }

  /** Which library a schema expression belongs to, following names a few steps. */
  private libraryOf(expression: ts.Expression, module: ModuleIndex, hops: number, scope?: ConvertScope): SchemaLibrary | undefined {
    if (hops > 8) return undefined;
    const chain = decodeChain(unwrapExpression(expression));
    if (!chain) return undefined;
    const base: Base = scope ? this.resolveHead(chain.head.text, scope) : this.index.resolveName(module, chain.head.text);
    if (base.kind === 'library') return base.library;
    if (base.kind === 'declaration') return this.libraryOf(base.init, base.module, hops + 1);
    if (base.kind === 'local') return this.libraryOf(base.init, module, hops + 1, scope);
    return undefined;
  }

  /**
   * Whether a named schema may be left out of an object, read from its outermost calls only: a component
   * is converted on its own, later, but the objects that use it need this now.
   */
  private declaredOptional(init: ts.Expression, module: ModuleIndex, hops: number): boolean {
    const chain = decodeChain(unwrapExpression(init));
    if (!chain || hops > 8) return false;
    const base = this.index.resolveName(module, chain.head.text);
    let optional = false;
    let steps = chain.steps;
    if (base.kind === 'declaration') optional = this.declaredOptional(base.init, base.module, hops + 1);
    else if (base.kind === 'library') {
      if (base.library === 'yup') optional = true;
      const ctor = base.importedName === '*' ? steps.find((step) => step.args !== undefined)?.name : base.importedName;
      if (base.library === 'valibot' && ctor !== undefined && /^(optional|exactOptional|undefinedable|nullish)$/.test(ctor)) optional = true;
      if (base.library === 'zod' && ctor !== undefined && /^(optional|nullish|undefined|void)$/.test(ctor)) optional = true;
      if (base.importedName === '*') steps = steps.slice(steps.findIndex((step) => step.args !== undefined) + 1);
    }
    for (const step of steps) {
      if (/^(optional|nullish|default|prefault|notRequired|exactOptional)$/.test(step.name)) optional = true;
      if ((base.kind === 'library' && base.library === 'yup' && /^(required|defined)$/.test(step.name)) || step.name === 'nonoptional') optional = false;
    }
    return optional;
  }

  private libraryChain(library: SchemaLibrary, importedName: string, headArgs: readonly ts.Expression[] | undefined, steps: Step[], expr: ts.Expression, scope: ConvertScope, depth: number): SchemaState {
    const path: string[] = [];
    let ctor: Step | undefined;
    let rest: Step[];
    if (importedName !== '*' && headArgs !== undefined) {
      ctor = { name: importedName, args: headArgs };
      rest = steps;
    } else {
      if (headArgs !== undefined) return state(this.open(`\`${snippet(expr, scope.module)}\` is not a ${library} schema Route Atlas knows`, scope.module, expr));
      if (importedName !== '*') path.push(importedName);
      let i = 0;
      while (i < steps.length && steps[i].args === undefined) path.push(steps[i++].name);
      ctor = steps[i];
      rest = steps.slice(i + 1);
    }
    if (!ctor) return state(this.open(`\`${snippet(expr, scope.module)}\` is not a ${library} schema Route Atlas knows`, scope.module, expr));
    const context: Context = { scope, depth, expr, library };
    const made =
      library === 'zod' ? this.zodConstructor(ctor, path, context) : library === 'valibot' ? this.valibotConstructor(ctor, context) : this.yupConstructor(ctor, context);
    return this.applyModifiers(made, rest, library, scope, depth);
  }

  private applyModifiers(start: SchemaState, steps: readonly Step[], library: SchemaLibrary, scope: ConvertScope, depth: number): SchemaState {
    let current = start;
    for (const step of steps) {
      if (step.args === undefined) continue;
      current = this.modifier(current, step, { scope, depth, expr: step.node, library });
    }
    return current;
  }

  /** A child schema of the one being read (an object's field, an array's items). */
  private child(expression: ts.Expression | undefined, context: Context): SchemaState {
    if (!expression) return state({});
    return this.convert(expression, context.scope, context.depth + 1);
  }

  private childSchema(expression: ts.Expression | undefined, context: Context): JsonSchema {
    return finalize(this.child(expression, context));
  }

  private zodConstructor(ctor: Step, path: readonly string[], context: Context): SchemaState {
    const args = ctor.args ?? [];
    const coerced = path.includes('coerce');
    if (path.includes('iso')) {
      const format = STRING_FORMATS[ctor.name];
      return state(format ? { type: 'string', format } : { type: 'string' });
    }
    switch (ctor.name) {
      case 'string':
        return state({ type: 'string' });
      case 'number':
      case 'float32':
      case 'float64':
        return state({ type: 'number' });
      case 'int':
      case 'int32':
      case 'uint32':
        return state({ type: 'integer' });
      case 'boolean':
        return state({ type: 'boolean' });
      case 'null':
        return state({ type: 'null' });
      case 'undefined':
      case 'void':
        return { schema: { not: {} }, optional: true, nullable: false };
      case 'any':
      case 'unknown':
      case 'json':
        return state({});
      case 'never':
        return state({ not: {} });
      case 'date':
        return state(coerced ? { type: 'string', format: 'date-time' } : this.contextOpen('z.date() takes a Date object, which JSON cannot carry', context));
      case 'bigint':
      case 'int64':
      case 'uint64':
        return state(coerced ? { type: 'integer' } : this.contextOpen(`z.${ctor.name}() takes a BigInt, which JSON cannot carry`, context));
      case 'literal':
        return this.literal(args[0], context);
      case 'enum':
      case 'nativeEnum':
        return state(this.enumOf(args[0], context));
      case 'object':
      case 'looseObject':
        return this.object(args[0], context, false);
      case 'strictObject':
        return this.object(args[0], context, true);
      case 'array':
        return state(this.array(args[0], context));
      case 'tuple':
        return state(this.tuple(args[0], args[1], context));
      case 'union':
        return state(this.union(args[0], context, 'anyOf'));
      case 'xor':
        return state(this.union(args[0], context, 'oneOf'));
      case 'discriminatedUnion':
        return state(this.union(args.find((arg) => isArrayLiteralExpression(unwrapExpression(arg))), context, 'anyOf'));
      case 'intersection':
        return state({ allOf: [this.childSchema(args[0], context), this.childSchema(args[1], context)] });
      case 'record':
      case 'partialRecord':
      case 'looseRecord':
        return state({ type: 'object', additionalProperties: this.childSchema(args.length >= 2 ? args[1] : args[0], context) });
      case 'optional':
        return { ...this.child(args[0], context), optional: true };
      case 'nullable':
        return { ...this.child(args[0], context), nullable: true };
      case 'nullish':
        return { ...this.child(args[0], context), optional: true, nullable: true };
      case 'lazy':
        return this.lazy(args[0], context);
      case 'preprocess':
        return this.child(args[1], context);
      case 'pipe':
      case 'catch':
        return this.child(args[0], context);
      case 'default':
      case 'prefault':
        return { ...this.child(args[0], context), optional: true };
      case 'instanceof':
        return state(isFileClass(args[0]) ? { type: 'string', format: 'binary' } : this.contextOpen('z.instanceof() takes an object JSON cannot carry', context));
      case 'file':
        return state({ type: 'string', format: 'binary' });
      case 'keyof':
        return state(this.keysOf(this.dereferenced(this.child(args[0], context), context).schema, context));
      case 'partial':
      case 'required':
      case 'pick':
      case 'omit':
      case 'extend':
      case 'safeExtend':
        // zod/mini's functions: the schema first, then what the method would take.
        return this.modifier(this.child(args[0], context), { name: ctor.name, args: args.slice(1) }, context);
    }
    if (STRING_FORMATS[ctor.name]) return state({ type: 'string', format: STRING_FORMATS[ctor.name] });
    if (ZOD_STRINGS.has(ctor.name)) return state({ type: 'string' });
    return state(this.contextOpen(`z.${ctor.name}() is not a zod schema Route Atlas reads statically`, context));
  }

  private valibotConstructor(ctor: Step, context: Context): SchemaState {
    const args = ctor.args ?? [];
    // Valibot before 0.31 took the pipeline as a last array argument: `string([email()])`.
    const legacyPipe = (made: SchemaState, at: number) => {
      const pipe = args[at] ? unwrapExpression(args[at]) : undefined;
      return pipe && isArrayLiteralExpression(pipe) ? this.valibotActions(made, pipe.elements, context) : made;
    };
    switch (ctor.name) {
      case 'string':
        return legacyPipe(state({ type: 'string' }), 0);
      case 'number':
        return legacyPipe(state({ type: 'number' }), 0);
      case 'boolean':
        return legacyPipe(state({ type: 'boolean' }), 0);
      case 'null':
      case 'null_':
      case 'nullType':
        return state({ type: 'null' });
      case 'undefined':
      case 'undefined_':
      case 'undefinedType':
      case 'void':
      case 'void_':
        return { schema: { not: {} }, optional: true, nullable: false };
      case 'any':
      case 'unknown':
        return state({});
      case 'never':
        return state({ not: {} });
      case 'date':
        return state(this.contextOpen('v.date() takes a Date object, which JSON cannot carry', context));
      case 'bigint':
        return state(this.contextOpen('v.bigint() takes a BigInt, which JSON cannot carry', context));
      case 'file':
      case 'blob':
        return state({ type: 'string', format: 'binary' });
      case 'instance':
        return state(isFileClass(args[0]) ? { type: 'string', format: 'binary' } : this.contextOpen('v.instance() takes an object JSON cannot carry', context));
      case 'literal':
        return this.literal(args[0], context);
      case 'picklist':
      case 'enum':
      case 'enum_':
        return state(this.enumOf(args[0], context));
      case 'object':
      case 'looseObject':
        return legacyPipe(this.object(args[0], context, false), 1);
      case 'strictObject':
        return this.object(args[0], context, true);
      case 'objectWithRest': {
        const made = this.object(args[0], context, false);
        made.schema.additionalProperties = this.childSchema(args[1], context);
        return made;
      }
      case 'array':
        return legacyPipe(state(this.array(args[0], context)), 1);
      case 'tuple':
      case 'looseTuple':
        return state(this.tuple(args[0], undefined, context, false));
      case 'strictTuple':
        return state(this.tuple(args[0], undefined, context));
      case 'tupleWithRest':
        return state(this.tuple(args[0], args[1], context));
      case 'union':
        return state(this.union(args[0], context, 'anyOf'));
      case 'variant':
        return state(this.union(args[1], context, 'anyOf'));
      case 'intersect':
        return state({ allOf: this.elements(args[0], context) });
      case 'record':
        return state({ type: 'object', additionalProperties: this.childSchema(args[1], context) });
      case 'optional':
      case 'exactOptional':
      case 'undefinedable':
        return this.withDefault({ ...this.child(args[0], context), optional: true }, args[1], context);
      case 'nullable':
        return this.withDefault({ ...this.child(args[0], context), nullable: true }, args[1], context);
      case 'nullish':
        return this.withDefault({ ...this.child(args[0], context), optional: true, nullable: true }, args[1], context);
      case 'nonOptional':
        return { ...this.child(args[0], context), optional: false };
      case 'nonNullable':
        return { ...this.child(args[0], context), nullable: false };
      case 'nonNullish':
        return { ...this.child(args[0], context), optional: false, nullable: false };
      case 'lazy':
        return this.lazy(args[0], context);
      case 'pipe':
      case 'pipeAsync':
        return this.valibotActions(this.child(args[0], context), args.slice(1), context);
      case 'fallback':
        return this.child(args[0], context);
      case 'partial':
      case 'required':
      case 'pick':
      case 'omit':
        return this.objectMethod(this.child(args[0], context), ctor.name, args[1], context, 'valibot');
      case 'merge':
        return this.mergeAll(this.elements(args[0], context), context);
    }
    return state(this.contextOpen(`v.${ctor.name}() is not a valibot schema Route Atlas reads statically`, context));
  }

  /** The actions of a valibot pipe, applied in order: `v.pipe(v.string(), v.email(), v.maxLength(64))`. */
  private valibotActions(start: SchemaState, actions: readonly ts.Expression[], context: Context): SchemaState {
    let current = start;
    for (const action of actions) {
      if (current.schema.$ref !== undefined) current = this.dereferenced(current, context);
      const chain = decodeChain(unwrapExpression(action));
      if (!chain) continue;
      const base = this.resolveHead(chain.head.text, context.scope);
      if (base.kind !== 'library' || base.library !== 'valibot') continue;
      const call = base.importedName === '*' ? chain.steps.find((step) => step.args !== undefined) : chain.headArgs ? { name: base.importedName, args: chain.headArgs } : undefined;
      if (!call) continue;
      current = this.valibotAction(current, call, context);
    }
    return current;
  }

  private valibotAction(current: SchemaState, action: Step, context: Context): SchemaState {
    const arg = action.args?.[0];
    const schema = { ...current.schema };
    const result = { ...current, schema };
    const format = STRING_FORMATS[action.name];
    if (format && action.name !== 'date' && action.name !== 'time') {
      schema.format = format;
      return result;
    }
    switch (action.name) {
      case 'minLength':
      case 'nonEmpty':
        setBound(schema, 'min', action.name === 'nonEmpty' ? 1 : this.number(arg, context));
        break;
      case 'maxLength':
        setBound(schema, 'max', this.number(arg, context));
        break;
      case 'length':
        setBound(schema, 'min', this.number(arg, context));
        setBound(schema, 'max', this.number(arg, context));
        break;
      case 'minValue':
        setBound(schema, 'min', this.number(arg, context));
        break;
      case 'maxValue':
        setBound(schema, 'max', this.number(arg, context));
        break;
      case 'gtValue':
        setBound(schema, 'gt', this.number(arg, context));
        break;
      case 'ltValue':
        setBound(schema, 'lt', this.number(arg, context));
        break;
      case 'integer':
        if (typeOf(schema) === 'number') schema.type = 'integer';
        break;
      case 'multipleOf':
        setNumber(schema, 'multipleOf', this.number(arg, context));
        break;
      case 'regex':
        setPattern(schema, arg);
        break;
      case 'description':
      case 'title':
        setText(schema, action.name, this.text(arg));
        break;
      case 'isoDateTime':
        // `yyyy-mm-ddThh:mm`, without seconds: JSON Schema's date-time requires them.
        schema.description ??= 'An ISO date and time without seconds (yyyy-mm-ddThh:mm).';
        break;
    }
    return result;
  }

  private yupConstructor(ctor: Step, context: Context): SchemaState {
    const args = ctor.args ?? [];
    // Yup accepts undefined for every schema until `.required()` or `.defined()`.
    const yup = (schema: JsonSchema): SchemaState => ({ schema, optional: true, nullable: false });
    switch (ctor.name) {
      case 'string':
        return yup({ type: 'string' });
      case 'number':
        return yup({ type: 'number' });
      case 'boolean':
      case 'bool':
        return yup({ type: 'boolean' });
      case 'date':
        // Yup parses ISO strings (and numbers) into dates: a client sends a string.
        return yup({ type: 'string', format: 'date-time' });
      case 'mixed':
        return yup({});
      case 'object':
        return args[0] ? { ...this.object(args[0], context, false), optional: true } : yup({ type: 'object' });
      case 'array':
        return yup(args[0] ? this.array(args[0], context) : { type: 'array' });
      case 'tuple':
        return yup(this.tuple(args[0], undefined, context));
    }
    return yup(this.contextOpen(`yup.${ctor.name}() is not a yup schema Route Atlas reads statically`, context));
  }

  /** One method call on a schema: `.optional()`, `.min(1)`, `.extend({...})`. */
  private modifier(current: SchemaState, step: Step, context: Context): SchemaState {
    const args = step.args ?? [];
    const arg = args[0];
    const library = context.library;
    const schema = { ...current.schema };
    const next: SchemaState = { ...current, schema };
    const format = STRING_FORMATS[step.name];
    if (format && typeOf(schema) === 'string') {
      schema.format = format;
      return next;
    }
    switch (step.name) {
      case 'optional':
      case 'exactOptional':
        return { ...current, optional: true };
      case 'nullable':
        return { ...current, nullable: true };
      case 'nullish':
        return { ...current, optional: true, nullable: true };
      case 'notRequired':
        return { ...current, optional: true, nullable: true };
      case 'nonNullable':
        return { ...current, nullable: false };
      case 'nonoptional':
      case 'defined':
        return { ...current, optional: false };
      case 'required':
        if (library === 'yup') {
          // Yup's required refuses undefined and null, and for strings the empty string too.
          if (typeOf(schema) === 'string' && Array.isArray(schema.enum)) schema.enum = schema.enum.filter((value) => value !== '');
          else if (typeOf(schema) === 'string' && !(typeof schema.minLength === 'number' && schema.minLength >= 1)) schema.minLength = 1;
          return { schema, optional: false, nullable: false };
        }
        return this.objectMethod(current, 'required', arg, context, library);
      case 'default':
      case 'prefault':
        // A default fills in a missing value, so a client may leave it out (in yup too, where it is applied before `required` is checked).
        return this.withDefault({ ...current, optional: true }, arg, context);
      case 'describe':
        setText(schema, 'description', this.text(arg));
        return next;
      case 'meta':
      case 'openapi':
        this.meta(schema, arg, context);
        return next;
      case 'min':
      case 'gte':
      case 'minLength':
        setBound(schema, 'min', this.number(arg, context));
        return next;
      case 'max':
      case 'lte':
      case 'maxLength':
        setBound(schema, 'max', this.number(arg, context));
        return next;
      case 'length':
        setBound(schema, 'min', this.number(arg, context));
        setBound(schema, 'max', this.number(arg, context));
        return next;
      case 'gt':
      case 'moreThan':
        setBound(schema, 'gt', this.number(arg, context));
        return next;
      case 'lt':
      case 'lessThan':
        setBound(schema, 'lt', this.number(arg, context));
        return next;
      case 'positive':
        setBound(schema, 'gt', 0);
        return next;
      case 'negative':
        setBound(schema, 'lt', 0);
        return next;
      case 'nonnegative':
        setBound(schema, 'min', 0);
        return next;
      case 'nonpositive':
        setBound(schema, 'max', 0);
        return next;
      case 'nonempty':
        setBound(schema, 'min', 1);
        return next;
      case 'int':
      case 'integer':
        if (typeOf(schema) === 'number') schema.type = Array.isArray(schema.type) ? ['integer', 'null'] : 'integer';
        return next;
      case 'multipleOf':
      case 'step':
        setNumber(schema, 'multipleOf', this.number(arg, context));
        return next;
      case 'regex':
      case 'matches':
        setPattern(schema, arg);
        return next;
      case 'oneOf': {
        const values = this.literalValues(arg, context);
        return values ? { ...current, schema: { ...enumSchema(values), ...pickText(schema) } } : next;
      }
      case 'array':
        return state({ type: 'array', items: finalize(current) });
      case 'of':
        if (typeOf(schema) === 'array') schema.items = this.childSchema(arg, context);
        return next;
      case 'or':
        return state(anyOf([finalize(current), this.childSchema(arg, context)]));
      case 'and':
        return state({ allOf: [finalize(current), this.childSchema(arg, context)] });
      case 'keyof':
        return state(this.keysOf(schema, context));
      case 'extend':
      case 'safeExtend':
      case 'shape':
      case 'merge':
      case 'partial':
      case 'deepPartial':
      case 'pick':
      case 'omit':
      case 'strict':
      case 'strip':
      case 'passthrough':
      case 'loose':
      case 'catchall':
      case 'noUnknown':
        return this.objectMethod(current, step.name, arg, context, library);
    }
    // Refinements, transforms, brands and messages narrow or reshape values without changing what a client
    // sends: the schema stays as it is.
    return current;
  }

  /** Methods that reshape an object schema: they need its properties inline. */
  private objectMethod(start: SchemaState, method: string, arg: ts.Expression | undefined, context: Context, library: SchemaLibrary): SchemaState {
    const current = this.dereferenced(start, context);
    const schema = current.schema;
    const properties = schema.properties && typeof schema.properties === 'object' ? (schema.properties as JsonSchema) : {};
    if (typeOf(schema) !== 'object') {
      if (method === 'strip' || method === 'passthrough' || method === 'loose') return current;
      return { ...current, schema: { ...schema, ...this.contextOpenNote(`.${method}() on a schema that is not an object literal Route Atlas can read`, context) } };
    }
    const props = new Map(Object.entries(properties));
    const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
    const next: JsonSchema = { ...schema };
    switch (method) {
      case 'extend':
      case 'safeExtend':
      case 'shape':
      case 'merge': {
        const addition = method === 'merge' ? this.child(arg, context).schema : this.object(arg, context, false, library).schema;
        const added = addition.properties && typeof addition.properties === 'object' ? (addition.properties as JsonSchema) : undefined;
        if (!added) return { ...current, schema: { ...schema, ...this.contextOpenNote(`.${method}() with fields Route Atlas cannot read statically`, context) } };
        const addedRequired = new Set(Array.isArray(addition.required) ? (addition.required as string[]) : []);
        for (const [key, value] of Object.entries(added)) {
          props.set(key, value);
          if (addedRequired.has(key)) required.add(key);
          else required.delete(key);
        }
        if (method === 'merge' && addition.additionalProperties === false) next.additionalProperties = false;
        break;
      }
      case 'partial':
      case 'deepPartial': {
        const keys = arg ? this.keyList(arg, context) : undefined;
        for (const key of keys ?? [...required]) required.delete(key);
        break;
      }
      case 'required': {
        const keys = arg ? this.keyList(arg, context) : undefined;
        for (const key of keys ?? [...props.keys()]) if (props.has(key)) required.add(key);
        break;
      }
      case 'pick':
      case 'omit': {
        const keys = this.keyList(arg, context);
        if (!keys) return { ...current, schema: { ...schema, ...this.contextOpenNote(`.${method}() with keys Route Atlas cannot read statically`, context) } };
        const chosen = new Set(keys);
        for (const key of [...props.keys()]) {
          if (chosen.has(key) !== (method === 'pick')) {
            props.delete(key);
            required.delete(key);
          }
        }
        break;
      }
      case 'strict':
      case 'noUnknown':
        next.additionalProperties = false;
        break;
      case 'strip':
      case 'passthrough':
      case 'loose':
        delete next.additionalProperties;
        break;
      case 'catchall':
        next.additionalProperties = this.childSchema(arg, context);
        break;
    }
    next.properties = objectOf(props);
    if (required.size > 0) next.required = [...props.keys()].filter((key) => required.has(key));
    else delete next.required;
    return { ...current, schema: next };
  }

  /**
   * The schema behind a `$ref`, converted in place, for methods and functions that need its shape
   * (valibot's `partial(Base)`); the reference itself when that would go round a cycle.
   */
  private dereferenced(current: SchemaState, context: Context): SchemaState {
    const target = typeof current.schema.$ref === 'string' ? this.componentsByRef.get(current.schema.$ref) : undefined;
    if (!target || this.inlining.has(target.init)) return current;
    const inlined = this.inline(target.init, { module: target.module }, context.depth);
    return { schema: { ...inlined.schema, ...pickText(current.schema) }, optional: current.optional, nullable: current.nullable || inlined.nullable };
  }

  /** One object of all the objects given (valibot's `merge([A, B])`); later fields win. */
  private mergeAll(given: JsonSchema[], context: Context): SchemaState {
    const props = new Map<string, unknown>();
    const required = new Set<string>();
    for (const schema of given.map((one) => finalize(this.dereferenced(state(one), context)))) {
      if (typeOf(schema) !== 'object' || !schema.properties) continue;
      const own = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
      for (const [key, value] of Object.entries(schema.properties as JsonSchema)) {
        props.set(key, value);
        if (own.has(key)) required.add(key);
        else required.delete(key);
      }
    }
    const merged: JsonSchema = { type: 'object', properties: objectOf(props) };
    if (required.size > 0) merged.required = [...props.keys()].filter((key) => required.has(key));
    return state(merged);
  }

  /**
   * `{ name: z.string(), email: ... }`: properties, and the names that are required. An object literal may
   * also come from a name (`z.object(shape)`), and a field from a getter (zod 4's recursive objects).
   */
  private object(shapeExpression: ts.Expression | undefined, context: Context, strict: boolean, library = context.library): SchemaState {
    const shape = shapeExpression ? this.objectLiteralOf(shapeExpression, context.scope) : undefined;
    if (!shape) {
      // `z.object(Other.shape)`, `.extend(Other.partial().shape)`: another object's fields.
      const fields = shapeExpression ? this.spreadFields(shapeExpression, context) : undefined;
      if (!fields) return state({ type: 'object', ...this.contextOpenNote(`the object's fields (\`${shapeExpression ? snippet(shapeExpression, context.scope.module) : ''}\`) are not an object literal Route Atlas can read`, context) });
      const schema: JsonSchema = { type: 'object', properties: fields.properties };
      const required = Object.keys(fields.properties).filter((key) => fields.required.has(key));
      if (required.length > 0) schema.required = required;
      if (strict) schema.additionalProperties = false;
      return state(schema);
    }
    const properties = new Map<string, unknown>();
    const required = new Set<string>();
    // A note's line is looked up in the module of the expression it names.
    const fieldContext: Context = { ...context, scope: shape.scope, library, expr: shape.scope.module === context.scope.module ? context.expr : undefined };
    let unreadable = 0;
    for (const property of shape.literal.properties) {
      let key: string | undefined;
      let value: ts.Expression | undefined;
      if (isPropertyAssignment(property)) {
        key = propertyNameText(property.name);
        value = property.initializer;
      } else if (isShorthandPropertyAssignment(property)) {
        key = property.name.text;
        value = property.name;
      } else if (property.kind === SyntaxKind.GetAccessor) {
        const getter = property as ts.GetAccessorDeclaration;
        key = propertyNameText(getter.name);
        value = getter.body ? returnedExpression(getter.body) : undefined;
      } else if (isSpreadAssignment(property)) {
        const spread = this.spreadFields(property.expression, fieldContext);
        if (!spread) {
          unreadable++;
          continue;
        }
        for (const [spreadKey, spreadValue] of Object.entries(spread.properties)) {
          properties.set(spreadKey, spreadValue);
          if (spread.required.has(spreadKey)) required.add(spreadKey);
          else required.delete(spreadKey);
        }
        continue;
      }
      if (key === undefined || !value) {
        unreadable++;
        continue;
      }
      const field = this.child(value, fieldContext);
      properties.set(key, finalize(field));
      if (field.optional) required.delete(key);
      else required.add(key);
    }
    const schema: JsonSchema = { type: 'object', properties: objectOf(properties) };
    if (required.size > 0) schema.required = [...properties.keys()].filter((key) => required.has(key));
    if (strict) schema.additionalProperties = false;
    if (unreadable > 0) Object.assign(schema, this.contextOpenNote(`${unreadable} field(s) of this object are computed and left out`, context));
    return state(schema);
  }

  /** The fields of `...Other.shape` or `...fields` in an object's fields. */
  private spreadFields(expression: ts.Expression, context: Context): { properties: JsonSchema; required: Set<string> } | undefined {
    let expr = unwrapExpression(expression);
    if (isPropertyAccessExpression(expr) && (expr.name.text === 'shape' || expr.name.text === 'entries' || expr.name.text === 'fields')) expr = unwrapExpression(expr.expression);
    const literal = this.objectLiteralOf(expr, context.scope);
    const converted = literal ? this.object(expr, context, false).schema : this.dereferenced(this.child(expr, context), context).schema;
    if (typeOf(converted) !== 'object' || !converted.properties) return undefined;
    return { properties: converted.properties as JsonSchema, required: new Set(Array.isArray(converted.required) ? (converted.required as string[]) : []) };
  }

  /** An object literal, written in place or as a name of one in this scope. */
  private objectLiteralOf(expression: ts.Expression, scope: ConvertScope): { literal: ts.ObjectLiteralExpression; scope: ConvertScope } | undefined {
    let expr = unwrapExpression(expression);
    let current = scope;
    for (let hop = 0; hop < 8; hop++) {
      if (isObjectLiteralExpression(expr)) return { literal: expr, scope: current };
      if (!isIdentifier(expr)) return undefined;
      const local = current.locals?.get(expr.text);
      if (local) {
        expr = unwrapExpression(local);
        continue;
      }
      const resolved = this.index.resolveName(current.module, expr.text);
      if (resolved.kind !== 'declaration') return undefined;
      expr = unwrapExpression(resolved.init);
      current = { module: resolved.module };
    }
    return undefined;
  }

  private array(items: ts.Expression | undefined, context: Context): JsonSchema {
    return items ? { type: 'array', items: this.childSchema(items, context) } : { type: 'array' };
  }

  private tuple(itemsExpression: ts.Expression | undefined, rest: ts.Expression | undefined, context: Context, closed = true): JsonSchema {
    const items = this.elements(itemsExpression, context);
    const schema: JsonSchema = { type: 'array', prefixItems: items, minItems: items.length };
    if (rest) schema.items = this.childSchema(rest, context);
    else if (closed) {
      schema.items = false;
      schema.maxItems = items.length;
    }
    return schema;
  }

  private union(optionsExpression: ts.Expression | undefined, context: Context, keyword: 'anyOf' | 'oneOf'): JsonSchema {
    const options = this.elements(optionsExpression, context);
    if (options.length === 0) return this.contextOpen('the union\'s options are not an array literal Route Atlas can read', context);
    return keyword === 'anyOf' ? anyOf(options) : { oneOf: options };
  }

  /** The schemas of an array literal's elements (a union's options, a tuple's items). */
  private elements(expression: ts.Expression | undefined, context: Context): JsonSchema[] {
    const literal = expression ? unwrapExpression(expression) : undefined;
    if (!literal || !isArrayLiteralExpression(literal)) return [];
    return literal.elements.filter((element) => !isSpreadElement(element)).map((element) => this.childSchema(element, context));
  }

  private lazy(getter: ts.Expression | undefined, context: Context): SchemaState {
    const fn = getter ? unwrapExpression(getter) : undefined;
    const body = fn && (isArrowFunction(fn) || isFunctionExpression(fn)) ? (isBlock(fn.body) ? returnedExpression(fn.body) : fn.body) : undefined;
    if (!body) return state(this.contextOpen('a lazy schema whose getter does not return a schema expression', context));
    return this.child(body as ts.Expression, context);
  }

  private literal(valueExpression: ts.Expression | undefined, context: Context): SchemaState {
    const expr = valueExpression ? unwrapExpression(valueExpression) : undefined;
    if (expr && isArrayLiteralExpression(expr)) {
      const values = this.literalValues(expr, context);
      return state(values ? enumSchema(values) : this.contextOpen('literal values Route Atlas cannot read statically', context));
    }
    const value = expr ? primitiveOf(expr) : undefined;
    return state(value === undefined ? this.contextOpen('a literal Route Atlas cannot read statically', context) : constSchema(value));
  }

  /** `z.enum(['a', 'b'])`, `z.enum(Role)`, `v.picklist(ROLES)`: the values, as far as they are literal. */
  private enumOf(expression: ts.Expression | undefined, context: Context): JsonSchema {
    const values = this.literalValues(expression, context);
    if (!values) return this.contextOpen(`enum values Route Atlas cannot read statically: ${this.whyNotLiteral(expression, context)}`, context);
    if (values.length === 0) return { not: {} };
    const schema = enumSchema(values.slice(0, MAX_ENUM_VALUES));
    if (values.length > MAX_ENUM_VALUES) Object.assign(schema, this.contextOpenNote(`cut: the enum has more than ${MAX_ENUM_VALUES} values`, context));
    return schema;
  }

  /**
   * Literal values from an array literal (with spreads of other such arrays), an object literal's values
   * (`as const` objects, zod 4's `z.enum({...})`), a TypeScript enum, or a name of any of these.
   */
  private literalValues(expression: ts.Expression | undefined, context: Context, hops = 0): Array<string | number | boolean | null> | undefined {
    if (!expression || hops > 8) return undefined;
    const expr = unwrapExpression(expression);
    const values: Array<string | number | boolean | null> = [];
    if (isArrayLiteralExpression(expr)) {
      for (const element of expr.elements) {
        if (values.length > MAX_ENUM_VALUES) break;
        if (isSpreadElement(element)) {
          const spread = this.literalValues(element.expression, context, hops + 1);
          if (!spread) return undefined;
          values.push(...spread);
          continue;
        }
        const value = primitiveOf(unwrapExpression(element));
        if (value === undefined) return undefined;
        values.push(value);
      }
      return values;
    }
    if (isObjectLiteralExpression(expr)) {
      for (const property of expr.properties) {
        if (!isPropertyAssignment(property)) return undefined;
        const value = primitiveOf(unwrapExpression(property.initializer));
        if (value === undefined) return undefined;
        values.push(value);
        if (values.length > MAX_ENUM_VALUES) break;
      }
      return values;
    }
    if (!isIdentifier(expr)) return undefined;
    const local = context.scope.locals?.get(expr.text);
    if (local) return this.literalValues(local, context, hops + 1);
    const resolved = this.index.resolveName(context.scope.module, expr.text);
    if (resolved.kind === 'declaration') return this.literalValues(resolved.init, { ...context, scope: { module: resolved.module } }, hops + 1);
    if (resolved.kind === 'enum') return enumMembers(resolved.node);
    return undefined;
  }

  /** Why `literalValues` found nothing, in a few words. */
  private whyNotLiteral(expression: ts.Expression | undefined, context: Context): string {
    const expr = expression ? unwrapExpression(expression) : undefined;
    if (!expr) return 'none are given';
    if (isIdentifier(expr) && !context.scope.locals?.has(expr.text)) {
      const resolved = this.index.resolveName(context.scope.module, expr.text);
      if (resolved.kind === 'unresolved') return resolved.reason;
    }
    return `\`${snippet(expr, context.scope.module)}\` is not a list of literals`;
  }

  /** An enum of an object schema's property names (`.keyof()`). */
  private keysOf(schema: JsonSchema, context: Context): JsonSchema {
    if (typeOf(schema) !== 'object' || !schema.properties) return this.contextOpen('keyof of a schema that is not an object literal Route Atlas can read', context);
    return enumSchema(Object.keys(schema.properties as JsonSchema));
  }

  /** Keys from `{ a: true, b: true }` (zod's masks) or `['a', 'b']` (valibot, yup). */
  private keyList(expression: ts.Expression | undefined, context: Context): string[] | undefined {
    const expr = expression ? unwrapExpression(expression) : undefined;
    if (!expr) return undefined;
    if (isObjectLiteralExpression(expr)) {
      const keys: string[] = [];
      for (const property of expr.properties) {
        const key = (isPropertyAssignment(property) || isShorthandPropertyAssignment(property)) ? propertyNameText(property.name) : undefined;
        if (key === undefined) return undefined;
        keys.push(key);
      }
      return keys;
    }
    const values = this.literalValues(expr, context);
    return values?.every((value) => typeof value === 'string') ? (values as string[]) : undefined;
  }

  private withDefault(current: SchemaState, valueExpression: ts.Expression | undefined, context: Context): SchemaState {
    if (!valueExpression) return current;
    const value = readStaticValue(valueExpression, context.scope.module.sourceFile);
    if (!value.known) return current;
    return { ...current, schema: { ...current.schema, default: value.value } };
  }

  /** `.meta({ description, title, deprecated, examples })` and `.openapi({...})`: the keys JSON Schema shares. */
  private meta(schema: JsonSchema, expression: ts.Expression | undefined, context: Context): void {
    const expr = expression ? unwrapExpression(expression) : undefined;
    if (!expr || !isObjectLiteralExpression(expr)) return;
    for (const property of expr.properties) {
      if (!isPropertyAssignment(property)) continue;
      const key = propertyNameText(property.name);
      if (key !== 'description' && key !== 'title' && key !== 'deprecated' && key !== 'example' && key !== 'examples') continue;
      const value = readStaticValue(property.initializer, context.scope.module.sourceFile);
      if (!value.known) continue;
      if (key === 'example') schema.examples = [value.value];
      else if (key === 'deprecated') {
        if (typeof value.value === 'boolean') schema.deprecated = value.value;
      } else if (key === 'examples') {
        if (Array.isArray(value.value)) schema.examples = value.value;
      } else if (typeof value.value === 'string') schema[key] = value.value;
    }
  }

  private number(expression: ts.Expression | undefined, context: Context): number | undefined {
    if (!expression) return undefined;
    const module = context.scope.module;
    const value = foldNumber(expression, { get: (name) => context.scope.locals?.get(name) ?? module.declarations.get(name) });
    return value !== undefined && Number.isFinite(value) ? value : undefined;
  }

  private text(expression: ts.Expression | undefined): string | undefined {
    const expr = expression ? unwrapExpression(expression) : undefined;
    return expr && isStringLiteralLike(expr) ? expr.text : undefined;
  }

  /** An open schema for the expression being read, with a note where it is. */
  private contextOpen(reason: string, context: Context): JsonSchema {
    return this.open(reason, context.scope.module, context.expr);
  }

  /** The note alone, to put beside what could be read (an object some of whose fields could not). */
  private contextOpenNote(reason: string, context: Context): JsonSchema {
    const note = this.open(reason, context.scope.module, context.expr);
    return { 'x-route-atlas-note': note['x-route-atlas-note'] };
  }
}

interface Context {
  scope: ConvertScope;
  depth: number;
  /** The schema expression being read, for notes. */
  expr: ts.Expression | undefined;
  library: SchemaLibrary;
}

function state(schema: JsonSchema): SchemaState {
  return { schema, optional: false, nullable: false };
}

function finalize(current: SchemaState): JsonSchema {
  return current.nullable ? withNull(current.schema) : current.schema;
}

/**
 * A call chain read from its end: `z.string().min(1).optional()` is the head `z` and the steps `string()`,
 * `min(1)`, `optional()`. Undefined when the chain does not start with a name.
 */
function decodeChain(expression: ts.Expression): Chain | undefined {
  const steps: Step[] = [];
  let current = expression;
  for (let length = 0; ; length++) {
    if (length > MAX_SYNTAX_DEPTH) throw new AnalysisLimitError('too-deep', `a call chain longer than ${MAX_SYNTAX_DEPTH}`);
    if (isCallExpression(current)) {
      const callee = unwrapExpression(current.expression);
      if (isPropertyAccessExpression(callee)) {
        steps.push({ name: callee.name.text, args: current.arguments, node: current });
        current = unwrapExpression(callee.expression);
        continue;
      }
      if (isIdentifier(callee)) return { head: callee, headArgs: current.arguments, steps: steps.reverse() };
      return undefined;
    }
    if (isPropertyAccessExpression(current)) {
      steps.push({ name: current.name.text, node: current });
      current = unwrapExpression(current.expression);
      continue;
    }
    if (isIdentifier(current)) return { head: current, steps: steps.reverse() };
    return undefined;
  }
}

/** A property of an object literal initializer, by name. */
function memberOf(init: ts.Expression, name: string): ts.Expression | undefined {
  const literal = unwrapExpression(init);
  if (!isObjectLiteralExpression(literal)) return undefined;
  for (const property of literal.properties) {
    if (isPropertyAssignment(property) && propertyNameText(property.name) === name) return property.initializer;
  }
  return undefined;
}

/** The expression a function body returns, when its only statement is a return. */
function returnedExpression(body: ts.Block): ts.Expression | undefined {
  const statements = body.statements;
  const last = statements[statements.length - 1];
  return statements.length === 1 && last && isReturnStatement(last) ? last.expression : undefined;
}

/** A string, number, boolean or null literal (`-1` included). */
function primitiveOf(expr: ts.Expression): string | number | boolean | null | undefined {
  if (isStringLiteralLike(expr)) return expr.text;
  if (isNumericLiteral(expr)) return Number(expr.text);
  if (isPrefixUnaryExpression(expr) && expr.operator === SyntaxKind.MinusToken && isNumericLiteral(expr.operand)) return -Number(expr.operand.text);
  if (expr.kind === SyntaxKind.TrueKeyword) return true;
  if (expr.kind === SyntaxKind.FalseKeyword) return false;
  if (expr.kind === SyntaxKind.NullKeyword) return null;
  return undefined;
}

/** A TypeScript enum's values: literal initializers, and numbers counting on from the last one. */
function enumMembers(node: ts.EnumDeclaration): Array<string | number> | undefined {
  const values: Array<string | number> = [];
  let next = 0;
  for (const member of node.members) {
    if (values.length > MAX_ENUM_VALUES) break;
    const init = member.initializer ? unwrapExpression(member.initializer) : undefined;
    if (!init) {
      values.push(next++);
      continue;
    }
    if (isStringLiteralLike(init)) values.push(init.text);
    else if (isNumericLiteral(init)) {
      next = Number(init.text) + 1;
      values.push(Number(init.text));
    } else if (isPrefixUnaryExpression(init) && init.operator === SyntaxKind.MinusToken && isNumericLiteral(init.operand)) {
      next = -Number(init.operand.text) + 1;
      values.push(-Number(init.operand.text));
    } else return undefined;
  }
  return values;
}

function isFileClass(expression: ts.Expression | undefined): boolean {
  const expr = expression ? unwrapExpression(expression) : undefined;
  return !!expr && isIdentifier(expr) && (expr.text === 'File' || expr.text === 'Blob');
}

/** A bound by the schema's type: a string's length, a number's value, an array's item count. */
function setBound(schema: JsonSchema, bound: 'min' | 'max' | 'gt' | 'lt', value: number | undefined): void {
  if (value === undefined) return;
  const type = typeOf(schema);
  if (type === 'string') {
    if (bound === 'min' || bound === 'gt') schema.minLength = bound === 'gt' ? value + 1 : value;
    else schema.maxLength = bound === 'lt' ? value - 1 : value;
  } else if (type === 'array') {
    if (bound === 'min' || bound === 'gt') schema.minItems = bound === 'gt' ? value + 1 : value;
    else schema.maxItems = bound === 'lt' ? value - 1 : value;
  } else if (type === 'number' || type === 'integer') {
    const keyword = { min: 'minimum', max: 'maximum', gt: 'exclusiveMinimum', lt: 'exclusiveMaximum' }[bound];
    schema[keyword] = value;
  }
}

function setNumber(schema: JsonSchema, keyword: string, value: number | undefined): void {
  if (value !== undefined && (typeOf(schema) === 'number' || typeOf(schema) === 'integer')) schema[keyword] = value;
}

function setText(schema: JsonSchema, keyword: 'description' | 'title', value: string | undefined): void {
  if (value !== undefined) schema[keyword] = value;
}

/** A regular expression literal's source as `pattern`, when it has no flags (JSON Schema patterns have none). */
function setPattern(schema: JsonSchema, expression: ts.Expression | undefined): void {
  const expr = expression ? unwrapExpression(expression) : undefined;
  if (!expr || expr.kind !== SyntaxKind.RegularExpressionLiteral || typeOf(schema) !== 'string') return;
  const text = (expr as ts.RegularExpressionLiteral).text;
  const end = text.lastIndexOf('/');
  if (end <= 0 || end !== text.length - 1) return;
  schema.pattern = text.slice(1, end);
}

function pickText(schema: JsonSchema): JsonSchema {
  const kept: JsonSchema = {};
  for (const key of ['description', 'title', 'default']) if (ownValue(schema, key) !== undefined) kept[key] = schema[key];
  return kept;
}

/** A short one-line excerpt of an expression for notes. */
function snippet(expr: ts.Node, module: ModuleIndex): string {
  const start = expr.getStart(module.sourceFile);
  const text = module.sourceFile.text.slice(start, Math.min(expr.end, start + 200)).replace(/\s+/g, ' ');
  return text.length > 60 ? text.slice(0, 57) + '...' : text;
}

function describeResolved(resolved: Resolved): string {
  switch (resolved.kind) {
    case 'enum':
      return 'an enum';
    case 'library':
      return `the ${resolved.library} library`;
    case 'namespace':
      return 'a module namespace';
    default:
      return 'not a schema';
  }
}

/** A component name OpenAPI accepts: `^[a-zA-Z0-9._-]+$`. */
function safeComponentName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_') || 'Schema';
}

/** Folders every route or module path has, which say nothing about a schema. */
const GENERIC_FOLDERS = new Set(['app', 'src', 'api', 'lib', 'route', 'index', '.', '..']);

/**
 * A module's path as a component name prefix: its folders and file name without the generic ones,
 * route groups, slots and dynamic segments: `app/api/workspaces/[id]/upload-url/route.ts` is
 * `workspaces.upload-url`, `lib/zod/schemas/tags.ts` is `zod.schemas.tags`.
 */
export function pathQualifier(relative: string): string {
  const segments = relative.replace(/\.[^./]+$/, '').split('/');
  const kept = segments.filter((segment) => segment && !GENERIC_FOLDERS.has(segment) && !/^\(.*\)$/.test(segment) && !segment.startsWith('@') && !segment.startsWith('['));
  return kept.join('.') || 'root';
}
