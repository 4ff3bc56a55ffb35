/**
 * The OpenAI client dialect: what `/v1/chat/completions`, `/v1/completions`,
 * `/v1/embeddings` and `/v1/models` clients send and expect back.
 */
export const OPENAI_DIALECT = 'openai-chat';

export { decodeChatRequest, type DecodedChat } from './decode-chat-request.js';
export type { GatewayDirectives } from './decode-gateway-directives.js';
export { encodeChatResponse } from './encode-chat-response.js';
export { createChatStreamEncoder, type ChatStreamEncoder } from './chat-stream-encoder.js';
export { decodeEmbeddingRequest, encodeEmbeddingResponse, type DecodedEmbedding } from './embeddings.js';
export { decodeCompletionRequest, type DecodedCompletion } from './decode-completion-request.js';
export { encodeError } from './encode-error.js';
export { encodeModel, encodeModelList, type ModelInfo } from './encode-models.js';
export { mapFinishReason } from './map-finish-reason.js';
export { relayBody } from './relay-body.js';
