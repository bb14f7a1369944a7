// zod, valibot and yup schemas to JSON Schema, case by case. Each expected schema is written from the
// library's documented behaviour (what it accepts), not taken from the converter's output: zod's
// `.nullable()` keeps a key required while `.nullish()` and `.default()` make it optional; valibot's
// `optional()` makes a key optional; yup accepts undefined until `.required()`/`.defined()`, and its
// `required()` on a string also refuses the empty string.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { z } from 'zod';
import { MAX_DOCUMENT_SCHEMA_NODES, MAX_ENUM_VALUES, MAX_SCHEMA_DEPTH, SchemaConverter } from '../../server/openapi/schemaConverter';
import { SourceIndex } from '../../server/openapi/sourceIndex';
import type { JsonSchema } from '../../server/openapi/jsonSchema';

const ROOT = path.resolve('/virtual-workspace');

/** Converts the schema `name` declared in `files[entry]`; the files live in memory, resolved by relative path. */
function convert(files: Record<string, string>, name: string, entry = 'schemas.ts'): { schema: JsonSchema; components: Record<string, JsonSchema>; notes: string[] } {
  const abs = (file: string) => path.join(ROOT, file);
  const index = new SourceIndex({
    readText: (file) => files[path.relative(ROOT, file).split(path.sep).join('/')],
    resolve: (specifier, from) => {
      if (!specifier.startsWith('.')) return undefined;
      const base = path.relative(ROOT, path.resolve(path.dirname(from), specifier)).split(path.sep).join('/');
      const found = [base, `${base}.ts`, `${base}/index.ts`].find((candidate) => files[candidate] !== undefined);
      return found === undefined ? undefined : abs(found);
    },
    relative: (file) => path.relative(ROOT, file),
  });
  const converter = new SchemaConverter(index);
  const module = index.module(abs(entry));
  assert.ok(module, `${entry} did not parse`);
  const top = converter.schemaOfName(module, name);
  const components = converter.componentSchemas() as Record<string, JsonSchema>;
  converter.finalizeRefs(top);
  const ref = typeof top.$ref === 'string' ? top.$ref.replace('#/components/schemas/', '') : undefined;
  return { schema: normalize(ref !== undefined ? components[ref] : top) as JsonSchema, components: normalize(components) as Record<string, JsonSchema>, notes: converter.notes };
}

/** `required` compared as a set: its order says nothing. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = key === 'required' && Array.isArray(item) ? [...item].sort() : normalize(item);
  return out;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

describe('OpenAPI schemas from zod', () => {
  it('reads strings with formats and lengths, numbers with bounds, booleans, enums, literals, arrays, nullable and optional fields', () => {
    const { schema, notes } = convert(
      {
        'schemas.ts': `
          import { z } from 'zod';
          export const S = z.object({
            name: z.string().min(1).max(50),
            email: z.string().email(),
            site: z.string().url().optional(),
            id: z.string().uuid(),
            at: z.string().datetime(),
            at4: z.iso.datetime(),
            day: z.iso.date(),
            mail4: z.email(),
            age: z.number().int().min(0).max(150),
            score: z.number().gt(0).lt(1),
            steps: z.int().positive(),
            active: z.boolean(),
            role: z.enum(['admin', 'member']),
            kind: z.literal('user'),
            tags: z.array(z.string()).max(10),
            more: z.string().array().nonempty(),
            nick: z.string().nullable(),
            bio: z.string().nullish(),
            count: z.number().default(1),
            code: z.string().length(6).regex(/^[A-Z0-9]+$/),
            anything: z.unknown(),
          });`,
      },
      'S',
    );
    assert.deepEqual(notes, []);
    assert.deepEqual(schema, {
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 50 },
        email: { type: 'string', format: 'email' },
        site: { type: 'string', format: 'uri' },
        id: { type: 'string', format: 'uuid' },
        at: { type: 'string', format: 'date-time' },
        at4: { type: 'string', format: 'date-time' },
        day: { type: 'string', format: 'date' },
        mail4: { type: 'string', format: 'email' },
        age: { type: 'integer', minimum: 0, maximum: 150 },
        score: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        steps: { type: 'integer', exclusiveMinimum: 0 },
        active: { type: 'boolean' },
        role: { type: 'string', enum: ['admin', 'member'] },
        kind: { type: 'string', const: 'user' },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 10 },
        more: { type: 'array', items: { type: 'string' }, minItems: 1 },
        nick: { type: ['string', 'null'] },
        bio: { type: ['string', 'null'] },
        count: { type: 'number', default: 1 },
        code: { type: 'string', minLength: 6, maxLength: 6, pattern: '^[A-Z0-9]+$' },
        anything: {},
      },
      required: ['name', 'email', 'id', 'at', 'at4', 'day', 'mail4', 'age', 'score', 'steps', 'active', 'role', 'kind', 'tags', 'more', 'nick', 'code', 'anything'].sort(),
    });
  });

  it('makes named schemas components, referenced with $ref, and ends cycles there (z.lazy and zod 4 getters)', () => {
    const { schema, components } = convert(
      {
        'schemas.ts': `
          import { z } from 'zod';
          const Address = z.object({ city: z.string() });
          const Node = z.object({ name: z.string(), children: z.lazy(() => z.array(Node)) });
          const Category = z.object({ title: z.string(), get subcategories() { return z.array(Category); } });
          export const S = z.object({
            home: Address,
            work: Address.optional(),
            previous: Address.nullable(),
            tree: Node,
            category: Category,
            contact: z.union([z.string().email(), z.number()]),
          });`,
      },
      'S',
    );
    assert.deepEqual(schema, {
      type: 'object',
      properties: {
        home: ref('Address'),
        work: ref('Address'),
        previous: { anyOf: [ref('Address'), { type: 'null' }] },
        tree: ref('Node'),
        category: ref('Category'),
        contact: { anyOf: [{ type: 'string', format: 'email' }, { type: 'number' }] },
      },
      required: ['category', 'contact', 'home', 'previous', 'tree'],
    });
    assert.deepEqual(components.Address, { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] });
    assert.deepEqual(components.Node, { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: ref('Node') } }, required: ['children', 'name'] });
    assert.deepEqual(components.Category, { type: 'object', properties: { title: { type: 'string' }, subcategories: { type: 'array', items: ref('Category') } }, required: ['subcategories', 'title'] });
  });

  it('follows extend, pick, omit, partial, required, strict and merge', () => {
    const files = {
      'schemas.ts': `
        import { z } from 'zod';
        const Base = z.object({ a: z.string(), b: z.number().optional() });
        export const Ext = Base.extend({ c: z.boolean(), a: z.string().optional() });
        export const Picked = Base.pick({ a: true });
        export const Omitted = Base.omit({ a: true });
        export const Part = Base.partial();
        export const Req = Base.required();
        export const Strict = Base.strict();
        export const StrictObject = z.strictObject({ x: z.string() });
        export const Merged = Base.merge(z.object({ d: z.string() }));
        export const Keys = Base.keyof();
        export const FromShape = z.object(Base.shape);
        export const ExtendedByShape = z.object({ c: z.boolean() }).extend(Base.partial().shape);
        export const OneField = z.object({ only: Base.shape.a, maybe: Base.shape.b });`,
    };
    const a = { type: 'string' };
    const b = { type: 'number' };
    assert.deepEqual(convert(files, 'Ext').schema, { type: 'object', properties: { a, b, c: { type: 'boolean' } }, required: ['c'] });
    assert.deepEqual(convert(files, 'Picked').schema, { type: 'object', properties: { a }, required: ['a'] });
    assert.deepEqual(convert(files, 'Omitted').schema, { type: 'object', properties: { b } });
    assert.deepEqual(convert(files, 'Part').schema, { type: 'object', properties: { a, b } });
    assert.deepEqual(convert(files, 'Req').schema, { type: 'object', properties: { a, b }, required: ['a', 'b'] });
    assert.deepEqual(convert(files, 'Strict').schema, { type: 'object', properties: { a, b }, required: ['a'], additionalProperties: false });
    assert.deepEqual(convert(files, 'StrictObject').schema, { type: 'object', properties: { x: a }, required: ['x'], additionalProperties: false });
    assert.deepEqual(convert(files, 'Merged').schema, { type: 'object', properties: { a, b, d: a }, required: ['a', 'd'] });
    assert.deepEqual(convert(files, 'Keys').schema, { type: 'string', enum: ['a', 'b'] });
    assert.deepEqual(convert(files, 'FromShape').schema, { type: 'object', properties: { a, b }, required: ['a'] });
    assert.deepEqual(convert(files, 'ExtendedByShape').schema, { type: 'object', properties: { c: { type: 'boolean' }, a, b }, required: ['c'] });
    assert.deepEqual(convert(files, 'OneField').schema, { type: 'object', properties: { only: a, maybe: b }, required: ['only'] });
  });

  it('reads enums from constant arrays (with spreads), TypeScript enums and objects, records, tuples, intersections and discriminated unions', () => {
    const { schema } = convert(
      {
        'colors.ts': `export const BASE_COLORS = ['red', 'green'] as const;`,
        'schemas.ts': `
          import { z } from 'zod';
          import { BASE_COLORS } from './colors';
          const COLORS = [...BASE_COLORS, 'pink'] as const;
          enum Level { Low, High }
          enum Status { Open = 'open', Closed = 'closed' }
          const Mode = { Fast: 'fast', Slow: 'slow' } as const;
          export const S = z.object({
            color: z.enum(COLORS),
            level: z.nativeEnum(Level),
            status: z.enum(Status),
            mode: z.enum(Mode),
            meta: z.record(z.string(), z.number()),
            pair: z.tuple([z.string(), z.number()]),
            both: z.intersection(z.object({ x: z.string() }), z.object({ y: z.string() })),
            shape: z.discriminatedUnion('kind', [z.object({ kind: z.literal('a') }), z.object({ kind: z.literal('b'), n: z.number() })]),
          });`,
      },
      'S',
    );
    const properties = schema.properties as Record<string, unknown>;
    assert.deepEqual(properties.color, { type: 'string', enum: ['red', 'green', 'pink'] });
    assert.deepEqual(properties.level, { type: 'number', enum: [0, 1] });
    assert.deepEqual(properties.status, { type: 'string', enum: ['open', 'closed'] });
    assert.deepEqual(properties.mode, { type: 'string', enum: ['fast', 'slow'] });
    assert.deepEqual(properties.meta, { type: 'object', additionalProperties: { type: 'number' } });
    assert.deepEqual(properties.pair, { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false, minItems: 2, maxItems: 2 });
    assert.deepEqual(properties.both, {
      allOf: [
        { type: 'object', properties: { x: { type: 'string' } }, required: ['x'] },
        { type: 'object', properties: { y: { type: 'string' } }, required: ['y'] },
      ],
    });
    assert.deepEqual(properties.shape, {
      anyOf: [
        { type: 'object', properties: { kind: { type: 'string', const: 'a' } }, required: ['kind'] },
        { type: 'object', properties: { kind: { type: 'string', const: 'b' }, n: { type: 'number' } }, required: ['kind', 'n'] },
      ],
    });
  });

  it('finds schemas across files: named imports, re-exports, export *, namespaces, aliases and zod/v4', () => {
    const files = {
      'lib/address.ts': `import * as z from 'zod/v4';\nexport const Address = z.object({ zip: z.string() });`,
      'lib/index.ts': `export * from './address';\nexport { Person as Human } from './person';`,
      'lib/person.ts': `import z from 'zod';\nimport { Address } from './address';\nexport const Person = z.object({ address: Address });`,
      'schemas.ts': `
        import { z } from 'zod';
        import { Human } from './lib';
        import * as lib from './lib/address';
        export const Same = Human;
        export const S = z.object({ who: Human, where: lib.Address, alias: Same });`,
    };
    const { schema, components } = convert(files, 'S');
    assert.deepEqual(schema, { type: 'object', properties: { who: ref('Person'), where: ref('Address'), alias: ref('Person') }, required: ['alias', 'where', 'who'] });
    assert.deepEqual(components.Person, { type: 'object', properties: { address: ref('Address') }, required: ['address'] });
    assert.deepEqual(components.Address, { type: 'object', properties: { zip: { type: 'string' } }, required: ['zip'] });
  });

  it('leaves what it cannot read statically open, and says why', () => {
    const { schema, notes } = convert(
      {
        'schemas.ts': `
          import { z } from 'zod';
          import { External } from '@acme/schemas';
          declare function makeShape(): Record<string, z.ZodType>;
          export const S = z.object({
            computed: z.object(makeShape()),
            custom: z.custom<string>((v) => typeof v === 'string'),
            external: External,
            date: z.date(),
            fine: z.string(),
          });`,
      },
      'S',
    );
    const properties = schema.properties as Record<string, JsonSchema>;
    assert.deepEqual(properties.fine, { type: 'string' });
    for (const key of ['computed', 'custom', 'external', 'date']) {
      assert.equal(typeof properties[key]['x-route-atlas-note'], 'string', `${key} has no note`);
    }
    assert.match(String(properties.external['x-route-atlas-note']), /'@acme\/schemas', outside the workspace/);
    assert.match(String(properties.date['x-route-atlas-note']), /Date object/);
    assert.ok(notes.some((note) => note.startsWith('schemas.ts:')), 'notes say where');
  });

  it('cuts schemas nested deeper than its bound, and enums longer than its bound, with a note', () => {
    let nested = 'z.string()';
    for (let i = 0; i < MAX_SCHEMA_DEPTH + 5; i++) nested = `z.object({ a: ${nested} })`;
    const deep = convert({ 'schemas.ts': `import { z } from 'zod';\nexport const S = ${nested};` }, 'S');
    let depth = 0;
    let node: JsonSchema | undefined = deep.schema;
    while (node && node.properties) {
      node = (node.properties as Record<string, JsonSchema>).a;
      depth++;
    }
    assert.ok(depth <= MAX_SCHEMA_DEPTH + 1, `nested ${depth} deep`);
    assert.match(String(node?.['x-route-atlas-note']), /nested more than/);
    const values = Array.from({ length: MAX_ENUM_VALUES + 50 }, (_, i) => `'v${i}'`).join(', ');
    const long = convert({ 'schemas.ts': `import { z } from 'zod';\nexport const S = z.enum([${values}]);` }, 'S');
    assert.equal((long.schema.enum as unknown[]).length, MAX_ENUM_VALUES);
    assert.match(String(long.schema['x-route-atlas-note']), /cut/);
  });

  it('stops converting at the document\'s node budget, leaving the rest open with one note', function () {
    this.timeout(60_000);
    const fields = Array.from({ length: MAX_DOCUMENT_SCHEMA_NODES + 100 }, (_, i) => `f${i}: z.string()`).join(',\n');
    const { schema, notes } = convert({ 'schemas.ts': `import { z } from 'zod';\nexport const S = z.object({\n${fields}\n});` }, 'S');
    const properties = schema.properties as Record<string, JsonSchema>;
    assert.equal(Object.keys(properties).length, MAX_DOCUMENT_SCHEMA_NODES + 100);
    assert.deepEqual(properties.f0, { type: 'string' });
    assert.match(String(properties[`f${MAX_DOCUMENT_SCHEMA_NODES + 99}`]['x-route-atlas-note']), /cut/);
    assert.equal(notes.filter((note) => note.includes('nodes')).length, 1);
  });

  it('agrees with zod itself on which values it accepts (ajv over the JSON Schema, zod over the same values)', () => {
    const source = `
      import { z } from 'zod';
      export const S = z.object({
        name: z.string().min(1).max(5),
        email: z.string().email(),
        age: z.number().int().min(0).max(150).optional(),
        role: z.enum(['admin', 'member']),
        nick: z.string().nullable(),
        tags: z.array(z.string()).max(2).optional(),
        score: z.number().gt(0).lt(1).nullish(),
      });`;
    const real = z.object({
      name: z.string().min(1).max(5),
      email: z.string().email(),
      age: z.number().int().min(0).max(150).optional(),
      role: z.enum(['admin', 'member']),
      nick: z.string().nullable(),
      tags: z.array(z.string()).max(2).optional(),
      score: z.number().gt(0).lt(1).nullish(),
    });
    const { schema } = convert({ 'schemas.ts': source }, 'S');
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const base = { name: 'Ann', email: 'a@b.co', role: 'admin', nick: null };
    const samples: unknown[] = [
      base,
      { ...base, age: 3 },
      { ...base, age: 3.5 },
      { ...base, age: -1 },
      { ...base, name: '' },
      { ...base, name: 'toolong' },
      { ...base, email: 'nope' },
      { ...base, role: 'owner' },
      { ...base, nick: undefined },
      { ...base, nick: 'x' },
      { ...base, tags: ['a', 'b', 'c'] },
      { ...base, score: 0 },
      { ...base, score: 0.5 },
      { ...base, score: null },
      { name: 'Ann' },
    ];
    for (const sample of samples) {
      const json = JSON.parse(JSON.stringify(sample)) as unknown;
      assert.equal(validate(json), real.safeParse(json).success, `disagree on ${JSON.stringify(json)}`);
    }
  });
});

describe('OpenAPI schemas from valibot', () => {
  it('reads pipes, optional, nullable and nullish, picklists, literals, unions and formats', () => {
    const { schema, notes } = convert(
      {
        'schemas.ts': `
          import * as v from 'valibot';
          export const S = v.object({
            name: v.pipe(v.string(), v.minLength(1), v.maxLength(50)),
            email: v.pipe(v.string(), v.email()),
            age: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(150)),
            site: v.optional(v.pipe(v.string(), v.url())),
            role: v.picklist(['admin', 'member']),
            nick: v.nullable(v.string()),
            bio: v.nullish(v.string()),
            kind: v.literal('user'),
            tags: v.array(v.string()),
            contact: v.union([v.string(), v.number()]),
            at: v.pipe(v.string(), v.isoTimestamp()),
            id: v.pipe(v.string(), v.uuid()),
            flag: v.optional(v.boolean(), false),
            pair: v.tuple([v.string(), v.number()]),
            meta: v.record(v.string(), v.number()),
          });`,
      },
      'S',
    );
    assert.deepEqual(notes, []);
    assert.deepEqual(schema, {
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 50 },
        email: { type: 'string', format: 'email' },
        age: { type: 'integer', minimum: 0, maximum: 150 },
        site: { type: 'string', format: 'uri' },
        role: { type: 'string', enum: ['admin', 'member'] },
        nick: { type: ['string', 'null'] },
        bio: { type: ['string', 'null'] },
        kind: { type: 'string', const: 'user' },
        tags: { type: 'array', items: { type: 'string' } },
        contact: { anyOf: [{ type: 'string' }, { type: 'number' }] },
        at: { type: 'string', format: 'date-time' },
        id: { type: 'string', format: 'uuid' },
        flag: { type: 'boolean', default: false },
        // A valibot tuple without rest ignores extra items (strictTuple refuses them).
        pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], minItems: 2 },
        meta: { type: 'object', additionalProperties: { type: 'number' } },
      },
      required: ['age', 'contact', 'email', 'id', 'kind', 'meta', 'name', 'nick', 'pair', 'role', 'tags', 'at'].sort(),
    });
  });

  it('reads named imports, strict objects, the pre-0.31 pipeline arguments, and partial/pick/omit/merge', () => {
    const files = {
      'schemas.ts': `
        import { object, strictObject, string, number, email, minLength, optional, partial, pick, omit, merge } from 'valibot';
        const Base = object({ a: string(), b: optional(number()) });
        export const Strict = strictObject({ x: string() });
        export const Legacy = object({ mail: string([email(), minLength(3)]) });
        export const Part = partial(Base);
        export const Picked = pick(Base, ['a']);
        export const Omitted = omit(Base, ['a']);
        export const Merged = merge([Base, object({ c: string() })]);`,
    };
    assert.deepEqual(convert(files, 'Strict').schema, { type: 'object', properties: { x: { type: 'string' } }, required: ['x'], additionalProperties: false });
    assert.deepEqual(convert(files, 'Legacy').schema, { type: 'object', properties: { mail: { type: 'string', format: 'email', minLength: 3 } }, required: ['mail'] });
    assert.deepEqual(convert(files, 'Part').schema, { type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } } });
    assert.deepEqual(convert(files, 'Picked').schema, { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] });
    assert.deepEqual(convert(files, 'Omitted').schema, { type: 'object', properties: { b: { type: 'number' } } });
    assert.deepEqual(convert(files, 'Merged').schema, { type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' }, c: { type: 'string' } }, required: ['a', 'c'] });
  });

  it('ends recursive schemas (v.lazy) at a component reference', () => {
    const { schema } = convert(
      {
        'schemas.ts': `
          import * as v from 'valibot';
          export const Tree = v.object({ label: v.string(), children: v.array(v.lazy(() => Tree)) });`,
      },
      'Tree',
    );
    assert.deepEqual(schema, { type: 'object', properties: { label: { type: 'string' }, children: { type: 'array', items: ref('Tree') } }, required: ['children', 'label'] });
  });
});

describe('OpenAPI schemas from yup', () => {
  it('treats fields as optional until required or defined, and required strings as non-empty', () => {
    const { schema, notes } = convert(
      {
        'schemas.ts': `
          import * as yup from 'yup';
          export const S = yup.object({
            name: yup.string().required().max(50),
            email: yup.string().email().required(),
            age: yup.number().integer().min(0).max(150),
            nick: yup.string().nullable(),
            role: yup.string().oneOf(['admin', 'member']).required(),
            tags: yup.array().of(yup.string()),
            active: yup.boolean().defined(),
            at: yup.date(),
            site: yup.string().url(),
            id: yup.string().uuid().required(),
            score: yup.number().moreThan(0).lessThan(1).required(),
            optionalName: yup.string().notRequired(),
          });`,
      },
      'S',
    );
    assert.deepEqual(notes, []);
    assert.deepEqual(schema, {
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 50 },
        email: { type: 'string', format: 'email', minLength: 1 },
        age: { type: 'integer', minimum: 0, maximum: 150 },
        nick: { type: ['string', 'null'] },
        role: { type: 'string', enum: ['admin', 'member'] },
        tags: { type: 'array', items: { type: 'string' } },
        active: { type: 'boolean' },
        at: { type: 'string', format: 'date-time' },
        site: { type: 'string', format: 'uri' },
        id: { type: 'string', format: 'uuid', minLength: 1 },
        score: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        optionalName: { type: ['string', 'null'] },
      },
      required: ['active', 'email', 'id', 'name', 'role', 'score'],
    });
  });

  it('reads shape(), noUnknown(), pick, omit, partial and named imports', () => {
    const files = {
      'schemas.ts': `
        import { object, string, number } from 'yup';
        const Base = object().shape({ a: string().required(), b: number() });
        export const Closed = Base.noUnknown();
        export const Picked = Base.pick(['a']);
        export const Omitted = Base.omit(['a']);
        export const Part = Base.partial();`,
    };
    const a = { type: 'string', minLength: 1 };
    const b = { type: 'number' };
    assert.deepEqual(convert(files, 'Closed').schema, { type: 'object', properties: { a, b }, required: ['a'], additionalProperties: false });
    assert.deepEqual(convert(files, 'Picked').schema, { type: 'object', properties: { a }, required: ['a'] });
    assert.deepEqual(convert(files, 'Omitted').schema, { type: 'object', properties: { b } });
    assert.deepEqual(convert(files, 'Part').schema, { type: 'object', properties: { a, b } });
  });
});
