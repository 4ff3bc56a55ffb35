import { describe, expect, it } from 'vitest';
import { REDACTED, SETTING, StoreConflictError } from '../../src/store/index.js';
import { uniq, type StoreCaseContext } from './store-case-context.js';

export function channelAndSettingsCases(ctx: StoreCaseContext): void {
  describe('channels', () => {
    it('CRUD with JSON mapping, and provider keys encrypted at rest', async () => {
      const { channels } = ctx.store();
      const ch = await channels.create({
        name: uniq('openai-main'), provider: 'openai', baseUrl: 'https://api.example.test/v1', models: ['gpt-4o', 'gpt-4o-mini'],
        modelMapping: { 'gpt-4o': 'gpt-4o-2024-08-06' }, priority: 5, weight: 3, allowedTeams: ['t1'], config: { organization: 'org-1' },
      });
      expect(ch).toMatchObject({ provider: 'openai', priority: 5, weight: 3, enabled: true, modelMapping: { 'gpt-4o': 'gpt-4o-2024-08-06' }, config: { organization: 'org-1' } });
      const secret = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123';
      const k = await channels.addKey(ch.id, secret);
      expect(k).toMatchObject({ keyHint: '0123', enabled: true, channelId: ch.id });
      const raw = await ctx.suite.database().db.selectFrom('channel_keys').selectAll().where('id', '=', k.id).executeTakeFirstOrThrow();
      expect(raw.encrypted_key).toMatch(/^v1:/);
      expect(raw.encrypted_key).not.toContain('abcdefghij');
      expect((await channels.decryptedKeys(ch.id)).map((x) => x.secret)).toEqual([secret]);

      await channels.recordKeyError(k.id, '401 invalid key', 99);
      await channels.setKeyEnabled(k.id, false, 'auth failed');
      expect((await channels.keys(ch.id))[0]).toMatchObject({ enabled: false, disabledReason: 'auth failed', lastErrorAt: 99, lastError: '401 invalid key' });
      expect(await channels.decryptedKeys(ch.id)).toEqual([]);

      expect(await channels.update(ch.id, { enabled: false, disabledReason: 'maintenance' })).toMatchObject({ enabled: false, disabledReason: 'maintenance' });
      expect((await channels.list({ enabledOnly: true, limit: 1000 })).some((c) => c.id === ch.id)).toBe(false);
      await expect(channels.create({ name: ch.name, provider: 'x' })).rejects.toBeInstanceOf(StoreConflictError);
      expect(await channels.delete(ch.id)).toBe(true);
      expect(await channels.keys(ch.id)).toEqual([]);
    });

    it('a tampered encrypted key fails loudly instead of returning garbage', async () => {
      const { channels } = ctx.store();
      const ch = await channels.create({ name: uniq('tamper'), provider: 'anthropic' });
      const k = await channels.addKey(ch.id, 'sk-ant-0123456789abcdef');
      const db = ctx.suite.database().db;
      const raw = await db.selectFrom('channel_keys').select('encrypted_key').where('id', '=', k.id).executeTakeFirstOrThrow();
      const parts = raw.encrypted_key.split(':');
      const data = Buffer.from(parts[3]!, 'base64url');
      data[0] = data[0]! ^ 1;
      parts[3] = data.toString('base64url');
      await db.updateTable('channel_keys').set({ encrypted_key: parts.join(':') }).where('id', '=', k.id).execute();
      await expect(channels.decryptedKeys(ch.id)).rejects.toThrow(/authentication/);
    });
  });

  describe('audit log', () => {
    it('records before/after with secrets redacted, newest first, filterable', async () => {
      const { audit } = ctx.store();
      const entity = uniq('key');
      await audit.record({ actor: 'master', action: 'key.create', entityType: 'key', entityId: entity, after: { alias: 'a', secret: 'sk-sy-xyz', tpm: 5, nested: { apiKey: 'k', max_tokens: 7 } } });
      await audit.record({ actor: 'usr_1', action: 'key.update', entityType: 'key', entityId: entity, before: { blocked: false }, after: { blocked: true } });
      const rows = await audit.list({ entityType: 'key', entityId: entity });
      expect(rows.map((r) => r.action)).toEqual(['key.update', 'key.create']);
      expect(rows[1]!.after).toEqual({ alias: 'a', secret: REDACTED, tpm: 5, nested: { apiKey: REDACTED, max_tokens: 7 } });
      expect(rows[1]!.before).toBeUndefined();
      expect((await audit.list({ entityId: entity, actor: 'usr_1' })).length).toBe(1);
      expect((await audit.list({ entityId: entity, beforeId: rows[0]!.id })).map((r) => r.action)).toEqual(['key.create']);
    });
  });

  describe('price overrides and settings', () => {
    it('upserts prices per (provider, model) in exact nano-USD per 1M tokens', async () => {
      const { prices } = ctx.store();
      const model = uniq('gpt');
      const a = await prices.upsert({ modelPattern: model, inputNanosPerMTok: 2_500_000_000, outputNanosPerMTok: 10_000_000_000, cacheReadNanosPerMTok: null, cacheWriteNanosPerMTok: null, perRequestNanos: null });
      expect(a.provider).toBe('*');
      const b = await prices.upsert({ modelPattern: model, inputNanosPerMTok: 3_000_000_000, outputNanosPerMTok: 10_000_000_000, cacheReadNanosPerMTok: 300_000_000, cacheWriteNanosPerMTok: null, perRequestNanos: 1 });
      expect(b).toMatchObject({ id: a.id, inputNanosPerMTok: 3_000_000_000, cacheReadNanosPerMTok: 300_000_000, perRequestNanos: 1 });
      const c = await prices.upsert({ provider: 'azure', modelPattern: model, inputNanosPerMTok: 1, outputNanosPerMTok: 1, cacheReadNanosPerMTok: null, cacheWriteNanosPerMTok: null, perRequestNanos: null });
      expect(c.id).not.toBe(a.id);
      expect((await prices.list()).filter((p) => p.modelPattern === model)).toHaveLength(2);
      await expect(prices.upsert({ modelPattern: model, inputNanosPerMTok: 1.5, outputNanosPerMTok: null, cacheReadNanosPerMTok: null, cacheWriteNanosPerMTok: null, perRequestNanos: null })).rejects.toThrow(RangeError);
      expect(await prices.delete(c.id)).toBe(true);
    });

    it('settings get/set/setIfAbsent', async () => {
      const { settings } = ctx.store();
      const key = uniq('setting');
      expect(await settings.get(key)).toBeUndefined();
      await settings.set(key, 'one');
      await settings.set(key, 'one');
      await settings.set(key, 'two');
      expect(await settings.get(key)).toBe('two');
      expect(await settings.setIfAbsent(key, 'three')).toBe(false);
      expect(await settings.get(key)).toBe('two');
      const bootstrap = `${SETTING.adminBootstrapDone}-${key}`;
      const wins = await Promise.all(Array.from({ length: 10 }, () => settings.setIfAbsent(bootstrap, 'yes')));
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await settings.delete(key)).toBe(true);
    });
  });
}
