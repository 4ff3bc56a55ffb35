import type { CancelSignal } from './cancel-signal.js';
import type { GatewayError } from './errors.js';
import type { Usage } from './usage.js';

/** Who is calling. Resolved by the server's auth step from memory, never per-request SQL. */
export interface Identity {
  kind: 'master' | 'virtual-key' | 'user-session';
  /** Virtual key id (not the secret) and its visible prefix, for logs. */
  keyId?: string;
  keyPrefix?: string;
  keyAlias?: string;
  userId?: string;
  teamId?: string;
  role: 'admin' | 'member' | 'viewer';
  /** Public model names or access groups this caller may use; undefined = all. */
  allowedModels?: string[];
  /** A second allow-list the caller must ALSO pass (the key's team); undefined = no team restriction. */
  teamAllowedModels?: string[];
  /** May override routing per request (deployment order, strategy). */
  canOverrideRouting?: boolean;
  /** May disable fallbacks / choose models beyond its list: set by the key. */
  disableFallbacks?: boolean;
  tags?: string[];
  metadata?: Record<string, unknown>;
}

/** One try against one deployment, as the router records it. */
export interface AttemptRecord {
  deployment: string;
  provider: string;
  upstreamModel: string;
  startedAt: number;
  durationMs?: number;
  error?: GatewayError;
  /** True when this attempt answered the client. */
  answered?: boolean;
  /** Usage an attempt consumed even though it did not answer (hedging, mid-stream failure). */
  usage?: Usage;
  /** Public model (group) this attempt served: differs from the request's when a fallback ran. */
  publicModel?: string;
  /** Stopped by the router, not failed: the slower side of a hedged pair. */
  cancelled?: boolean;
  /** Started as a hedge (a second try while the first was still waiting for its first token). */
  hedge?: boolean;
}

export type Endpoint = 'chat' | 'completions' | 'embeddings' | 'models' | 'messages' | 'responses' | 'images' | 'audio' | 'moderations' | 'rerank' | 'other';

/**
 * Everything the core knows about one client request. Created by the server,
 * threaded through router, protocols and interceptors. Mutable on purpose:
 * stages add warnings, attempts and response headers as the request moves.
 */
export interface RequestContext {
  requestId: string;
  /** Epoch ms when the request arrived. */
  startedAt: number;
  /** Aborted the moment the client disconnects; every upstream call listens to it. */
  signal: CancelSignal;
  identity: Identity | null;
  endpoint: Endpoint;
  /** Client dialect that decoded the request, e.g. "openai-chat". */
  dialect: string;
  /** Public model name the client asked for. */
  publicModel?: string;
  stream: boolean;
  clientIp?: string;
  userAgent?: string;
  /** Request tags (body `metadata.tags` / header), used by routing and the ledger. */
  tags: string[];
  /** Human-readable notes about options mapped lossily or dropped; sent as a response header. */
  warnings: string[];
  /** Extra response headers stages want the client to see (cost, budget, deployment). */
  responseHeaders: Record<string, string>;
  attempts: AttemptRecord[];
  /** Epoch ms of the first byte/token sent to the client (streams). */
  firstTokenAt?: number;
}

/** What a request asked for, given to interceptors before any upstream call. */
export interface CallInfo {
  publicModel: string;
  endpoint: Endpoint;
  stream: boolean;
  /** Rough prompt size (tokens), for reservations and context-window checks. */
  estimatedInputTokens: number;
  /** The client's output cap, if it set one. */
  maxOutputTokens?: number;
}

export interface CallOutcome {
  status: 'ok' | 'error' | 'aborted';
  /** What the upstream produced (also on abort: bill what was generated). */
  usage?: Usage;
  /** Whether `usage` came from the upstream or was counted locally. */
  usageSource?: 'upstream' | 'estimated';
  error?: GatewayError;
  /** The deployment that answered (or the last one tried). */
  deployment?: string;
  provider?: string;
  upstreamModel?: string;
  latencyMs: number;
  ttftMs?: number;
  /** Completion text seen, kept only when no upstream usage arrived, for local token counting. */
  completionText?: string;
  /** Other per-request counters (images, audio seconds, searches) for per-unit prices. */
  units?: Record<string, number>;
}

/**
 * A stage around the upstream call: auth'd limits, budget reservations,
 * guardrails, metrics. `admit` runs before routing (throw a GatewayError to
 * refuse); the finaliser it returns runs exactly once when the request ends,
 * before the final response headers are written for non-streaming replies.
 * Keep `admit` synchronous when it can be: the hot path never awaits I/O.
 */
export interface RequestInterceptor {
  readonly name: string;
  admit(ctx: RequestContext, call: CallInfo): Finaliser | void | Promise<Finaliser | void>;
}
/** Usually synchronous; may return a promise when settling needs off-thread work (local token counting). */
export type Finaliser = (ctx: RequestContext, outcome: CallOutcome) => void | Promise<void>;

export function addWarning(ctx: { warnings: string[] }, message: string): void {
  if (!ctx.warnings.includes(message)) ctx.warnings.push(message);
}
