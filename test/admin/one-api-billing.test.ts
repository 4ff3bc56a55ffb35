import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { startAdminGateway } from './admin-client.js';

/**
 * What chat front ends (NextChat, LobeChat …) do to show a key's balance:
 * the same base URL and key as their OpenAI client, then GET the old
 * billing routes with fetch.
 */
const fake = new FakeOpenAI();
let g: Awaited<ReturnType<typeof startAdminGateway>>;

beforeAll(async () => {
  await fake.start();
  fake.script('gpt-4o-mini', { usage: { input: 1000, output: 1000 } });
  g = await startAdminGateway({ deployments: [{ publicModel: 'gpt-4o-mini', protocol: 'openai', target: { provider: 'openai', baseUrl: `${fake.url}/v1`, model: 'gpt-4o-mini', apiKey: 'sk-upstream', auth: { kind: 'bearer' } } }] });
  await g.api('PUT', '/admin/prices', { body: { provider: 'openai', model: 'gpt-4o-mini', input_per_mtok: 5, output_per_mtok: 15 } });
});
afterAll(async () => {
  await g?.close();
  await fake.stop();
});

async function billing(baseURL: string, key: string) {
  const headers = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };
  const sub = await fetch(`${baseURL}/dashboard/billing/subscription`, { headers });
  const now = new Date();
  const start = new Date(now.getTime() - 90 * 86_400_000).toISOString().slice(0, 10);
  const end = new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
  const usage = await fetch(`${baseURL}/dashboard/billing/usage?start_date=${start}&end_date=${end}`, { headers });
  return { sub: (await sub.json()) as Record<string, unknown>, subStatus: sub.status, usage: (await usage.json()) as { object: string; total_usage: number }, usageStatus: usage.status };
}

describe('One-API billing routes', () => {
  it('show a key’s hard limit and its usage in cents, under /v1 and without it', async () => {
    const created = await g.api('POST', '/admin/keys', { body: { max_budget: 2.5, duration: '30d' } });
    const key = created.body.key as string;
    const client = new OpenAI({ apiKey: key, baseURL: g.baseURL, maxRetries: 0 });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    // 1000 × $5/M + 1000 × $15/M = $0.02 = 2 cents.
    for (const base of [g.baseURL, g.url]) {
      const b = await billing(base, key);
      expect(b.subStatus).toBe(200);
      expect(b.sub).toMatchObject({ object: 'billing_subscription', has_payment_method: true, hard_limit_usd: 2.5, soft_limit_usd: 2.5, system_hard_limit_usd: 2.5 });
      expect(b.sub['access_until']).toBe(Math.floor(Date.parse(created.body.expires) / 1000));
      expect(b.usage).toEqual({ object: 'list', total_usage: 2 });
    }
    const plain = await fetch(`${g.baseURL}/dashboard/billing/usage`, { headers: { Authorization: `Bearer ${key}` } });
    expect(await plain.json()).toEqual({ object: 'list', total_usage: 2 });
  });

  it('a key of a prepaid user shows the balance plus what was used', async () => {
    const user = await g.api('POST', '/admin/users', { body: { username: 'prepaid-paula' } });
    expect((await g.api('POST', `/admin/users/${user.body.id}/credits`, { body: { amount: 5, action: 'topup', reason: 'invoice 42' } })).body.balance).toBe(5);
    const key = (await g.api('POST', '/admin/keys', { body: { user_id: user.body.id } })).body.key as string;
    const b = await billing(g.baseURL, key);
    expect(b.sub).toMatchObject({ hard_limit_usd: 5, access_until: 0 });
  });

  it('a key without limits reads as unlimited, and a bad key gets 401', async () => {
    const key = (await g.api('POST', '/admin/keys', { body: {} })).body.key as string;
    expect((await billing(g.baseURL, key)).sub['hard_limit_usd']).toBe(100_000_000);
    expect((await fetch(`${g.baseURL}/dashboard/billing/subscription`, { headers: { Authorization: 'Bearer sk-nope-nope-nope' } })).status).toBe(401);
  });
});
