// The tools Route Atlas offers coding agents, over the same analysis as the CLI and the editor. Pure
// functions of a context (the current manifests) and checked arguments; no protocol here, so the MCP server
// (server/commands/mcpMain.ts) and the language server can both serve them.
import { BUILD_REQUEST } from './buildRequest';
import { CHECK } from './check';
import { GET_ENDPOINT, LIST_ENDPOINTS } from './endpoints';
import { EXPLAIN_CACHING } from './explainCaching';
import { validateArguments } from './schema';
import type { AgentContext, AgentTool, AgentToolResult } from './types';

export type { AgentContext, AgentFolder, AgentTool, AgentToolResult } from './types';
export type { JsonSchema } from './schema';

export const AGENT_TOOLS: readonly AgentTool[] = [LIST_ENDPOINTS, GET_ENDPOINT, CHECK, EXPLAIN_CACHING, BUILD_REQUEST];

/** The tool of this name, if there is one. Own names only: `constructor` or `__proto__` is no tool. */
export function agentTool(name: string): AgentTool | undefined {
  return AGENT_TOOLS.find((tool) => tool.name === name);
}

/**
 * Runs a tool on raw arguments: checks them against its input schema first, and turns an unknown tool, bad
 * arguments and a failure inside the tool (a bug) into an error result, so that a host never has to.
 */
export function runAgentTool(name: string, context: AgentContext, args: unknown): AgentToolResult {
  const tool = agentTool(name);
  if (!tool) return { text: `There is no tool ${JSON.stringify(name.slice(0, 100))}; the tools are ${AGENT_TOOLS.map((t) => t.name).join(', ')}.`, isError: true };
  const checked = validateArguments(tool.inputSchema, args);
  if (!checked.ok) return { text: `${tool.name} was called with arguments it cannot take:\n${checked.errors.map((e) => `- ${e}`).join('\n')}`, isError: true };
  try {
    return tool.run(context, checked.value);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { text: `${tool.name} failed: ${message.split('\n')[0]} (this is a bug in Route Atlas).`, isError: true };
  }
}
