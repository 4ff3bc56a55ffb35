import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChatRequest, StreamPart } from '../../spec/index.js';
import { decodeResponse } from './decode-response.js';
import { decodeStream } from './decode-stream.js';
import { encodeRequest } from './encode-request.js';
import { mapOllamaError } from './map-ollama-error.js';
import { ndjsonLines } from './ndjson-lines.js';
import { ollamaUrl } from './ollama-url.js';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

async function collect(chunks: (Buffer | string)[]): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const p of decodeStream((async function* () { yield* chunks; })(), { requestedModel: 'qwen3:8b', provider: 'ollama-native' })) parts.push(p);
  return parts;
}

/** Cuts bytes at every `step`, so lines, JSON and multi-byte characters are split mid-way. */
function cut(text: string, step: number): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += step) out.push(bytes.subarray(i, i + step));
  return out;
}

describe('ollama encodeRequest', () => {
  it('maps every unified field to /api/chat and matches the recorded body', () => {
    const warnings: string[] = [];
    const req: ChatRequest = {
      model: 'qwen3:8b',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Use metric units.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Weather here?' }, { type: 'image', source: { kind: 'url', url: 'data:image/png;base64,iVBORw0KGgo=' } }] },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'Need the tool.' },
            { type: 'text', text: 'Let me check.' },
            { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
          ],
        },
        { role: 'tool', toolCallId: 'call_1', content: [{ type: 'text', text: '{"temp":-3}' }] },
      ],
      tools: [{ type: 'function', name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
      responseFormat: { type: 'json_schema', name: 'a', schema: { type: 'object', properties: { answer: { type: 'string' } } } },
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 256,
      stop: ['END'],
      seed: 7,
      reasoningEffort: 'medium',
      providerOptions: { ollama: { keep_alive: '10m', num_ctx: 8192 } },
    };
    const body = encodeRequest(req, true, (m) => warnings.push(m));
    expect(body).toEqual(JSON.parse(fixture('encode-request-full.request.json')));
    expect(warnings).toEqual(['ollama: thinking is on/off only; the effort level or budget was not sent (gpt-oss levels: providerOptions.ollama.think)']);
  });

  it('json_object → format "json"; tool_choice none drops the tools; n > 1 and remote images fail naming the field', () => {
    const base: ChatRequest = { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] };
    expect(encodeRequest({ ...base, responseFormat: { type: 'json_object' } }, false, () => {}).format).toBe('json');
    const none = encodeRequest({ ...base, tools: [{ type: 'function', name: 'f' }], toolChoice: { type: 'none' } }, false, () => {});
    expect(none.tools).toBeUndefined();
    expect(() => encodeRequest({ ...base, n: 2 }, false, () => {})).toThrow(expect.objectContaining({ param: 'n', status: 400 }));
    const remote: ChatRequest = { model: 'm', messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'https://x.test/cat.png' } }] }] };
    expect(() => encodeRequest(remote, false, () => {})).toThrow(expect.objectContaining({ param: 'messages[0].content[0]', status: 400 }));
  });

  it('reports what it cannot send instead of dropping it', () => {
    const warnings: string[] = [];
    encodeRequest(
      { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], user: 'u1', logitBias: { '1': 2 }, toolChoice: { type: 'required' }, extraBody: { foo: 1 }, providerOptions: { openai: { x: 1 } } },
      false,
      (m) => warnings.push(m),
    );
    expect(warnings).toHaveLength(5);
    expect(warnings.join('\n')).toMatch(/user[\s\S]*logit_bias|logit_bias[\s\S]*user/);
  });
});

describe('ollama decodeStream', () => {
  const recorded = fixture('ollama-thinking-tool.ndjson');

  for (const step of [1, 3, 7, 64, 100_000]) {
    it(`decodes the recorded stream cut every ${step} bytes`, async () => {
      const parts = await collect(cut(recorded, step));
      expect(parts[0]).toMatchObject({ type: 'start', model: 'qwen3:8b' });
      expect(parts.filter((p) => p.type === 'reasoning-delta').map((p) => (p as { text: string }).text).join('')).toBe('The user wants the weather — “Oslo”.');
      expect(parts.filter((p) => p.type === 'text-delta').map((p) => (p as { text: string }).text).join('')).toBe('Checking ');
      const starts = parts.filter((p) => p.type === 'tool-call-start');
      expect(starts).toMatchObject([{ toolIndex: 0, id: 'call_k2v1', name: 'get_weather' }, { toolIndex: 1, name: 'get_time' }]);
      expect((starts[1] as { id: string }).id).toMatch(/^call_/);
      expect(parts.filter((p) => p.type === 'tool-call-delta').map((p) => JSON.parse((p as { argumentsDelta: string }).argumentsDelta))).toEqual([{ city: 'Oslo', unit: 'c' }, {}]);
      expect(parts.at(-2)).toEqual({ type: 'finish', choice: 0, finishReason: { unified: 'tool-calls', raw: 'stop' } });
      expect(parts.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 57, outputTokens: 31, totalTokens: 88 } });
    });
  }

  it('an error line mid-stream becomes an error part; a cut stream says it was cut', async () => {
    const withError = await collect([`${recorded.split('\n')[0]}\n{"error":"an error was encountered while running the model: unexpected EOF"}\n`]);
    const last = withError.at(-1) as { type: string; error: { message: string; retryable: boolean } };
    expect(last.type).toBe('error');
    expect(last.error.message).toContain('unexpected EOF');
    expect(last.error.retryable).toBe(true);
    const cutShort = await collect([recorded.split('\n').slice(0, 2).join('\n')]);
    expect((cutShort.at(-1) as { error: { code: string } }).error.code).toBe('upstream_bad_response');
  });

  it('ndjsonLines keeps a last line without its newline', async () => {
    const lines: string[] = [];
    for await (const l of ndjsonLines((async function* () { yield '{"a":1}\n\n{"b"'; yield ':2}'; })())) lines.push(l);
    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
  });
});

describe('ollama decodeResponse and errors', () => {
  it('a whole answer with length cut and logprobs', () => {
    const res = decodeResponse(
      { model: 'llama3.2', created_at: '2025-06-10T12:00:00.5Z', message: { role: 'assistant', content: 'Hi' }, done: true, done_reason: 'length', prompt_eval_count: 4, eval_count: 1, logprobs: [{ token: 'Hi', logprob: -0.1, top_logprobs: [{ token: 'Hi', logprob: -0.1 }] }] },
      'llama3.2',
      'ollama-native',
    );
    expect(res.created).toBe(1749556800);
    expect(res.choices[0]).toMatchObject({ content: [{ type: 'text', text: 'Hi' }], finishReason: { unified: 'length', raw: 'length' }, logprobs: [{ token: 'Hi', logprob: -0.1, topLogprobs: [{ token: 'Hi', logprob: -0.1 }] }] });
    expect(res.usage).toEqual({ inputTokens: 4, outputTokens: 1, totalTokens: 5 });
  });

  it('maps Ollama error bodies by status and keeps the words', () => {
    const notPulled = mapOllamaError({ provider: 'ollama-native', status: 404, headers: {}, body: '{"error":"model \\"llama9\\" not found, try pulling it first"}' });
    expect(notPulled.code).toBe('upstream_not_found');
    expect(notPulled.message).toBe('model "llama9" not found, try pulling it first');
    const busy = mapOllamaError({ provider: 'ollama-native', status: 503, headers: { 'retry-after': '2' }, body: '{"error":"server busy, please try again.  maximum pending requests exceeded"}' });
    expect(busy).toMatchObject({ code: 'upstream_overloaded', retryable: true, retryAfterMs: 2000 });
    const plain = mapOllamaError({ provider: 'ollama-native', status: 502, headers: {}, body: '<html>Bad Gateway</html>' });
    expect(plain).toMatchObject({ code: 'upstream_error', message: '<html>Bad Gateway</html>' });
  });

  it('accepts host-only, /api and /v1 bases', () => {
    const t = { provider: 'o', model: 'm', auth: { kind: 'none' as const } };
    for (const baseUrl of ['http://h:11434', 'http://h:11434/', 'http://h:11434/api', 'http://h:11434/v1']) {
      expect(ollamaUrl({ ...t, baseUrl }, '/api/chat')).toBe('http://h:11434/api/chat');
    }
  });
});
