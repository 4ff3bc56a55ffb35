import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminGateway, userSession, type Api } from './admin-client.js';

/** CRUD through the HTTP API for users, teams and keys, with the audit trail and no secret ever shown twice. */
let g: Awaited<ReturnType<typeof startAdminGateway>>;
let api: Api;
const secrets: string[] = [];

beforeAll(async () => {
  g = await startAdminGateway();
  api = g.api;
});
afterAll(async () => {
  await g?.close();
});

describe('users', () => {
  it('create, read, update, disable/enable, role, password, delete', async () => {
    const created = await api('POST', '/admin/users', { body: { username: 'ursula', email: 'Ursula@Example.com', role: 'member', password: 'first-password-1', max_budget: 12.5, budget_duration: '30d' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'ursula', email: 'ursula@example.com', role: 'member', max_budget: 12.5, budget_duration: '30d', has_password: true, disabled: false });
    expect(created.body.budget_reset_at).toEqual(expect.any(String));
    expect(JSON.stringify(created.body)).not.toContain('first-password-1');
    const id = created.body.id as string;

    expect((await api('POST', '/admin/users', { body: { username: 'ursula' } })).status).toBe(409);
    const badEmail = await api('POST', '/admin/users', { body: { username: 'x1', email: 'not-an-email' } });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.error.param).toBe('email');
    const shortPw = await api('POST', '/admin/users', { body: { username: 'x2', password: 'short' } });
    expect(shortPw.body.error.param).toBe('password');

    const patched = await api('PATCH', `/admin/users/${id}`, { body: { role: 'viewer', display_name: 'Ursula K.' } });
    expect(patched.body).toMatchObject({ role: 'viewer', display_name: 'Ursula K.' });

    // Sign in works, then disabling signs her out at once and refuses sign-in.
    const login = await api('POST', '/admin/auth/login', { token: null, body: { username: 'ursula@example.com', password: 'first-password-1' } });
    expect(login.status).toBe(200);
    expect((await api('GET', '/admin/auth/me', { token: login.body.token })).body).toMatchObject({ kind: 'user-session', role: 'viewer', user_id: id });
    expect((await api('POST', `/admin/users/${id}/disable`)).body.disabled).toBe(true);
    expect((await api('GET', '/admin/auth/me', { token: login.body.token })).status).toBe(401);
    expect((await api('POST', '/admin/auth/login', { token: null, body: { username: 'ursula', password: 'first-password-1' } })).status).toBe(401);
    expect((await api('POST', `/admin/users/${id}/enable`)).body.disabled).toBe(false);

    expect((await api('PUT', `/admin/users/${id}/password`, { body: { password: 'second-password-2' } })).status).toBe(200);
    expect((await api('POST', '/admin/auth/login', { token: null, body: { username: 'ursula', password: 'first-password-1' } })).status).toBe(401);
    expect((await api('POST', '/admin/auth/login', { token: null, body: { username: 'ursula', password: 'second-password-2' } })).status).toBe(200);

    const list = await api('GET', '/admin/users?search=ursula');
    expect(list.body.data.map((u: { id: string }) => u.id)).toEqual([id]);
    expect((await api('DELETE', `/admin/users/${id}`)).status).toBe(200);
    expect((await api('GET', `/admin/users/${id}`)).status).toBe(404);
  });

  it('members read only themselves and change their own password with the current one', async () => {
    const me = await userSession(api, 'mona', 'member');
    const other = await api('POST', '/admin/users', { body: { username: 'otto' } });
    expect((await api('GET', `/admin/users/${me.id}`, { token: me.token })).status).toBe(200);
    expect((await api('GET', `/admin/users/${other.body.id}`, { token: me.token })).status).toBe(404);
    const wrong = await api('PUT', `/admin/users/${me.id}/password`, { token: me.token, body: { password: 'new-password-123', current_password: 'nope-nope-nope' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.param).toBe('current_password');
    const ok = await api('PUT', `/admin/users/${me.id}/password`, { token: me.token, body: { password: 'new-password-123', current_password: 'pw-mona-0123456789' } });
    expect(ok.status).toBe(200);
    // Changing the password signs out everywhere, this session included.
    expect((await api('GET', '/admin/auth/me', { token: me.token })).status).toBe(401);
  });
});

describe('teams', () => {
  it('create with budget, models and an exact price multiplier; members; update; delete', async () => {
    const t = await api('POST', '/admin/teams', { body: { name: 'research', max_budget: '100.000000001', models: ['chat-a'], price_multiplier: '1.25', rpm_limit: 60 } });
    expect(t.status).toBe(201);
    expect(t.body).toMatchObject({ name: 'research', max_budget: 100.000000001, models: ['chat-a'], price_multiplier: 1.25, rpm_limit: 60 });
    const tooFine = await api('POST', '/admin/teams', { body: { name: 'x', price_multiplier: 1.0000001 } });
    expect(tooFine.status).toBe(400);
    expect(tooFine.body.error.param).toBe('price_multiplier');
    expect((await api('POST', '/admin/teams', { body: { name: 'research' } })).status).toBe(409);

    const u = await api('POST', '/admin/users', { body: { username: 'tess' } });
    expect((await api('PUT', `/admin/teams/${t.body.id}/members/${u.body.id}`, { body: { role: 'admin' } })).body).toMatchObject({ role: 'admin', user_id: u.body.id });
    expect((await api('PUT', `/admin/teams/${t.body.id}/members/usr_nobody`, { body: {} })).status).toBe(404);
    expect((await api('GET', `/admin/teams/${t.body.id}`)).body.members).toHaveLength(1);
    expect((await api('GET', `/admin/users/${u.body.id}`)).body.teams).toEqual([{ id: t.body.id, name: 'research' }]);

    const up = await api('PATCH', `/admin/teams/${t.body.id}`, { body: { price_multiplier: 2, models: [], disabled: true } });
    expect(up.body).toMatchObject({ price_multiplier: 2, models: [], disabled: true });
    expect(g.gateway.accounts.directory.team(t.body.id)?.priceMultiplierPpm).toBe(2_000_000);

    expect((await api('DELETE', `/admin/teams/${t.body.id}/members/${u.body.id}`)).status).toBe(200);
    expect((await api('DELETE', `/admin/teams/${t.body.id}`)).status).toBe(200);
    expect((await api('GET', `/admin/teams/${t.body.id}`)).status).toBe(404);
  });
});

describe('virtual keys', () => {
  it('shows the secret once; list/get show only the prefix; update; block; rotate; delete', async () => {
    const created = await api('POST', '/admin/keys', { body: { key_alias: 'ci', models: ['chat-a'], max_budget: 5, soft_budget: 4, budget_duration: '1d', rpm_limit: 10, tpm_limit: 1000, max_parallel_requests: 2, duration: '7d', allowed_ips: ['127.0.0.1', '10.0.0.0/8'], metadata: { env: 'ci' }, tags: ['ci'] } });
    expect(created.status).toBe(201);
    const secret = created.body.key as string;
    secrets.push(secret);
    expect(secret).toMatch(/^sk-sy-/);
    expect(created.body).toMatchObject({ key_alias: 'ci', models: ['chat-a'], max_budget: 5, soft_budget: 4, rpm_limit: 10, tpm_limit: 1000, max_parallel_requests: 2, tags: ['ci'] });
    const day = 86_400_000;
    expect(Date.parse(created.body.budget_reset_at) - Date.now()).toBeGreaterThan(day - 60_000);
    expect(Date.parse(created.body.expires) - Date.now()).toBeGreaterThan(7 * day - 60_000);
    const id = created.body.id as string;

    const got = await api('GET', `/admin/keys/${id}`);
    expect(got.body.key_prefix).toBe(created.body.key_prefix);
    expect(got.body.key).toBeUndefined();
    const list = await api('GET', '/admin/keys?key_alias=ci');
    expect(list.body.data).toHaveLength(1);

    expect((await api('POST', '/admin/keys', { body: { allowed_ips: ['10.0.0.0/33'] } })).body.error.param).toBe('allowed_ips[0]');
    expect((await api('POST', '/admin/keys', { body: { budget_duration: 'monthly' } })).body.error.param).toBe('budget_duration');
    expect((await api('POST', '/admin/keys', { body: { max_budget: 0.0000000001 } })).body.error.param).toBe('max_budget');

    const models = async (key: string) => (await fetch(`${g.baseURL}/models`, { headers: { authorization: `Bearer ${key}` } })).status;
    expect(await models(secret)).toBe(200);
    expect((await api('PATCH', `/admin/keys/${id}`, { body: { max_budget: null, tags: ['ci', 'nightly'] } })).body).toMatchObject({ max_budget: null, tags: ['ci', 'nightly'] });
    expect((await api('POST', `/admin/keys/${id}/block`)).body.blocked).toBe(true);
    expect(await models(secret)).toBe(403);
    expect((await api('POST', `/admin/keys/${id}/unblock`)).body.blocked).toBe(false);
    expect(await models(secret)).toBe(200);

    const rotated = await api('POST', `/admin/keys/${id}/regenerate`);
    secrets.push(rotated.body.key);
    expect(rotated.body.key).not.toBe(secret);
    expect(rotated.body.id).toBe(id);
    expect(await models(secret)).toBe(401);
    expect(await models(rotated.body.key)).toBe(200);

    expect((await api('DELETE', `/admin/keys/${id}`)).status).toBe(200);
    expect(await models(rotated.body.key)).toBe(401);
  });

  it('members create keys only for themselves, in their own teams, within their own budget', async () => {
    const me = await userSession(api, 'kim', 'member');
    await api('PATCH', `/admin/users/${me.id}`, { body: { max_budget: 10 } });
    const team = await api('POST', '/admin/teams', { body: { name: 'kims-team' } });
    const notMine = await api('POST', '/admin/teams', { body: { name: 'not-kims' } });
    await api('PUT', `/admin/teams/${team.body.id}/members/${me.id}`, { body: {} });

    expect((await api('POST', '/admin/keys', { token: me.token, body: { max_budget: 11 } })).status).toBe(403);
    expect((await api('POST', '/admin/keys', { token: me.token, body: { max_budget: 5, team_id: notMine.body.id } })).status).toBe(403);
    expect((await api('POST', '/admin/keys', { token: me.token, body: { max_budget: 5, user_id: 'usr_someone_else' } })).status).toBe(403);
    const mine = await api('POST', '/admin/keys', { token: me.token, body: { max_budget: 5, team_id: team.body.id } });
    expect(mine.status).toBe(201);
    secrets.push(mine.body.key);
    expect(mine.body.user_id).toBe(me.id);

    const other = await api('POST', '/admin/keys', { body: { key_alias: 'admins-own' } });
    secrets.push(other.body.key);
    const seen = await api('GET', '/admin/keys', { token: me.token });
    expect(seen.body.data.map((k: { id: string }) => k.id)).toEqual([mine.body.id]);
    expect((await api('GET', `/admin/keys/${other.body.id}`, { token: me.token })).status).toBe(404);
    expect((await api('DELETE', `/admin/keys/${other.body.id}`, { token: me.token })).status).toBe(404);
    const rotated = await api('POST', `/admin/keys/${mine.body.id}/regenerate`, { token: me.token });
    expect(rotated.status).toBe(200);
    secrets.push(rotated.body.key);
    expect((await api('DELETE', `/admin/keys/${mine.body.id}`, { token: me.token })).status).toBe(200);
  });
});

describe('audit log', () => {
  it('records every write with actor, action, entity and before/after, and never a secret', async () => {
    const admin = await userSession(api, 'auditor', 'admin');
    const k = await api('POST', '/admin/keys', { token: admin.token, body: { key_alias: 'audited' } });
    secrets.push(k.body.key);
    await api('PATCH', `/admin/keys/${k.body.id}`, { token: admin.token, body: { key_alias: 'audited-2' } });
    const entries = await api('GET', `/admin/audit?entity_type=key&entity_id=${k.body.id}`);
    expect(entries.body.data.map((e: { action: string }) => e.action)).toEqual(['key.update', 'key.create']);
    const [update] = entries.body.data;
    expect(update).toMatchObject({ actor: admin.id, entity_type: 'key', entity_id: k.body.id });
    expect(update.before.key_alias).toBe('audited');
    expect(update.after.key_alias).toBe('audited-2');

    const all = await api('GET', '/admin/audit?limit=1000');
    const actions = new Set(all.body.data.map((e: { action: string }) => e.action));
    for (const a of ['user.create', 'user.update', 'user.disable', 'user.enable', 'user.set_password', 'user.delete', 'team.create', 'team.update', 'team.member_add', 'team.member_remove', 'team.delete', 'key.create', 'key.block', 'key.unblock', 'key.regenerate', 'key.delete']) {
      expect(actions, a).toContain(a);
    }
    const text = JSON.stringify(all.body);
    for (const s of secrets) expect(text).not.toContain(s);
    expect(text).not.toContain('second-password-2');
  });

  it('no list or read response carries a key secret', async () => {
    const reads = ['/admin/keys?limit=1000', '/admin/users?limit=1000', '/admin/teams', '/key/list?return_full_object=true&size=1000', '/admin/audit?limit=1000'];
    for (const path of reads) {
      const r = await api('GET', path);
      expect(r.status, path).toBe(200);
      for (const s of secrets) expect(r.text, path).not.toContain(s);
    }
  });
});
