import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChatRequest, StreamPart } from '../../spec/index.js';
import { decodeResponse } from './decode-response.js';
import { decodeStream } from './decode-stream.js';
import { encodeRequest } from './encode-request.js';
import { mapWorkersAiError } from './map-workers-ai-error.js';
import { runPath, workersAiUrl } from './workers-ai-http.js';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const MODEL = '@cf/meta/llama-3.1-8b-instruct';

async function collect(chunks: (Buffer | string)[], maxTokens?: number): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  const body = (async function* () { yield* chunks; })();
  for await (const p of decodeStream(body, { model: MODEL, provider: 'cloudflare-workers-ai', ...(maxTokens !== undefined && { maxTokens }) })) parts.push(p);
  return parts;
}

/** Cuts bytes at every `step`, so events, JSON and multi-byte characters are split mid-way. */
function cut(text: string, step: number): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += step) out.push(bytes.subarray(i, i + step));
  return out;
}

const hi: ChatRequest = { model: MODEL, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] };

describe('workers-ai encodeRequest', () => {
  it('maps every unified field to the run body and matches the recorded body', () => {
    const warnings: string[] = [];
    const req: ChatRequest = {
      model: MODEL,
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Use metric units.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Weather here?' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Let me check.' }, { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' }] },
        { role: 'tool', toolCallId: 'call_1', content: [{ type: 'text', text: '{"temp":-3}' }] },
      ],
      tools: [{ type: 'function', name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
      toolChoice: { type: 'auto' },
      responseFormat: { type: 'json_schema', name: 'a', schema: { type: 'object', properties: { answer: { type: 'string' } } } },
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 256,
      seed: 7,
      frequencyPenalty: 0.1,
      presencePenalty: 0.2,
      providerOptions: { 'workers-ai': { repetition_penalty: 1.1 } },
    };
    expect(encodeRequest(req, true, (m) => warnings.push(m))).toEqual(JSON.parse(fixture('encode-request-full.request.json')));
    expect(warnings).toEqual([]);
  });

  it('a forced tool is sent alone with "required"; n > 1, images and an unknown forced tool fail naming the field', () => {
    const tools = [{ type: 'function' as const, name: 'a' }, { type: 'function' as const, name: 'b' }];
    const forced = encodeRequest({ ...hi, tools, toolChoice: { type: 'tool', name: 'b' } }, false, () => {});
    expect(forced.tool_choice).toBe('required');
    expect(forced.tools?.map((t) => t.function.name)).toEqual(['b']);
    expect(forced.stream).toBeUndefined();
    expect(() => encodeRequest({ ...hi, tools, toolChoice: { type: 'tool', name: 'zz' } }, false, () => {})).toThrow(expect.objectContaining({ param: 'tool_choice', status: 400 }));
    expect(() => encodeRequest({ ...hi, n: 2 }, false, () => {})).toThrow(expect.objectContaining({ param: 'n', status: 400 }));
    const image: ChatRequest = { model: MODEL, messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'https://x.test/cat.png' } }] }] };
    expect(() => encodeRequest(image, false, () => {})).toThrow(expect.objectContaining({ param: 'messages[0].content[0]', status: 400 }));
    expect(encodeRequest({ ...hi, responseFormat: { type: 'json_object' } }, false, () => {}).response_format).toEqual({ type: 'json_object' });
  });

  it('reports what it cannot send instead of dropping it', () => {
    const warnings: string[] = [];
    const body = encodeRequest(
      { ...hi, stop: ['END'], user: 'u1', logitBias: { '1': 2 }, logprobs: true, reasoningEffort: 'low', extraBody: { foo: 1 }, providerOptions: { openai: { x: 1 } } },
      false,
      (m) => warnings.push(m),
    );
    expect(warnings).toHaveLength(7);
    expect(warnings.join('\n')).toMatch(/stop[\s\S]*logit_bias[\s\S]*logprobs[\s\S]*reasoning[\s\S]*user[\s\S]*foo[\s\S]*providerOptions\.openai/);
    expect(Object.keys(body)).toEqual(['messages']);
  });
});

describe('workers-ai decodeStream', () => {
  const recorded = fixture('workers-ai-text-tools.sse.txt');

  for (const step of [1, 3, 7, 64, 100_000]) {
    it(`decodes the recorded stream cut every ${step} bytes`, async () => {
      const parts = await collect(cut(recorded, step));
      expect(parts[0]).toMatchObject({ type: 'start', model: MODEL });
      expect(parts.filter((p) => p.type === 'text-delta').map((p) => (p as { text: string }).text).join('')).toBe('Let me check — “Oslo”.');
      const starts = parts.filter((p) => p.type === 'tool-call-start') as { toolIndex: number; id: string; name: string }[];
      expect(starts).toMatchObject([{ toolIndex: 0, name: 'get_weather' }, { toolIndex: 1, name: 'get_time' }]);
      // Workers AI sends no ids: each call gets its own.
      expect(starts[0]!.id).toMatch(/^call_/);
      expect(starts[1]!.id).not.toBe(starts[0]!.id);
      const args = (i: number): string => parts.filter((p) => p.type === 'tool-call-delta' && p.toolIndex === i).map((p) => (p as { argumentsDelta: string }).argumentsDelta).join('');
      expect(JSON.parse(args(0))).toEqual({ city: 'Oslo' });
      expect(JSON.parse(args(1))).toEqual({ tz: 'Europe/Oslo' });
      expect(parts.at(-2)).toEqual({ type: 'finish', choice: 0, finishReason: { unified: 'tool-calls' } });
      expect(parts.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 41, outputTokens: 19, totalTokens: 60 } });
    });
  }

  it('a cap spent exactly is a length finish; an error event ends the stream; a cut stream says it was cut', async () => {
    const capped = await collect(['data: {"response":"a b"}\n\ndata: {"response":"","usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}\n\ndata: [DONE]\n\n'], 2);
    expect(capped.find((p) => p.type === 'finish')).toMatchObject({ finishReason: { unified: 'length' } });
    const failed = await collect(['data: {"response":"a"}\n\ndata: {"errors":[{"code":3040,"message":"Capacity temporarily exceeded, please try again."}]}\n\n']);
    expect(failed.at(-1)).toMatchObject({ type: 'error', error: { retryable: true, message: 'Capacity temporarily exceeded, please try again.' } });
    const cutShort = await collect(['data: {"response":"a"}\n\n']);
    expect(cutShort.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_bad_response' } });
  });
});

describe('workers-ai decodeResponse, errors and URLs', () => {
  it('a whole answer: flat tool calls with object arguments, structured output as text', () => {
    const res = decodeResponse(
      { result: { response: null, tool_calls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }], usage: { prompt_tokens: 9, completion_tokens: 7, total_tokens: 16 } }, success: true, errors: [], messages: [] },
      MODEL,
      undefined,
      'cloudflare-workers-ai',
    );
    expect(res.choices[0]!.content).toEqual([{ type: 'tool-call', id: expect.stringMatching(/^call_/), name: 'get_weather', arguments: '{"city":"Oslo"}' }]);
    expect(res.choices[0]!.finishReason.unified).toBe('tool-calls');
    expect(res.usage).toEqual({ inputTokens: 9, outputTokens: 7, totalTokens: 16 });
    const json = decodeResponse({ result: { response: { answer: 'yes' } }, success: true }, MODEL, undefined, 'cloudflare-workers-ai');
    expect(json.choices[0]!.content).toEqual([{ type: 'text', text: '{"answer":"yes"}' }]);
  });

  it("maps Cloudflare's internal codes over the bare status and keeps the words", () => {
    const body = (code: number, message: string): string => JSON.stringify({ result: null, success: false, errors: [{ code, message }], messages: [] });
    const capacity = mapWorkersAiError({ provider: 'cf', status: 429, headers: {}, body: body(3040, 'Capacity temporarily exceeded, please try again.') });
    expect(capacity).toMatchObject({ code: 'upstream_overloaded', retryable: true, clientCode: '3040' });
    const noModel = mapWorkersAiError({ provider: 'cf', status: 400, headers: {}, body: body(5007, 'No such model @cf/x/y or task') });
    expect(noModel).toMatchObject({ code: 'upstream_not_found', status: 404, message: 'No such model @cf/x/y or task' });
    const auth = mapWorkersAiError({ provider: 'cf', status: 401, headers: {}, body: body(10000, 'Authentication error') });
    expect(auth).toMatchObject({ code: 'upstream_auth', message: 'Authentication error' });
    const limited = mapWorkersAiError({ provider: 'cf', status: 429, headers: { 'retry-after': '3' }, body: body(3036, 'You have used up your daily free allocation of 10,000 neurons.') });
    expect(limited).toMatchObject({ code: 'upstream_rate_limited', retryAfterMs: 3000 });
    expect(mapWorkersAiError({ provider: 'cf', status: 502, headers: {}, body: '<html>Bad Gateway</html>' })).toMatchObject({ code: 'upstream_error', message: '<html>Bad Gateway</html>' });
  });

  it('accepts native, OpenAI-compatible and LiteLLM-style bases; the model path keeps its slashes', () => {
    const t = { provider: 'cf', model: MODEL, auth: { kind: 'bearer' as const } };
    for (const baseUrl of ['https://api.cloudflare.com/client/v4/accounts/a1/ai', 'https://api.cloudflare.com/client/v4/accounts/a1/ai/', 'https://api.cloudflare.com/client/v4/accounts/a1/ai/v1', 'https://api.cloudflare.com/client/v4/accounts/a1/ai/run/']) {
      expect(workersAiUrl({ ...t, baseUrl }, runPath(MODEL))).toBe('https://api.cloudflare.com/client/v4/accounts/a1/ai/run/@cf/meta/llama-3.1-8b-instruct');
    }
  });
});
