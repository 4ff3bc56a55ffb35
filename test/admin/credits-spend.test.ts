import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { startAdminGateway, userSession, type Api } from './admin-client.js';

/** Credits, redemption codes, the spend ledger (filters, pages, CSV, daily) and retention. */
const fake = new FakeOpenAI();
let g: Awaited<ReturnType<typeof startAdminGateway>>;
let api: Api;

beforeAll(async () => {
  await fake.start();
  fake.script('gpt-4o-mini', { usage: { input: 100, output: 50 } });
  const target = { provider: 'openai', baseUrl: `${fake.url}/v1`, model: 'gpt-4o-mini', apiKey: 'sk-upstream', auth: { kind: 'bearer' as const } };
  g = await startAdminGateway({
    deployments: [
      { publicModel: 'chat-a', protocol: 'openai', target },
      { publicModel: 'chat-b', protocol: 'openai', target },
      { publicModel: 'embed-b', protocol: 'openai', target: { ...target, model: 'text-embedding-3-small' } },
    ],
  });
  api = g.api;
  await api('PUT', '/admin/prices', { body: { model: 'gpt-4o-mini', input_per_mtok: '1.1', output_per_mtok: '4.4' } });
});
afterAll(async () => {
  await g?.close();
  await fake.stop();
});

describe('credits', () => {
  it('top-up and deduct are atomic and logged; a deduction never goes below zero', async () => {
    const u = await api('POST', '/admin/users', { body: { username: 'carla' } });
    const id = u.body.id as string;
    expect((await api('POST', `/admin/users/${id}/credits`, { body: { amount: '10.000000001', action: 'topup', reason: 'welcome' } })).body.balance).toBe(10.000000001);
    expect((await api('POST', `/admin/users/${id}/credits`, { body: { amount: 4, action: 'deduct' } })).body.balance).toBe(6.000000001);
    const over = await api('POST', `/admin/users/${id}/credits`, { body: { amount: 7, action: 'deduct' } });
    expect(over.status).toBe(400);
    expect(over.body.error.param).toBe('amount');
    expect((await api('POST', `/admin/users/${id}/credits`, { body: { amount: 1, action: 'refund' } })).body.error.param).toBe('action');
    const txs = await api('GET', `/admin/users/${id}/credits`);
    expect(txs.body.balance).toBe(6.000000001);
    expect(txs.body.data.map((t: { kind: string; amount: number }) => [t.kind, t.amount])).toEqual([['deduction', -4], ['topup', 10.000000001]]);
  });

  it('a redemption code is shown once, redeemed once per user by the user themself', async () => {
    const code = await api('POST', '/admin/redemption-codes', { body: { amount: 2.5, max_uses: 2, label: 'promo' } });
    expect(code.status).toBe(201);
    const secret = code.body.code as string;
    const list = await api('GET', '/admin/redemption-codes');
    expect(list.text).not.toContain(secret);
    const a = await userSession(api, 'redeemer-a', 'member');
    const b = await userSession(api, 'redeemer-b', 'member');
    const c = await userSession(api, 'redeemer-c', 'member');
    expect((await api('POST', '/admin/credits/redeem', { token: a.token, body: { code: secret } })).body).toMatchObject({ amount: 2.5, balance: 2.5 });
    expect((await api('POST', '/admin/credits/redeem', { token: a.token, body: { code: secret } })).status).toBe(400);
    expect((await api('POST', '/admin/credits/redeem', { token: b.token, body: { code: secret } })).status).toBe(200);
    const usedUp = await api('POST', '/admin/credits/redeem', { token: c.token, body: { code: secret } });
    expect(usedUp.body.error.message).toContain('used up');
    expect((await api('POST', '/admin/credits/redeem', { token: c.token, body: { code: 'syr-does-not-exist' } })).status).toBe(404);
    // A member reads their own credits and nobody else's.
    expect((await api('GET', `/admin/users/${a.id}/credits`, { token: a.token })).body.balance).toBe(2.5);
    expect((await api('GET', `/admin/users/${b.id}/credits`, { token: a.token })).status).toBe(404);
  });
});

describe('spend ledger', () => {
  let keyA = '';
  let keyB = '';
  let member: { id: string; token: string };

  beforeAll(async () => {
    member = await userSession(api, 'spender', 'member');
    const a = await api('POST', '/admin/keys', { body: { user_id: member.id } });
    const b = await api('POST', '/admin/keys', { body: {} });
    keyA = a.body.id;
    keyB = b.body.id;
    const ca = new OpenAI({ apiKey: a.body.key, baseURL: g.baseURL, maxRetries: 0 });
    const cb = new OpenAI({ apiKey: b.body.key, baseURL: g.baseURL, maxRetries: 0 });
    for (let i = 0; i < 3; i++) await ca.chat.completions.create({ model: 'chat-a', messages: [{ role: 'user', content: `a${i}` }] });
    await cb.chat.completions.create({ model: 'chat-b', messages: [{ role: 'user', content: 'b' }] });
  });

  it('filters, pages and totals, right after the requests were served', async () => {
    const all = await api('GET', '/admin/spend/logs');
    expect(all.body.data.length).toBeGreaterThanOrEqual(4);
    expect(all.body.data.filter((r: { key_id: string }) => r.key_id === keyA).map((r: { endpoint: string }) => r.endpoint)).toEqual(['chat', 'chat', 'chat']);
    const mine = await api('GET', `/admin/spend/logs?key_id=${keyA}&limit=2`);
    expect(mine.body.data).toHaveLength(2);
    expect(mine.body.next_cursor).toEqual(expect.any(String));
    const rest = await api('GET', `/admin/spend/logs?key_id=${keyA}&limit=2&cursor=${mine.body.next_cursor}`);
    expect(rest.body.data).toHaveLength(1);
    expect(rest.body.next_cursor).toBeNull();
    expect((await api('GET', '/admin/spend/logs?model=chat-b')).body.data.map((r: { key_id: string }) => r.key_id)).toEqual([keyB]);
    expect((await api('GET', '/admin/spend/logs?status=error')).body.data).toEqual([]);
    expect((await api('GET', `/admin/spend/logs?start=${Date.now() + 60_000}`)).body.data).toEqual([]);
    expect((await api('GET', '/admin/spend/logs?status=bogus')).status).toBe(400);
    // 100 × $1.1/M + 50 × $4.4/M = $0.00033 a request.
    const totals = await api('GET', `/admin/spend/totals?key_id=${keyA}`);
    expect(totals.body).toMatchObject({ requests: 3, spend_exact: '0.00099', input_tokens: 300, output_tokens: 150 });
  });

  it('members see only their own spend', async () => {
    const seen = await api('GET', '/admin/spend/logs', { token: member.token });
    expect(new Set(seen.body.data.map((r: { key_id: string }) => r.key_id))).toEqual(new Set([keyA]));
    expect((await api('GET', `/admin/spend/logs?key_id=${keyB}`, { token: member.token })).status).toBe(404);
    expect((await api('GET', '/admin/spend/totals', { token: member.token })).body.requests).toBe(3);
    expect((await api('GET', '/admin/spend/daily?group_by=team', { token: member.token })).status).toBe(400);
  });

  it('exports CSV that parses back to the same rows', async () => {
    for (const [path, headers] of [['/admin/spend/logs?format=csv', {}], ['/admin/spend/logs', { accept: 'text/csv' }]] as const) {
      const r = await api('GET', path, { headers });
      expect(r.headers.get('content-type')).toContain('text/csv');
      const rows = parseCsv(r.text);
      const [header, ...data] = rows;
      expect(header).toContain('request_id');
      expect(header).toContain('cost_usd');
      const json = await api('GET', '/admin/spend/logs?limit=1000');
      expect(data).toHaveLength(json.body.data.length);
      const cost = header!.indexOf('cost_usd');
      const req = header!.indexOf('request_id');
      const byId = new Map(json.body.data.map((d: { request_id: string; spend_exact: string }) => [d.request_id, d.spend_exact]));
      for (const row of data) expect(row[cost]).toBe(byId.get(row[req]!));
    }
  });

  it('daily aggregates per key, user and model', async () => {
    const day = new Date().toISOString().slice(0, 10);
    const byKey = await api('GET', `/admin/spend/daily?group_by=key&id=${keyA}`);
    expect(byKey.body.data).toEqual([expect.objectContaining({ day, group_by: 'key', id: keyA, requests: 3, spend_exact: '0.00099' })]);
    const byModel = await api('GET', `/admin/spend/daily?group_by=model&from=${day}&to=${day}`);
    expect(byModel.body.data.map((r: { id: string }) => r.id).sort()).toEqual(['chat-a', 'chat-b']);
    const byUser = await api('GET', '/admin/spend/daily?group_by=user', { token: member.token });
    expect(byUser.body.data).toEqual([expect.objectContaining({ id: member.id, requests: 3 })]);
  });

  it('retention: a setting, and a sweep that deletes raw rows past it while daily aggregates stay', async () => {
    expect((await api('GET', '/admin/settings')).body).toEqual({ spend_log_retention_days: null });
    expect((await api('POST', '/admin/spend/retention-sweep')).body).toEqual({ deleted: 0, before: null });
    expect((await api('PATCH', '/admin/settings', { body: { spend_log_retention_days: 0 } })).status).toBe(400);
    expect((await api('PATCH', '/admin/settings', { body: { spend_log_retention_days: 30 } })).body).toEqual({ spend_log_retention_days: 30 });
    // Rows written "40 days ago" go; today's stay.
    await g.gateway.accounts.store.ledger.insertSpendLogs([{ requestId: 'old-row', publicModel: 'chat-a', costNanos: 5, status: 'success', createdAt: Date.now() - 40 * 86_400_000 }]);
    const swept = await api('POST', '/admin/spend/retention-sweep');
    expect(swept.body.deleted).toBe(1);
    expect((await api('GET', '/admin/spend/logs?limit=1000')).body.data.some((r: { request_id: string }) => r.request_id === 'old-row')).toBe(false);
    expect((await api('GET', '/admin/spend/daily?group_by=model&id=chat-a')).body.data).toHaveLength(2);
  });

  it('each row says which API served it; LiteLLM\'s spend logs name it as call_type', async () => {
    const b = await api('POST', '/admin/keys', { body: {} });
    await new OpenAI({ apiKey: b.body.key, baseURL: g.baseURL, maxRetries: 0 }).embeddings.create({ model: 'embed-b', input: 'hello' });
    const rows = (await api('GET', '/admin/spend/logs?model=embed-b')).body.data as Array<{ endpoint: string; request_id: string }>;
    expect(rows.map((r) => r.endpoint)).toEqual(['embeddings']);
    const litellm = (await api('GET', '/spend/logs')).body as Array<{ request_id: string; call_type: string }>;
    expect(litellm.find((r) => r.request_id === rows[0]!.request_id)?.call_type).toBe('aembedding');
    expect(new Set(litellm.filter((r) => r.request_id !== rows[0]!.request_id).map((r) => r.call_type))).toEqual(new Set(['acompletion']));
  });
});

/** RFC 4180: quoted cells, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}
