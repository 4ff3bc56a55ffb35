import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getProtocol } from '../../src/protocols/index.js';
import { GatewayError, type CallOptions, type ChatRequest, type StreamPart, type UpstreamTarget } from '../../src/spec/index.js';
import type { ProtocolFixture } from '../e2e/fakes.js';
import { fakeEmbedding } from '../fakes/scenario.js';

/**
 * The cases every upstream protocol adapter must pass, run against its fake.
 * A new protocol adds a fixture, not a new suite.
 */
export function protocolConformance(f: ProtocolFixture): void {
  describe(`protocol conformance: ${f.label ?? f.protocol}`, () => {
    const protocol = getProtocol(f.protocol)!;
    let target: UpstreamTarget;
    const warnings: string[] = [];
    const opts = (signal = new AbortController().signal): CallOptions => ({ requestId: 'req_conf', signal, warn: (m) => warnings.push(m) });
    const ask = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: f.upstreamModel, messages: [{ role: 'user', content: [{ type: 'text', text }] }], ...extra });
    const collect = async (req: ChatRequest, signal?: AbortSignal) => {
      const parts: StreamPart[] = [];
      for await (const p of await protocol.stream({ ...req, stream: true }, target, opts(signal))) parts.push(p);
      return parts;
    };

    beforeAll(async () => {
      await f.fake.start();
      target = f.target(f.upstreamModel);
    });
    afterAll(() => f.fake.stop());
    beforeEach(() => {
      f.fake.reset();
      warnings.length = 0;
    });

    it('chat: text, finish reason and usage', async () => {
      f.fake.script(f.upstreamModel, { text: 'Paris is the capital.', usage: { input: 12, output: 4 } });
      const res = await protocol.chat(ask('Capital of France?'), target, opts());
      expect(res.choices[0]!.content).toEqual([{ type: 'text', text: 'Paris is the capital.' }]);
      expect(res.choices[0]!.finishReason.unified).toBe('stop');
      expect(res.usage).toMatchObject({ inputTokens: 12, outputTokens: 4, totalTokens: 16 });
    });

    it('stream: start first, exact text, one finish, one usage', async () => {
      f.fake.script(f.upstreamModel, { text: 'alpha beta gamma delta', usage: { input: 6, output: 4 } });
      const parts = await collect(ask('go'));
      expect(parts[0]!.type).toBe('start');
      expect(parts.filter((p) => p.type === 'text-delta').map((p) => (p as { text: string }).text).join('')).toBe('alpha beta gamma delta');
      const finishes = parts.filter((p) => p.type === 'finish');
      expect(finishes).toHaveLength(1);
      expect((finishes[0] as { finishReason: { unified: string } }).finishReason.unified).toBe('stop');
      const usage = parts.filter((p) => p.type === 'usage');
      expect(usage).toHaveLength(1);
      expect((usage[0] as { usage: object }).usage).toMatchObject({ inputTokens: 6, outputTokens: 4 });
      expect(parts.some((p) => p.type === 'error')).toBe(false);
    });

    it('tools: a call with parsed arguments, then its result sent back', async () => {
      const tools = [{ type: 'function' as const, name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }];
      f.fake.script(f.upstreamModel, { toolCalls: [{ id: 'call_c1', name: 'get_weather', arguments: { city: 'Oslo' } }], finish: 'tool_calls' });
      const res = await protocol.chat(ask('weather?', { tools }), target, opts());
      const call = res.choices[0]!.content.find((p) => p.type === 'tool-call');
      expect(call).toMatchObject({ type: 'tool-call', name: 'get_weather' });
      expect(JSON.parse((call as { arguments: string }).arguments)).toEqual({ city: 'Oslo' });
      expect(res.choices[0]!.finishReason.unified).toBe('tool-calls');

      f.fake.script(f.upstreamModel, { text: 'Cold.' });
      const id = (call as { id: string }).id;
      const followUp = await protocol.chat(
        {
          model: f.upstreamModel,
          tools,
          messages: [
            { role: 'user', content: [{ type: 'text', text: 'weather?' }] },
            { role: 'assistant', content: [{ type: 'tool-call', id, name: 'get_weather', arguments: '{"city":"Oslo"}' }] },
            { role: 'tool', toolCallId: id, content: [{ type: 'text', text: '{"temp":-3}' }] },
          ],
        },
        target,
        opts(),
      );
      expect(followUp.choices[0]!.content).toEqual([{ type: 'text', text: 'Cold.' }]);
      expect(f.fake.lastRequest()!.rawBody).toContain('temp');
    });

    it('stream: tool-call start and argument deltas assemble the call', async () => {
      f.fake.script(f.upstreamModel, { toolCalls: [{ id: 'call_c2', name: 'search', arguments: { q: 'a b c', n: 2 } }], finish: 'tool_calls' });
      const parts = await collect(ask('search', { tools: [{ type: 'function', name: 'search', parameters: { type: 'object' } }] }));
      const start = parts.find((p) => p.type === 'tool-call-start') as { name: string; toolIndex: number } | undefined;
      expect(start?.name).toBe('search');
      const args = parts.filter((p) => p.type === 'tool-call-delta').map((p) => (p as { argumentsDelta: string }).argumentsDelta).join('');
      expect(JSON.parse(args)).toEqual({ q: 'a b c', n: 2 });
      expect((parts.find((p) => p.type === 'finish') as { finishReason: { unified: string } }).finishReason.unified).toBe('tool-calls');
    });

    const contentFilterSkip = f.skip?.contentFilter;
    (contentFilterSkip ? it.skip : it)(`content filter → finish reason content-filter${contentFilterSkip ? ` (skipped: ${contentFilterSkip})` : ''}`, async () => {
      f.fake.script(f.upstreamModel, { text: '', finish: 'content_filter' });
      const res = await protocol.chat(ask('something bad'), target, opts()).catch((e: unknown) => e);
      if (res instanceof GatewayError) expect(res.code).toBe('content_filtered');
      else expect((res as { choices: { finishReason: { unified: string } }[] }).choices[0]!.finishReason.unified).toBe('content-filter');
    });

    const errorCases: [number, string, boolean][] = [
      [401, 'upstream_auth', false],
      [403, 'upstream_permission', false],
      [404, 'upstream_not_found', false],
      [429, 'upstream_rate_limited', true],
      [500, 'upstream_error', true],
      [503, 'upstream_overloaded', true],
    ];
    for (const [status, code, retryable] of errorCases) {
      it(`HTTP ${status} → ${code} (retryable: ${retryable}), upstream message kept`, async () => {
        f.fake.script(f.upstreamModel, { error: { status, message: `scripted failure ${status}`, retryAfterS: status === 429 ? 7 : undefined } });
        const err = await protocol.chat(ask('x'), target, opts()).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(GatewayError);
        const e = err as GatewayError;
        expect(e.code).toBe(code);
        expect(e.retryable).toBe(retryable);
        expect(e.message).toContain(`scripted failure ${status}`);
        if (status === 429) expect(e.retryAfterMs).toBe(7000);
        // Streams reject the same way before any part.
        const streamErr = await protocol.stream({ ...ask('x'), stream: true }, target, opts()).catch((x: unknown) => x);
        expect((streamErr as GatewayError).code).toBe(code);
      });
    }

    it('reset mid-stream → a retryable error part, not a hang or a crash', async () => {
      f.fake.script(f.upstreamModel, { text: 'one two three four five six seven eight', resetAfterChunks: 3 });
      const parts = await collect(ask('go'));
      const last = parts[parts.length - 1]!;
      expect(last.type).toBe('error');
      expect((last as { error: GatewayError }).error.retryable).toBe(true);
    });

    // Timing under a saturated 2-core CI box can miss once; a real regression misses every try.
    it('client abort reaches the upstream within 100 ms', { retry: 2 }, async () => {
      f.fake.script(f.upstreamModel, { text: Array.from({ length: 100 }, (_, i) => `t${i}`).join(' '), chunkDelayMs: 20 });
      const controller = new AbortController();
      let abortedAt = 0;
      await (async () => {
        for await (const p of await protocol.stream({ ...ask('go'), stream: true }, target, opts(controller.signal))) {
          if (p.type === 'text-delta') {
            abortedAt = Date.now();
            controller.abort();
          }
        }
      })().catch(() => undefined);
      for (let i = 0; i < 50 && f.fake.aborts.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(f.fake.aborts).toHaveLength(1);
      expect(f.fake.aborts[0]!.at - abortedAt).toBeLessThan(100);
    });

    it('a hung upstream → upstream_timeout within the deployment timeout', async () => {
      f.fake.script(f.upstreamModel, { hang: true });
      const err = await protocol.chat(ask('x'), { ...target, timeoutMs: 300 }, opts()).catch((e: unknown) => e);
      expect((err as GatewayError).code).toBe('upstream_timeout');
      expect((err as GatewayError).retryable).toBe(true);
    });

    if (f.embeddingModel) {
      it('embeddings: vectors in order, usage reported', async () => {
        f.fake.script(f.embeddingModel!, { embeddingDims: 6 });
        const res = await protocol.embed!({ model: f.embeddingModel!, input: ['x one', 'x two'] }, { ...target, model: f.embeddingModel! }, opts());
        expect(res.data.map((d) => d.embedding)).toEqual([fakeEmbedding('x one', 6), fakeEmbedding('x two', 6)]);
        expect(res.usage.inputTokens).toBeGreaterThan(0);
      });
    } else {
      it('has no embeddings API and says so by not offering one', () => {
        expect(protocol.embed).toBeUndefined();
      });
    }
  });
}
