import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../e2e/harness.js';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { attemptRecorder, chat, gatewayWith, hits, onFake, sseData, until } from './router-harness.js';

/** Hedged requests (fixed delay and the group's p95) and lowest-latency routing, against scripted fakes. */
const fake = new FakeOpenAI();
const recorder = attemptRecorder();
let g: TestGateway;

beforeAll(async () => {
  await fake.start();
  g = await gatewayWith(
    [
      onFake(fake, 'hedged', 'slowpoke', { order: 1 }),
      onFake(fake, 'hedged', 'quick', { order: 2 }),
      onFake(fake, 'p95', 'usual', { order: 1 }),
      onFake(fake, 'p95', 'spare', { order: 2 }),
      onFake(fake, 'lat', 'lat-slow'),
      onFake(fake, 'lat', 'lat-fast'),
    ],
    { hedging: { hedged: { delayMs: 60 }, p95: { percentile: 'p95' } }, numRetries: 1 },
    { interceptors: [recorder.interceptor] },
  );
});
afterAll(async () => {
  await g?.close();
  await fake.stop();
});
afterEach(() => fake.reset());

describe('hedged requests', () => {
  it('no answer within the delay: a second deployment is tried, the faster answer wins, the slower is cancelled', async () => {
    fake.script('slowpoke', { latencyMs: 1500 });
    const started = Date.now();
    const r = await chat(g, { model: 'hedged' });
    expect(r.status).toBe(200);
    expect(r.json.choices[0].message.content).toContain('quick');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.headers.get('x-switchyard-attempts')).toBe('2');
    await until(() => fake.aborts.some((a) => a.model === 'slowpoke'));
    const attempts = recorder.last();
    expect(attempts.map((a) => [a.deployment, !!a.answered, !!a.cancelled, !!a.hedge])).toEqual([
      ['hedged@slowpoke', false, true, false],
      ['hedged@quick', true, false, true],
    ]);
    expect(attempts[0]?.error).toBeUndefined();
  });

  it('streams race on the first token', async () => {
    fake.script('slowpoke', { firstTokenDelayMs: 1500, text: 'slow words' });
    fake.script('quick', { text: 'fast words' });
    const r = await chat(g, { model: 'hedged', stream: true });
    expect(sseData(r.text).map((c) => c.choices?.[0]?.delta?.content ?? '').join('')).toBe('fast words');
    await until(() => fake.aborts.some((a) => a.model === 'slowpoke'));
  });

  it('a first attempt that answers within the delay is never hedged', async () => {
    const r = await chat(g, { model: 'hedged' });
    expect(r.headers.get('x-switchyard-attempts')).toBe('1');
    await new Promise((res) => setTimeout(res, 100));
    expect(hits(fake, 'quick')).toBe(0);
  });

  it('"p95": once the group has samples, a request slower than its p95 time to first token is hedged', async () => {
    // Until the group has 10 samples there is no p95, so nothing is hedged. After that, any request
    // slower than the p95 may be hedged by design (about 1 in 20 under jitter), so the last two
    // warm-up requests only add samples.
    for (let i = 0; i < 12; i++) {
      const res = await chat(g, { model: 'p95' });
      if (i < 10) expect(res.headers.get('x-switchyard-attempts')).toBe('1');
    }
    fake.script('usual', { latencyMs: 1500 });
    const r = await chat(g, { model: 'p95' });
    expect(r.json.choices[0].message.content).toContain('spare');
    expect(r.headers.get('x-switchyard-attempts')).toBe('2');
  });

  // Timing under a saturated 2-core CI box can miss once; a real regression misses every try.
  it('a client abort cancels both hedged attempts within 100 ms', { retry: 2 }, async () => {
    fake.script('slowpoke', { hang: true });
    fake.script('quick', { hang: true });
    const controller = new AbortController();
    const pending = chat(g, { model: 'hedged' }, {}, controller.signal).catch(() => undefined);
    await until(() => hits(fake, 'quick') === 1);
    const abortedAt = Date.now();
    controller.abort();
    await pending;
    // Only this pair: a cancelled loser of an earlier test may still be closing.
    const pair = () => fake.aborts.filter((a) => a.model === 'slowpoke' || a.model === 'quick');
    await until(() => pair().length === 2, 1000);
    for (const a of pair()) expect(a.at - abortedAt).toBeLessThan(100);
  });
});

describe('lowest-latency routing', () => {
  it('after warm-up, the faster deployment takes the traffic', async () => {
    fake.script('lat-slow', { latencyMs: 80 });
    const strategy = { 'x-switchyard-routing-strategy': 'lowest-latency' };
    for (let i = 0; i < 4; i++) await chat(g, { model: 'lat' }, strategy);
    expect(hits(fake, 'lat-slow')).toBeGreaterThanOrEqual(1);
    fake.reset();
    fake.script('lat-slow', { latencyMs: 80 });
    for (let i = 0; i < 10; i++) expect((await chat(g, { model: 'lat' }, strategy)).headers.get('x-switchyard-deployment')).toBe('lat@lat-fast');
    expect(hits(fake, 'lat-slow')).toBe(0);
  });
});
