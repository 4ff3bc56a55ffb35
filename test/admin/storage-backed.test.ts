import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { testDatabaseTarget, withTestDatabase, type TestDatabase, type TestDatabaseKind } from '../store/test-databases.js';
import { startAdminGateway, userSession } from './admin-client.js';

/**
 * One admin flow that touches every store the admin API writes — users,
 * teams, keys, channels (encrypted keys), credits, codes, ledger, audit —
 * on PostgreSQL and MariaDB. Skipped with a warning where the service is
 * missing, required in CI.
 */
for (const kind of ['postgres', 'mysql'] as TestDatabaseKind[]) {
  const target = await testDatabaseTarget(kind);
  if (!target.available) {
    if (target.required) {
      describe(`admin flow [${kind}]`, () => {
        it('needs its database service (SWITCHYARD_REQUIRE_SERVICES=1)', () => {
          throw new Error(`Required ${kind} is not available: ${target.reason}`);
        });
      });
    } else {
      console.warn(`[skip] admin flow [${kind}]: ${target.reason}`);
      describe.skip(`admin flow [${kind}]`, () => it('skipped', () => {}));
    }
    continue;
  }

  describe(`admin flow [${kind}]`, () => {
    const fake = new FakeOpenAI();
    let db: TestDatabase;
    let g: Awaited<ReturnType<typeof startAdminGateway>>;

    beforeAll(async () => {
      await fake.start();
      fake.script('gpt-4o-mini', { usage: { input: 40, output: 20 } });
      db = await withTestDatabase(kind, target.serverUrl);
      g = await startAdminGateway({ config: { databaseUrl: db.url } });
    });
    afterAll(async () => {
      await g?.close();
      await db?.dispose();
      await fake.stop();
    });

    it('users, teams, channels, keys, spend, credits and audit', async () => {
      const { api } = g;
      const team = await api('POST', '/admin/teams', { body: { name: 'db-team', price_multiplier: '1.5' } });
      expect(team.status).toBe(201);
      const member = await userSession(api, 'db-member', 'member');
      expect((await api('PUT', `/admin/teams/${team.body.id}/members/${member.id}`, { body: {} })).status).toBe(200);
      expect((await api('POST', '/admin/users', { body: { username: 'db-member' } })).status).toBe(409);

      const channel = await api('POST', '/admin/channels', { body: { name: 'db-channel', provider: 'openai', base_url: `${fake.url}/v1`, models: ['db-model'], model_mapping: { 'db-model': 'gpt-4o-mini' }, keys: ['sk-upstream-db-channel-7777'] } });
      expect(channel.status).toBe(201);
      expect(channel.body.keys[0].hint).toBe('…7777');
      await api('PUT', '/admin/prices', { body: { provider: 'openai', model: 'gpt-4o-mini', input_per_mtok: 1, output_per_mtok: 2 } });

      const key = await api('POST', '/admin/keys', { token: member.token, body: { team_id: team.body.id, models: ['db-model'] } });
      expect(key.status).toBe(201);
      const client = new OpenAI({ apiKey: key.body.key, baseURL: g.baseURL, maxRetries: 0 });
      await client.chat.completions.create({ model: 'db-model', messages: [{ role: 'user', content: 'hi' }] });
      expect(fake.lastRequest()?.headers['authorization']).toBe('Bearer sk-upstream-db-channel-7777');

      // (40 × $1/M + 20 × $2/M) × 1.5 = $0.00012
      const read = await api('GET', `/admin/keys/${key.body.id}`, { token: member.token });
      expect(read.body.spend).toBe(0.00012);
      const info = await api('GET', `/key/info?key=${encodeURIComponent(key.body.key)}`);
      expect(info.body.info.spend).toBe(0.00012);
      const csv = await api('GET', '/admin/spend/logs?format=csv');
      expect(csv.text.trim().split('\r\n')).toHaveLength(2);
      expect(csv.text).toContain('0.00012');

      const user = (await api('POST', `/admin/users/${member.id}/credits`, { body: { amount: 3, action: 'topup' } })).body;
      expect(user.balance).toBe(3);
      const code = await api('POST', '/admin/redemption-codes', { body: { amount: 1.25 } });
      expect((await api('POST', '/admin/credits/redeem', { token: member.token, body: { code: code.body.code } })).body.balance).toBe(4.25);

      const audit = await api('GET', '/admin/audit?limit=1000');
      const actions = audit.body.data.map((e: { action: string }) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['team.create', 'user.create', 'team.member_add', 'channel.create', 'price.upsert', 'key.create', 'credits.topup', 'redemption_code.create', 'credits.redeem']));
      for (const secret of [key.body.key, 'sk-upstream-db-channel-7777', code.body.code]) expect(audit.text).not.toContain(secret);

      expect((await api('DELETE', `/admin/keys/${key.body.id}`, { token: member.token })).status).toBe(200);
      await expect(client.chat.completions.create({ model: 'db-model', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 401 });
    });
  });
}
