/**
 * The Gemini client dialect: what Gemini SDK clients (`@google/genai`) send
 * to `/v1beta/models/{model}:generateContent` and `:streamGenerateContent`
 * and expect back, translated to and from the unified model.
 */
export const GEMINI_DIALECT = 'gemini';

export { decodeGenerateContent, type DecodedGenerateContent } from './decode-generate-content.js';
export { translatedRequest, type TranslationTarget } from './translated-request.js';
export { encodeGenerateContentResponse, type EncodeOptions } from './encode-response.js';
export { createGeminiStreamEncoder, type GeminiStreamEncoder } from './stream-encoder.js';
export { encodeGeminiError, googleStatus } from './encode-error.js';
export { geminiSchemaToJsonSchema } from './decode-schema.js';
export type { GenerateContentResponseOut } from './gemini-wire.js';
