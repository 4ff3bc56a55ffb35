/**
 * The OpenAI Responses client dialect (`/v1/responses`, what Codex speaks):
 * decode a request into the unified one (history joined in by the server),
 * encode answers and streams back as `response` objects and typed events.
 */
export const RESPONSES_DIALECT = 'openai-responses';

export { decodeResponsesRequest, type DecodedResponses, type ResponseEcho } from './decode-responses-request.js';
export { buildChatRequest, resolveItemReferences } from './build-chat-request.js';
export { encodeResponse, clientView, responseObject, type ResponseIdentity } from './encode-response.js';
export { createResponsesStreamEncoder, type ResponsesStreamEncoder } from './responses-stream-encoder.js';
export { newResponseId } from './response-ids.js';
export type * from './response-types.js';
