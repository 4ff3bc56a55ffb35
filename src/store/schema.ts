import type { Generated } from 'kysely';

/**
 * Table shapes as the database stores them. Conventions, the same on every
 * dialect so repositories need no per-dialect branches:
 * - money is integer nano-USD in BIGINT columns (`*_nanos`);
 * - times are epoch milliseconds in BIGINT columns (`*_at`) — no time zones,
 *   no driver-specific Date handling, and range filters are plain integers;
 * - booleans are INTEGER 0/1 (MySQL has no real boolean, SQLite neither);
 * - JSON is TEXT holding JSON (`*_json`), parsed in the repositories;
 * - ids are short random strings, except append-only logs, which use an
 *   auto-increment id so cursors are a single integer.
 */

export interface UsersTable {
  id: string;
  username: string;
  email: string | null;
  display_name: string | null;
  role: string;
  password_hash: string | null;
  balance_nanos: number;
  max_budget_nanos: number | null;
  spend_nanos: number;
  budget_duration: string | null;
  budget_reset_at: number | null;
  disabled: number;
  metadata_json: string | null;
  created_at: number;
  updated_at: number;
}

export interface TeamsTable {
  id: string;
  name: string;
  max_budget_nanos: number | null;
  spend_nanos: number;
  budget_duration: string | null;
  budget_reset_at: number | null;
  rpm: number | null;
  tpm: number | null;
  allowed_models_json: string | null;
  /** One-API "group ratio" in parts per million (1_000_000 = 1×) so it stays exact. */
  price_multiplier_ppm: number;
  disabled: number;
  metadata_json: string | null;
  created_at: number;
  updated_at: number;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  role: string;
  created_at: number;
}

export interface VirtualKeysTable {
  id: string;
  key_hash: string;
  key_prefix: string;
  alias: string | null;
  user_id: string | null;
  team_id: string | null;
  allowed_models_json: string | null;
  model_groups_json: string | null;
  max_budget_nanos: number | null;
  soft_budget_nanos: number | null;
  spend_nanos: number;
  budget_duration: string | null;
  budget_reset_at: number | null;
  rpm: number | null;
  tpm: number | null;
  max_parallel: number | null;
  expires_at: number | null;
  allowed_ips_json: string | null;
  metadata_json: string | null;
  tags_json: string | null;
  blocked: number;
  last_used_at: number | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface ChannelsTable {
  id: string;
  name: string;
  provider: string;
  base_url: string | null;
  models_json: string | null;
  model_mapping_json: string | null;
  priority: number;
  weight: number;
  allowed_teams_json: string | null;
  enabled: number;
  disabled_reason: string | null;
  config_json: string | null;
  created_at: number;
  updated_at: number;
}

export interface ChannelKeysTable {
  id: string;
  channel_id: string;
  encrypted_key: string;
  key_hint: string;
  enabled: number;
  disabled_reason: string | null;
  last_error_at: number | null;
  last_error: string | null;
  created_at: number;
}

export interface CreditTransactionsTable {
  id: Generated<number>;
  user_id: string;
  kind: string;
  amount_nanos: number;
  balance_after_nanos: number;
  reason: string | null;
  actor: string | null;
  reference: string | null;
  created_at: number;
}

export interface RedemptionCodesTable {
  id: string;
  code_hash: string;
  code_hint: string;
  label: string | null;
  amount_nanos: number;
  max_uses: number;
  used_count: number;
  expires_at: number | null;
  disabled: number;
  created_by: string | null;
  created_at: number;
  last_redeemed_at: number | null;
}

export interface RedemptionUsesTable {
  code_id: string;
  user_id: string;
  redeemed_at: number;
}

export interface SpendLogsTable {
  id: Generated<number>;
  request_id: string;
  key_id: string | null;
  user_id: string | null;
  team_id: string | null;
  public_model: string;
  deployment: string | null;
  provider: string | null;
  upstream_model: string | null;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_nanos: number;
  status: string;
  http_status: number | null;
  error_code: string | null;
  latency_ms: number | null;
  ttft_ms: number | null;
  stream: number;
  cache_hit: number;
  client_ip: string | null;
  user_agent: string | null;
  /** The API the request came in on (chat, embeddings, …); null on rows older than migration 0003. */
  endpoint: string | null;
  warning: string | null;
  attempts: number;
  fallbacks: number;
  created_at: number;
}

export interface SpendDailyTable {
  day: string;
  kind: string;
  dim_id: string;
  requests: number;
  error_requests: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_nanos: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  at: number;
}

export interface PriceOverridesTable {
  id: string;
  /** '*' means any provider; kept non-null so the unique index dedupes it. */
  provider: string;
  model_pattern: string;
  /** Nano-USD per one million tokens: $3 / 1M = 3_000_000_000. */
  input_nanos_per_mtok: number | null;
  output_nanos_per_mtok: number | null;
  cache_read_nanos_per_mtok: number | null;
  cache_write_nanos_per_mtok: number | null;
  per_request_nanos: number | null;
  created_at: number;
  updated_at: number;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface Schema {
  users: UsersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  virtual_keys: VirtualKeysTable;
  channels: ChannelsTable;
  channel_keys: ChannelKeysTable;
  credit_transactions: CreditTransactionsTable;
  redemption_codes: RedemptionCodesTable;
  redemption_uses: RedemptionUsesTable;
  spend_logs: SpendLogsTable;
  spend_daily: SpendDailyTable;
  audit_log: AuditLogTable;
  price_overrides: PriceOverridesTable;
  settings: SettingsTable;
}
