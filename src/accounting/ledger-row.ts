/**
 * One line of the spend ledger, and the sink it ends up in. The store's
 * `insertSpendLogs(rows)` implements LedgerSink; it must be idempotent on
 * `requestId` (a row replayed after a crash is inserted, and counted into
 * spend totals, at most once).
 */

export interface LedgerRow {
  requestId: string;
  keyId: string | null;
  userId: string | null;
  teamId: string | null;
  /** Model name the client asked for. */
  publicModel: string | null;
  /** Deployment that answered (or the last one tried). */
  deployment: string | null;
  provider: string | null;
  upstreamModel: string | null;
  endpoint: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** Where the token counts came from: the upstream's report, our tokenizer, or a rough estimate. */
  usageSource: 'upstream' | 'counted' | 'estimated' | 'none';
  /** Integer nano-USD actually charged (team multiplier applied). */
  costNanos: number;
  status: 'ok' | 'error' | 'aborted';
  errorCode: string | null;
  latencyMs: number;
  ttftMs: number | null;
  stream: boolean;
  /** Served from the gateway's response cache (no upstream call). */
  cacheHit: boolean;
  clientIp: string | null;
  userAgent: string | null;
  /** Warnings joined with "; " (lossy mappings, unknown price, counted usage…), null when none. */
  warning: string | null;
  /** Upstream calls made (retries and fallbacks included). */
  attempts: number;
  /** Times the router moved to another deployment (distinct deployments tried − 1). */
  fallbacks: number;
  tags: string[];
  /** Epoch ms when the request arrived. */
  createdAt: number;
}

export interface LedgerSink {
  /** Persists rows; resolves only when they are durable. Must be idempotent on requestId. */
  write(rows: LedgerRow[]): Promise<void>;
}

/**
 * Where finalisers hand rows. record() never throws; a returned promise
 * resolves once the row is journaled (never rejects) and is awaited before
 * the response completes.
 */
export interface LedgerRecorder {
  record(row: LedgerRow): void | Promise<void>;
}
