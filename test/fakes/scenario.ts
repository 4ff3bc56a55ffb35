/**
 * The scripting vocabulary shared by every fake provider. A test scripts a
 * behaviour per model name; each fake renders it in its own wire format, so
 * one conformance suite can drive all protocols with the same cases.
 */
export interface FakeToolCall {
  id?: string;
  name: string;
  arguments: Record<string, unknown>;
}

export interface FakeUsage {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
  reasoning?: number;
}

export interface FakeScenario {
  /** Assistant text. Default: `Hello from <fake> model <model>.` */
  text?: string;
  /** Thinking text (reasoning_content / thinking block / thought part). */
  reasoning?: string;
  toolCalls?: FakeToolCall[];
  /** Token counts the fake reports. Default: input = prompt words + 3, output = reply words. */
  usage?: FakeUsage;
  finish?: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  /** Answer with an HTTP error in the protocol's error body shape. */
  error?: { status: number; message?: string; retryAfterS?: number; type?: string };
  /** Apply `error` to the first N matching requests only, then succeed. */
  failTimes?: number;
  /** Delay before response headers (ms). */
  latencyMs?: number;
  /** Delay after stream headers, before the first content event (ms). */
  firstTokenDelayMs?: number;
  /** Delay between stream events (ms). */
  chunkDelayMs?: number;
  /** Destroy the socket after this many stream events (mid-stream reset). */
  resetAfterChunks?: number;
  /** Accept the request and never answer. */
  hang?: boolean;
  /** Stream without any usage (tests local token counting). */
  omitUsage?: boolean;
  /** Embedding vector length (default 8). */
  embeddingDims?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path with query string. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or null. */
  body: any;
  rawBody: string;
  /** The body's bytes as received (multipart uploads carry binary files). */
  bytes?: Buffer;
  receivedAt: number;
}

export interface AbortRecord {
  url: string;
  model: string;
  /** Epoch ms when the fake saw the connection close before it finished answering. */
  at: number;
}

/** Words of a text, the unit the fakes stream and count by default. */
export function words(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [];
}

/** Deterministic pseudo-embedding of a string, so tests can compare exactly. */
export function fakeEmbedding(input: string, dims: number): number[] {
  const out: number[] = [];
  let h = 2166136261;
  for (let i = 0; i < input.length; i++) h = Math.imul(h ^ input.charCodeAt(i), 16777619);
  for (let d = 0; d < dims; d++) {
    h = Math.imul(h ^ (d + 1), 16777619);
    out.push(Number((((h >>> 0) % 20000) / 10000 - 1).toFixed(4)));
  }
  return out;
}
