import type { SpendLog, Team, User, VirtualKey } from '../../../store/index.js';
import type { Json } from '../route-helper.js';
import { iso, ppmToMultiplier, usd } from '../usd.js';

/**
 * Entities in LiteLLM's field names, so scripts written for a LiteLLM proxy
 * read them unchanged. `token` is LiteLLM's hashed key id — SHA-256 hex of
 * the secret, which is exactly our key hash, so tokens carry over.
 */
export function litellmKeyInfo(k: VirtualKey): Json {
  return {
    key_name: k.keyPrefix,
    key_alias: k.alias,
    spend: usd(k.spendNanos),
    max_budget: usd(k.maxBudgetNanos),
    soft_budget: usd(k.softBudgetNanos),
    expires: iso(k.expiresAt),
    models: [...k.allowedModels, ...k.modelGroups],
    aliases: {},
    config: {},
    user_id: k.userId,
    team_id: k.teamId,
    max_parallel_requests: k.maxParallel,
    metadata: k.metadata,
    tags: k.tags,
    tpm_limit: k.tpm,
    rpm_limit: k.rpm,
    budget_duration: k.budgetDuration,
    budget_reset_at: iso(k.budgetResetAt),
    allowed_cache_controls: [],
    permissions: {},
    model_spend: {},
    model_max_budget: {},
    blocked: k.blocked,
    last_active: iso(k.lastUsedAt),
    created_by: k.createdBy,
    created_at: iso(k.createdAt),
    updated_at: iso(k.updatedAt),
  };
}

/** /key/generate and /key/regenerate: the secret once, plus the key's fields. */
export function litellmGenerated(k: VirtualKey, secret: string): Json {
  return { ...litellmKeyInfo(k), key: secret, token: k.keyHash, token_id: k.keyHash, duration: null };
}

export function litellmUser(u: User): Json {
  return {
    user_id: u.id,
    user_alias: u.displayName,
    user_email: u.email,
    user_role: u.role === 'admin' ? 'proxy_admin' : u.role === 'viewer' ? 'proxy_admin_viewer' : 'internal_user',
    username: u.username,
    max_budget: usd(u.maxBudgetNanos),
    spend: usd(u.spendNanos),
    balance: usd(u.balanceNanos),
    budget_duration: u.budgetDuration,
    budget_reset_at: iso(u.budgetResetAt),
    metadata: u.metadata,
    disabled: u.disabled,
    created_at: iso(u.createdAt),
    updated_at: iso(u.updatedAt),
  };
}

export function litellmTeam(t: Team): Json {
  return {
    team_id: t.id,
    team_alias: t.name,
    max_budget: usd(t.maxBudgetNanos),
    spend: usd(t.spendNanos),
    budget_duration: t.budgetDuration,
    budget_reset_at: iso(t.budgetResetAt),
    tpm_limit: t.tpm,
    rpm_limit: t.rpm,
    models: t.allowedModels,
    blocked: t.disabled,
    metadata: { ...t.metadata, price_multiplier: ppmToMultiplier(t.priceMultiplierPpm) },
    created_at: iso(t.createdAt),
    updated_at: iso(t.updatedAt),
  };
}

/** LiteLLM's call_type for the API a row was served on (rows from before endpoints were stored read as chat). */
const CALL_TYPES: Record<string, string> = {
  chat: 'acompletion',
  completions: 'atext_completion',
  embeddings: 'aembedding',
  messages: 'anthropic_messages',
  responses: 'aresponses',
  images: 'aimage_generation',
  audio: 'atranscription',
  moderations: 'amoderation',
  rerank: 'arerank',
  other: 'pass_through_endpoint',
};

function litellmCallType(endpoint: string | null): string {
  return (endpoint !== null && CALL_TYPES[endpoint]) || 'acompletion';
}

/** One ledger row as LiteLLM's LiteLLM_SpendLogs. */
export function litellmSpendLog(r: SpendLog, keyHash: string | null): Json {
  return {
    request_id: r.requestId,
    call_type: litellmCallType(r.endpoint),
    api_key: keyHash ?? '',
    spend: usd(r.costNanos),
    total_tokens: r.inputTokens + r.outputTokens,
    prompt_tokens: r.inputTokens,
    completion_tokens: r.outputTokens,
    startTime: new Date(r.createdAt).toISOString(),
    endTime: new Date(r.createdAt + (r.latencyMs ?? 0)).toISOString(),
    completionStartTime: r.ttftMs === null ? null : new Date(r.createdAt + r.ttftMs).toISOString(),
    model: r.upstreamModel ?? r.publicModel,
    model_id: r.deployment,
    model_group: r.publicModel,
    custom_llm_provider: r.provider,
    api_base: null,
    user: r.userId ?? '',
    metadata: { status: r.status, error_code: r.errorCode, attempts: r.attempts },
    cache_hit: r.cacheHit ? 'True' : 'False',
    cache_key: null,
    request_tags: [],
    team_id: r.teamId,
    end_user: '',
    requester_ip_address: r.clientIp,
    status: r.status === 'success' ? 'success' : 'failure',
  };
}
