import type { CancelSignal } from './cancel-signal.js';
import type { Readable } from 'node:stream';
import type { ChatRequest, EmbeddingRequest } from './chat-request.js';
import type { ChatResponse, EmbeddingResponse } from './chat-response.js';
import type {
  ImageEditRequest,
  ImageGenerationRequest,
  ImageResponse,
  ModerationRequest,
  ModerationResponse,
  SpeechRequest,
  SpeechResponse,
  TranscriptionRequest,
  TranscriptionResponse,
} from './media.js';
import type { RerankRequest, RerankResponse } from './rerank.js';
import type { ChatStream } from './stream-part.js';
import type { Usage } from './usage.js';

/** How a provider wants its credential presented. */
export type AuthStyle =
  | { kind: 'bearer' }
  | { kind: 'header'; name: string; prefix?: string }
  | { kind: 'query'; name: string }
  /** AWS Signature V4 from `credentials` (access key id, secret, session token) and `settings.region`. */
  | { kind: 'aws-sigv4'; service: string }
  /** Zhipu's legacy scheme: the `id.secret` key becomes a short-lived HS256 JWT sent as a bearer token. */
  | { kind: 'zhipu-jwt' }
  /** Tencent Cloud API 3.0 TC3-HMAC-SHA256 from `credentials.secretId`/`secretKey`; the protocol signs each request. */
  | { kind: 'tencent-tc3'; service: string }
  /** Baidu's OAuth client-credentials flow (API Key + Secret Key → access_token in the query); the protocol fetches and caches it. */
  | { kind: 'baidu-access-token' }
  | { kind: 'none' };

/**
 * Differences between OpenAI-compatible providers, declared in the catalog so
 * the one OpenAI protocol serves them all (no per-provider copies).
 */
export interface ProviderQuirks {
  /** Request fields the provider rejects or ignores: reported as warnings and not sent. */
  unsupportedParams?: string[];
  /** Fields to rename on the way out, e.g. { max_completion_tokens: 'max_tokens' }. */
  renameParams?: Record<string, string>;
  /** Provider does not accept `stream_options`; usage arrives anyway or is counted. */
  noStreamOptions?: boolean;
  /** Maximum `n`; larger values fail with a 400 before any call. */
  maxN?: number;
  /** Image inputs unsupported: fail with a 400 rather than send. */
  noVision?: boolean;
  /** System messages must be merged into one leading message. */
  singleSystemMessage?: boolean;
  /**
   * Tool-call ids the provider accepts. `alnum9` (Mistral): exactly nine
   * letters or digits; other ids are rewritten deterministically on the way
   * out, so an assistant call and its tool result keep matching.
   */
  toolCallIdFormat?: 'alnum9';
}

/** One concrete upstream to call: resolved from a deployment + catalog entry. */
export interface UpstreamTarget {
  /** Catalog id of the provider (e.g. "openai", "deepseek", "custom"). */
  provider: string;
  /** Base URL including any version path, e.g. "https://api.openai.com/v1". */
  baseUrl: string;
  /** Model id as the upstream names it. */
  model: string;
  apiKey?: string;
  auth: AuthStyle;
  /** Extra static headers for this deployment. */
  headers?: Record<string, string>;
  /** API version where the protocol uses one (Anthropic header, Azure query). */
  apiVersion?: string;
  /** Whole-request timeout (ms). */
  timeoutMs?: number;
  /** Time allowed until the first streamed byte (ms). */
  firstTokenTimeoutMs?: number;
  quirks?: ProviderQuirks;
  /** Default max output tokens when the client sets none and the protocol requires one. */
  defaultMaxTokens?: number;
  /**
   * Secret material beyond one API key (AWS access key id/secret/session
   * token, a Google service-account JSON, a Baidu secret key …). Never logged.
   */
  credentials?: Record<string, string>;
  /** Non-secret protocol settings: region, project, location, deployment name … */
  settings?: Record<string, string>;
}

export interface CallOptions {
  requestId: string;
  /** Aborting cancels the upstream request at once. */
  signal: CancelSignal;
  /** Report a lossy mapping (sent to the client in a warning header). */
  warn(message: string): void;
}

/** Raw relay of a request body in the protocol's own dialect (the fast path). */
export interface RelayRequest {
  /** Path below the target's base URL, e.g. "/chat/completions". */
  path: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** Parsed JSON body; the relay rewrites only what it must (model, usage options). */
  body: Record<string, unknown> | null;
  stream: boolean;
  /** Client asked for a usage chunk; if not, a usage chunk requested for accounting is removed. */
  clientWantsUsage?: boolean;
  /** Client headers worth forwarding (already filtered of auth/hop-by-hop). */
  headers?: Record<string, string>;
}

export interface RelayResponse {
  status: number;
  headers: Record<string, string>;
  /** The upstream body, passed through byte for byte except as documented. */
  body: Readable;
  /**
   * The whole body and its settled result, when the protocol already read
   * it (non-stream answers): senders can write it directly instead of
   * iterating `body`, and need not wait on `done`.
   */
  whole?: { body: Buffer; result: RelayResult };
  /** Resolves when the body has ended (or failed/aborted) with what accounting needs. */
  done: Promise<RelayResult>;
}

export interface RelayResult {
  usage?: Usage;
  /** Upstream model as reported in the response. */
  model?: string;
  /** Epoch ms of the first body byte. */
  firstByteAt?: number;
  /** Text seen in the stream when no usage arrived (for local token counting). */
  completionText?: string;
  error?: Error;
}

/**
 * One upstream wire protocol. Requests and responses are unified types; the
 * protocol owns encoding, HTTP, decoding and error mapping. Every method
 * rejects with a GatewayError (typed, with retry facts), never a raw error.
 * `stream` resolves only after the upstream accepted the request (2xx
 * headers), so the router can still retry; failures after that arrive as an
 * `error` part.
 */
export interface Protocol {
  readonly id: string;
  /** The client dialect this protocol speaks natively, enabling `relay`. */
  readonly nativeDialect?: string;
  /**
   * `providerOptions` namespaces this protocol reads besides its own id (a
   * protocol serving Claude through another cloud reads `anthropic`). Client
   * dialects use it to keep a client's provider-specific fields for the
   * protocols that read them and to report them, field by field, to the rest.
   */
  readonly providerOptionNamespaces?: readonly string[];
  /**
   * Inputs this protocol cannot carry at all (absent = it can): listings and
   * the README table read it; requests still fail with a 400 naming the part.
   */
  readonly inputs?: { readonly images?: boolean; readonly tools?: boolean };
  chat(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatResponse>;
  stream(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatStream>;
  embed?(req: EmbeddingRequest, target: UpstreamTarget, opts: CallOptions): Promise<EmbeddingResponse>;
  /** Forward a body in the native dialect with minimal changes; 2xx only, errors thrown as GatewayError. */
  relay?(req: RelayRequest, target: UpstreamTarget, opts: CallOptions): Promise<RelayResponse>;
  listModels?(target: UpstreamTarget, opts: CallOptions): Promise<string[]>;
  /** Order documents by relevance to a query (Cohere `/v2/rerank` and the like). */
  rerank?(req: RerankRequest, target: UpstreamTarget, opts: CallOptions): Promise<RerankResponse>;
  /** Images from a prompt (OpenAI `/images/generations`). */
  generateImage?(req: ImageGenerationRequest, target: UpstreamTarget, opts: CallOptions): Promise<ImageResponse>;
  /** Images edited from uploads (OpenAI `/images/edits`). */
  editImage?(req: ImageEditRequest, target: UpstreamTarget, opts: CallOptions): Promise<ImageResponse>;
  /** Speech to text, or to English text (OpenAI `/audio/transcriptions`, `/audio/translations`). */
  transcribe?(req: TranscriptionRequest, target: UpstreamTarget, opts: CallOptions): Promise<TranscriptionResponse>;
  /** Text to speech; resolves once the upstream accepted, with the audio still streaming. */
  speech?(req: SpeechRequest, target: UpstreamTarget, opts: CallOptions): Promise<SpeechResponse>;
  /** Content classification (OpenAI `/moderations`). */
  moderate?(req: ModerationRequest, target: UpstreamTarget, opts: CallOptions): Promise<ModerationResponse>;
}
