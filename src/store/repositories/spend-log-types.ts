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

const DAY_MS = 86_400_000;
/** The last day formatted: every ledger row is bucketed by day, and nearly all of a batch's rows share one. */
let lastDay = { start: 0, end: 0, text: '' };

export function utcDay(ms: number): string {
  if (ms >= lastDay.start && ms < lastDay.end) return lastDay.text;
  const start = Math.floor(ms / DAY_MS) * DAY_MS;
  const text = new Date(ms).toISOString().slice(0, 10);
  // Outside the range Date can show (NaN included), nothing is kept and toISOString has thrown above.
  lastDay = { start, end: start + DAY_MS, text };
  return text;
}
