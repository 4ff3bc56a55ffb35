/** One finished (or failed) request as the ledger records it. */
export interface SpendLogInput {
  /** Unique per request: re-inserting the same id never counts twice. */
  requestId: string;
  keyId?: string | null;
  userId?: string | null;
  teamId?: string | null;
  publicModel: string;
  deployment?: string | null;
  provider?: string | null;
  upstreamModel?: string | null;
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
  costNanos: number;
  status: SpendStatus;
  httpStatus?: number | null;
  errorCode?: string | null;
  latencyMs?: number | null;
  ttftMs?: number | null;
  stream?: boolean;
  cacheHit?: boolean;
  clientIp?: string | null;
  userAgent?: string | null;
  /** The API it came in on (chat, embeddings, messages, …). */
  endpoint?: string | null;
  warning?: string | null;
  attempts?: number;
  fallbacks?: number;
  /** Epoch ms; defaults to now. Decides the `spend_daily` day (UTC). */
  createdAt?: number;
}

export type SpendStatus = 'success' | 'error' | 'cancelled';

export interface SpendLog extends Required<Omit<SpendLogInput, 'createdAt'>> {
  id: number;
  createdAt: number;
}

export type SpendDimension = 'key' | 'user' | 'team' | 'model';

export interface SpendFilter {
  keyId?: string;
  userId?: string;
  teamId?: string;
  publicModel?: string;
  status?: SpendStatus;
  /** Inclusive lower bound, epoch ms. */
  from?: number;
  /** Exclusive upper bound, epoch ms. */
  to?: number;
}

export interface SpendTotals {
  requests: number;
  errorRequests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  costNanos: number;
}

export interface SpendDailyRow extends SpendTotals {
  /** UTC date, YYYY-MM-DD. */
  day: string;
  kind: SpendDimension;
  id: string;
}

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
