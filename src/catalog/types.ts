import type { AuthStyle, ProviderQuirks } from '../spec/index.js';

/** Wire protocols a catalog entry may name; each is a folder under src/protocols/. */
export type ProtocolId = 'openai' | 'anthropic' | 'gemini';

/** A model the catalog knows by name. Numbers only where the provider documents them. */
export interface CatalogModel {
  id: string;
  contextWindow?: number;
  maxOutputTokens?: number;
  mode?: 'chat' | 'embedding' | 'completion';
  /** false = image inputs are refused before any call (becomes `quirks.noVision`). */
  vision?: boolean;
  tools?: boolean;
}

/** One provider preset: how to reach it, how to authenticate, what differs from its protocol's reference. */
export interface ProviderEntry {
  /** Stable id used in native config (`provider:`), deployments and logs. */
  id: string;
  name: string;
  protocol: ProtocolId;
  /** Default base URL including any version path; empty only when `apiBaseRequired`. */
  baseUrl: string;
  auth: AuthStyle;
  /** Environment variables holding the key, first set one wins. */
  envKeys: string[];
  /** Environment variables that override the base URL, first set one wins. */
  envBaseUrl?: string[];
  /** False for local servers that run without a key (vLLM, Ollama, LM Studio). */
  keyRequired: boolean;
  /** No sensible default URL exists (the `custom` entry): config must give `api_base`. */
  apiBaseRequired?: boolean;
  quirks?: ProviderQuirks;
  /** Output cap sent when the client sets none and the protocol requires one (Anthropic). */
  defaultMaxTokens?: number;
  /** The `provider/` prefixes LiteLLM uses for this provider in `litellm_params.model`. */
  litellmPrefixes: string[];
  /** Provider id in @pydantic/genai-prices, so accounting can price calls. */
  pricingProviderId?: string;
  models: CatalogModel[];
  docsUrl?: string;
  /**
   * Turns a configured `api_base` into the base URL the protocol expects.
   * Needed where LiteLLM users write the host only (Anthropic, Gemini, Ollama)
   * while our protocols expect the version path to be part of the base.
   */
  normalizeApiBase?: (apiBase: string) => string;
}
