import { invalidRequest } from '../../../spec/index.js';
import type { Json } from '../route-helper.js';
import { freeObject, type JsonSchema } from '../schemas.js';

/**
 * LiteLLM request fields Switchyard has no equivalent for. Clients (and
 * LiteLLM's own UI) send them empty by default, so an empty value is
 * accepted; anything set is refused with a 400 naming it rather than
 * silently ignored.
 */
export const UNSUPPORTED_LITELLM_FIELDS = [
  'aliases',
  'config',
  'permissions',
  'model_max_budget',
  'model_rpm_limit',
  'model_tpm_limit',
  'allowed_cache_controls',
  'guardrails',
  'prompts',
  'enforced_params',
  'budget_id',
  'spend',
  'send_invite_email',
  'key_type',
  'allowed_routes',
  'object_permission',
  'organization_id',
] as const;

export const tolerated: Record<string, JsonSchema> = Object.fromEntries(UNSUPPORTED_LITELLM_FIELDS.map((f) => [f, { ...freeObject(), type: ['object', 'array', 'string', 'number', 'boolean', 'null'], description: 'Accepted only when empty (not supported by Switchyard)' }]));

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

export function refuseUnsupported(b: Json): void {
  for (const f of UNSUPPORTED_LITELLM_FIELDS) {
    if (!isEmpty(b[f])) throw invalidRequest(`${f} is a LiteLLM option Switchyard does not support; leave it out.`, f);
  }
}

/** LiteLLM passes the key as its secret or its token (hash). */
export function keyRef(v: unknown, field = 'key'): string {
  if (typeof v !== 'string' || v.trim() === '') throw invalidRequest(`${field} is required: the key (sk-…) or its token.`, field);
  return v.trim();
}
