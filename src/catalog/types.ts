import type { AuthStyle, ProviderQuirks } from '../spec/index.js';

/** Wire protocols a catalog entry may name; each is a folder under src/protocols/. */
export type ProtocolId = 'openai' | 'anthropic' | 'gemini' | 'bedrock' | 'azure' | 'vertex' | 'cohere' | 'ollama' | 'hunyuan' | 'qianfan' | 'dashscope' | 'workers-ai';

/** A model the catalog knows by name. Numbers only where the provider documents them. */
export interface CatalogModel {
  id: string;
  contextWindow?: number;
  maxOutputTokens?: number;
  mode?: 'chat' | 'embedding' | 'completion';
  /** false = image inputs are refused before any call (becomes `quirks.noVision`). */
  vision?: boolean;
  /**
   * false = the model takes no reasoning controls: `reasoning_effort` is
   * reported and not sent (Claude Code and Codex send one on every request,
   * and non-reasoning OpenAI models answer that with a 400).
   */
  reasoning?: boolean;
  tools?: boolean;
}

/**
 * An input a protocol needs beyond api_key/api_base/api_version (AWS keys and
 * region, an Azure AD token, a deployment name …): which target slot it fills
 * and where configuration finds it, so loaders wire every provider generically.
 */
export interface ExtraInput {
  /** Key inside `UpstreamTarget.credentials` (secret) or `.settings` (not secret). */
  key: string;
  slot: 'credentials' | 'settings';
  /** LiteLLM `litellm_params` names carrying it, first set one wins. */
  litellmParams: string[];
  /** Environment variables carrying it, first set one wins. */
  envVars: string[];
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
  /**
   * Inputs beyond the key. A `{name}` placeholder in `baseUrl` (e.g.
   * `{region}`) is filled from the target setting of that name.
   */
  extraInputs?: ExtraInput[];
  /** Environment variables giving the API version when the config sets none (Azure's `AZURE_API_VERSION`). */
  envApiVersion?: string[];
  /** Settings every target of this entry starts from; configured settings win (e.g. Azure AI Foundry's `apiStyle: v1`). */
  defaultSettings?: Record<string, string>;
  /** Turns a configured model id into the upstream's, e.g. LiteLLM's `bedrock/converse/<id>` route prefix removed. */
  normalizeModel?: (model: string) => string;
  /**
   * The API families this provider serves, where its protocol alone does not
   * say (an embeddings-only host, a Jina-style rerank on the OpenAI protocol).
   * Absent: chat, plus what the protocol implements — on the shared `openai`
   * protocol embeddings only with a listed embedding model, rerank never.
   * Listings and the README table read it.
   */
  endpoints?: readonly ('chat' | 'embeddings' | 'rerank')[];
}
