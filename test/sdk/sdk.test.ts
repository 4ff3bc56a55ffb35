import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Switchyard } from '../../src/sdk/index.js';
import { FakeAnthropic } from '../fakes/anthropic-fake.js';
import { FakeGemini } from '../fakes/gemini-fake.js';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { fakeEmbedding } from '../fakes/scenario.js';

/** The library without a server: OpenAI-shaped calls to any provider through the same protocols. */
describe('Switchyard SDK', () => {
  const openai = new FakeOpenAI();
  const anthropic = new FakeAnthropic();
  const gemini = new FakeGemini();

  beforeAll(async () => {
    await Promise.all([openai.start(), anthropic.start(), gemini.start()]);
  });
  afterAll(async () => {
    await Promise.all([openai.stop(), anthropic.stop(), gemini.stop()]);
  });

  it('calls a configured Anthropic model in the OpenAI format', async () => {
    anthropic.script('claude-sonnet-4-5', { text: 'Bonjour.', usage: { input: 5, output: 2 } });
    const sy = new Switchyard({ models: { claude: { provider: 'anthropic', model: 'claude-sonnet-4-5', apiKey: 'k', apiBase: `${anthropic.url}/v1` } } });
    const res = await sy.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'Say hello in French' }] });
    expect(res.object).toBe('chat.completion');
    expect(res.choices[0].message.content).toBe('Bonjour.');
    expect(res.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 2 });
    expect(anthropic.lastRequest()!.headers['x-api-key']).toBe('k');
  });

  it('streams OpenAI chunk objects from a Gemini model named provider/model, keyed from the environment', async () => {
    gemini.script('gemini-2.5-flash', { text: 'a b c', usage: { input: 3, output: 3 } });
    const sy = new Switchyard({ env: { GEMINI_API_KEY: 'g-key', GEMINI_API_BASE: `${gemini.url}/v1beta` } });
    const stream = await sy.chat.completions.create({ model: 'gemini/gemini-2.5-flash', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'abc' }] });
    let text = '';
    let usage: { prompt_tokens: number } | undefined;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('a b c');
    expect(usage?.prompt_tokens).toBe(3);
    expect(gemini.lastRequest()!.headers['x-goog-api-key']).toBe('g-key');
  });

  it('embeds, retries across deployments, and reports warnings', async () => {
    openai.script('emb-1', { embeddingDims: 4 });
    const sy = new Switchyard({
      router: { numRetries: 1 },
      models: {
        emb: [
          { provider: 'openai', model: 'emb-1', apiKey: 'k', apiBase: `${openai.url}/v1` },
        ],
        claude: { provider: 'anthropic', model: 'claude-x', apiKey: 'k', apiBase: `${anthropic.url}/v1` },
      },
    });
    const emb = await sy.embeddings.create({ model: 'emb', input: 'vector me' });
    expect(emb.data[0].embedding).toEqual(fakeEmbedding('vector me', 4));

    anthropic.script('claude-x', { text: 'ok' });
    const reports: { warnings: string[]; deployment: string }[] = [];
    await sy.chat.completions.create({ model: 'claude', seed: 7, messages: [{ role: 'user', content: 'hi' }] }, { onReport: (r) => reports.push(r) });
    expect(reports[0]!.deployment).toBe('claude#0');
    expect(reports[0]!.warnings.join(' ')).toMatch(/seed/);
  });

  it('rejects an unknown provider prefix with a clear error', async () => {
    const sy = new Switchyard({ env: {} });
    await expect(sy.chat.completions.create({ model: 'nope/thing', messages: [{ role: 'user', content: 'x' }] })).rejects.toThrow(/nope\/thing/);
  });
});
