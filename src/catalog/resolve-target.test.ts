import { describe, expect, it } from 'vitest';
import { buildTarget, getProvider } from './index.js';
import type { ProviderEntry } from './types.js';

function entry(id: string): ProviderEntry {
  const e = getProvider(id);
  if (!e) throw new Error(`no catalog entry ${id}`);
  return e;
}

describe('buildTarget', () => {
  it('uses catalog defaults and carries credentials, timeouts and quirks', () => {
    const t = buildTarget(entry('groq'), { model: 'llama-3.3-70b-versatile', apiKey: 'k', timeoutMs: 5000, streamTimeoutMs: 800 });
    expect(t).toMatchObject({
      provider: 'groq',
      baseUrl: 'https://api.groq.com/openai/v1',
      model: 'llama-3.3-70b-versatile',
      apiKey: 'k',
      auth: { kind: 'bearer' },
      timeoutMs: 5000,
      firstTokenTimeoutMs: 800,
      quirks: { maxN: 1 },
    });
    expect(t.quirks?.unsupportedParams).toContain('logprobs');
  });

  it('omits an empty key and sets the Anthropic default max tokens', () => {
    const t = buildTarget(entry('anthropic'), { model: 'claude-sonnet-4-20250514', apiKey: '', apiVersion: '2023-06-01' });
    expect(t.apiKey).toBeUndefined();
    expect(t.apiVersion).toBe('2023-06-01');
    expect(t.defaultMaxTokens).toBe(4096);
  });

  it('normalises host-only bases the way each provider needs', () => {
    expect(buildTarget(entry('anthropic'), { model: 'm', apiBase: 'https://proxy.example/' }).baseUrl).toBe('https://proxy.example/v1');
    expect(buildTarget(entry('anthropic'), { model: 'm', apiBase: 'https://proxy.example/v1/messages' }).baseUrl).toBe('https://proxy.example/v1');
    expect(buildTarget(entry('ollama'), { model: 'llama3', apiBase: 'http://127.0.0.1:11434' }).baseUrl).toBe('http://127.0.0.1:11434/v1');
    expect(buildTarget(entry('ollama'), { model: 'llama3', apiBase: 'http://127.0.0.1:11434/v1/' }).baseUrl).toBe('http://127.0.0.1:11434/v1');
    expect(buildTarget(entry('gemini'), { model: 'g', apiBase: 'http://127.0.0.1:9000' }).baseUrl).toBe('http://127.0.0.1:9000/v1beta');
    expect(buildTarget(entry('gemini'), { model: 'g', apiBase: 'http://127.0.0.1:9000/v1' }).baseUrl).toBe('http://127.0.0.1:9000/v1');
    // OpenAI-compatible bases are used as given, like the OpenAI SDK does.
    expect(buildTarget(entry('openai'), { model: 'gpt-4o', apiBase: 'http://127.0.0.1:9000/' }).baseUrl).toBe('http://127.0.0.1:9000');
  });

  it('marks catalog models without vision', () => {
    expect(buildTarget(entry('deepseek'), { model: 'deepseek-chat' }).quirks).toEqual({
      renameParams: { max_completion_tokens: 'max_tokens' },
      noVision: true,
    });
    expect(buildTarget(entry('openai'), { model: 'gpt-4o' }).quirks).toEqual({ unsupportedParams: ['top_k', 'reasoning_effort'] });
    expect(buildTarget(entry('openai'), { model: 'o4-mini' }).quirks).toEqual({ unsupportedParams: ['top_k'] });
  });

  it('rejects a custom endpoint without a base and bad URLs', () => {
    expect(() => buildTarget(entry('custom'), { model: 'x' })).toThrow(/needs an api_base/);
    expect(() => buildTarget(entry('custom'), { model: 'x', apiBase: 'not a url' })).toThrow(/not a valid URL/);
    expect(() => buildTarget(entry('custom'), { model: 'x', apiBase: 'ftp://h/v1' })).toThrow(/http or https/);
    expect(buildTarget(entry('custom'), { model: 'x', apiBase: 'http://10.0.0.5:8080/v1' }).baseUrl).toBe('http://10.0.0.5:8080/v1');
  });

  it('copies headers so callers cannot mutate the catalog', () => {
    const headers = { 'x-a': '1' };
    const t = buildTarget(entry('openrouter'), { model: 'openai/gpt-4o', headers });
    headers['x-a'] = '2';
    expect(t.headers).toEqual({ 'x-a': '1' });
  });
});
