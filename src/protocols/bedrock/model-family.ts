/**
 * Which model maker stands behind a Bedrock model id. Converse is uniform,
 * but `additionalModelRequestFields` (top_k, thinking) and InvokeModel bodies
 * (embeddings) are the maker's own. Cross-region inference profiles prefix
 * the id with a geography (`us.anthropic.claude-…`); ARNs carry the id after
 * their last slash when it is a foundation model or a system profile.
 */
export type ModelFamily = 'anthropic' | 'amazon' | 'meta' | 'mistral' | 'cohere' | 'deepseek' | 'ai21' | 'openai' | 'qwen' | 'writer' | 'unknown';

const GEO_PREFIX = /^(us|eu|apac|global|jp|au|ca|us-gov)\./;
const FAMILIES: readonly ModelFamily[] = ['anthropic', 'amazon', 'meta', 'mistral', 'cohere', 'deepseek', 'ai21', 'openai', 'qwen', 'writer'];

/** The provider-qualified id (`anthropic.claude-…`) without geography prefix or ARN wrapping. */
export function baseModelId(modelId: string): string {
  const id = modelId.startsWith('arn:') ? modelId.slice(modelId.lastIndexOf('/') + 1) : modelId;
  return id.replace(GEO_PREFIX, '');
}

export function modelFamily(modelId: string): ModelFamily {
  const maker = baseModelId(modelId).split('.')[0] ?? '';
  return (FAMILIES as readonly string[]).includes(maker) ? (maker as ModelFamily) : 'unknown';
}
