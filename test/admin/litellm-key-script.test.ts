import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { startAdminGateway } from './admin-client.js';

/**
 * Exactly the calls a LiteLLM user's key-management script makes, with
 * plain fetch and LiteLLM's own field names: generate a key limited to one
 * model with a budget, use it, read its spend, delete it, see it refused.
 */
const fake = new FakeOpenAI();
let g: Awaited<ReturnType<typeof startAdminGateway>>;
let BASE = '';
const MASTER = { Authorization: 'Bearer sk-test-master-0123456789', 'Content-Type': 'application/json' };

beforeAll(async () => {
  await fake.start();
  fake.script('gpt-4o-mini', { usage: { input: 12, output: 8 } });
  g = await startAdminGateway({
    deployments: [
      { publicModel: 'gpt-4o-mini', protocol: 'openai', target: { provider: 'openai', baseUrl: `${fake.url}/v1`, model: 'gpt-4o-mini', apiKey: 'sk-upstream', auth: { kind: 'bearer' } } },
      { publicModel: 'other-model', protocol: 'openai', target: { provider: 'openai', baseUrl: `${fake.url}/v1`, model: 'gpt-4o-mini', apiKey: 'sk-upstream', auth: { kind: 'bearer' } } },
    ],
  });
  BASE = g.url;
  const price = await g.api('PUT', '/admin/prices', { body: { provider: 'openai', model: 'gpt-4o-mini', input_per_mtok: 2.5, output_per_mtok: 10 } });
  expect(price.status).toBe(200);
});
afterAll(async () => {
  await g?.close();
  await fake.stop();
});

describe('a LiteLLM key-management script', () => {
  it('generate → use → /key/info spend → /key/delete → refused', async () => {
    // 1. /key/generate, limited to one model, with a budget
    const gen = await fetch(`${BASE}/key/generate`, { method: 'POST', headers: MASTER, body: JSON.stringify({ models: ['gpt-4o-mini'], max_budget: 10, budget_duration: '30d', duration: '1h', key_alias: 'script-key', metadata: { team: 'core' }, tpm_limit: 1000, rpm_limit: 10 }) });
    expect(gen.status).toBe(200);
    const generated = (await gen.json()) as { key: string; key_name: string; expires: string; token: string; models: string[]; max_budget: number; key_alias: string };
    expect(generated.key).toMatch(/^sk-/);
    expect(generated.token).toMatch(/^[0-9a-f]{64}$/);
    expect(generated).toMatchObject({ models: ['gpt-4o-mini'], max_budget: 10, key_alias: 'script-key' });
    expect(Date.parse(generated.expires)).toBeGreaterThan(Date.now());

    // 2. use the key for a chat completion (as the script's OpenAI client would)
    const chat = await fetch(`${BASE}/v1/chat/completions`, { method: 'POST', headers: { Authorization: `Bearer ${generated.key}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] }) });
    expect(chat.status).toBe(200);
    const other = await fetch(`${BASE}/v1/chat/completions`, { method: 'POST', headers: { Authorization: `Bearer ${generated.key}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ model: 'other-model', messages: [{ role: 'user', content: 'hello' }] }) });
    expect(other.status).toBe(403);

    // 3. read its spend via /key/info, by secret and by token
    const info = await fetch(`${BASE}/key/info?key=${encodeURIComponent(generated.key)}`, { headers: MASTER });
    expect(info.status).toBe(200);
    const body = (await info.json()) as { key: string; info: { spend: number; max_budget: number; models: string[]; key_alias: string; metadata: Record<string, unknown> } };
    // 12 × $2.5/M + 8 × $10/M = $0.00011
    expect(body.info.spend).toBeGreaterThan(0);
    expect(body.info.spend).toBe(0.00011);
    expect(body.info).toMatchObject({ max_budget: 10, models: ['gpt-4o-mini'], key_alias: 'script-key', metadata: { team: 'core' } });
    const ledger = await fetch(`${BASE}/spend/logs?api_key=${generated.token}`, { headers: MASTER });
    const rows = (await ledger.json()) as Array<{ spend: number; api_key: string; model_group: string; prompt_tokens: number; completion_tokens: number }>;
    expect(rows.filter((r) => r.model_group === 'gpt-4o-mini').reduce((s, r) => s + r.spend, 0)).toBe(body.info.spend);
    expect(rows[0]).toMatchObject({ api_key: generated.token, prompt_tokens: 12, completion_tokens: 8, call_type: 'acompletion' });
    const byToken = (await (await fetch(`${BASE}/key/info?key=${generated.token}`, { headers: MASTER })).json()) as { info: { spend: number } };
    expect(byToken.info.spend).toBe(body.info.spend);
    expect(JSON.stringify(byToken)).not.toContain(generated.key);

    // 4. /key/delete
    const del = await fetch(`${BASE}/key/delete`, { method: 'POST', headers: MASTER, body: JSON.stringify({ keys: [generated.key] }) });
    expect(del.status).toBe(200);
    expect(((await del.json()) as { deleted_keys: string[] }).deleted_keys).toEqual([generated.token]);

    // 5. the key is rejected
    const after = await fetch(`${BASE}/v1/chat/completions`, { method: 'POST', headers: { Authorization: `Bearer ${generated.key}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] }) });
    expect(after.status).toBe(401);
    expect((await fetch(`${BASE}/key/info?key=${generated.token}`, { headers: MASTER })).status).toBe(404);
  });

  it('regenerate, update, list, users, teams and global spend keep LiteLLM’s shapes', async () => {
    const team = (await (await fetch(`${BASE}/team/new`, { method: 'POST', headers: MASTER, body: JSON.stringify({ team_alias: 'ml', models: ['gpt-4o-mini'], max_budget: 50 }) })).json()) as { team_id: string; team_alias: string };
    expect(team.team_alias).toBe('ml');
    const user = (await (await fetch(`${BASE}/user/new`, { method: 'POST', headers: MASTER, body: JSON.stringify({ user_email: 'ada@example.com', user_role: 'internal_user', max_budget: 20, teams: [team.team_id] }) })).json()) as { user_id: string; key: string; user_role: string };
    expect(user.key).toMatch(/^sk-/);
    expect(user.user_role).toBe('internal_user');
    const added = await fetch(`${BASE}/team/member_add`, { method: 'POST', headers: MASTER, body: JSON.stringify({ team_id: team.team_id, member: { user_email: 'ada@example.com', role: 'admin' } }) });
    expect(added.status).toBe(200);
    const teamInfo = (await (await fetch(`${BASE}/team/info?team_id=${team.team_id}`, { headers: MASTER })).json()) as { team_info: { members_with_roles: unknown[] } };
    expect(teamInfo.team_info.members_with_roles).toEqual([{ user_id: user.user_id, role: 'admin' }]);
    const updatedTeam = await fetch(`${BASE}/team/update`, { method: 'POST', headers: MASTER, body: JSON.stringify({ team_id: team.team_id, max_budget: 75 }) });
    expect(((await updatedTeam.json()) as { data: { max_budget: number } }).data.max_budget).toBe(75);

    const userInfo = (await (await fetch(`${BASE}/user/info?user_id=${user.user_id}`, { headers: MASTER })).json()) as { user_info: { user_email: string; max_budget: number }; keys: Array<{ token: string }>; teams: Array<{ team_id: string }> };
    expect(userInfo.user_info).toMatchObject({ user_email: 'ada@example.com', max_budget: 20 });
    expect(userInfo.keys).toHaveLength(1);
    expect(userInfo.teams.map((t) => t.team_id)).toEqual([team.team_id]);
    await fetch(`${BASE}/user/update`, { method: 'POST', headers: MASTER, body: JSON.stringify({ user_id: user.user_id, max_budget: 30 }) });

    const updated = await fetch(`${BASE}/key/update`, { method: 'POST', headers: MASTER, body: JSON.stringify({ key: user.key, key_alias: 'ada-key', max_budget: 3 }) });
    expect(((await updated.json()) as { key_alias: string; max_budget: number })).toMatchObject({ key_alias: 'ada-key', max_budget: 3 });
    const regen = (await (await fetch(`${BASE}/key/${encodeURIComponent(user.key)}/regenerate`, { method: 'POST', headers: MASTER, body: '{}' })).json()) as { key: string; key_alias: string };
    expect(regen.key).not.toBe(user.key);
    expect(regen.key_alias).toBe('ada-key');
    expect((await fetch(`${BASE}/v1/models`, { headers: { Authorization: `Bearer ${user.key}` } })).status).toBe(401);
    expect((await fetch(`${BASE}/v1/models`, { headers: { Authorization: `Bearer ${regen.key}` } })).status).toBe(200);

    const list = (await (await fetch(`${BASE}/key/list?user_id=${user.user_id}`, { headers: MASTER })).json()) as { keys: string[]; total_count: number };
    expect(list.total_count).toBe(1);
    expect(list.keys[0]).toMatch(/^[0-9a-f]{64}$/);

    const unsupported = await fetch(`${BASE}/key/generate`, { method: 'POST', headers: MASTER, body: JSON.stringify({ aliases: { a: 'b' } }) });
    expect(unsupported.status).toBe(400);
    expect(((await unsupported.json()) as { error: { param: string } }).error.param).toBe('aliases');
    const emptyDefaults = await fetch(`${BASE}/key/generate`, { method: 'POST', headers: MASTER, body: JSON.stringify({ aliases: {}, config: {}, permissions: {}, models: [] }) });
    expect(emptyDefaults.status).toBe(200);

    const global = (await (await fetch(`${BASE}/global/spend`, { headers: MASTER })).json()) as { spend: number; max_budget: number };
    expect(global.spend).toBeGreaterThan(0);
    expect(global).toHaveProperty('max_budget');
    const del = await fetch(`${BASE}/user/delete`, { method: 'POST', headers: MASTER, body: JSON.stringify({ user_ids: [user.user_id] }) });
    expect(del.status).toBe(200);
    expect((await fetch(`${BASE}/v1/models`, { headers: { Authorization: `Bearer ${regen.key}` } })).status).toBe(401);
  });

  it('spend logs with start_date and end_date come back per day', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const r = await fetch(`${BASE}/spend/logs?start_date=${today}&end_date=${today}`, { headers: MASTER });
    const days = (await r.json()) as Array<{ startTime: string; spend: number; models: Record<string, number> }>;
    expect(days).toHaveLength(1);
    expect(days[0]!.startTime).toBe(today);
    expect(days[0]!.models['gpt-4o-mini']).toBeGreaterThan(0);
  });
});
