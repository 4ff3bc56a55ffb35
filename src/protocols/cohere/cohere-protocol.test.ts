import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCohere } from '../../../test/fakes/cohere-fake.js';
import type { CallOptions, ChatRequest, StreamPart, UpstreamTarget } from '../../spec/index.js';
import { decodeResponse } from './decode-response.js';
import { decodeStream } from './decode-stream.js';
import { encodeRequest } from './encode-request.js';
import { cohereProtocol } from './index.js';
import { mapCohereError } from './map-cohere-error.js';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

function cut(text: string, step: number): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += step) out.push(bytes.subarray(i, i + step));
  return out;
}

async function collect(chunks: Buffer[], warn: (m: string) => void = () => {}): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const p of decodeStream((async function* () { yield* chunks; })(), { requestedModel: 'command-a-03-2025', provider: 'cohere', warn })) parts.push(p);
  return parts;
}

describe('cohere encodeRequest', () => {
  it('maps the unified request onto /v2/chat and matches the recorded body', () => {
    const warnings: string[] = [];
    const req: ChatRequest = {
      model: 'ignored-public-name',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', content: [{ type: 'text', text: 'What is in this picture, and the weather?' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } }] },
        { role: 'assistant', content: [{ type: 'reasoning', text: 'I will look up the weather.' }, { type: 'tool-call', id: 'get_weather_1', name: 'get_weather', arguments: '{"city":"Oslo"}' }] },
        { role: 'tool', toolCallId: 'get_weather_1', content: [{ type: 'text', text: '{"temp":-3}' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'It is cold.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
      ],
      tools: [{ type: 'function', name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: true }],
      toolChoice: { type: 'required' },
      responseFormat: { type: 'json_schema', name: 'a', schema: { type: 'object', properties: { answer: { type: 'string' } } } },
      temperature: 0.3,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 300,
      stop: ['END'],
      seed: 11,
      presencePenalty: 0.5,
      logprobs: true,
      reasoningBudgetTokens: 2048,
      providerOptions: { cohere: { safety_mode: 'STRICT', documents: [{ id: 'doc1', data: { text: 'Oslo is cold in winter.' } }] } },
    };
    expect(encodeRequest(req, 'command-a-03-2025', false, (m) => warnings.push(m))).toEqual(JSON.parse(fixture('encode-request-full.request.json')));
    expect(warnings).toEqual([]);
  });

  it('system messages merge into one leading system turn, reporting a moved one', () => {
    const warnings: string[] = [];
    const body = encodeRequest(
      {
        model: 'm',
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'A' }] },
          { role: 'user', content: [{ type: 'text', text: 'hi' }] },
          { role: 'system', developer: true, content: [{ type: 'text', text: 'B' }] },
        ],
      },
      'm',
      false,
      (m) => warnings.push(m),
    );
    expect(body.messages).toEqual([{ role: 'system', content: 'A\n\nB' }, { role: 'user', content: 'hi' }]);
    expect(warnings).toEqual(['cohere: system message at messages[2] moved into the leading system turn (Cohere takes one, first)']);
  });

  it('a forced tool offers only that tool; n > 1 and file parts fail naming the field; the rest warns', () => {
    const warnings: string[] = [];
    const base: ChatRequest = { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] };
    const forced = encodeRequest({ ...base, tools: [{ type: 'function', name: 'a' }, { type: 'function', name: 'b' }], toolChoice: { type: 'tool', name: 'b' } }, 'm', false, () => {});
    expect(forced.tools?.map((t) => t.function.name)).toEqual(['b']);
    expect(forced.tool_choice).toBe('REQUIRED');
    expect(() => encodeRequest({ ...base, n: 3 }, 'm', false, () => {})).toThrow(expect.objectContaining({ param: 'n' }));
    const file: ChatRequest = { model: 'm', messages: [{ role: 'user', content: [{ type: 'file', source: { kind: 'url', url: 'https://x.test/a.pdf' } }] }] };
    expect(() => encodeRequest(file, 'm', false, () => {})).toThrow(expect.objectContaining({ param: 'messages[0].content[0]', status: 400 }));
    encodeRequest({ ...base, user: 'u', topLogprobs: 3, reasoningEffort: 'high', extraBody: { x: 1 }, providerOptions: { gemini: {} } }, 'm', true, (m) => warnings.push(m));
    expect(warnings).toHaveLength(5);
  });
});

describe('cohere decodeStream', () => {
  const recorded = fixture('cohere-plan-tool.chunks.txt');
  for (const step of [1, 4, 13, 100_000]) {
    it(`decodes a recorded tool-plan stream cut every ${step} bytes`, async () => {
      const parts = await collect(cut(recorded, step));
      expect(parts[0]).toMatchObject({ type: 'start', id: '29f14a5a-11de-4cae-9800-25e4747408ea', model: 'command-a-03-2025' });
      expect(parts.filter((p) => p.type === 'reasoning-delta').map((p) => (p as { text: string }).text).join('')).toBe('I will look up the weather in Zürich — “now”.');
      expect(parts.find((p) => p.type === 'tool-call-start')).toEqual({ type: 'tool-call-start', choice: 0, toolIndex: 0, id: 'get_weather_2c8tnr4v6zr3', name: 'get_weather' });
      const args = parts.filter((p) => p.type === 'tool-call-delta').map((p) => (p as { argumentsDelta: string }).argumentsDelta).join('');
      expect(JSON.parse(args)).toEqual({ location: 'Zürich' });
      expect(parts.at(-2)).toEqual({ type: 'finish', choice: 0, finishReason: { unified: 'tool-calls', raw: 'TOOL_CALL' } });
      // Billed units, not raw tokens (which include Cohere's chat template).
      expect(parts.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 37, outputTokens: 28, totalTokens: 65 } });
    });
  }

  it('message-end with ERROR is an error part; a cut stream says so; citations warn once', async () => {
    const start = recorded.split('\n\n')[0]!;
    const failed = await collect([Buffer.from(`${start}\n\nevent: message-end\ndata: {"type":"message-end","delta":{"finish_reason":"ERROR","error":"internal model failure"}}\n\n`)]);
    expect((failed.at(-1) as { error: { message: string; retryable: boolean } }).error).toMatchObject({ message: 'internal model failure', retryable: true });
    const cutShort = await collect([Buffer.from(`${start}\n\n`)]);
    expect((cutShort.at(-1) as { error: { code: string } }).error.code).toBe('upstream_bad_response');
    const warnings: string[] = [];
    const cites = 'event: citation-start\ndata: {"type":"citation-start","index":0,"delta":{"message":{"citations":{"start":0,"end":4}}}}\n\n';
    await collect([Buffer.from(`${start}\n\n${cites}${cites}`)], (m) => warnings.push(m));
    expect(warnings).toHaveLength(1);
  });
});

describe('cohere decodeResponse and errors', () => {
  it('thinking, text, tool calls and citations', () => {
    const res = decodeResponse(
      {
        id: 'r1',
        finish_reason: 'COMPLETE',
        message: { role: 'assistant', content: [{ type: 'thinking', thinking: 'hmm' }, { type: 'text', text: 'Oslo.' }], citations: [{ start: 0, end: 4, text: 'Oslo' }] },
        usage: { billed_units: { input_tokens: 5, output_tokens: 2 }, tokens: { input_tokens: 300, output_tokens: 4 }, cached_tokens: 3 },
      },
      'command-a-reasoning-08-2025',
      'cohere',
    );
    expect(res.choices[0]!.content).toEqual([{ type: 'reasoning', text: 'hmm' }, { type: 'text', text: 'Oslo.' }]);
    expect(res.usage).toEqual({ inputTokens: 5, outputTokens: 2, totalTokens: 7, cacheReadTokens: 3 });
    expect(res.providerMetadata).toEqual({ cohere: { citations: [{ start: 0, end: 4, text: 'Oslo' }] } });
  });

  it('maps Cohere statuses, including 498 and 499, keeping the message', () => {
    const map = (status: number, message: string) => mapCohereError({ provider: 'cohere', status, headers: {}, body: JSON.stringify({ id: 'e1', message }) });
    expect(map(498, 'invalid api token')).toMatchObject({ code: 'upstream_auth', message: 'invalid api token' });
    expect(map(499, 'request cancelled')).toMatchObject({ code: 'upstream_error', retryable: true, status: 502 });
    expect(map(400, 'too many tokens: total number of tokens in the prompt cannot exceed 4081 - received 4292.')).toMatchObject({ code: 'context_length_exceeded' });
    expect(map(429, 'You are using a Trial key')).toMatchObject({ code: 'upstream_rate_limited', retryable: true });
  });
});

describe('cohereProtocol.rerank against FakeCohere', () => {
  const fake = new FakeCohere({ apiKey: 'k' });
  let target: UpstreamTarget;
  const warnings: string[] = [];
  const opts: CallOptions = { requestId: 'r', signal: new AbortController().signal, warn: (m) => warnings.push(m) };
  beforeAll(async () => {
    await fake.start();
    // A base written with the version suffix still reaches /v2/rerank.
    target = { provider: 'cohere', baseUrl: `${fake.url}/v2`, model: 'rerank-v3.5', apiKey: 'k', auth: { kind: 'bearer' } };
  });
  afterAll(() => fake.stop());

  it('orders documents, honours top_n, echoes documents on request and reports search units', async () => {
    const docs = ['Berlin is in Germany', 'Paris is the capital of France', 'France makes wine'];
    const res = await cohereProtocol.rerank!({ model: 'rerank-v3.5', query: 'capital of France', documents: docs, topN: 2, returnDocuments: true }, target, opts);
    expect(res.results.map((r) => r.index)).toEqual([1, 2]);
    expect(res.results[0]!.document).toBe('Paris is the capital of France');
    expect(res.results[0]!.relevanceScore).toBeGreaterThan(res.results[1]!.relevanceScore);
    expect(res.units).toEqual({ search_units: 1 });
    expect(fake.lastRequest()!.body).toEqual({ model: 'rerank-v3.5', query: 'capital of France', documents: docs, top_n: 2 });
    const noDocs = await cohereProtocol.rerank!({ model: 'rerank-v3.5', query: 'q', documents: ['a'] }, target, opts);
    expect(noDocs.results[0]!.document).toBeUndefined();
  });

  it('rejects an empty query before any call and maps upstream errors', async () => {
    const before = fake.requests.length;
    await expect(cohereProtocol.rerank!({ model: 'rerank-v3.5', query: ' ', documents: ['a'] }, target, opts)).rejects.toMatchObject({ param: 'query', status: 400 });
    expect(fake.requests.length).toBe(before);
    fake.script('rerank-v3.5', { error: { status: 429, message: 'slow down', retryAfterS: 2 } });
    await expect(cohereProtocol.rerank!({ model: 'rerank-v3.5', query: 'q', documents: ['a'] }, target, opts)).rejects.toMatchObject({ code: 'upstream_rate_limited', retryAfterMs: 2000 });
  });

  it('lists models from /v1/models', async () => {
    expect(await cohereProtocol.listModels!(target, opts)).toContain('command-a-03-2025');
  });
});
