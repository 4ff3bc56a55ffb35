import { describe, expect, it } from 'vitest';
import { buildTarget, getProvider, providerForLiteLLMPrefix } from '../index.js';

describe('catalog entries for Vertex AI, Cohere and native Ollama', () => {
  it('LiteLLM prefixes reach the new entries', () => {
    expect(providerForLiteLLMPrefix('vertex_ai')?.id).toBe('vertex-ai');
    expect(providerForLiteLLMPrefix('vertex_ai_beta')?.id).toBe('vertex-ai');
    expect(providerForLiteLLMPrefix('cohere')?.protocol).toBe('cohere');
    expect(providerForLiteLLMPrefix('cohere_chat')?.id).toBe('cohere');
    expect(getProvider('ollama-native')?.protocol).toBe('ollama');
  });

  it('a Vertex target carries project, location and the service account through buildTarget', () => {
    const entry = getProvider('vertex-ai')!;
    const target = buildTarget(entry, { model: 'claude-sonnet-4-5@20250929', settings: { project: 'p', location: 'us-east5' }, credentials: { serviceAccountJson: '{"type":"service_account"}' } });
    expect(target).toMatchObject({ provider: 'vertex-ai', baseUrl: 'https://aiplatform.googleapis.com/v1', settings: { project: 'p', location: 'us-east5' }, defaultMaxTokens: 4096 });
    expect(target.credentials?.['serviceAccountJson']).toContain('service_account');
    expect(entry.extraInputs?.map((i) => [i.key, i.litellmParams[0]])).toEqual([['project', 'vertex_project'], ['location', 'vertex_location'], ['serviceAccountJson', 'vertex_credentials']]);
    expect(buildTarget(entry, { model: 'gemini-2.5-pro', apiBase: 'https://proxy.example' }).baseUrl).toBe('https://proxy.example/v1');
  });

  it('api_base forms people write are normalised to what each protocol expects', () => {
    expect(buildTarget(getProvider('cohere')!, { model: 'command-a-03-2025', apiBase: 'https://api.cohere.ai/v1/' }).baseUrl).toBe('https://api.cohere.ai');
    expect(buildTarget(getProvider('ollama-native')!, { model: 'llama3.2', apiBase: 'http://gpu-box:11434/v1' }).baseUrl).toBe('http://gpu-box:11434');
    expect(buildTarget(getProvider('ollama-native')!, { model: 'llama3.2' }).apiKey).toBeUndefined();
  });
});
