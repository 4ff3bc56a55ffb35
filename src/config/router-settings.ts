import { z } from 'zod';
import { defaultRouterSettings, type HedgePolicy, type RouterSettings } from '../router/deployment.js';
import type { PathSegment } from './config-error.js';
import { booleanish, nonNegativeInt, positiveInt, seconds, secondsToMs } from './values.js';

type Strategy = RouterSettings['strategy'];

/** LiteLLM `routing_strategy` names, and ours, onto the router's strategies. */
const STRATEGIES: Record<string, Strategy> = {
  'simple-shuffle': 'weighted-random',
  'least-busy': 'least-busy',
  'latency-based-routing': 'lowest-latency',
  'usage-based-routing': 'usage-based',
  'usage-based-routing-v2': 'usage-based',
  'cost-based-routing': 'lowest-cost',
  'weighted-random': 'weighted-random',
  'round-robin': 'round-robin',
  'lowest-latency': 'lowest-latency',
  'usage-based': 'usage-based',
  'lowest-cost': 'lowest-cost',
};

export const strategyField = z.string().transform((s, ctx) => {
  const mapped = STRATEGIES[s];
  if (mapped === undefined) {
    ctx.addIssue({ code: 'custom', message: `unknown routing strategy "${s}"; use one of: ${Object.keys(STRATEGIES).join(', ')}` });
    return z.NEVER;
  }
  return mapped;
});

/** LiteLLM writes fallbacks as a list of one-key maps ([{gpt-4: [gpt-3.5]}]); a plain map is accepted too. */
export const fallbackMap = z
  .union([z.array(z.record(z.string(), z.array(z.string().min(1)))), z.record(z.string(), z.array(z.string().min(1)))])
  .transform((v) => {
    const out: Record<string, string[]> = {};
    for (const entry of Array.isArray(v) ? v : [v]) {
      for (const [model, targets] of Object.entries(entry)) out[model] = [...(out[model] ?? []), ...targets];
    }
    return out;
  });

/** LiteLLM's RetryPolicy fields: retries per error class. */
const RETRY_POLICY_KEYS = [
  'BadRequestErrorRetries',
  'AuthenticationErrorRetries',
  'TimeoutErrorRetries',
  'RateLimitErrorRetries',
  'ContentPolicyViolationErrorRetries',
  'InternalServerErrorRetries',
] as const;
export const retryPolicy = z.strictObject(Object.fromEntries(RETRY_POLICY_KEYS.map((k) => [k, nonNegativeInt.optional()])));

/** The router fields both formats share (LiteLLM spelling, seconds for times). */
export const routerFields = {
  num_retries: nonNegativeInt.optional(),
  timeout: seconds.optional(),
  stream_timeout: seconds.optional(),
  fallbacks: fallbackMap.optional(),
  default_fallbacks: z.array(z.string().min(1)).optional(),
  context_window_fallbacks: fallbackMap.optional(),
  content_policy_fallbacks: fallbackMap.optional(),
  allowed_fails: nonNegativeInt.optional(),
  cooldown_time: seconds.optional(),
  retry_policy: retryPolicy.optional(),
  enable_tag_filtering: booleanish.optional(),
  /** Ours: longest gap between two stream chunks before the upstream is cut. */
  stream_idle_timeout: seconds.optional(),
  /** Ours: time allowed to open an upstream connection. */
  connect_timeout: seconds.optional(),
};

/** A hedge delay: milliseconds, or "p95" for the group's observed 95th percentile time to first token. */
const hedgeDelay = z.union([positiveInt, z.literal('p95')]);
const hedgePolicy = z
  .union([hedgeDelay, z.strictObject({ delay_ms: hedgeDelay })])
  .transform((v): HedgePolicy => {
    const d = typeof v === 'object' ? v.delay_ms : v;
    return d === 'p95' ? { percentile: 'p95' } : { delayMs: d };
  });

/** Router fields only the native format has (LiteLLM has no equivalent). */
export const nativeRouterFields = {
  /** public model → when to start a second, hedged attempt. */
  hedging: z.record(z.string().min(1), hedgePolicy).optional(),
  health_check_interval: seconds.optional(),
};

export interface RouterInput {
  strategy?: Strategy | undefined;
  num_retries?: number | undefined;
  timeout?: number | undefined;
  stream_timeout?: number | undefined;
  fallbacks?: Record<string, string[]> | undefined;
  default_fallbacks?: string[] | undefined;
  context_window_fallbacks?: Record<string, string[]> | undefined;
  content_policy_fallbacks?: Record<string, string[]> | undefined;
  allowed_fails?: number | undefined;
  cooldown_time?: number | undefined;
  retry_policy?: Record<string, number | undefined> | undefined;
  enable_tag_filtering?: boolean | undefined;
  stream_idle_timeout?: number | undefined;
  connect_timeout?: number | undefined;
  hedging?: Record<string, HedgePolicy> | undefined;
  health_check_interval?: number | undefined;
}

/** Later inputs win field by field (e.g. LiteLLM router_settings over litellm_settings). */
export function buildRouterSettings(...inputs: Array<RouterInput | undefined>): RouterSettings {
  const s = defaultRouterSettings();
  for (const r of inputs) {
    if (!r) continue;
    if (r.strategy !== undefined) s.strategy = r.strategy;
    if (r.num_retries !== undefined) s.numRetries = r.num_retries;
    if (r.timeout !== undefined) s.timeoutMs = secondsToMs(r.timeout);
    if (r.stream_timeout !== undefined) s.streamTimeoutMs = secondsToMs(r.stream_timeout);
    if (r.fallbacks !== undefined) s.fallbacks = r.fallbacks;
    if (r.default_fallbacks !== undefined) s.defaultFallbacks = r.default_fallbacks;
    if (r.context_window_fallbacks !== undefined) s.contextWindowFallbacks = r.context_window_fallbacks;
    if (r.content_policy_fallbacks !== undefined) s.contentPolicyFallbacks = r.content_policy_fallbacks;
    if (r.allowed_fails !== undefined) s.allowedFails = r.allowed_fails;
    if (r.cooldown_time !== undefined) s.cooldownTimeMs = secondsToMs(r.cooldown_time) ?? s.cooldownTimeMs;
    if (r.enable_tag_filtering !== undefined) s.enableTagFiltering = r.enable_tag_filtering;
    if (r.stream_idle_timeout !== undefined) s.streamIdleTimeoutMs = secondsToMs(r.stream_idle_timeout);
    if (r.connect_timeout !== undefined) s.connectTimeoutMs = secondsToMs(r.connect_timeout);
    if (r.hedging !== undefined) s.hedging = r.hedging;
    if (r.health_check_interval !== undefined) s.healthCheckIntervalMs = secondsToMs(r.health_check_interval);
    if (r.retry_policy !== undefined) {
      for (const [k, v] of Object.entries(r.retry_policy)) if (v !== undefined) s.retryPolicy[k] = v;
    }
  }
  return s;
}

/**
 * Fallbacks naming a model no deployment serves. Not an error: models may be
 * added later through the admin API, but the operator should know at start.
 */
export function unknownFallbackModels(s: RouterSettings, publicModels: ReadonlySet<string>, at: PathSegment[]): string[] {
  const out: string[] = [];
  const check = (name: string, where: string) => {
    if (!publicModels.has(name)) out.push(`${where} names "${name}"`);
  };
  const base = at.join('.');
  const maps: Array<[string, Record<string, string[]>]> = [
    ['fallbacks', s.fallbacks],
    ['context_window_fallbacks', s.contextWindowFallbacks],
    ['content_policy_fallbacks', s.contentPolicyFallbacks],
  ];
  for (const [key, map] of maps) {
    for (const [from, targets] of Object.entries(map)) {
      check(from, `${base}.${key}`);
      for (const t of targets) check(t, `${base}.${key}`);
    }
  }
  for (const t of s.defaultFallbacks) check(t, `${base}.default_fallbacks`);
  return [...new Set(out)];
}
