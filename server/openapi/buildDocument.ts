// An OpenAPI 3.1 document of one app's route handlers, from the manifest and, where it helps, the handlers'
// own code: the schemas that validate request bodies and the literal JSON they answer with. Pure: paths
// and text in (through the workspace), plain data out; no editor types.
import * as path from 'node:path';
import type { ts } from 'ts-morph';
import { isLimitError } from '../analysis/limits';
import type { AppManifest, HandlerRequestInfo, Route, RouteManifest, RouteMethod } from '../analysis/model';
import { isIdentifier, isPropertyAccessExpression } from '../analysis/typescriptBindings';
import { unwrapExpression } from '../analysis/staticValues';
import type { Workspace } from '../analysis/workspace';
import { bodySchemaExpression, functionAt, functionalParseSchema, handlerLocals, type ResponseShape, responseShapes } from './handlerReader';
import { anyOf, type JsonSchema, objectOf, openSchema } from './jsonSchema';
import { OperationIds, type PathParam, routePaths, tagOf } from './paths';
import { pathQualifier, SchemaConverter } from './schemaConverter';
import { type ModuleIndex, SourceIndex } from './sourceIndex';

export const OPENAPI_VERSION = '3.1.0';

/** What the generator needs of a Workspace: its root, and its files as the analysis reads them. */
export type OpenApiWorkspace = Pick<Workspace, 'root' | 'sourceText' | 'resolveImport'>;

export interface OpenApiOptions {
  /** The app to describe, by its root relative to the scanned folder (`apps/web`) or its package name. */
  app?: string;
}

export interface OpenApiResult {
  document: JsonSchema;
  /** What could not be described exactly, one line each, with the file and line where it is. */
  notes: string[];
}

/**
 * Thrown when the manifest does not say which app to describe: none was found, several were and none was
 * chosen, or the chosen one is not there. `appRoots` lists the roots there are.
 */
export class OpenApiAppError extends Error {
  constructor(
    message: string,
    readonly reason: 'no-app' | 'several-apps' | 'unknown-app',
    readonly appRoots: string[],
  ) {
    super(message);
    this.name = 'OpenApiAppError';
  }
}

/** The methods a document lists: every explicit export; Next's own HEAD and OPTIONS say nothing of the API. */
const DOCUMENTED_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

/** Headers OpenAPI describes elsewhere (content types, security) and tells readers to ignore as parameters. */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 206: 'Partial Content',
  301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 410: 'Gone', 413: 'Content Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content', 429: 'Too Many Requests',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** The app a document describes, chosen by `options.app` or as the only one. */
export function chooseApp(manifest: RouteManifest, app: string | undefined): AppManifest {
  const roots = manifest.apps.map((a) => a.root);
  if (app !== undefined) {
    const wanted = normalizeRoot(app, manifest.root);
    const found = manifest.apps.find((a) => a.root === wanted) ?? manifest.apps.find((a) => a.name === app);
    if (found) return found;
    throw new OpenApiAppError(`No Next.js app at ${app}. ${roots.length > 0 ? `The apps are: ${roots.join(', ')}.` : 'No app was found.'}`, 'unknown-app', roots);
  }
  if (manifest.apps.length === 1) return manifest.apps[0];
  if (manifest.apps.length === 0) throw new OpenApiAppError(`No Next.js app with an app/ or src/app/ folder was found under ${manifest.root}.`, 'no-app', roots);
  throw new OpenApiAppError(`${manifest.apps.length} Next.js apps were found (${roots.join(', ')}), and each one is its own API: say which one to describe.`, 'several-apps', roots);
}

/** `./apps/web/`, `apps\web` and an absolute path inside the scanned folder all name `apps/web`. */
function normalizeRoot(app: string, scannedRoot: string): string {
  let rel = path.isAbsolute(app) ? path.relative(scannedRoot, app) : app;
  rel = rel.split(path.sep).join('/').replace(/\/+$/, '').replace(/^(\.\/)+/, '');
  return rel === '' ? '.' : rel;
}

/**
 * The OpenAPI 3.1 document of one app: a path per route handler URL (basePath in `servers`), an
 * operation per exported method, parameters, request bodies from validating schemas, and the responses the
 * code answers with. Throws OpenApiAppError when the app to describe is not clear.
 */
export function buildOpenApiDocument(workspace: OpenApiWorkspace, manifest: RouteManifest, options: OpenApiOptions = {}): OpenApiResult {
  const app = chooseApp(manifest, options.app);
  return new DocumentBuilder(workspace, manifest, app).build();
}

class DocumentBuilder {
  private readonly index: SourceIndex;
  private readonly converter: SchemaConverter;
  private readonly notes: string[] = [];
  private readonly operationIds = new OperationIds();
  private readonly tags = new Set<string>();

  constructor(
    private readonly workspace: OpenApiWorkspace,
    private readonly manifest: RouteManifest,
    private readonly app: AppManifest,
  ) {
    const relative = (abs: string) => path.relative(workspace.root, abs).split(path.sep).join('/');
    this.index = new SourceIndex({ readText: (abs) => workspace.sourceText(abs), resolve: (specifier, from) => workspace.resolveImport(specifier, from), relative });
    // Components of the same name in several modules are told apart by their path in the app.
    const appAbs = path.resolve(workspace.root, app.root);
    this.converter = new SchemaConverter(this.index, (module) => {
      const inApp = path.relative(appAbs, module.abs);
      return pathQualifier((inApp.startsWith('..') ? relative(module.abs) : inApp).split(path.sep).join('/'));
    });
  }

  build(): OpenApiResult {
    const app = this.app;
    const basePath = app.config.basePath.known ? app.config.basePath.value : '';
    if (!app.config.basePath.known) this.notes.push(`${app.config.basePath.file ?? app.config.file ?? 'next.config'}: basePath is not a literal (${app.config.basePath.reason}); the server URL is /.`);
    const paths = new Map<string, JsonSchema>();
    let metadataRoutes = 0;
    for (const route of app.routes) {
      if (route.kind !== 'route') {
        metadataRoutes++;
        continue;
      }
      for (const routePath of routePaths(route, basePath)) this.addRoute(paths, route, routePath.template, routePath.params);
    }
    if (metadataRoutes > 0) this.notes.push(`${metadataRoutes} metadata route(s) (sitemap, robots, icons, images) are files a browser or crawler reads, not API operations: they are left out.`);
    const components = this.converter.componentSchemas();
    for (const item of paths.values()) this.converter.finalizeRefs(item);
    for (const [abs, reason] of this.index.failures) this.notes.push(`${this.relative(abs)}: not read for schemas: ${reason}.`);
    this.notes.push(...this.converter.notes);

    const document: JsonSchema = {
      openapi: OPENAPI_VERSION,
      info: { title: app.name ?? (app.root === '.' ? path.basename(this.manifest.root) : app.root), version: this.appVersion() },
      servers: [{ url: basePath || '/' }],
    };
    if (this.tags.size > 0) document.tags = [...this.tags].sort().map((name) => ({ name }));
    document.paths = objectOf(paths);
    if (Object.keys(components).length > 0) document.components = { schemas: components };
    document['x-route-atlas'] = {
      generator: `${this.manifest.generator.name} ${this.manifest.generator.version}`,
      appRoot: app.root,
      nextVersion: app.nextVersion.version ?? String(app.nextVersion.major),
    };
    return { document, notes: this.notes };
  }

  private relative(abs: string): string {
    return path.relative(this.workspace.root, abs).split(path.sep).join('/');
  }

  /** The app's package.json version, else 0.0.0 (OpenAPI requires one). */
  private appVersion(): string {
    const text = this.workspace.sourceText(path.resolve(this.workspace.root, this.app.root, 'package.json'));
    try {
      const version = text === undefined ? undefined : (JSON.parse(text) as { version?: unknown }).version;
      return typeof version === 'string' && version ? version : '0.0.0';
    } catch {
      return '0.0.0';
    }
  }

  private addRoute(paths: Map<string, JsonSchema>, route: Route, template: string, params: PathParam[]): void {
    let item = paths.get(template);
    if (!item) paths.set(template, (item = {}));
    const tag = tagOf(template);
    if (tag !== undefined) this.tags.add(tag);
    for (const method of route.methods) {
      if (method.implicit) continue;
      const key = method.name.toLowerCase();
      if (!(DOCUMENTED_METHODS as readonly string[]).includes(key)) continue;
      if (item[key]) {
        this.notes.push(`${route.file}: ${method.name} ${template} is also served by ${(item[key] as { 'x-route-atlas': { file: string } })['x-route-atlas'].file}; the document keeps the first (see the route conflict problems).`);
        continue;
      }
      item[key] = this.operation(route, method, template, params, tag);
    }
    if (Object.keys(item).length === 0) paths.delete(template);
  }

  private operation(route: Route, method: RouteMethod, template: string, params: PathParam[], tag: string | undefined): JsonSchema {
    const operation: JsonSchema = { operationId: this.operationIds.take(method.name, template) };
    if (tag !== undefined) operation.tags = [tag];
    const request = method.request;
    const handler = this.handlerOf(method);
    const parameters = [...params.map(pathParameter), ...(request ? queryAndHeaderParameters(request) : [])];
    if (parameters.length > 0) operation.parameters = parameters;
    const body = request?.body ? this.requestBody(request.body, handler, route) : undefined;
    if (body) operation.requestBody = body;
    operation.responses = this.responses(request, handler, method);
    const extension: JsonSchema = { file: route.file };
    if (method.span) extension.line = method.span.line;
    if (method.definition && (method.definition.file !== route.file || method.definition.span.line !== method.span?.line)) {
      extension.handler = { file: method.definition.file, line: method.definition.span.line };
    }
    if (method.form) extension.form = method.form;
    if (method.wrappers?.length) extension.wrappers = method.wrappers;
    // The verdict is about the route's GET: Next.js caches no other method's responses.
    if (method.name === 'GET' && route.caching) {
      const caching: JsonSchema = { kind: route.caching.kind };
      if (route.caching.revalidate !== undefined) caching.revalidate = route.caching.revalidate;
      if (route.caching.because !== undefined) caching.because = route.caching.because;
      extension.caching = caching;
    }
    operation['x-route-atlas'] = extension;
    return operation;
  }

  /** The handler's function and module, when its code was found and can be read. */
  private handlerOf(method: RouteMethod): { fn: ts.Node; module: ModuleIndex } | undefined {
    const definition = method.definition;
    if (!definition) return undefined;
    const module = this.index.module(path.resolve(this.workspace.root, definition.file));
    if (!module) return undefined;
    try {
      const fn = functionAt(module.sourceFile, definition.span);
      return fn ? { fn, module } : undefined;
    } catch (error) {
      if (!isLimitError(error)) throw error;
      return undefined;
    }
  }

  private requestBody(body: NonNullable<HandlerRequestInfo['body']>, handler: { fn: ts.Node; module: ModuleIndex } | undefined, route: Route): JsonSchema {
    if (body.kind === 'text') return { required: true, content: { 'text/plain': { schema: { type: 'string' } } } };
    const fieldsSchema: JsonSchema = { type: 'object', properties: objectOf(body.fields.map((field) => [field, {}])) };
    if (body.kind === 'formData') {
      return { required: true, content: { 'multipart/form-data': { schema: fieldsSchema }, 'application/x-www-form-urlencoded': { schema: fieldsSchema } } };
    }
    let schema: JsonSchema = body.fields.length > 0 ? fieldsSchema : {};
    const validated = this.bodySchema(body.schema, handler, route);
    if (validated) schema = validated;
    return { required: true, content: { 'application/json': { schema } } };
  }

  /** The JSON Schema of the schema that validates the body, from the handler's own code. */
  private bodySchema(name: string | undefined, handler: { fn: ts.Node; module: ModuleIndex } | undefined, route: Route): JsonSchema | undefined {
    try {
      if (handler) {
        const locals = handlerLocals(handler.fn);
        const scope = { module: handler.module, locals };
        const expression = name !== undefined ? bodySchemaExpression(handler.fn, handler.module.sourceFile, name) : functionalParseSchema(handler.fn, locals, (callee) => this.isLibraryParse(callee, handler.module, locals));
        if (expression) return this.converter.schemaOf(expression, scope);
        if (name !== undefined && /^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(name)) return this.converter.schemaOfName(handler.module, name);
      }
      if (name === undefined) return undefined;
      const note = `the body schema ${name} was not found in the handler's code`;
      this.notes.push(`${route.file}: ${note}.`);
      return openSchema(note);
    } catch (error) {
      if (!isLimitError(error)) throw error;
      const note = 'the body schema is nested too deeply to read';
      this.notes.push(`${route.file}: ${note}.`);
      return openSchema(note);
    }
  }

  /** `v.parse`, `safeParse` imported from valibot, `z.parse`: a library's own parse function. */
  private isLibraryParse(callee: ts.Expression, module: ModuleIndex, locals: ReadonlyMap<string, ts.Expression>): boolean {
    const expr = unwrapExpression(callee);
    const parseName = /^(parse|safeParse|parseAsync|safeParseAsync)$/;
    if (isIdentifier(expr)) {
      if (locals.has(expr.text)) return false;
      const resolved = this.index.resolveName(module, expr.text);
      return resolved.kind === 'library' && resolved.library !== 'yup' && parseName.test(resolved.importedName);
    }
    if (isPropertyAccessExpression(expr) && isIdentifier(expr.expression) && parseName.test(expr.name.text)) {
      if (locals.has(expr.expression.text)) return false;
      const resolved = this.index.resolveName(module, expr.expression.text);
      return resolved.kind === 'library' && resolved.library !== 'yup' && resolved.importedName === '*';
    }
    return false;
  }

  private responses(request: HandlerRequestInfo | undefined, handler: { fn: ts.Node; module: ModuleIndex } | undefined, method: RouteMethod): JsonSchema {
    let shapes: ResponseShape[] = [];
    if (handler) {
      try {
        shapes = responseShapes(handler.fn);
      } catch (error) {
        if (!isLimitError(error)) throw error;
      }
    }
    const statuses = new Set<number | 'default'>(request?.statuses ?? []);
    for (const shape of shapes) statuses.add(shape.status);
    const responses = new Map<string, JsonSchema>();
    const ordered = [...statuses].sort((a, b) => (a === 'default' ? 1 : b === 'default' ? -1 : a - b));
    for (const status of ordered) {
      const response: JsonSchema = { description: status === 'default' ? 'A response whose status the handler computes.' : REASONS[status] ?? `Status ${status}` };
      const byType = new Map<string, JsonSchema[]>();
      for (const shape of shapes) {
        if (shape.status !== status || !shape.contentType) continue;
        byType.set(shape.contentType, [...(byType.get(shape.contentType) ?? []), shape.schema ?? {}]);
      }
      if (byType.size > 0) response.content = objectOf([...byType].map(([type, schemas]) => [type, { schema: anyOf(schemas) }]));
      if (typeof status === 'number' && status >= 300 && status < 400 && status !== 304) response.headers = { Location: { description: 'Where the redirect leads.', schema: { type: 'string' } } };
      responses.set(String(status), response);
    }
    if (responses.size === 0) {
      const why = !method.request ? `the handler's code was not found (${method.form ?? 'unknown'} export)` : 'the handler answers with no literal status';
      responses.set('default', { description: `Responses not known statically: ${why}.` });
    }
    return objectOf(responses);
  }
}

function pathParameter(param: PathParam): JsonSchema {
  const parameter: JsonSchema = { name: param.name, in: 'path', required: true, schema: { type: 'string' } };
  const segment = param.kind === 'dynamic' ? `[${param.folderName}]` : param.kind === 'catchAll' ? `[...${param.folderName}]` : `[[...${param.folderName}]]`;
  if (param.kind !== 'dynamic') {
    parameter.description = 'Catch-all: one or more path segments, joined by `/` (send the slashes as they are, not encoded).';
  }
  const extension: JsonSchema = { segment, kind: param.kind };
  if (param.name !== param.folderName) extension.name = param.folderName;
  parameter['x-route-atlas'] = extension;
  return parameter;
}

function queryAndHeaderParameters(request: HandlerRequestInfo): JsonSchema[] {
  const query = request.query.map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } }));
  const headers = request.headers.filter((name) => !IGNORED_HEADERS.has(name.toLowerCase())).map((name) => ({ name, in: 'header', required: false, schema: { type: 'string' } }));
  return [...query, ...headers];
}
