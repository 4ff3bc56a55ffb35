/**
 * The Anthropic Messages client dialect: what `/v1/messages` and
 * `/v1/messages/count_tokens` clients (the official SDKs, Claude Code) send
 * and expect back, translated to and from the unified model.
 */
export const ANTHROPIC_DIALECT = 'anthropic-messages';

export { decodeMessagesRequest, type DecodedMessages, type DecodeOptions, type HeaderMap } from './decode-messages-request.js';
export { translatedRequest, type TranslationTarget } from './translated-request.js';
export { encodeMessagesResponse } from './encode-messages-response.js';
export { createMessagesStreamEncoder, type MessagesStreamEncoder } from './messages-stream-encoder.js';
export { encodeAnthropicError, anthropicErrorType, type AnthropicErrorType } from './encode-error.js';
export { encodeUsage } from './encode-usage.js';
export { mapStopReason, type AnthropicStopReason } from './map-stop-reason.js';
