/** DashScope native API wire shapes (text-generation with result_format "message", text-embedding). */

export interface DashScopeToolCall {
  index?: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export interface DashScopeMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  tool_calls?: DashScopeToolCall[];
  tool_call_id?: string;
  reasoning_content?: string;
}

export interface DashScopeRequest {
  model: string;
  input: { messages: DashScopeMessage[] };
  parameters: Record<string, unknown>;
}

export interface DashScopeUsage {
  input_tokens?: number;
  output_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number };
  output_tokens_details?: { reasoning_tokens?: number };
}

export interface DashScopeChoice {
  /** "stop", "length", "tool_calls"; the string "null" while a stream is running. */
  finish_reason?: string | null;
  message?: { role?: string; content?: string; reasoning_content?: string; tool_calls?: DashScopeToolCall[] };
}

export interface DashScopeGeneration {
  output?: { choices?: DashScopeChoice[]; text?: string; finish_reason?: string };
  usage?: DashScopeUsage;
  request_id?: string;
}

/** Every DashScope failure body. */
export interface DashScopeError {
  code?: string;
  message?: string;
  request_id?: string;
}

export interface DashScopeEmbeddingResponse {
  output?: { embeddings?: { text_index: number; embedding: number[] }[] };
  usage?: { total_tokens?: number };
  request_id?: string;
}
