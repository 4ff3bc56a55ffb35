import { describe, expect, it } from 'vitest';
import { buildTarget } from '../resolve-target.js';
import { bedrock } from './aws.js';
import { azure, azureAi } from './azure.js';

describe('bedrock entry', () => {
  it('fills the region into the runtime host and passes AWS keys through as credentials', () => {
    const t = buildTarget(bedrock, {
      model: 'converse/us.anthropic.claude-sonnet-4-20250514-v1:0',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 's' },
      settings: { region: 'eu-central-1' },
    });
    expect(t).toMatchObject({
      baseUrl: 'https://bedrock-runtime.eu-central-1.amazonaws.com',
      model: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
      auth: { kind: 'aws-sigv4', service: 'bedrock' },
      credentials: { accessKeyId: 'AKID', secretAccessKey: 's' },
      settings: { region: 'eu-central-1' },
    });
    expect(buildTarget(bedrock, { model: 'invoke/amazon.titan-embed-text-v2:0', settings: { region: 'us-east-1' } }).model).toBe('amazon.titan-embed-text-v2:0');
  });

  it('says which LiteLLM param or variable gives the missing region', () => {
    expect(() => buildTarget(bedrock, { model: 'amazon.nova-pro-v1:0' })).toThrow(/aws_region_name or AWS_REGION_NAME or AWS_REGION/);
    // An explicit endpoint needs no region for its URL (signing still reads settings.region).
    expect(buildTarget(bedrock, { model: 'm', apiBase: 'https://vpce-1.bedrock-runtime.us-east-1.vpce.amazonaws.com/' }).baseUrl).toBe('https://vpce-1.bedrock-runtime.us-east-1.vpce.amazonaws.com');
  });

  it('declares where every AWS input comes from', () => {
    const byKey = Object.fromEntries((bedrock.extraInputs ?? []).map((i) => [i.key, i]));
    expect(byKey.accessKeyId).toMatchObject({ slot: 'credentials', litellmParams: ['aws_access_key_id'], envVars: ['AWS_ACCESS_KEY_ID'] });
    expect(byKey.secretAccessKey?.slot).toBe('credentials');
    expect(byKey.sessionToken?.litellmParams).toEqual(['aws_session_token']);
    expect(byKey.region).toMatchObject({ slot: 'settings', litellmParams: ['aws_region_name'] });
  });
});

describe('azure entries', () => {
  it('needs the resource endpoint and keeps the deployment as the model', () => {
    expect(() => buildTarget(azure, { model: 'gpt-4o-prod' })).toThrow(/api_base/);
    const t = buildTarget(azure, { model: 'gpt-4o-prod', apiBase: 'https://res.openai.azure.com/', apiKey: 'k', apiVersion: '2024-10-21', credentials: { azureAdToken: 't' } });
    expect(t).toMatchObject({ baseUrl: 'https://res.openai.azure.com', model: 'gpt-4o-prod', apiVersion: '2024-10-21', auth: { kind: 'header', name: 'api-key' }, credentials: { azureAdToken: 't' } });
  });

  it('marks Foundry targets so the protocol takes their base as the API root', () => {
    expect(buildTarget(azureAi, { model: 'mistral-large', apiBase: 'https://x.eastus2.models.ai.azure.com' })).toMatchObject({ baseUrl: 'https://x.eastus2.models.ai.azure.com', settings: { apiStyle: 'foundry' } });
    expect(buildTarget(azureAi, { model: 'DeepSeek-R1', apiBase: 'https://hub.services.ai.azure.com/' }).baseUrl).toBe('https://hub.services.ai.azure.com/models');
    expect(buildTarget(azureAi, { model: 'm', apiBase: 'https://hub.services.ai.azure.com', settings: { apiStyle: 'v1' } }).settings).toEqual({ apiStyle: 'v1' });
  });
});
