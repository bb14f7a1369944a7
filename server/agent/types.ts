// What the agent tools run on and what they give back. Plain data: the MCP server and the language server
// each build the context from what they hold and turn a result into their own protocol's shape.
import type { Problem, RouteManifest } from '../analysis/model';
import type { JsonSchema } from './schema';

/** One scanned folder, as current as its host can make it when the tool runs. */
export interface AgentFolder {
  manifest: RouteManifest;
  /**
   * The callers index's hints (Workspace.callerReport().problems). Only `check` reads them, and the index
   * reads every source file the first time, so it is asked for, not handed over.
   */
  callerProblems?: () => readonly Problem[];
}

export interface AgentContext {
  /** Usually one; a language server with several workspace folders passes each. */
  folders: readonly AgentFolder[];
}

/** What a tool answers: text for the model, the same facts as data, and whether the call failed. */
export interface AgentToolResult {
  text: string;
  /** Conforms to the tool's outputSchema; absent on errors. */
  structured?: Record<string, unknown>;
  isError?: boolean;
}

export interface AgentTool {
  /** The MCP tool name (`list_endpoints`); VS Code's is `routeAtlas_` + this. */
  name: string;
  /** A short title for people (MCP `title`, VS Code `displayName`). */
  title: string;
  /** What the tool does and when to use it, for the model. */
  description: string;
  /** A short sentence for people (VS Code `userDescription`). */
  userDescription: string;
  /** How a person refers to the tool in a VS Code chat prompt: `#routeAtlasEndpoints`. */
  referenceName: string;
  /** An object schema in the subset of schema.ts. */
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  /** Runs on arguments already checked against inputSchema, with defaults filled in. */
  run(context: AgentContext, args: Record<string, unknown>): AgentToolResult;
}

/** A result that says what went wrong and how to call the tool instead. */
export function toolError(text: string): AgentToolResult {
  return { text, isError: true };
}
