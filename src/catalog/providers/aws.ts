import type { ProviderEntry } from '../types.js';

/**
 * LiteLLM routes `bedrock/converse/<id>` and `bedrock/invoke/<id>` to one
 * API or the other; Switchyard serves chat through Converse either way, so
 * the route word is not part of the model id.
 */
function stripRoute(model: string): string {
  return model.replace(/^(converse|invoke)\//, '');
}

/**
 * Amazon Bedrock runtime. Chat through Converse for every model maker,
 * embeddings (Titan, Cohere) through InvokeModel. Credentials are AWS keys
 * (SigV4, region-scoped) or a Bedrock API key sent as a bearer token.
 * Cross-region inference profiles are plain model ids (`us.anthropic.…`).
 */
export const bedrock: ProviderEntry = {
  id: 'bedrock',
  name: 'Amazon Bedrock',
  protocol: 'bedrock',
  baseUrl: 'https://bedrock-runtime.{region}.amazonaws.com',
  auth: { kind: 'aws-sigv4', service: 'bedrock' },
  envKeys: ['AWS_BEARER_TOKEN_BEDROCK'],
  envBaseUrl: ['AWS_BEDROCK_RUNTIME_ENDPOINT'],
  keyRequired: true,
  litellmPrefixes: ['bedrock'],
  pricingProviderId: 'aws',
  docsUrl: 'https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html',
  extraInputs: [
    { key: 'accessKeyId', slot: 'credentials', litellmParams: ['aws_access_key_id'], envVars: ['AWS_ACCESS_KEY_ID'] },
    { key: 'secretAccessKey', slot: 'credentials', litellmParams: ['aws_secret_access_key'], envVars: ['AWS_SECRET_ACCESS_KEY'] },
    { key: 'sessionToken', slot: 'credentials', litellmParams: ['aws_session_token'], envVars: ['AWS_SESSION_TOKEN'] },
    { key: 'region', slot: 'settings', litellmParams: ['aws_region_name'], envVars: ['AWS_REGION_NAME', 'AWS_REGION', 'AWS_DEFAULT_REGION'] },
  ],
  normalizeModel: stripRoute,
  models: [
    { id: 'anthropic.claude-3-5-haiku-20241022-v1:0', contextWindow: 200_000, maxOutputTokens: 8_192, tools: true },
    { id: 'us.anthropic.claude-3-7-sonnet-20250219-v1:0', contextWindow: 200_000, maxOutputTokens: 64_000, vision: true, tools: true },
    { id: 'us.anthropic.claude-sonnet-4-20250514-v1:0', contextWindow: 200_000, maxOutputTokens: 64_000, vision: true, tools: true },
    { id: 'amazon.nova-pro-v1:0', contextWindow: 300_000, vision: true, tools: true },
    { id: 'amazon.nova-lite-v1:0', contextWindow: 300_000, vision: true, tools: true },
    { id: 'amazon.nova-micro-v1:0', contextWindow: 128_000, vision: false, tools: true },
    { id: 'meta.llama3-3-70b-instruct-v1:0', contextWindow: 128_000, vision: false },
    { id: 'amazon.titan-embed-text-v2:0', mode: 'embedding', contextWindow: 8_192 },
    { id: 'cohere.embed-english-v3', mode: 'embedding', contextWindow: 512 },
    { id: 'cohere.embed-multilingual-v3', mode: 'embedding', contextWindow: 512 },
  ],
};
