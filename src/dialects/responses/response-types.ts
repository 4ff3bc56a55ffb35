/**
 * The OpenAI Responses API items this dialect reads and writes, in their
 * wire shape (snake_case, as clients and the stored state see them). Only
 * the item kinds a chat-completion upstream can take part in are modelled;
 * the decoder refuses the rest by name.
 */

export interface InputTextContent {
  type: 'input_text';
  text: string;
}
export interface InputImageContent {
  type: 'input_image';
  image_url?: string;
  file_id?: string;
  detail: 'auto' | 'low' | 'high';
}
export interface InputFileContent {
  type: 'input_file';
  file_data?: string;
  file_id?: string;
  file_url?: string;
  filename?: string;
}
export interface OutputTextContent {
  type: 'output_text';
  text: string;
  annotations: unknown[];
  logprobs?: unknown[];
}
export interface RefusalContent {
  type: 'refusal';
  refusal: string;
}

export type UserContent = InputTextContent | InputImageContent | InputFileContent;
export type MessageContent = UserContent | OutputTextContent | RefusalContent;
export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

export interface MessageItem {
  type: 'message';
  id: string;
  role: 'user' | 'assistant' | 'system' | 'developer';
  status?: ItemStatus;
  content: MessageContent[];
}

export interface FunctionCallItem {
  type: 'function_call';
  id: string;
  call_id: string;
  name: string;
  arguments: string;
  /** Set when the tool came from a `namespace` tool group. */
  namespace?: string;
  status?: ItemStatus;
}

export interface FunctionCallOutputItem {
  type: 'function_call_output';
  id: string;
  call_id: string;
  output: string | UserContent[];
  status?: ItemStatus;
}

export interface SummaryText {
  type: 'summary_text';
  text: string;
}

export interface ReasoningItem {
  type: 'reasoning';
  id: string;
  summary: SummaryText[];
  /** Opaque to clients. Ours starts with REASONING_PAYLOAD_PREFIX; anything else came from OpenAI. */
  encrypted_content?: string | null;
  status?: ItemStatus;
}

/** Items that make up a conversation: what is stored and what becomes the next request's history. */
export type ResponseItem = MessageItem | FunctionCallItem | FunctionCallOutputItem | ReasoningItem;
export type OutputItem = MessageItem | FunctionCallItem | ReasoningItem;

/** `{type:'item_reference', id}`: an earlier item named by id, resolved against the stored history. */
export interface ItemReference {
  type: 'item_reference';
  id: string;
}
export type DecodedInputItem = ResponseItem | ItemReference;

export interface ResponseUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export type ResponseStatus = 'completed' | 'incomplete' | 'failed' | 'in_progress';

/** The `response` object, as returned by POST/GET and carried by the stream's lifecycle events. */
export interface ResponseObject {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponseStatus;
  background: false;
  error: { code: string; message: string } | null;
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null;
  instructions: string | null;
  max_output_tokens: number | null;
  model: string;
  output: OutputItem[];
  parallel_tool_calls: boolean;
  previous_response_id: string | null;
  reasoning: { effort: string | null; summary: string | null };
  store: boolean;
  temperature: number | null;
  text: { format: Record<string, unknown>; verbosity?: string };
  tool_choice: unknown;
  tools: unknown[];
  top_p: number | null;
  truncation: 'auto' | 'disabled';
  usage: ResponseUsage | null;
  user: string | null;
  metadata: Record<string, string>;
}
