import { describe, expect, it } from 'vitest';
import { StoreConflictError, StoreReferenceError } from '../../src/store/index.js';
import { uniq, type StoreCaseContext } from './store-case-context.js';

export function accountCases(ctx: StoreCaseContext): void {
  describe('users', () => {
    it('creates, reads, updates, lists and deletes a user', async () => {
      const { users } = ctx.store();
      const name = uniq('alice');
      const u = await users.create({ username: name, email: `${name}@Example.COM`, role: 'admin', metadata: { org: 'x', n: [1, 2] } });
      expect(u).toMatchObject({ username: name, email: `${name}@example.com`, role: 'admin', balanceNanos: 0, spendNanos: 0, disabled: false, hasPassword: false });
      expect(u.id).toMatch(/^usr_/);
      expect(u.metadata).toEqual({ org: 'x', n: [1, 2] });
      expect(await users.getByEmail(`${name}@EXAMPLE.com`)).toMatchObject({ id: u.id });
      expect(await users.getByUsername(name)).toMatchObject({ id: u.id });

      const updated = await users.update(u.id, { displayName: 'Alice A.', maxBudgetNanos: 5_000_000_000, disabled: true });
      expect(updated).toMatchObject({ displayName: 'Alice A.', maxBudgetNanos: 5_000_000_000, disabled: true, role: 'admin' });

      const found = await users.list({ search: name.toUpperCase() });
      expect(found.map((x) => x.id)).toEqual([u.id]);
      expect(await users.update('usr_missing', { displayName: 'x' })).toBeUndefined();
      expect(await users.delete(u.id)).toBe(true);
      expect(await users.get(u.id)).toBeUndefined();
      expect(await users.delete(u.id)).toBe(false);
    });

    it('search treats % and _ literally', async () => {
      const { users } = ctx.store();
      const base = uniq('pct');
      await users.create({ username: `${base}_a%b` });
      await users.create({ username: `${base}xaxb` });
      expect((await users.list({ search: `${base}_a%b` })).map((u) => u.username)).toEqual([`${base}_a%b`]);
    });

    it('maps duplicate username and email to StoreConflictError naming the field', async () => {
      const { users } = ctx.store();
      const name = uniq('dup');
      await users.create({ username: name, email: `${name}@x.io` });
      const e1 = await users.create({ username: name }).catch((e: unknown) => e);
      expect(e1).toBeInstanceOf(StoreConflictError);
      expect((e1 as StoreConflictError).field).toBe('username');
      const e2 = await users.create({ username: uniq('other'), email: `${name.toUpperCase()}@X.IO` }).catch((e: unknown) => e);
      expect(e2).toBeInstanceOf(StoreConflictError);
      expect((e2 as StoreConflictError).field).toBe('email');
      // Case-sensitive usernames on every dialect (MySQL's default collation would say otherwise).
      await expect(users.create({ username: name.toUpperCase() })).resolves.toBeDefined();
    });

    it('stores an scrypt hash and verifies logins by username or email', async () => {
      const { users } = ctx.store();
      const name = uniq('pw');
      const u = await users.create({ username: name, email: `${name}@x.io`, password: 'correct horse' });
      expect(u.hasPassword).toBe(true);
      const row = await ctx.suite.database().db.selectFrom('users').select('password_hash').where('id', '=', u.id).executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
      expect(row.password_hash).not.toContain('correct horse');
      expect(await users.verifyLogin(name, 'correct horse')).toMatchObject({ id: u.id });
      expect(await users.verifyLogin(`${name}@X.io`, 'correct horse')).toMatchObject({ id: u.id });
      expect(await users.verifyLogin(name, 'wrong')).toBeUndefined();
      await users.update(u.id, { disabled: true });
      expect(await users.verifyLogin(name, 'correct horse')).toBeUndefined();
    });

    it('round-trips BIGINT money above 2^32 and up to 2^53-1 as numbers', async () => {
      const { users } = ctx.store();
      const big = Number.MAX_SAFE_INTEGER;
      const u = await users.create({ username: uniq('rich'), balanceNanos: big, maxBudgetNanos: 2 ** 40 + 7 });
      const back = (await users.get(u.id))!;
      expect(back.balanceNanos).toBe(big);
      expect(typeof back.balanceNanos).toBe('number');
      expect(back.maxBudgetNanos).toBe(2 ** 40 + 7);
      expect(typeof back.createdAt).toBe('number');
      const raw = await ctx.suite.database().db.selectFrom('users').select(['balance_nanos', 'created_at']).where('id', '=', u.id).executeTakeFirstOrThrow();
      expect(raw.balance_nanos).toBe(big);
      expect(typeof raw.created_at).toBe('number');
    });
  });

  describe('teams', () => {
    it('CRUD with JSON models, exact price multiplier and members', async () => {
      const { teams, users } = ctx.store();
      const t = await teams.create({ name: uniq('team'), allowedModels: ['gpt-4o', 'claude-*'], priceMultiplierPpm: 1_250_000, rpm: 60, tpm: 3_000_000_000 });
      expect(t).toMatchObject({ allowedModels: ['gpt-4o', 'claude-*'], priceMultiplierPpm: 1_250_000, rpm: 60, tpm: 3_000_000_000, spendNanos: 0 });
      const u = await users.create({ username: uniq('member') });
      await teams.addMember(t.id, u.id);
      // Same role again: a no-op update must still count as found (MySQL reports changed rows unless FOUND_ROWS).
      expect(await teams.addMember(t.id, u.id)).toMatchObject({ role: 'member' });
      expect(await teams.addMember(t.id, u.id, 'admin')).toMatchObject({ role: 'admin' });
      expect(await teams.members(t.id)).toEqual([expect.objectContaining({ userId: u.id, role: 'admin' })]);
      expect((await teams.teamsOfUser(u.id)).map((x) => x.id)).toEqual([t.id]);
      expect(await teams.update(t.id, { allowedModels: [], disabled: true })).toMatchObject({ allowedModels: [], disabled: true });
      expect(await teams.removeMember(t.id, u.id)).toBe(true);
      expect(await teams.members(t.id)).toEqual([]);
      await expect(teams.create({ name: t.name })).rejects.toBeInstanceOf(StoreConflictError);
      expect(await teams.delete(t.id)).toBe(true);
    });

    it('refuses a member for a missing team with StoreReferenceError', async () => {
      const { teams, users } = ctx.store();
      const u = await users.create({ username: uniq('orphan') });
      await expect(teams.addMember('team_missing', u.id)).rejects.toBeInstanceOf(StoreReferenceError);
    });
  });

  describe('virtual keys', () => {
    it('stores only the sha256 of the secret and finds the key by it', async () => {
      const { keys, users, teams } = ctx.store();
      const u = await users.create({ username: uniq('owner') });
      const t = await teams.create({ name: uniq('kteam') });
      const { key, secret } = await keys.create({
        alias: uniq('alias'), userId: u.id, teamId: t.id, allowedModels: ['gpt-4o'], modelGroups: ['cheap'],
        maxBudgetNanos: 10_000_000_000, softBudgetNanos: 8_000_000_000, rpm: 10, tpm: 1000, maxParallel: 2,
        expiresAt: Date.UTC(2030, 0, 1), allowedIps: ['10.0.0.0/8', '::1'], metadata: { env: 'prod' }, tags: ['a', 'b'], createdBy: 'master',
      });
      expect(secret).toMatch(/^sk-sy-[A-Za-z0-9_-]{43}$/);
      expect(key.keyPrefix).toBe(`sk-sy-…${secret.slice(-4)}`);
      expect(key).toMatchObject({ allowedIps: ['10.0.0.0/8', '::1'], tags: ['a', 'b'], metadata: { env: 'prod' }, modelGroups: ['cheap'], blocked: false, expiresAt: Date.UTC(2030, 0, 1) });
      const raw = await ctx.suite.database().db.selectFrom('virtual_keys').selectAll().where('id', '=', key.id).executeTakeFirstOrThrow();
      expect(JSON.stringify(raw)).not.toContain(secret.slice(6));
      expect(raw.key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect((await keys.findBySecret(secret))?.id).toBe(key.id);
      expect(await keys.findBySecret(`${secret}x`)).toBeUndefined();

      const newSecret = await keys.regenerate(key.id);
      expect(await keys.findBySecret(secret)).toBeUndefined();
      expect((await keys.findBySecret(newSecret!))?.id).toBe(key.id);
      expect(await keys.update(key.id, { blocked: true, tags: [] })).toMatchObject({ blocked: true, tags: [], alias: key.alias });
      await keys.touchLastUsed([key.id], 1234);
      expect((await keys.get(key.id))?.lastUsedAt).toBe(1234);
      expect((await keys.list({ userId: u.id })).map((k) => k.id)).toEqual([key.id]);
    });

    it('rejects a duplicate alias or imported secret, and dies with its user', async () => {
      const { keys, users } = ctx.store();
      const u = await users.create({ username: uniq('kowner') });
      const alias = uniq('same');
      const { secret } = await keys.create({ alias, userId: u.id });
      const e = await keys.create({ alias }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(StoreConflictError);
      expect((e as StoreConflictError).field).toBe('alias');
      await expect(keys.create({ secret })).rejects.toBeInstanceOf(StoreConflictError);
      await users.delete(u.id);
      expect(await keys.findBySecret(secret)).toBeUndefined();
    });
  });
}
