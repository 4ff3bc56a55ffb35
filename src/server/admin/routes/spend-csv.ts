import type { SpendLog } from '../../../store/index.js';
import { usdText } from '../usd.js';

const COLUMNS: Array<[string, (r: SpendLog) => string | number | boolean | null]> = [
  ['request_id', (r) => r.requestId],
  ['created_at', (r) => new Date(r.createdAt).toISOString()],
  ['status', (r) => r.status],
  ['endpoint', (r) => r.endpoint],
  ['key_id', (r) => r.keyId],
  ['user_id', (r) => r.userId],
  ['team_id', (r) => r.teamId],
  ['model', (r) => r.publicModel],
  ['deployment', (r) => r.deployment],
  ['provider', (r) => r.provider],
  ['upstream_model', (r) => r.upstreamModel],
  ['input_tokens', (r) => r.inputTokens],
  ['output_tokens', (r) => r.outputTokens],
  ['cache_read_tokens', (r) => r.cacheReadTokens],
  ['cache_write_tokens', (r) => r.cacheWriteTokens],
  ['reasoning_tokens', (r) => r.reasoningTokens],
  ['cost_usd', (r) => usdText(r.costNanos)],
  ['error_code', (r) => r.errorCode],
  ['latency_ms', (r) => r.latencyMs],
  ['ttft_ms', (r) => r.ttftMs],
  ['stream', (r) => r.stream],
  ['attempts', (r) => r.attempts],
  ['fallbacks', (r) => r.fallbacks],
  ['client_ip', (r) => r.clientIp],
];

/**
 * RFC 4180 cells. A text cell starting with = + - @ (or a tab/CR) gets a
 * leading apostrophe so a spreadsheet shows it instead of running it as a
 * formula; numbers are written as they are.
 */
function cell(v: string | number | boolean | null): string {
  if (v === null) return '';
  if (typeof v !== 'string') return String(v);
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvHeader(): string {
  return COLUMNS.map(([name]) => name).join(',') + '\r\n';
}

export function csvRows(rows: SpendLog[]): string {
  return rows.map((r) => COLUMNS.map(([, get]) => cell(get(r))).join(',') + '\r\n').join('');
}
