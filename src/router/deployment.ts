import type { UpstreamTarget } from '../spec/index.js';

/** What a model can do and cost, from config `model_info` or the catalog. */
export interface ModelInfo {
  mode?: 'chat' | 'embedding' | 'completion' | 'image_generation' | 'audio_transcription' | 'audio_speech' | 'moderation' | 'rerank';
  contextWindow?: number;
  maxOutputTokens?: number;
  /** USD per token overrides (LiteLLM's `input_cost_per_token` etc.). */
  inputCostPerToken?: number;
  outputCostPerToken?: number;
  cacheReadCostPerToken?: number;
  cacheWriteCostPerToken?: number;
  /** Flat USD price per request. */
  costPerRequest?: number;
  /** USD per generated image (LiteLLM `output_cost_per_image`). */
  costPerImage?: number;
  /** USD per second of input audio (LiteLLM `input_cost_per_second`, transcription models). */
  costPerAudioSecond?: number;
  /** USD per input character (LiteLLM `input_cost_per_character`, text-to-speech models). */
  costPerCharacter?: number;
  /** USD per rerank query / search unit (LiteLLM `input_cost_per_query`). */
  costPerQuery?: number;
  supportsVision?: boolean;
  supportsTools?: boolean;
  /** Anything else from the config, kept for the admin API. */
  extra?: Record<string, unknown>;
}

/**
 * One way to serve a public model: a provider, an upstream model id and the
 * credentials to call it. Many deployments share one public name (a model
 * group); the router picks among them.
 */
export interface Deployment {
  /** Stable id, unique across the gateway (config-given or derived). */
  id: string;
  /** The public model name clients send. */
  publicModel: string;
  /** Catalog provider id, e.g. "openai", "anthropic", "deepseek", "custom". */
  provider: string;
  /** Protocol id the provider speaks, e.g. "openai", "anthropic", "gemini". */
  protocol: string;
  /** Everything needed for the call, credentials already resolved. */
  target: UpstreamTarget;
  /** Selection weight (weighted random); default 1. */
  weight: number;
  /** Priority tier: lower tiers are tried first; default 1. */
  order: number;
  rpm?: number;
  tpm?: number;
  tags: string[];
  modelInfo: ModelInfo;
  /** Where it came from: the config file, environment auto-discovery, or the database (channels). */
  source: 'config' | 'env' | 'db';
  /** Config-provided per-deployment options the protocol may read (provider options). */
  providerOptions?: Record<string, Record<string, unknown>>;
  /** Team ids that may be routed here (a channel's allowed_teams); absent or empty = every caller. */
  allowedTeams?: readonly string[];
}

/** Router-wide settings (LiteLLM's `router_settings` maps onto these). */
export interface RouterSettings {
  strategy: 'weighted-random' | 'round-robin' | 'least-busy' | 'lowest-latency' | 'usage-based' | 'lowest-cost';
  numRetries: number;
  /** Default whole-request timeout (ms) for deployments that set none. */
  timeoutMs?: number;
  /** Default time-to-first-token budget for streams (ms). */
  streamTimeoutMs?: number;
  /** public model → ordered fallback public models. */
  fallbacks: Record<string, string[]>;
  defaultFallbacks: string[];
  contextWindowFallbacks: Record<string, string[]>;
  contentPolicyFallbacks: Record<string, string[]>;
  allowedFails: number;
  cooldownTimeMs: number;
  /** Per error class retry counts (LiteLLM `retry_policy`). */
  retryPolicy: Record<string, number>;
  /** Route by request tags (LiteLLM `enable_tag_filtering`); off by default, tags then only label spend. */
  enableTagFiltering?: boolean;
  /** Time allowed to open an upstream connection (ms); a failure is a retryable 504 upstream_timeout. */
  connectTimeoutMs?: number;
  /** Longest silence between two stream chunks before the upstream is cut (ms). */
  streamIdleTimeoutMs?: number;
  /** public model → hedging policy: a second attempt starts when the first has no first token in time. */
  hedging?: Record<string, HedgePolicy>;
  /** Background check of cooled-down deployments and auto-disabled channel keys (ms); off when absent. */
  healthCheckIntervalMs?: number;
}

/** When to start a hedge: after a fixed delay, or after the group's observed p95 time to first token. */
export type HedgePolicy = { delayMs: number } | { percentile: 'p95' };

export function defaultRouterSettings(): RouterSettings {
  return {
    strategy: 'weighted-random',
    numRetries: 2,
    fallbacks: {},
    defaultFallbacks: [],
    contextWindowFallbacks: {},
    contentPolicyFallbacks: {},
    allowedFails: 3,
    cooldownTimeMs: 30_000,
    retryPolicy: {},
  };
}
