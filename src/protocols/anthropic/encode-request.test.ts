import { describe, expect, it } from 'vitest';
import type { ChatRequest, UpstreamTarget } from '../../spec/index.js';
import { DEFAULT_MAX_TOKENS, EFFORT_BUDGETS, encodeRequest } from './encode-request.js';

const target: UpstreamTarget = {
  provider: 'anthropic',
  baseUrl: 'https://api.anthropic.com/v1',
  model: 'claude-sonnet-4-5',
  apiKey: 'sk-ant-xyz',
  auth: { kind: 'header', name: 'x-api-key' },
};

function encode(req: Partial<ChatRequest>, t: UpstreamTarget = target, stream = false) {
  const warnings: string[] = [];
  const full: ChatRequest = { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], ...req };
  const out = encodeRequest(full, t, (w) => warnings.push(w), stream);
  return { ...out, warnings };
}

describe('encodeRequest', () => {
  it('encodes a full request (snapshot of the outgoing body)', async () => {
    const { body, headers, warnings } = encode(
      {
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'You are terse.' }] },
          { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
        ],
        tools: [
          { type: 'function', name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, strict: true },
          { type: 'function', name: 'ping' },
        ],
        toolChoice: { type: 'required' },
        parallelToolCalls: false,
        maxOutputTokens: 512,
        temperature: 0.2,
        topP: 0.9,
        topK: 40,
        stop: ['\n\nHuman:'],
        user: 'user-42',
        responseFormat: { type: 'json_schema', name: 'weather', schema: { type: 'object', properties: { temp: { type: 'number' } } } },
      },
      target,
      true,
    );
    expect(warnings).toEqual([]);
    await expect(JSON.stringify({ headers, body }, null, 2) + '\n').toMatchFileSnapshot('./__fixtures__/encode-request-full.request.json');
  });

  it('sends the key as x-api-key with anthropic-version, and merges deployment headers and betas', () => {
    const { headers } = encode(
      { providerOptions: { anthropic: { betas: ['files-api-2025-04-14'] } } },
      { ...target, apiVersion: '2024-01-01', headers: { 'anthropic-beta': 'prompt-caching-2024-07-31', 'X-Team': 'a' } },
    );
    expect(headers).toEqual({
      'content-type': 'application/json',
      'anthropic-version': '2024-01-01',
      'x-api-key': 'sk-ant-xyz',
      'x-team': 'a',
      'anthropic-beta': 'prompt-caching-2024-07-31,files-api-2025-04-14',
    });
  });

  it('defaults max_tokens from the deployment, else 4096', () => {
    expect(encode({}).body.max_tokens).toBe(DEFAULT_MAX_TOKENS);
    expect(encode({}, { ...target, defaultMaxTokens: 1000 }).body.max_tokens).toBe(1000);
    expect(encode({ maxOutputTokens: 77 }, { ...target, defaultMaxTokens: 1000 }).body.max_tokens).toBe(77);
  });

  it('maps tool_choice auto/none/tool and leaves it out when unset', () => {
    const tools = [{ type: 'function' as const, name: 'f' }];
    expect(encode({ tools }).body.tool_choice).toBeUndefined();
    expect(encode({ tools, toolChoice: { type: 'auto' } }).body.tool_choice).toEqual({ type: 'auto' });
    expect(encode({ tools, toolChoice: { type: 'none' } }).body.tool_choice).toEqual({ type: 'none' });
    expect(encode({ tools, toolChoice: { type: 'tool', name: 'f' } }).body.tool_choice).toEqual({ type: 'tool', name: 'f' });
    expect(encode({ tools, parallelToolCalls: false }).body.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(encode({ tools }).body.tools).toEqual([{ name: 'f', input_schema: { type: 'object', properties: {} } }]);
  });

  it('maps reasoning effort to a thinking budget on top of the default cap, and drops sampling thinking forbids', () => {
    const { body, warnings } = encode({ reasoningEffort: 'medium', temperature: 0.3, topK: 5 });
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: EFFORT_BUDGETS.medium });
    expect(body.max_tokens).toBe(DEFAULT_MAX_TOKENS + EFFORT_BUDGETS.medium);
    expect(body.temperature).toBeUndefined();
    expect(body.top_k).toBeUndefined();
    expect(warnings).toHaveLength(2);
    expect(encode({ reasoningEffort: 'none' }).body.thinking).toBeUndefined();
  });

  it('keeps the client max_tokens as the total: shrinks an effort budget, rejects an explicit one that does not fit', () => {
    const shrunk = encode({ reasoningEffort: 'high', maxOutputTokens: 3000 });
    expect(shrunk.body).toMatchObject({ max_tokens: 3000, thinking: { type: 'enabled', budget_tokens: 2999 } });
    expect(shrunk.warnings[0]).toMatch(/reduced to 2999/);
    const dropped = encode({ reasoningEffort: 'low', maxOutputTokens: 500 });
    expect(dropped.body.thinking).toBeUndefined();
    expect(dropped.warnings[0]).toMatch(/thinking not enabled/);
    expect(() => encode({ reasoningBudgetTokens: 4000, maxOutputTokens: 4000 })).toThrowError(/must be below max_tokens/);
    expect(() => encode({ reasoningBudgetTokens: 100 })).toThrowError(expect.objectContaining({ status: 400, param: 'reasoning_budget_tokens' }));
    expect(encode({ reasoningBudgetTokens: 2048, maxOutputTokens: 8000 }).body).toMatchObject({ max_tokens: 8000, thinking: { type: 'enabled', budget_tokens: 2048 } });
  });

  it('lets providerOptions.anthropic override mapped fields and pass native ones through', () => {
    const { body } = encode({
      temperature: 0.5,
      providerOptions: { anthropic: { thinking: { type: 'enabled', budget_tokens: 2000 }, context_management: { edits: [] }, top_k: 3 } },
    });
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 2000 });
    expect(body.max_tokens).toBe(DEFAULT_MAX_TOKENS + 2000);
    expect(body.context_management).toEqual({ edits: [] });
    expect(body.top_k).toBe(3);
    expect(body.temperature).toBeUndefined();
  });

  it('rejects n > 1 with a 400 naming n', () => {
    expect(() => encode({ n: 2 })).toThrowError(expect.objectContaining({ status: 400, param: 'n', code: 'unsupported_parameter' }));
    expect(encode({ n: 1 }).warnings).toEqual([]);
  });

  it('warns for every option Anthropic cannot honour instead of dropping it silently', () => {
    const { body, warnings } = encode({
      seed: 7,
      logprobs: true,
      presencePenalty: 0.5,
      frequencyPenalty: 0,
      logitBias: { '50256': -100 },
      temperature: 1.5,
      metadata: { tag: 'x' },
      responseFormat: { type: 'json_object' },
      extraBody: { service_tier: 'auto', store: true },
      providerOptions: { openai: { reasoning_summary: 'auto' } },
    });
    expect(body.temperature).toBe(1);
    for (const field of ['seed', 'logprobs', 'presence_penalty', 'logit_bias', 'temperature', 'metadata', 'response_format', 'service_tier', 'store', 'providerOptions.openai']) {
      expect(warnings.some((w) => w.startsWith(field))).toBe(true);
    }
    expect(warnings.some((w) => w.startsWith('frequency_penalty'))).toBe(false);
  });
});
