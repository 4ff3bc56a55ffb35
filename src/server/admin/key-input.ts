import { invalidRequest } from '../../spec/index.js';
import type { NewVirtualKey, VirtualKeyPatch } from '../../store/index.js';
import { IpAllowlist } from '../auth/ip-allowlist.js';
import { checkDuration, durationFromNow, optBool, optCount, optInstant, optObject, optString, optStringList } from './input.js';
import type { Json } from './route-helper.js';
import { body, bool, freeObject, nullableInt, nullableStr, str, strList, usdField, type JsonSchema } from './schemas.js';
import { optionalUsd } from './usd.js';

/** Key fields, in LiteLLM's spelling, shared by the native API and the LiteLLM routes. */
export const KEY_FIELDS: Record<string, JsonSchema> = {
  key_alias: nullableStr('A name for the key'),
  user_id: nullableStr('Owner user'),
  team_id: nullableStr('Owner team'),
  models: strList('Public model names or access groups this key may use; empty = all'),
  model_groups: strList('Access groups this key may use'),
  max_budget: usdField('Hard budget; requests are refused with budget_exceeded (429) once spent'),
  soft_budget: usdField('Soft budget; crossing it is reported, not refused'),
  budget_duration: nullableStr('Budget period ("30d", "1h", "1mo"); spend resets to 0 each period'),
  rpm_limit: nullableInt('Requests per minute (stored; enforced by the rate-limit layer)'),
  tpm_limit: nullableInt('Tokens per minute (stored; enforced by the rate-limit layer)'),
  max_parallel_requests: nullableInt('Concurrent requests (stored; enforced by the rate-limit layer)'),
  duration: nullableStr('Lifetime from now ("30d", "12h"); null or "permanent" = never expires'),
  expires: nullableStr('Expiry as an ISO time (alternative to duration)'),
  allowed_ips: strList('Client IPs or CIDRs allowed to use the key; empty = any'),
  metadata: freeObject('Free-form metadata'),
  tags: strList('Tags recorded with every request'),
  blocked: bool('A blocked key is refused (403)'),
};

export const keyCreateBody = (extra: Record<string, JsonSchema> = {}): JsonSchema => body({ ...KEY_FIELDS, key: str('Import an existing secret instead of generating one'), ...extra });
export const keyUpdateBody = (extra: Record<string, JsonSchema> = {}): JsonSchema => body({ ...KEY_FIELDS, ...extra });

/**
 * Body → store fields. On create, `budget_duration` starts its first period
 * now (`budgetResetAt = now + duration`) and `duration` sets the expiry; on
 * update a changed budget_duration restarts the period.
 */
export function parseKeyFields(b: Json, now: number): VirtualKeyPatch {
  const out: VirtualKeyPatch = {};
  const alias = optString(b['key_alias'], 'key_alias');
  if (alias !== undefined) out.alias = alias;
  const userId = optString(b['user_id'], 'user_id');
  if (userId !== undefined) out.userId = userId;
  const teamId = optString(b['team_id'], 'team_id');
  if (teamId !== undefined) out.teamId = teamId;
  const models = optStringList(b['models'], 'models');
  if (models !== undefined) out.allowedModels = models;
  const groups = optStringList(b['model_groups'], 'model_groups');
  if (groups !== undefined) out.modelGroups = groups;
  const max = optionalUsd(b['max_budget'], 'max_budget');
  if (max !== undefined) out.maxBudgetNanos = max;
  const soft = optionalUsd(b['soft_budget'], 'soft_budget');
  if (soft !== undefined) out.softBudgetNanos = soft;
  const period = optString(b['budget_duration'], 'budget_duration');
  if (period !== undefined) {
    out.budgetDuration = period === null ? null : checkDuration(period, 'budget_duration');
    out.budgetResetAt = period === null ? null : durationFromNow(period, 'budget_duration', now);
  }
  const rpm = optCount(b['rpm_limit'], 'rpm_limit');
  if (rpm !== undefined) out.rpm = rpm;
  const tpm = optCount(b['tpm_limit'], 'tpm_limit');
  if (tpm !== undefined) out.tpm = tpm;
  const parallel = optCount(b['max_parallel_requests'], 'max_parallel_requests');
  if (parallel !== undefined) out.maxParallel = parallel;
  if (b['duration'] !== undefined && b['expires'] !== undefined) throw invalidRequest('Give either duration or expires, not both.', 'duration');
  const duration = optString(b['duration'], 'duration');
  if (duration !== undefined) out.expiresAt = duration === null || duration === 'permanent' ? null : durationFromNow(duration, 'duration', now);
  const expires = optInstant(b['expires'], 'expires');
  if (expires !== undefined) out.expiresAt = expires;
  const ips = optStringList(b['allowed_ips'], 'allowed_ips');
  if (ips !== undefined) {
    ips.forEach((ip, i) => {
      try {
        new IpAllowlist([ip]);
      } catch (e) {
        throw invalidRequest(`allowed_ips[${i}]: ${(e as Error).message}.`, `allowed_ips[${i}]`);
      }
    });
    out.allowedIps = ips.map((ip) => ip.trim());
  }
  const metadata = optObject(b['metadata'], 'metadata');
  if (metadata !== undefined) out.metadata = metadata;
  const tags = optStringList(b['tags'], 'tags');
  if (tags !== undefined) out.tags = tags;
  const blocked = optBool(b['blocked'], 'blocked');
  if (blocked !== undefined) out.blocked = blocked;
  return out;
}

export function parseKeyCreate(b: Json, now: number, createdBy: string): NewVirtualKey {
  const fields = parseKeyFields(b, now);
  const secret = optString(b['key'], 'key');
  if (typeof secret === 'string' && secret.length < 8) throw invalidRequest('key must be at least 8 characters.', 'key');
  return { ...fields, ...(typeof secret === 'string' ? { secret } : {}), createdBy };
}
