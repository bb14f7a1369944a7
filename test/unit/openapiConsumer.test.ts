// A real consumer of the documents: openapi-typescript turns them into types, and the TypeScript compiler
// checks a small client against them. Lines marked `@ts-expect-error` must fail to compile (an unused
// marker is itself an error), so the test proves what the types refuse as well as what they accept.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { Workspace } from '../../server/analysis/workspace';
import { buildOpenApiDocument } from '../../server/openapi/index';

const repoRoot = path.resolve(__dirname, '../../..');

async function typesOf(root: string): Promise<string> {
  const workspace = new Workspace(root);
  const { document } = buildOpenApiDocument(workspace, workspace.scan());
  // By default openapi-typescript makes a property with a default required (right for responses, where the
  // server fills it in); a client sending a body may leave it out, as the schema says.
  return astToString(await openapiTS(JSON.parse(JSON.stringify(document)), { defaultNonNullable: false }));
}

/** Type-checks virtual files (with the standard library) and returns the diagnostics, one line each. */
function typeCheck(files: Record<string, string>): string[] {
  const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ['lib.es2022.d.ts'], types: [], skipLibCheck: true };
  const host = ts.createCompilerHost(options);
  const virtual = (name: string) => files[path.basename(name)] !== undefined && path.dirname(path.resolve(name)) === path.resolve('/virtual');
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, onError) => (virtual(name) ? ts.createSourceFile(name, files[path.basename(name)], languageVersion, true) : getSourceFile(name, languageVersion, onError));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => virtual(name) || fileExists(name);
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (name) => path.resolve(name) === path.resolve('/virtual') || (directoryExists?.(name) ?? false);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (virtual(name) ? files[path.basename(name)] : readFile(name));
  const program = ts.createProgram(['/virtual/usage.ts'], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1} ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

describe('OpenAPI documents read by openapi-typescript', () => {
  it('type a client: path params are strings, schema-derived bodies require what the schema requires, literal responses are literal', async function () {
    this.timeout(120_000);
    const usage = `
      import type { paths as sample } from './sample';
      import type { paths, components } from './app';

      type UserId = sample['/api/users/{id}']['get']['parameters']['path']['id'];
      const id: UserId = 'u1';
      // @ts-expect-error the path parameter is a string
      const numericId: UserId = 42;

      type CreateUser = sample['/api/users']['post']['requestBody']['content']['application/json'];
      const created: CreateUser = { name: 'Ann', email: 'ann@example.com' };
      // @ts-expect-error name is required by the zod schema
      const nameless: CreateUser = { email: 'ann@example.com' };
      // @ts-expect-error role is one of the enum's values
      const owner: CreateUser = { name: 'Ann', email: 'ann@example.com', role: 'owner' };

      type AppUser = paths['/api/users']['post']['requestBody']['content']['application/json'];
      const full: AppUser = { name: 'Ann', email: 'a@b.co', address: { street: 'Main', city: 'X' }, nickname: null };
      // @ts-expect-error a nullable field is still required
      const noNickname: AppUser = { name: 'Ann', email: 'a@b.co', address: { street: 'Main', city: 'X' } };
      // @ts-expect-error the nested $ref'd Address requires city
      const noCity: AppUser = { name: 'Ann', email: 'a@b.co', address: { street: 'Main' }, nickname: null };
      const update: components['schemas']['UpdateUser'] = {};

      type Order = paths['/api/orders']['post']['requestBody']['content']['application/json'];
      const order: Order = { sku: 'abc', quantity: 2, express: false };
      // @ts-expect-error quantity is required by the valibot schema
      const noQuantity: Order = { sku: 'abc', express: false };

      type Profile = paths['/api/profile']['put']['requestBody']['content']['application/json'];
      const profile: Profile = { displayName: 'Ann' };
      // @ts-expect-error displayName is required by the yup schema
      const anonymous: Profile = { website: 'https://example.com' };

      const tree: components['schemas']['TreeNode'] = { label: 'root', children: [{ label: 'leaf', children: [] }] };

      type NotFound = paths['/api/users/{id}']['get']['responses'][404]['content']['application/json'];
      const missing: NotFound = { error: 'Not found' };
      // @ts-expect-error the error text is the literal the handler returns
      const other: NotFound = { error: 'Gone' };

      type Files = paths['/api/files/{path}']['get']['parameters']['path']['path'];
      const file: Files = 'a/b/c.txt';

      export const used = [id, numericId, created, nameless, owner, full, noNickname, noCity, update, order, noQuantity, profile, anonymous, tree, missing, other, file];
    `;
    const files = {
      'sample.ts': await typesOf(path.join(repoRoot, 'test/sample-app')),
      'app.ts': await typesOf(path.join(repoRoot, 'test/fixtures/openapi-app')),
      'usage.ts': usage,
    };
    assert.deepEqual(typeCheck(files), []);
    // The check is real: the same client without its markers fails exactly on the marked lines.
    const unmarked = typeCheck({ ...files, 'usage.ts': usage.replace(/\/\/ @ts-expect-error.*$/gm, '//') });
    assert.equal(unmarked.length, (usage.match(/@ts-expect-error/g) ?? []).length, unmarked.join('\n'));
  });
});
