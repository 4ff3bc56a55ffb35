import type { AssistantPart } from './chat-request.js';
import type { FinishReason } from './finish-reason.js';
import type { Usage } from './usage.js';

export interface TokenLogprob {
  token: string;
  logprob: number;
  bytes?: number[] | null;
  topLogprobs?: { token: string; logprob: number; bytes?: number[] | null }[];
}

export interface ChatChoice {
  index: number;
  /** Parts in the order the model produced them: reasoning, text, tool calls. */
  content: AssistantPart[];
  refusal?: string;
  finishReason: FinishReason;
  logprobs?: TokenLogprob[];
}

export interface ChatResponse {
  /** Upstream id when it has one, otherwise generated. */
  id: string;
  /** The model that answered, as the upstream reported it. */
  model: string;
  /** Unix seconds. */
  created: number;
  choices: ChatChoice[];
  usage: Usage;
  systemFingerprint?: string;
  serviceTier?: string;
  /** Anything protocol-specific worth surfacing (e.g. Gemini safety ratings). */
  providerMetadata?: Record<string, unknown>;
}

export interface Embedding {
  index: number;
  /** Float vector, or base64 string when the client asked for base64. */
  embedding: number[] | string;
}

export interface EmbeddingResponse {
  model: string;
  data: Embedding[];
  usage: Usage;
  /** 'estimated' when the upstream reported no usage and the protocol counted it locally. */
  usageSource?: 'upstream' | 'estimated';
}
