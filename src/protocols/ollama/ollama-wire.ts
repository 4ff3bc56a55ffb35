/**
 * The slice of Ollama's native API (`/api/chat`, `/api/embed`, `/api/tags`)
 * this protocol reads and writes. Field names are Ollama's; response types
 * are loose because they describe JSON narrowed at runtime.
 */

export interface OllamaToolCall {
  /** Recent Ollama versions return an id; older ones do not. */
  id?: string;
  function: {
    index?: number;
    name: string;
    /** An OBJECT on the wire, unlike OpenAI's JSON string. */
    arguments: Record<string, unknown>;
  };
}

export interface OllamaMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  thinking?: string;
  /** Base64 image bytes, no data: prefix. */
  images?: string[];
  tool_calls?: OllamaToolCall[];
  /** Names the function a tool message answers (Ollama pairs results by name). */
  tool_name?: string;
}

export interface OllamaTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

export interface OllamaChatRequest {
  model: string;
  messages: OllamaMessage[];
  stream: boolean;
  tools?: OllamaTool[];
  /** "json" or a JSON schema. */
  format?: 'json' | Record<string, unknown>;
  options?: Record<string, unknown>;
  think?: boolean | 'low' | 'medium' | 'high';
  keep_alive?: string | number;
  logprobs?: boolean;
  top_logprobs?: number;
  [extra: string]: unknown;
}

export interface OllamaLogprob {
  token?: string;
  logprob?: number;
  bytes?: number[];
  top_logprobs?: { token?: string; logprob?: number; bytes?: number[] }[];
}

/** One `/api/chat` answer, or one NDJSON line of a streamed one. */
export interface OllamaChatChunk {
  model?: string;
  created_at?: string;
  message?: { role?: string; content?: string; thinking?: string; tool_calls?: OllamaToolCall[] };
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  total_duration?: number;
  logprobs?: OllamaLogprob[];
  /** A failure reported inside a 200 stream. */
  error?: string;
}

export interface OllamaEmbedResponse {
  model?: string;
  embeddings?: number[][];
  prompt_eval_count?: number;
}

export interface OllamaTagsResponse {
  models?: { name?: string; model?: string }[];
}
