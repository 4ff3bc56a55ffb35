import type { ProviderEntry } from './types.js';

/**
 * LiteLLM providers Switchyard does not serve yet. A config naming one of
 * these is valid LiteLLM, so the loader skips that deployment with a warning
 * instead of calling the prefix a typo.
 */
const KNOWN_UNSUPPORTED_LITELLM_PREFIXES = new Set([
  'azure_text', 'sagemaker', 'sagemaker_chat', 'replicate', 'watsonx', 'watsonx_text', 'ai21',
  'text-completion-openai', 'text-completion-codestral', 'anyscale', 'predibase', 'clarifai', 'triton', 'vllm',
  'nlp_cloud', 'aleph_alpha', 'petals', 'palm', 'openai_like', 'lambda_ai', 'qwencloud', 'qwen_ai_platform', 'oci',
  'snowflake', 'gradient_ai', 'dashscope_intl', 'v0', 'morph', 'galadriel', 'topaz', 'assemblyai', 'deepgram',
  'elevenlabs',
]);

export function isKnownUnsupportedLiteLLMPrefix(prefix: string): boolean {
  return KNOWN_UNSUPPORTED_LITELLM_PREFIXES.has(prefix);
}

/** Name patterns LiteLLM uses to route a model written without a provider prefix. */
const NAME_RULES: ReadonlyArray<{ pattern: RegExp; provider: string }> = [
  { pattern: /^(gpt-|chatgpt-|o1($|-)|o3($|-)|o4($|-)|text-embedding-|ft:gpt|davinci|babbage|omni-moderation)/, provider: 'openai' },
  { pattern: /^claude-/, provider: 'anthropic' },
  { pattern: /^gemini-/, provider: 'gemini' },
];

/**
 * Provider for a model written without a prefix: an exact catalog model id
 * first, then LiteLLM's name patterns. Undefined when neither says.
 */
export function inferProviderFromModel(model: string, entries: readonly ProviderEntry[]): string | undefined {
  const owners = entries.filter((e) => e.models.some((m) => m.id === model));
  if (owners.length === 1 && owners[0]) return owners[0].id;
  return NAME_RULES.find((r) => r.pattern.test(model))?.provider;
}
