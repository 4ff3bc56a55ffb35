import type { LedgerRow, LedgerSink } from '../../accounting/index.js';
import type { SpendLogInput, SpendStatus, Store } from '../../store/index.js';

const STATUS: Record<LedgerRow['status'], SpendStatus> = { ok: 'success', error: 'error', aborted: 'cancelled' };

/**
 * The accounting ledger's rows into the store's spend log (idempotent on
 * request id there). Prepaid balances are drawn down in the same
 * transaction: the budget book debits them in memory at settlement, and
 * without the database debit a restart would hand the spent credit out again.
 */
export function storeLedgerSink(store: Store): LedgerSink {
  return {
    async write(rows: LedgerRow[]): Promise<void> {
      await store.ledger.insertSpendLogs(rows.map(toSpendLog), { debitUserBalances: true });
    },
  };
}

export function toSpendLog(r: LedgerRow): SpendLogInput {
  return {
    requestId: r.requestId,
    keyId: r.keyId,
    userId: r.userId,
    teamId: r.teamId,
    publicModel: r.publicModel ?? '',
    deployment: r.deployment,
    provider: r.provider,
    upstreamModel: r.upstreamModel,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    cacheReadTokens: r.cacheReadTokens,
    cacheWriteTokens: r.cacheWriteTokens,
    reasoningTokens: r.reasoningTokens,
    costNanos: r.costNanos,
    status: STATUS[r.status],
    errorCode: r.errorCode,
    latencyMs: r.latencyMs,
    ttftMs: r.ttftMs,
    stream: r.stream,
    cacheHit: r.cacheHit,
    clientIp: r.clientIp,
    userAgent: r.userAgent,
    endpoint: r.endpoint,
    warning: notesOf(r),
    attempts: r.attempts,
    fallbacks: r.fallbacks,
    createdAt: r.createdAt,
  };
}

/** The row's warning, usage source and tags as one note; null (no arrays built) for a plain row, the usual case. */
function notesOf(r: LedgerRow): string | null {
  const counted = r.usageSource === 'counted' || r.usageSource === 'estimated';
  if (!r.warning && !counted && r.tags.length === 0) return null;
  const notes = [r.warning, counted ? `usage ${r.usageSource}` : null, r.tags.length ? `tags: ${r.tags.join(',')}` : null].filter(Boolean);
  return notes.join('; ').slice(0, 2000);
}
