/**
 * The Bedrock Converse API's JSON shapes (only the fields this gateway reads
 * or writes). Names follow AWS's API reference exactly.
 */

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';
export type DocumentFormat = 'pdf' | 'csv' | 'doc' | 'docx' | 'xls' | 'xlsx' | 'html' | 'txt' | 'md';

export type MediaSource = { bytes: string } | { s3Location: { uri: string; bucketOwner?: string } };

export interface CachePointBlock {
  cachePoint: { type: 'default' };
}

export type ConverseContentBlock =
  | { text: string }
  | { image: { format: ImageFormat; source: MediaSource } }
  | { document: { format: DocumentFormat; name: string; source: MediaSource } }
  | { toolUse: { toolUseId: string; name: string; input: unknown } }
  | { toolResult: { toolUseId: string; content: ToolResultContent[]; status?: 'success' | 'error' } }
  | { reasoningContent: ReasoningContent }
  | CachePointBlock;

export type ToolResultContent = { text: string } | { json: unknown } | { image: { format: ImageFormat; source: MediaSource } };

export type ReasoningContent = { reasoningText: { text: string; signature?: string } } | { redactedContent: string };

export interface ConverseMessage {
  role: 'user' | 'assistant';
  content: ConverseContentBlock[];
}

export type SystemBlock = { text: string } | CachePointBlock;

export interface ToolSpec {
  toolSpec: { name: string; description?: string; inputSchema: { json: Record<string, unknown> } };
}

export type ConverseToolChoice = { auto: Record<string, never> } | { any: Record<string, never> } | { tool: { name: string } };

export interface ConverseRequestBody {
  messages: ConverseMessage[];
  system?: SystemBlock[];
  inferenceConfig?: { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: string[] };
  toolConfig?: { tools: (ToolSpec | CachePointBlock)[]; toolChoice?: ConverseToolChoice };
  additionalModelRequestFields?: Record<string, unknown>;
  additionalModelResponseFieldPaths?: string[];
  guardrailConfig?: Record<string, unknown>;
  performanceConfig?: Record<string, unknown>;
  promptVariables?: Record<string, unknown>;
  requestMetadata?: Record<string, string>;
  serviceTier?: Record<string, unknown>;
}

export interface ConverseUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

export interface ConverseResponseBody {
  output?: { message?: { role?: string; content?: unknown[] } };
  stopReason?: string;
  usage?: ConverseUsage;
  metrics?: { latencyMs?: number };
  additionalModelResponseFields?: unknown;
  trace?: unknown;
  performanceConfig?: unknown;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
