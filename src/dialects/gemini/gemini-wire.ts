/**
 * The Gemini API (v1beta) shapes a Gemini-native client sends and reads.
 * Types only, field names Google's. A copy of the subset the dialect needs:
 * dialects may not import protocol code (the protocol folder has its own
 * copy for the upstream side).
 */

export type Json = Record<string, unknown>;

export interface GeminiPart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  inlineData?: { mimeType: string; data: string };
  fileData?: { mimeType?: string; fileUri: string };
  functionCall?: { id?: string; name: string; args?: Json };
  functionResponse?: { id?: string; name: string; response: Json };
}

export interface GeminiContent {
  role?: string;
  parts: GeminiPart[];
}

export interface GeminiUsageMetadata {
  promptTokenCount: number;
  candidatesTokenCount: number;
  totalTokenCount: number;
  cachedContentTokenCount?: number;
  thoughtsTokenCount?: number;
}

export interface GeminiCandidateOut {
  content?: { role: 'model'; parts: GeminiPart[] };
  finishReason?: string;
  index: number;
  safetyRatings?: unknown[];
  logprobsResult?: Json;
}

/** What the dialect writes back: a GenerateContentResponse (or one stream chunk of it). */
export interface GenerateContentResponseOut {
  candidates?: GeminiCandidateOut[];
  promptFeedback?: unknown;
  usageMetadata?: GeminiUsageMetadata;
  modelVersion?: string;
  responseId?: string;
}
