import { describe, expect, it } from 'vitest';
import type { UpstreamTarget } from '../../spec/index.js';
import { joinUrl } from '../http/index.js';
import { azureApiStyle, DEFAULT_AZURE_API_VERSION, toOpenAITarget } from './azure-target.js';

const base: UpstreamTarget = { provider: 'azure', baseUrl: 'https://res.openai.azure.com/', model: 'gpt 4o/prod', apiKey: 'k', auth: { kind: 'header', name: 'api-key' } };
const url = (t: UpstreamTarget, path = '/chat/completions'): string => joinUrl(toOpenAITarget(t), path);

describe('toOpenAITarget', () => {
  it('builds deployment URLs with the api-version kept after the joined path', () => {
    expect(url({ ...base, apiVersion: '2025-01-01-preview' })).toBe('https://res.openai.azure.com/openai/deployments/gpt%204o%2Fprod/chat/completions?api-version=2025-01-01-preview');
    expect(url(base, '/embeddings')).toBe(`https://res.openai.azure.com/openai/deployments/gpt%204o%2Fprod/embeddings?api-version=${DEFAULT_AZURE_API_VERSION}`);
  });

  it('names the deployment from settings when the model is the public name', () => {
    const t = toOpenAITarget({ ...base, settings: { deployment: 'prod-east' } });
    expect(t.model).toBe('prod-east');
    expect(t.baseUrl).toContain('/openai/deployments/prod-east?');
  });

  it('selects the v1 API by api_version v1/preview, by settings, or by a base that already has a path', () => {
    expect(url({ ...base, apiVersion: 'v1' })).toBe('https://res.openai.azure.com/openai/v1/chat/completions');
    expect(url({ ...base, apiVersion: 'preview' })).toBe('https://res.openai.azure.com/openai/v1/chat/completions?api-version=preview');
    expect(url({ ...base, settings: { apiStyle: 'v1' } })).toBe('https://res.openai.azure.com/openai/v1/chat/completions');
    expect(url({ ...base, baseUrl: 'https://res.services.ai.azure.com/models', apiVersion: '2024-05-01-preview' })).toBe(
      'https://res.services.ai.azure.com/models/chat/completions?api-version=2024-05-01-preview',
    );
    expect(azureApiStyle({ ...base, baseUrl: 'https://res.openai.azure.com/openai/v1' })).toBe('v1');
    expect(toOpenAITarget({ ...base, apiVersion: 'v1' }).model).toBe('gpt 4o/prod');
    expect(() => azureApiStyle({ ...base, settings: { apiStyle: 'classic' } })).toThrow(/apiStyle/);
  });

  it('takes a Foundry base as the API root, path and all', () => {
    const serverless = { ...base, baseUrl: 'https://mistral-large-x.eastus2.models.ai.azure.com', settings: { apiStyle: 'foundry' } };
    expect(url(serverless)).toBe('https://mistral-large-x.eastus2.models.ai.azure.com/chat/completions');
    expect(url({ ...serverless, apiVersion: '2024-05-01-preview' })).toBe('https://mistral-large-x.eastus2.models.ai.azure.com/chat/completions?api-version=2024-05-01-preview');
  });

  it('uses an Entra ID token as a bearer token in place of the key', () => {
    const t = toOpenAITarget({ ...base, credentials: { azureAdToken: 'eyJ0' } });
    expect(t).toMatchObject({ apiKey: 'eyJ0', auth: { kind: 'bearer' } });
  });

  it('renames max_completion_tokens and drops stream_options for api-versions older than 2024-09-01', () => {
    expect(toOpenAITarget({ ...base, apiVersion: '2024-06-01' }).quirks).toEqual({ renameParams: { max_completion_tokens: 'max_tokens' }, noStreamOptions: true });
    expect(toOpenAITarget({ ...base, apiVersion: '2024-09-01-preview' }).quirks).toBeUndefined();
    expect(toOpenAITarget({ ...base, apiVersion: '2024-10-21', quirks: { maxN: 1 } }).quirks).toEqual({ maxN: 1 });
  });
});
