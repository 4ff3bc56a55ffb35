import type { Channel, ChannelKey, CreditTransaction, RedemptionCode, Team, TeamMember, User, VirtualKey } from '../../store/index.js';
import type { Json } from './route-helper.js';
import { iso, ppmToMultiplier, usd } from './usd.js';

/**
 * What the admin API shows of each entity: USD numbers, ISO times, snake_case
 * (LiteLLM's spelling where it has one). No view ever carries a secret: keys
 * show their prefix, channel keys their last four characters.
 */
export function keyView(k: VirtualKey): Json {
  return {
    id: k.id,
    key_prefix: k.keyPrefix,
    key_alias: k.alias,
    user_id: k.userId,
    team_id: k.teamId,
    models: k.allowedModels,
    model_groups: k.modelGroups,
    max_budget: usd(k.maxBudgetNanos),
    soft_budget: usd(k.softBudgetNanos),
    spend: usd(k.spendNanos),
    budget_duration: k.budgetDuration,
    budget_reset_at: iso(k.budgetResetAt),
    rpm_limit: k.rpm,
    tpm_limit: k.tpm,
    max_parallel_requests: k.maxParallel,
    expires: iso(k.expiresAt),
    allowed_ips: k.allowedIps,
    metadata: k.metadata,
    tags: k.tags,
    blocked: k.blocked,
    last_used_at: iso(k.lastUsedAt),
    created_by: k.createdBy,
    created_at: iso(k.createdAt),
    updated_at: iso(k.updatedAt),
  };
}

export function userView(u: User): Json {
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    display_name: u.displayName,
    role: u.role,
    has_password: u.hasPassword,
    balance: usd(u.balanceNanos),
    max_budget: usd(u.maxBudgetNanos),
    spend: usd(u.spendNanos),
    budget_duration: u.budgetDuration,
    budget_reset_at: iso(u.budgetResetAt),
    disabled: u.disabled,
    metadata: u.metadata,
    created_at: iso(u.createdAt),
    updated_at: iso(u.updatedAt),
  };
}

export function teamView(t: Team): Json {
  return {
    id: t.id,
    name: t.name,
    max_budget: usd(t.maxBudgetNanos),
    spend: usd(t.spendNanos),
    budget_duration: t.budgetDuration,
    budget_reset_at: iso(t.budgetResetAt),
    rpm_limit: t.rpm,
    tpm_limit: t.tpm,
    models: t.allowedModels,
    price_multiplier: ppmToMultiplier(t.priceMultiplierPpm),
    disabled: t.disabled,
    metadata: t.metadata,
    created_at: iso(t.createdAt),
    updated_at: iso(t.updatedAt),
  };
}

export function memberView(m: TeamMember): Json {
  return { team_id: m.teamId, user_id: m.userId, role: m.role, created_at: iso(m.createdAt) };
}

export function channelKeyView(k: ChannelKey): Json {
  return {
    id: k.id,
    hint: k.keyHint ? `…${k.keyHint}` : '…',
    enabled: k.enabled,
    disabled_reason: k.disabledReason,
    last_error: k.lastError,
    last_error_at: iso(k.lastErrorAt),
    created_at: iso(k.createdAt),
  };
}

export function channelView(c: Channel, keys: ChannelKey[]): Json {
  return {
    id: c.id,
    name: c.name,
    provider: c.provider,
    base_url: c.baseUrl,
    models: c.models,
    model_mapping: c.modelMapping,
    priority: c.priority,
    weight: c.weight,
    allowed_teams: c.allowedTeams,
    enabled: c.enabled,
    disabled_reason: c.disabledReason,
    config: configView(c.config),
    keys: keys.map(channelKeyView),
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
  };
}

function configView(config: Record<string, unknown>): Json {
  const out: Json = {};
  if (config['apiVersion'] !== undefined) out['api_version'] = config['apiVersion'];
  if (config['timeoutMs'] !== undefined) out['timeout_ms'] = config['timeoutMs'];
  if (config['settings'] !== undefined) out['settings'] = config['settings'];
  return out;
}

export function transactionView(t: CreditTransaction): Json {
  return {
    id: t.id,
    user_id: t.userId,
    kind: t.kind,
    amount: usd(t.amountNanos),
    balance_after: usd(t.balanceAfterNanos),
    reason: t.reason,
    actor: t.actor,
    reference: t.reference,
    created_at: iso(t.createdAt),
  };
}

export function codeView(c: RedemptionCode): Json {
  return {
    id: c.id,
    code_hint: c.codeHint,
    label: c.label,
    amount: usd(c.amountNanos),
    max_uses: c.maxUses,
    used_count: c.usedCount,
    expires_at: iso(c.expiresAt),
    disabled: c.disabled,
    created_by: c.createdBy,
    created_at: iso(c.createdAt),
    last_redeemed_at: iso(c.lastRedeemedAt),
  };
}
