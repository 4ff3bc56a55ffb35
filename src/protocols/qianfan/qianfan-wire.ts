/** Baidu Qianfan legacy (wenxinworkshop, ERNIE) wire shapes. */

export interface ErnieFunctionCall {
  name: string;
  arguments: string;
  thoughts?: string;
}

export interface ErnieMessage {
  role: 'user' | 'assistant' | 'function';
  content: string;
  /** The function's name on a `function` (result) message. */
  name?: string;
  function_call?: ErnieFunctionCall;
}

export interface ErnieRequest {
  messages: ErnieMessage[];
  system?: string;
  stream?: boolean;
  temperature?: number;
  top_p?: number;
  penalty_score?: number;
  stop?: string[];
  max_output_tokens?: number;
  user_id?: string;
  functions?: { name: string; description?: string; parameters: unknown }[];
  tool_choice?: { type: 'function'; function: { name: string } };
  response_format?: 'json_object' | 'text';
  [key: string]: unknown;
}

export interface ErnieUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
}

/** A whole answer, or one stream event (then `sentence_id`/`is_end` are set). */
export interface ErnieResponse {
  id?: string;
  object?: string;
  created?: number;
  sentence_id?: number;
  is_end?: boolean;
  is_truncated?: boolean;
  result?: string;
  /** "normal", "stop", "length", "content_filter", "function_call". */
  finish_reason?: string;
  need_clear_history?: boolean;
  function_call?: ErnieFunctionCall;
  usage?: ErnieUsage;
  /** Failures come back with HTTP 200 and these two fields. */
  error_code?: number;
  error_msg?: string;
}

export interface TokenResponse {
  access_token?: string;
  expires_in?: number;
  error?: string;
  error_description?: string;
}

export interface ErnieEmbeddingResponse extends Pick<ErnieResponse, 'id' | 'created' | 'error_code' | 'error_msg'> {
  data?: { object: string; embedding: number[]; index: number }[];
  usage?: ErnieUsage;
}
