import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryLimiterStore } from '../../src/limits/index.js';
import type { NewVirtualKey } from '../../src/store/index.js';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from '../e2e/harness.js';

/**
 * Rate limits through the real server: keys and teams from the store (and
 * the admin API), real HTTP and the official SDKs, the OpenAI fake behind.
 * The limiter's clock runs with real time plus an offset the tests can move
 * forward, so "after the window" needs no minute of waiting.
 */
describe('rate limits on the relay', () => {
  const fake = new FakeOpenAI();
  const clock = { offset: 0 };
  const limiter = new MemoryLimiterStore({ now: () => Date.now() + clock.offset });
  let gw: TestGateway;

  beforeAll(async () => {
    await fake.start();
    gw = await startTestGateway({
      deployments: [
        { publicModel: 'gpt', protocol: 'openai', baseUrl: `${fake.url}/v1`, model: 'gpt-up' },
        { publicModel: 'embed', protocol: 'openai', baseUrl: `${fake.url}/v1`, model: 'embed-up' },
      ],
      router: { numRetries: 0 },
      gatewayOptions: { limits: { store: limiter } },
    });
  });
  afterAll(async () => {
    await gw?.close();
    await fake.stop();
  });
  beforeEach(() => fake.reset());

  async function key(fields: NewVirtualKey) {
    const { store, directory } = gw.gateway.accounts;
    const created = await store.keys.create(fields);
    await directory.refreshKey(created.key.id);
    return { id: created.key.id, secret: created.secret };
  }

  function chat(secret: string, body: Record<string, unknown> = {}, signal?: AbortSignal) {
    return fetch(`${gw.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }], ...body }),
      ...(signal ? { signal } : {}),
    });
  }

  type ErrorBody = { error: { message: string; type: string; param: string | null; code: string } };

  it('a key with rpm 5 gets exactly 5 of 20 concurrent requests; the rest are 429 with retry-after and OpenAI error JSON, until the window passes', async () => {
    const { id, secret } = await key({ rpm: 5 });
    const replies = await Promise.all(Array.from({ length: 20 }, () => chat(secret)));
    const ok = replies.filter((r) => r.status === 200);
    const limited = replies.filter((r) => r.status === 429);
    expect(ok).toHaveLength(5);
    expect(limited).toHaveLength(15);
    expect(fake.requestsTo('/chat/completions')).toHaveLength(5);

    expect(ok.map((r) => r.headers.get('x-ratelimit-remaining-requests')).sort()).toEqual(['0', '1', '2', '3', '4']);
    for (const r of ok) {
      expect(r.headers.get('x-ratelimit-limit-requests')).toBe('5');
      expect(r.headers.get('x-ratelimit-reset-requests')).toMatch(/^(\d+(\.\d+)?s|1m0s)$/);
      expect(r.headers.get('x-ratelimit-limit-tokens')).toBeNull(); // no tpm on this key
    }
    for (const r of limited) {
      const retryAfter = Number(r.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(r.headers.get('x-ratelimit-remaining-requests')).toBe('0');
      const body = (await r.json()) as ErrorBody;
      expect(body).toEqual({ error: { message: expect.stringContaining('key rpm limit of 5 requests per minute'), type: 'rate_limit_error', param: null, code: 'rate_limited' } });
    }

    // The official client sees a RateLimitError it can back off from.
    const client = new OpenAI({ apiKey: secret, baseURL: gw.baseURL, maxRetries: 0 });
    const err = await client.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after-ms')).toMatch(/^\d+$/);

    // Limited before accounting: only the 5 served requests reached the ledger.
    await gw.gateway.accounts.ledger.flush();
    const rows = await gw.gateway.accounts.store.database.db.selectFrom('spend_logs').select('id').where('key_id', '=', id).execute();
    expect(rows).toHaveLength(5);

    clock.offset += 60_000;
    const again = await client.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(again.response.headers.get('x-ratelimit-remaining-requests')).toBe('4');
  });

  it('a team rpm is shared by every key of the team', async () => {
    const { store, directory } = gw.gateway.accounts;
    const team = await store.teams.create({ name: `limited-${Date.now()}`, rpm: 3 });
    await directory.refreshTeam(team.id);
    const a = await key({ teamId: team.id, rpm: 10 });
    const b = await key({ teamId: team.id });
    expect((await chat(a.secret)).status).toBe(200);
    expect((await chat(b.secret)).status).toBe(200);
    expect((await chat(a.secret)).status).toBe(200);
    for (const k of [a, b]) {
      const r = await chat(k.secret);
      expect(r.status).toBe(429);
      expect(((await r.json()) as ErrorBody).error.message).toContain('team rpm limit of 3 requests per minute');
    }
    expect(fake.requestsTo('/chat/completions')).toHaveLength(3);
  });

  it('tpm: the estimate is corrected to the upstream usage, and a request beyond the limit is refused', async () => {
    const admin = await fetch(`${gw.url}/key/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tpm_limit: 1000, rpm_limit: 100, max_parallel_requests: 4 }),
    });
    expect(admin.status).toBe(200);
    const { key: secret } = (await admin.json()) as { key: string };

    // Charged ~600 up front; the upstream reports 900, so 900 stay in the window.
    fake.script('gpt-up', { text: 'long answer', usage: { input: 500, output: 400 } });
    const first = await chat(secret, { max_tokens: 600 });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-tokens')).toBe('1000');
    expect(Number(first.headers.get('x-ratelimit-remaining-tokens'))).toBeLessThan(400);

    // 200 more would have fitted beside the 600 estimate, not beside the 900 actually used.
    const second = await chat(secret, { max_tokens: 200 });
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await second.json()) as ErrorBody).error.message).toMatch(/key tpm limit of 1000 tokens per minute \(900 used, this request needs 2\d\d\)/);

    // Larger than the whole limit: no wait helps, so no retry-after.
    clock.offset += 60_000;
    const huge = await chat(secret, { max_tokens: 5000 });
    expect(huge.status).toBe(429);
    expect(huge.headers.get('retry-after')).toBeNull();
    expect(((await huge.json()) as ErrorBody).error.message).toContain('key tpm limit of 1000 tokens per minute is smaller than this request');
    expect(fake.requestsTo('/chat/completions')).toHaveLength(1);
  });

  it('max_parallel 2 with a slow upstream: never more than 2 in flight at the fake, the third is refused, slots come back (also on abort)', async () => {
    const LATENCY = 200;
    const { id, secret } = await key({ maxParallel: 2 });
    fake.script('gpt-up', { latencyMs: LATENCY });
    const three = await Promise.all([chat(secret), chat(secret), chat(secret)]);
    expect(three.map((r) => r.status).sort()).toEqual([200, 200, 429]);
    const refused = three.find((r) => r.status === 429)!;
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as ErrorBody).error.message).toContain('key parallel limit of 2 requests in flight');

    // Six callers that retry on 429 until each is served.
    fake.reset();
    fake.script('gpt-up', { latencyMs: LATENCY });
    let refusals = 0;
    const worker = async () => {
      for (;;) {
        const r = await chat(secret);
        if (r.status === 200) return;
        expect(r.status).toBe(429);
        refusals++;
        await new Promise((res) => setTimeout(res, 20));
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    expect(refusals).toBeGreaterThan(0);
    const arrivals = fake.requestsTo('/chat/completions').map((r) => r.receivedAt).sort((x, y) => x - y);
    expect(arrivals).toHaveLength(6);
    // Each request holds the fake for at least LATENCY ms, so a third one at once would arrive within LATENCY of the one two before it.
    for (let i = 2; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 2]!).toBeGreaterThanOrEqual(LATENCY - 2);
    expect(limiter.inFlight(`key:${id}`)).toBe(0);

    // A client that gives up still frees its slot.
    fake.script('gpt-up', { hang: true });
    const abort = new AbortController();
    const pending = chat(secret, {}, abort.signal).catch((e: unknown) => e);
    for (let i = 0; i < 100 && fake.requestsTo('/chat/completions').length < 7; i++) await new Promise((res) => setTimeout(res, 10));
    expect(limiter.inFlight(`key:${id}`)).toBe(1);
    abort.abort();
    await pending;
    for (let i = 0; i < 200 && limiter.inFlight(`key:${id}`) > 0; i++) await new Promise((res) => setTimeout(res, 10));
    expect(limiter.inFlight(`key:${id}`)).toBe(0);
  });

  it('applies on /v1/messages and /v1/embeddings too: one counter per key across endpoints', async () => {
    const { secret } = await key({ rpm: 2 });
    const anthropic = new Anthropic({ apiKey: secret, baseURL: gw.url, maxRetries: 0 });
    const openai = new OpenAI({ apiKey: secret, baseURL: gw.baseURL, maxRetries: 0 });
    const msg = await anthropic.messages.create({ model: 'gpt', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(msg.response.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    const emb = await openai.embeddings.create({ model: 'embed', input: 'hello' }).withResponse();
    expect(emb.response.headers.get('x-ratelimit-remaining-requests')).toBe('0');

    const msgErr = await anthropic.messages.create({ model: 'gpt', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(msgErr).toBeInstanceOf(Anthropic.RateLimitError);
    expect((msgErr as InstanceType<typeof Anthropic.RateLimitError>).headers?.get('retry-after')).toMatch(/^\d+$/);
    expect((msgErr as Error).message).toContain('key rpm limit of 2');
    const embErr = await openai.embeddings.create({ model: 'embed', input: 'hello' }).catch((e: unknown) => e);
    expect(embErr).toBeInstanceOf(OpenAI.RateLimitError);
    expect(fake.requests).toHaveLength(2);
  });

  it('a limit changed through the admin API applies to the next request', async () => {
    const { id, secret } = await key({ rpm: 1 });
    expect((await chat(secret)).status).toBe(200);
    expect((await chat(secret)).status).toBe(429);
    const upd = await fetch(`${gw.url}/key/update`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key: (await gw.gateway.accounts.store.keys.get(id))!.keyHash, rpm_limit: 3 }),
    });
    expect(upd.status).toBe(200);
    const r = await chat(secret);
    expect(r.status).toBe(200);
    expect(r.headers.get('x-ratelimit-remaining-requests')).toBe('1');
  });

  it('never limits the master key', async () => {
    const replies = await Promise.all(Array.from({ length: 10 }, () => chat(TEST_MASTER_KEY)));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect(replies[0]!.headers.get('x-ratelimit-limit-requests')).toBeNull();
  });
});
