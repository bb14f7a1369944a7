// The OpenAPI generator's public face, for the CLI and the language server: a document from a workspace and
// its manifest, and its text as JSON or YAML. Nothing here imports editor or LSP types.
export { buildOpenApiDocument, chooseApp, OpenApiAppError, type OpenApiOptions, type OpenApiResult, type OpenApiWorkspace } from './buildDocument';
export { toYaml } from './yaml';
import { printableJson } from '../printable';

/** The document as JSON text, two-space indented, printable, ending in a newline. */
export function toJsonText(value: unknown): string {
  return printableJson(value) + '\n';
}
