/** Tencent Hunyuan ChatCompletions (API version 2023-09-01) wire shapes: PascalCase, as Tencent Cloud API 3.0 writes them. */

export interface HunyuanToolCall {
  Id: string;
  Type: 'function';
  Function: { Name: string; Arguments: string };
  Index?: number;
}

export interface HunyuanContent {
  Type: 'text' | 'image_url';
  Text?: string;
  ImageUrl?: { Url: string };
}

export interface HunyuanMessage {
  Role: 'system' | 'user' | 'assistant' | 'tool';
  Content?: string;
  Contents?: HunyuanContent[];
  ToolCallId?: string;
  ToolCalls?: HunyuanToolCall[];
}

export interface HunyuanTool {
  Type: 'function';
  /** Parameters is JSON text, not an object. */
  Function: { Name: string; Parameters: string; Description?: string };
}

export interface HunyuanRequest {
  Model: string;
  Messages: HunyuanMessage[];
  Stream?: boolean;
  TopP?: number;
  Temperature?: number;
  Tools?: HunyuanTool[];
  ToolChoice?: 'none' | 'auto' | 'custom';
  CustomTool?: HunyuanTool;
  Seed?: number;
  Stop?: string[];
  EnableThinking?: boolean;
  [key: string]: unknown;
}

export interface HunyuanUsage {
  PromptTokens?: number;
  CompletionTokens?: number;
  TotalTokens?: number;
  PromptTokensDetails?: { CachedTokens?: string | number };
}

export interface HunyuanChoice {
  /** "stop", "tool_calls", "sensitive" (moderation cut the output), "length"; empty mid-stream. */
  FinishReason?: string;
  Index?: number;
  Message?: { Role?: string; Content?: string; ReasoningContent?: string; ToolCalls?: HunyuanToolCall[] | null };
  Delta?: { Role?: string; Content?: string; ReasoningContent?: string; ToolCalls?: HunyuanToolCall[] | null };
}

/** One answer or stream event; a non-stream answer is wrapped in `Response`. */
export interface HunyuanChatBody {
  Id?: string;
  Created?: number;
  Note?: string;
  Choices?: HunyuanChoice[];
  Usage?: HunyuanUsage;
  /** A failure inside a stream (4000 internal error, 4001 model timeout). */
  ErrorMsg?: { Code?: number; Msg?: string } | null;
  RequestId?: string;
}

/** Every Tencent Cloud API 3.0 failure: HTTP 200 with this body. */
export interface TencentErrorEnvelope {
  Response: { Error?: { Code: string; Message: string }; RequestId?: string } & HunyuanChatBody;
}
