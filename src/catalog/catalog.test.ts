import { describe, expect, it } from 'vitest';
import { findCatalogModel, getProvider, inferProviderFromModel, listProviders, providerForLiteLLMPrefix } from './index.js';

/** Protocol ids the catalog may name: the registry's list when its folders have landed, else the agreed ones. */
async function knownProtocolIds(): Promise<string[]> {
  try {
    const mod = (await import('../protocols/index.js')) as { protocolIds(): string[] };
    return mod.protocolIds();
  } catch {
    return ['openai', 'anthropic', 'gemini'];
  }
}

describe('provider catalog', () => {
  it('has unique ids and well-formed entries', async () => {
    const protocols = await knownProtocolIds();
    const ids = new Set<string>();
    const envOwners = new Map<string, string>();
    for (const e of listProviders()) {
      expect(ids.has(e.id), `duplicate id ${e.id}`).toBe(false);
      ids.add(e.id);
      expect(e.id).toMatch(/^[a-z0-9-]+$/);
      expect(e.name.length).toBeGreaterThan(0);
      expect(protocols, `${e.id} protocol`).toContain(e.protocol);
      if (e.apiBaseRequired) {
        expect(e.baseUrl).toBe('');
      } else {
        const url = new URL(e.baseUrl);
        expect(['http:', 'https:']).toContain(url.protocol);
        expect(e.baseUrl.endsWith('/'), `${e.id} base has trailing slash`).toBe(false);
        // Only local servers are plain http, and only they run without a key.
        expect(url.protocol === 'http:', `${e.id} http vs keyRequired`).toBe(!e.keyRequired);
      }
      // Env discovery registers a provider per key: two entries sharing one would double-register.
      for (const k of e.envKeys) {
        expect(envOwners.get(k), `${k} claimed twice`).toBeUndefined();
        envOwners.set(k, e.id);
      }
      for (const k of [...e.envKeys, ...(e.envBaseUrl ?? [])]) expect(k).toMatch(/^[A-Z][A-Z0-9_]*$/);
      const modelIds = new Set<string>();
      for (const m of e.models) {
        expect(modelIds.has(m.id), `${e.id} duplicate model ${m.id}`).toBe(false);
        modelIds.add(m.id);
        if (m.contextWindow !== undefined) expect(Number.isInteger(m.contextWindow) && m.contextWindow > 0).toBe(true);
        if (m.maxOutputTokens !== undefined && m.contextWindow !== undefined) {
          expect(m.maxOutputTokens).toBeLessThanOrEqual(m.contextWindow);
        }
      }
    }
  });

  it('contains every provider the gateway promises', () => {
    const want = [
      'openai', 'anthropic', 'gemini', 'deepseek', 'groq', 'mistral', 'together', 'fireworks', 'openrouter',
      'xai', 'perplexity', 'cerebras', 'moonshot', 'dashscope', 'zhipu', 'zai', 'siliconflow', 'vllm', 'ollama',
      'lmstudio', 'custom',
    ];
    for (const id of want) expect(getProvider(id), id).toBeDefined();
    expect(getProvider('nope')).toBeUndefined();
  });

  it('maps every LiteLLM prefix to exactly one entry', () => {
    const seen = new Map<string, string>();
    for (const e of listProviders()) {
      for (const p of e.litellmPrefixes) {
        expect(seen.get(p), `prefix ${p} claimed twice`).toBeUndefined();
        seen.set(p, e.id);
        expect(providerForLiteLLMPrefix(p)?.id).toBe(e.id);
      }
    }
    expect(providerForLiteLLMPrefix('together_ai')?.id).toBe('together');
    expect(providerForLiteLLMPrefix('hosted_vllm')?.id).toBe('vllm');
    expect(providerForLiteLLMPrefix('ollama_chat')?.id).toBe('ollama-native');
    expect(providerForLiteLLMPrefix('zai')?.id).toBe('zai');
    expect(providerForLiteLLMPrefix('azure')?.id).toBe('azure');
    expect(providerForLiteLLMPrefix('azure_ai')?.id).toBe('azure-ai');
    expect(providerForLiteLLMPrefix('bedrock')?.id).toBe('bedrock');
    expect(providerForLiteLLMPrefix('sagemaker')).toBeUndefined();
  });

  it('names pricing providers that @pydantic/genai-prices knows', async () => {
    const prices = await import('@pydantic/genai-prices');
    for (const e of listProviders()) {
      if (e.pricingProviderId === undefined) continue;
      const found = prices.findProvider({ providerId: e.pricingProviderId });
      expect(found?.id, `${e.id} → ${e.pricingProviderId}`).toBe(e.pricingProviderId);
    }
  });

  it('uses the documented credentials for the native APIs', () => {
    expect(getProvider('anthropic')?.auth).toEqual({ kind: 'header', name: 'x-api-key' });
    expect(getProvider('gemini')?.auth).toEqual({ kind: 'header', name: 'x-goog-api-key' });
    expect(getProvider('gemini')?.baseUrl).toBe('https://generativelanguage.googleapis.com/v1beta');
    expect(getProvider('anthropic')?.defaultMaxTokens).toBeGreaterThan(0);
    expect(getProvider('openai')?.auth).toEqual({ kind: 'bearer' });
  });

  it('infers providers for bare model names like LiteLLM', () => {
    const all = listProviders();
    expect(inferProviderFromModel('gpt-4o', all)).toBe('openai');
    expect(inferProviderFromModel('o3-mini', all)).toBe('openai');
    expect(inferProviderFromModel('text-embedding-3-small', all)).toBe('openai');
    expect(inferProviderFromModel('claude-3-5-haiku-20241022', all)).toBe('anthropic');
    expect(inferProviderFromModel('gemini-2.5-flash', all)).toBe('gemini');
    expect(inferProviderFromModel('deepseek-chat', all)).toBe('deepseek');
    expect(inferProviderFromModel('llama3', all)).toBeUndefined();
    expect(inferProviderFromModel('o3x', all)).toBeUndefined();
    expect(findCatalogModel(getProvider('openai')!, 'gpt-4o')?.contextWindow).toBe(128_000);
  });
});
