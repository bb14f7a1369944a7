// The `contributes.languageModelTools` entries of package.json for the agent tools: VS Code reads a tool's
// name, descriptions and input schema from there, statically, so they are generated from AGENT_TOOLS rather
// than written twice (test/tools/languageModelTools.ts prints them).
import type { JsonSchema } from './schema';
import { AGENT_TOOLS } from './tools';
import type { AgentTool } from './types';

export interface LanguageModelToolContribution {
  name: string;
  toolReferenceName: string;
  displayName: string;
  userDescription: string;
  modelDescription: string;
  canBeReferencedInPrompt: boolean;
  tags: string[];
  inputSchema: JsonSchema;
}

/** The VS Code name of an agent tool: `routeAtlas_list_endpoints`. */
export function languageModelToolName(tool: Pick<AgentTool, 'name'>): string {
  return `routeAtlas_${tool.name}`;
}

export function languageModelTools(tools: readonly AgentTool[] = AGENT_TOOLS): LanguageModelToolContribution[] {
  return tools.map((tool) => ({
    name: languageModelToolName(tool),
    toolReferenceName: tool.referenceName,
    displayName: tool.title,
    userDescription: tool.userDescription,
    modelDescription: tool.description,
    canBeReferencedInPrompt: true,
    tags: ['nextjs', 'routes', 'route-atlas'],
    inputSchema: tool.inputSchema,
  }));
}
