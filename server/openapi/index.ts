// The OpenAPI generator's public face, for the CLI and the language server: a document from a workspace and
// its manifest, and its text as JSON or YAML. Nothing here imports editor or LSP types.
export { buildOpenApiDocument, chooseApp, OpenApiAppError, type OpenApiOptions, type OpenApiResult, type OpenApiWorkspace } from './buildDocument';
export { toYaml } from './yaml';

/**
 * Characters JSON.stringify leaves raw that a terminal, a log or an editor may act on or hide: DEL, C1, the
 * line and paragraph separators and the bidi controls. Outside strings JSON text is ASCII, so they stand
 * only inside strings, where the `\u` escape is the same value.
 */
const RAW_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The document as JSON text, two-space indented, ending in a newline. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(RAW_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';
}
