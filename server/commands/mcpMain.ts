// The MCP protocol side of `route-atlas mcp`, bundled on its own (dist/mcp.js) so that the plain scan never
// loads the SDK: server/commands/mcp.ts requires it only for the `mcp` command. It speaks MCP over stdio with
// the SDK's low-level Server, which passes the tools' JSON Schemas on as they are; the tools, the workspace
// and argument checking live elsewhere (server/agent), reached through `call`.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, type CallToolResult, ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Readable, Writable } from 'node:stream';
import type { AgentTool, AgentToolResult } from '../agent/tools';

export interface McpServeOptions {
  name: string;
  version: string;
  /** What the server is for, shown to the model by clients that pass server instructions on. */
  instructions: string;
  tools: ReadonlyArray<Pick<AgentTool, 'name' | 'title' | 'description' | 'inputSchema' | 'outputSchema'>>;
  call(name: string, args: unknown): Promise<AgentToolResult>;
  /** Called once the client has finished the handshake. */
  onInitialized?(): void;
  input: Readable;
  output: Writable;
  log(message: string): void;
}

/** The tools as MCP lists them; every tool only reads the workspace. */
function toolList(tools: McpServeOptions['tools']): Tool[] {
  return tools.map((tool) => ({
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: tool.inputSchema as Tool['inputSchema'],
    ...(tool.outputSchema ? { outputSchema: tool.outputSchema as Tool['outputSchema'] } : {}),
    annotations: { title: tool.title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  }));
}

function callResult(result: AgentToolResult): CallToolResult {
  const out: CallToolResult = { content: [{ type: 'text', text: result.text }] };
  if (result.isError) out.isError = true;
  else if (result.structured) out.structuredContent = result.structured;
  return out;
}

/** Serves the tools until the input ends (the client closed stdin) or the connection closes. */
export async function serveMcp(options: McpServeOptions): Promise<void> {
  const server = new Server({ name: options.name, version: options.version }, { capabilities: { tools: { listChanged: false } }, instructions: options.instructions });
  const tools = toolList(options.tools);
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const started = performance.now();
    const result = await options.call(request.params.name, request.params.arguments ?? {});
    options.log(`${request.params.name} answered in ${(performance.now() - started).toFixed(1)} ms${result.isError ? ' (an error result)' : ''}`);
    return callResult(result);
  });
  server.onerror = (error) => options.log(`protocol error: ${error.message}`);
  server.oninitialized = () => options.onInitialized?.();
  const transport = new StdioServerTransport(options.input, options.output);
  const closed = new Promise<void>((resolve) => {
    const end = () => resolve();
    options.input.once('end', end);
    options.input.once('close', end);
    server.onclose = end;
  });
  await server.connect(transport);
  await closed;
  await server.close().catch(() => undefined);
}
