import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeDashScope } from './dashscope-fake.js';

/**
 * No DashScope SDK installs here (it is Python/Java), so the fake is checked
 * against the documented HTTP examples: the curl bodies from Alibaba Cloud
 * Model Studio's "DashScope API" pages and the SSE framing they show.
 */
describe('FakeDashScope against the documented DashScope HTTP API', () => {
  const fake = new FakeDashScope({ apiKey: 'sk-doc' });
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${fake.url}/api/v1${path}`, { method: 'POST', headers: { authorization: 'Bearer sk-doc', 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const docBody = { model: 'qwen-plus', input: { messages: [{ role: 'system', content: 'You are a helpful assistant.' }, { role: 'user', content: '你是谁？' }] }, parameters: { result_format: 'message' } };

  it('answers the documented text-generation request with output.choices, usage and request_id', async () => {
    fake.script('qwen-plus', { text: '我是通义千问。', usage: { input: 22, output: 5 } });
    const res = await post('/services/aigc/text-generation/generation', docBody);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ output: { choices: [{ finish_reason: 'stop', message: { role: 'assistant', content: '我是通义千问。' } }] }, usage: { input_tokens: 22, output_tokens: 5, total_tokens: 27 }, request_id: expect.any(String) });
  });

  it('streams id/event/:HTTP_STATUS/data frames with X-DashScope-SSE and incremental_output', async () => {
    fake.script('qwen-plus', { text: 'a b c', usage: { input: 4, output: 3 } });
    const res = await post('/services/aigc/text-generation/generation', { ...docBody, parameters: { result_format: 'message', incremental_output: true } }, { 'x-dashscope-sse': 'enable' });
    const text = await res.text();
    const frames = text.split('\n\n').filter(Boolean);
    expect(frames[0]).toMatch(/^id:1\nevent:result\n:HTTP_STATUS\/200\ndata:\{/);
    const data = frames.map((f) => JSON.parse(f.slice(f.indexOf('data:') + 5)) as { output: { choices: { message: { content: string }; finish_reason: string }[] }; usage: { output_tokens: number } });
    expect(data.map((d) => d.output.choices[0]!.message.content).join('')).toBe('a b c');
    expect(data.slice(0, -1).every((d) => d.output.choices[0]!.finish_reason === 'null')).toBe(true);
    expect(data.at(-1)).toMatchObject({ output: { choices: [{ finish_reason: 'stop' }] }, usage: { output_tokens: 3 } });
  });

  it('reports errors as {code, message, request_id}, as an event:error frame on streams', async () => {
    const bad = await fetch(`${fake.url}/api/v1/services/aigc/text-generation/generation`, { method: 'POST', headers: { authorization: 'Bearer nope', 'content-type': 'application/json' }, body: JSON.stringify(docBody) });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ code: 'InvalidApiKey', message: 'Invalid API-key provided.' });
    fake.script('qwen-plus', { finish: 'content_filter' });
    const filtered = await post('/services/aigc/text-generation/generation', { ...docBody, parameters: { incremental_output: true } }, { 'x-dashscope-sse': 'enable' });
    expect(filtered.status).toBe(400);
    expect(await filtered.text()).toMatch(/^id:1\nevent:error\n:HTTP_STATUS\/400\ndata:\{"code":"DataInspectionFailed"/);
  });

  it('answers text-embedding with output.embeddings by text_index', async () => {
    const res = await post('/services/embeddings/text-embedding/text-embedding', { model: 'text-embedding-v4', input: { texts: ['风急天高猿啸哀', '渚清沙白鸟飞回'] }, parameters: { dimension: 4 } });
    const json = (await res.json()) as { output: { embeddings: { text_index: number; embedding: number[] }[] }; usage: { total_tokens: number } };
    expect(json.output.embeddings.map((e) => e.text_index).sort()).toEqual([0, 1]);
    expect(json.output.embeddings[0]!.embedding).toHaveLength(4);
    expect(json.usage.total_tokens).toBeGreaterThan(0);
  });
});
