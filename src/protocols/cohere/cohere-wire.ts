/**
 * The slice of Cohere's API v2 (`/v2/chat`, `/v2/embed`, `/v2/rerank`) this
 * protocol reads and writes. Field names are Cohere's wire names (snake_case;
 * the SDKs camelCase them). Response types are loose: they describe JSON
 * narrowed at runtime.
 */

export interface CohereToolCall {
  id: string;
  type: 'function';
  /** A JSON string, like OpenAI's. */
  function: { name: string; arguments: string };
}

export type CohereUserContent = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } };
export type CohereAssistantContent = { type: 'text'; text: string } | { type: 'thinking'; thinking: string };

export type CohereMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | CohereUserContent[] }
  | { role: 'assistant'; content?: string | CohereAssistantContent[]; tool_calls?: CohereToolCall[]; tool_plan?: string }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface CohereChatRequest {
  model: string;
  messages: CohereMessage[];
  stream?: boolean;
  tools?: { type: 'function'; function: { name: string; description?: string; parameters: Record<string, unknown> } }[];
  strict_tools?: boolean;
  tool_choice?: 'REQUIRED' | 'NONE';
  response_format?: { type: 'text' } | { type: 'json_object'; json_schema?: Record<string, unknown> };
  max_tokens?: number;
  stop_sequences?: string[];
  temperature?: number;
  seed?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  k?: number;
  p?: number;
  logprobs?: boolean;
  thinking?: { type: 'enabled' | 'disabled'; token_budget?: number };
  [extra: string]: unknown;
}

export interface CohereUsage {
  billed_units?: { input_tokens?: number; output_tokens?: number; search_units?: number; classifications?: number; images?: number };
  tokens?: { input_tokens?: number; output_tokens?: number };
  cached_tokens?: number;
}

export interface CohereChatResponse {
  id?: string;
  finish_reason?: string;
  message?: {
    role?: string;
    content?: { type?: string; text?: string; thinking?: string }[];
    tool_plan?: string;
    tool_calls?: { id?: string; type?: string; function?: { name?: string; arguments?: string } }[];
    citations?: unknown[];
  };
  usage?: CohereUsage;
  logprobs?: { token_ids?: number[]; text?: string; logprobs?: number[] }[];
}

/** One SSE event's `data` on `/v2/chat` with `stream: true`. */
export interface CohereStreamEvent {
  type?: string;
  id?: string;
  index?: number;
  delta?: {
    message?: {
      role?: string;
      content?: { type?: string; text?: string; thinking?: string };
      tool_plan?: string;
      tool_calls?: { id?: string; type?: string; function?: { name?: string; arguments?: string } };
      citations?: unknown;
    };
    finish_reason?: string;
    error?: string;
    usage?: CohereUsage;
  };
  logprobs?: CohereChatResponse['logprobs'];
}

export interface CohereEmbedResponse {
  id?: string;
  embeddings?: { float?: number[][] };
  meta?: { billed_units?: { input_tokens?: number }; tokens?: { input_tokens?: number } };
}

export interface CohereRerankResponse {
  id?: string;
  results?: { index?: number; relevance_score?: number }[];
  meta?: { billed_units?: { search_units?: number; input_tokens?: number } };
}
