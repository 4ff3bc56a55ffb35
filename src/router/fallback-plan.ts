import type { GatewayError } from '../spec/index.js';
import type { RouterSettings } from './deployment.js';

/** Which models to try after a model group failed, by what the failure was. */
export interface FallbackChain {
  /** Larger models for a prompt too big for this one (LiteLLM `context_window_fallbacks`). */
  contextWindow: readonly string[];
  /** The models to queue after a failure with `e`; empty when nothing should follow. */
  after(e: GatewayError): readonly string[];
}

const NONE: FallbackChain = { contextWindow: [], after: () => [] };

/**
 * The fallback lists of the model the client asked for (LiteLLM semantics:
 * lists are looked up for the original model only, never chained through a
 * fallback's own lists). A per-request list replaces the general one;
 * `false` (the key or the request disabled fallbacks) turns off every kind.
 */
export function fallbackChainFor(model: string, s: RouterSettings, override: string[] | false | undefined): FallbackChain {
  if (override === false) return NONE;
  const general = override ?? s.fallbacks[model] ?? s.defaultFallbacks.filter((m) => m !== model);
  const contextWindow = s.contextWindowFallbacks[model] ?? [];
  const contentPolicy = s.contentPolicyFallbacks[model] ?? [];
  return {
    contextWindow,
    after(e) {
      if (e.code === 'context_length_exceeded') return contextWindow;
      if (e.code === 'content_filtered') return contentPolicy;
      return fallbackWorthy(e) ? general : [];
    },
  };
}

/** Errors a different model might not have: capacity, outages, a model or credential gone — not the caller's own mistakes. */
function fallbackWorthy(e: GatewayError): boolean {
  return e.retryable || e.code === 'upstream_auth' || e.code === 'upstream_not_found' || e.code === 'upstream_permission';
}
