import type { Protocol } from '../../spec/index.js';
import { speech, transcribe } from './audio.js';
import { chat, stream } from './chat.js';
import { embed } from './embed.js';
import { editImage, generateImage } from './images.js';
import { listModels } from './list-models.js';
import { moderate } from './moderations.js';
import { relay } from './relay.js';
import { rerank } from './rerank.js';

/**
 * OpenAI chat completions: OpenAI itself and every OpenAI-compatible server
 * (DeepSeek, Groq, Mistral, Together, vLLM, Ollama's /v1 ...). Differences
 * between them are catalog quirks, not code here.
 */
export const openaiProtocol: Protocol = {
  id: 'openai',
  nativeDialect: 'openai-chat',
  chat,
  stream,
  embed,
  relay,
  listModels,
  generateImage,
  editImage,
  transcribe,
  speech,
  moderate,
  rerank,
};

export { encodeChatRequest } from './encode-chat-request.js';
export { decodeChatResponse } from './decode-chat-response.js';
export { decodeChatStream } from './decode-chat-stream.js';
export { decodeUsage } from './decode-usage.js';
export { mapFinishReason } from './map-finish-reason.js';
export { mapOpenAIError } from './map-openai-error.js';
