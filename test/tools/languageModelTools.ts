// Prints the `contributes.languageModelTools` array for package.json, generated from the agent tools:
//   node esbuild.mjs --tests --quiet && node out/test/tools/languageModelTools.js
import { languageModelTools } from '../../server/agent/languageModelTools';

process.stdout.write(`${JSON.stringify({ languageModelTools: languageModelTools() }, null, 2)}\n`);
