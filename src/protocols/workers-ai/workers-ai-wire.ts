/**
 * The slice of Cloudflare's Workers AI REST API (`POST …/ai/run/{model}`,
 * `GET …/ai/models/search`) this protocol reads and writes. Field names are
 * Cloudflare's; response types are loose because they describe JSON
 * narrowed at runtime.
 */

export interface WorkersAiToolCallOut {
  id: string;
  type: 'function';
  /** A JSON string here, as in OpenAI's format. */
  function: { name: string; arguments: string };
}

export interface WorkersAiMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  /** Always a string: the run schema refuses null and arrays. */
  content: string;
  tool_calls?: WorkersAiToolCallOut[];
  /** Tool results name the function they answer and echo the call id. */
  name?: string;
  tool_call_id?: string;
}

export interface WorkersAiTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

export interface WorkersAiChatRequest {
  messages: WorkersAiMessage[];
  stream?: boolean;
  tools?: WorkersAiTool[];
  tool_choice?: 'auto' | 'none' | 'required';
  response_format?: { type: 'json_object' } | { type: 'json_schema'; json_schema: Record<string, unknown> };
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  seed?: number;
  repetition_penalty?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  [extra: string]: unknown;
}

/**
 * A tool call as Workers AI returns it: flat `{name, arguments}` (arguments
 * an object) from the native models, or OpenAI's `{id, type, function}`
 * from newer ones; streamed pieces carry an `index` and argument fragments.
 */
export interface WorkersAiToolCallIn {
  index?: number;
  id?: string;
  type?: string;
  name?: string;
  arguments?: unknown;
  function?: { name?: string; arguments?: unknown };
}

export interface WorkersAiUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
}

/** `result` of a chat run, and (without the envelope) each streamed `data:` object. */
export interface WorkersAiChatResult {
  /** A string, or an object when JSON mode produced structured output. */
  response?: unknown;
  tool_calls?: WorkersAiToolCallIn[];
  usage?: WorkersAiUsage;
  /** Newer models report one; the classic schema has none. */
  finish_reason?: string | null;
  /** Padding against token-length side channels: carries nothing. */
  p?: string;
}

export interface WorkersAiError {
  code?: number;
  message?: string;
}

/** Cloudflare's v4 API envelope. */
export interface WorkersAiEnvelope<T> {
  result?: T | null;
  success?: boolean;
  errors?: WorkersAiError[];
  messages?: unknown[];
}

export interface WorkersAiEmbedResult {
  shape?: number[];
  data?: number[][];
  pooling?: string;
}

export interface WorkersAiModelInfo {
  name?: string;
  task?: { name?: string };
}
