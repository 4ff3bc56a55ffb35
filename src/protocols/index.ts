import type { Protocol } from '../spec/index.js';
import { anthropicProtocol } from './anthropic/index.js';
import { azureProtocol } from './azure/index.js';
import { bedrockProtocol } from './bedrock/index.js';
import { cohereProtocol } from './cohere/index.js';
import { dashscopeProtocol } from './dashscope/index.js';
import { geminiProtocol } from './gemini/index.js';
import { hunyuanProtocol } from './hunyuan/index.js';
import { ollamaProtocol } from './ollama/index.js';
import { openaiProtocol } from './openai/index.js';
import { qianfanProtocol } from './qianfan/index.js';
import { vertexProtocol } from './vertex/index.js';
import { workersAiProtocol } from './workers-ai/index.js';

/** Every upstream protocol by id. Adding one is a folder plus a line here. */
const protocols = new Map<string, Protocol>([
  [openaiProtocol.id, openaiProtocol],
  [anthropicProtocol.id, anthropicProtocol],
  [geminiProtocol.id, geminiProtocol],
  [bedrockProtocol.id, bedrockProtocol],
  [azureProtocol.id, azureProtocol],
  [ollamaProtocol.id, ollamaProtocol],
  [cohereProtocol.id, cohereProtocol],
  [vertexProtocol.id, vertexProtocol],
  [hunyuanProtocol.id, hunyuanProtocol],
  [dashscopeProtocol.id, dashscopeProtocol],
  [qianfanProtocol.id, qianfanProtocol],
  [workersAiProtocol.id, workersAiProtocol],
]);

export function getProtocol(id: string): Protocol | undefined {
  return protocols.get(id);
}

export function protocolIds(): string[] {
  return [...protocols.keys()];
}
