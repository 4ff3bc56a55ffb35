/**
 * The unified chat request: what every client dialect decodes into and every
 * provider protocol encodes from. Close to OpenAI's chat completions because
 * that is the lingua franca, but typed and normalised (content is always an
 * array of parts, stop is always an array, tool arguments are strings).
 */

export interface TextPart {
  type: 'text';
  text: string;
  /** Prompt-caching hint (Anthropic `cache_control`), when a client sends one. */
  cacheControl?: { type: 'ephemeral'; ttl?: string };
}

/** An image, either by URL or inline bytes (base64, no data: prefix). */
export interface ImagePart {
  type: 'image';
  source: { kind: 'url'; url: string } | { kind: 'base64'; mediaType: string; data: string };
  /** OpenAI's `detail`; protocols that cannot honour it warn. */
  detail?: 'auto' | 'low' | 'high';
}

/** A document/file (PDF etc.), inline or by URL / provider file id. */
export interface FilePart {
  type: 'file';
  source: { kind: 'url'; url: string } | { kind: 'base64'; mediaType: string; data: string } | { kind: 'file-id'; fileId: string };
  filename?: string;
}

export interface AudioPart {
  type: 'audio';
  data: string;
  format: string;
}

/** Model "thinking". `signature` (Anthropic) must be returned verbatim on later turns. */
export interface ReasoningPart {
  type: 'reasoning';
  text: string;
  signature?: string;
  /** Anthropic `redacted_thinking`: opaque data, never shown. */
  redactedData?: string;
}

export interface ToolCallPart {
  type: 'tool-call';
  id: string;
  name: string;
  /** JSON text exactly as the model produced it (may be partial while streaming). */
  arguments: string;
}

export type UserPart = TextPart | ImagePart | FilePart | AudioPart;
export type AssistantPart = TextPart | ReasoningPart | ToolCallPart;

export interface SystemMessage {
  role: 'system';
  /** OpenAI's `developer` role is decoded to system with this flag so it can round-trip. */
  developer?: boolean;
  content: TextPart[];
}
export interface UserMessage {
  role: 'user';
  content: UserPart[];
  name?: string;
}
export interface AssistantMessage {
  role: 'assistant';
  content: AssistantPart[];
  name?: string;
  refusal?: string;
}
export interface ToolMessage {
  role: 'tool';
  toolCallId: string;
  /** Tool name when the client dialect carries it (Gemini needs it; OpenAI does not send it). */
  toolName?: string;
  content: (TextPart | ImagePart)[];
  isError?: boolean;
}
export type Message = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

export interface FunctionTool {
  type: 'function';
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters?: Record<string, unknown>;
  strict?: boolean;
}
export type Tool = FunctionTool;

export type ToolChoice =
  | { type: 'auto' }
  | { type: 'none' }
  | { type: 'required' }
  | { type: 'tool'; name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict?: boolean; description?: string };

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';

export interface ChatRequest {
  /** The model as the upstream names it (the router rewrites the public name). */
  model: string;
  messages: Message[];
  tools?: Tool[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  temperature?: number;
  topP?: number;
  topK?: number;
  maxOutputTokens?: number;
  stop?: string[];
  seed?: number;
  /** Number of choices. Protocols that cannot produce n > 1 fail with a 400. */
  n?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  logitBias?: Record<string, number>;
  logprobs?: boolean;
  topLogprobs?: number;
  /** End-user id for abuse tracking (OpenAI `user`, Anthropic `metadata.user_id`). */
  user?: string;
  reasoningEffort?: ReasoningEffort;
  /** Explicit thinking budget (Anthropic `thinking.budget_tokens`, Gemini `thinkingBudget`). */
  reasoningBudgetTokens?: number;
  metadata?: Record<string, string>;
  stream?: boolean;
  /** OpenAI `stream_options.include_usage`: the client wants a final usage chunk. */
  includeUsage?: boolean;
  /**
   * Namespaced, provider-specific options, e.g. `{ anthropic: { thinking: {...} } }`.
   * Only the protocol named by the key reads its entry; others warn.
   */
  providerOptions?: Record<string, Record<string, unknown>>;
  /**
   * Request fields the dialect did not recognise. An OpenAI-compatible
   * upstream receives them verbatim; any other protocol reports each one in
   * a warning (never silently dropped).
   */
  extraBody?: Record<string, unknown>;
}

export interface EmbeddingRequest {
  model: string;
  input: string[] | number[][];
  dimensions?: number;
  encodingFormat?: 'float' | 'base64';
  user?: string;
  /** Gemini task type and the like. */
  providerOptions?: Record<string, Record<string, unknown>>;
  extraBody?: Record<string, unknown>;
}
