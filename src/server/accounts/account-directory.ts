import type { AccountInput, BudgetBook } from '../../accounting/index.js';
import { GatewayError, type Identity } from '../../spec/index.js';
import { hashSecret, type Store, type Team, type User, type VirtualKey } from '../../store/index.js';
import { invalidKey, missingKey, type Authenticator } from '../auth/authenticator.js';
import { IpAllowlist } from '../auth/ip-allowlist.js';
import type { Logger } from '../log.js';
import { UnflushedSpend, type SpendOwner } from './unflushed-spend.js';

interface CachedKey {
  key: VirtualKey;
  hash: string;
  ips: IpAllowlist;
}

const PAGE = 1000;
const TOUCH_FLUSH_MS = 10_000;
const SETTLED_READ_TRIES = 5;

/** Spend not yet in the database, per owner (see UnflushedSpend). */
type Pending = (kind: SpendOwner, id: string) => number;

/**
 * Virtual keys, users and teams held in memory, so authenticating a request
 * is a hash and a few Map reads — never a database round trip. Everything
 * that changes an account (admin API, budget resets) calls `refresh*` after
 * its write, which reloads that one entity and its budget accounts, plus
 * the spend still on its way to the database (memory is ahead of it by the
 * ledger rows not yet flushed; reloading without them would re-open an
 * exhausted budget or restore spent credit).
 * (Several instances will share invalidations over Redis in a later wave.)
 */
export class AccountDirectory implements Authenticator {
  private keysByHash = new Map<string, CachedKey>();
  private keysById = new Map<string, CachedKey>();
  private users = new Map<string, User>();
  private teams = new Map<string, Team>();
  private touched = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly book: BudgetBook,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    private readonly unflushed: UnflushedSpend = new UnflushedSpend(),
  ) {}

  /** Loads every account at start; also fills the budget book. */
  async load(): Promise<void> {
    const { value, pending } = await this.settledRead(() =>
      Promise.all([this.store.keys.all(), pageAll((p) => this.store.users.list(p)), pageAll((p) => this.store.teams.list(p))]),
    );
    const [keys, rawUsers, teams] = value;
    const users = await Promise.all(rawUsers.map((u) => this.markPrepaid(u)));
    this.users = new Map(users.map((u) => [u.id, u]));
    this.teams = new Map(teams.map((t) => [t.id, t]));
    this.keysByHash.clear();
    this.keysById.clear();
    for (const k of keys) this.cacheKey(k);
    const accounts: AccountInput[] = [...keys.map((k) => keyAccount(k, pending)), ...users.flatMap((u) => userAccounts(u, pending)), ...teams.map((t) => teamAccount(t, pending))];
    this.book.load(accounts);
    this.timer = setInterval(() => void this.flushTouched(), TOUCH_FLUSH_MS);
    this.timer.unref();
  }

  async refreshKey(id: string): Promise<VirtualKey | undefined> {
    const { value: key, pending } = await this.settledRead(() => this.store.keys.get(id));
    this.forgetKey(id);
    if (key) {
      this.cacheKey(key);
      this.book.upsert(keyAccount(key, pending), 'replace');
    } else this.book.remove('key', id);
    return key;
  }

  forgetKey(id: string): void {
    const cached = this.keysById.get(id);
    if (cached) this.keysByHash.delete(cached.hash);
    this.keysById.delete(id);
  }

  async refreshUser(id: string): Promise<void> {
    const { value: user, pending } = await this.settledRead(() => this.store.users.get(id));
    if (!user) {
      this.users.delete(id);
      this.book.remove('user', id);
      this.book.remove('balance', id);
      return;
    }
    const marked = await this.markPrepaid(user);
    this.users.set(id, marked);
    for (const a of userAccounts(marked, pending)) this.book.upsert(a, 'replace');
  }

  async refreshTeam(id: string): Promise<void> {
    const { value: team, pending } = await this.settledRead(() => this.store.teams.get(id));
    if (!team) {
      this.teams.delete(id);
      this.book.remove('team', id);
      return;
    }
    this.teams.set(id, team);
    this.book.upsert(teamAccount(team, pending), 'replace');
  }

  /** Re-reads everything (after a bulk change such as a budget-period reset). */
  async reload(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.load();
  }

  authenticate(secret: string | undefined, client: { ip: string }, secretHash?: string): Identity {
    if (secret === undefined) throw missingKey();
    const cached = this.keysByHash.get(secretHash ?? hashSecret(secret));
    if (!cached) throw invalidKey();
    const { key } = cached;
    if (key.blocked) throw new GatewayError('key_blocked', { message: 'This API key is blocked.' });
    if (key.expiresAt !== null && key.expiresAt <= this.now()) {
      throw new GatewayError('key_expired', { message: `This API key expired at ${new Date(key.expiresAt).toISOString()}.` });
    }
    if (!cached.ips.allows(client.ip)) {
      throw new GatewayError('ip_not_allowed', { message: `This API key may not be used from ${client.ip}.` });
    }
    const user = key.userId ? this.users.get(key.userId) : undefined;
    if (user?.disabled) throw new GatewayError('key_blocked', { message: 'The user this key belongs to is disabled.' });
    const team = key.teamId ? this.teams.get(key.teamId) : undefined;
    if (team?.disabled) throw new GatewayError('key_blocked', { message: 'The team this key belongs to is disabled.' });
    this.touched.add(key.id);
    const allowed = [...key.allowedModels, ...key.modelGroups];
    return {
      kind: 'virtual-key',
      keyId: key.id,
      keyPrefix: key.keyPrefix,
      ...(key.alias ? { keyAlias: key.alias } : {}),
      ...(key.userId ? { userId: key.userId } : {}),
      ...(key.teamId ? { teamId: key.teamId } : {}),
      role: user?.role ?? 'member',
      ...(allowed.length > 0 ? { allowedModels: allowed } : {}),
      ...(team && team.allowedModels.length > 0 ? { teamAllowedModels: team.allowedModels } : {}),
      canOverrideRouting: key.metadata['allow_routing_override'] === true,
      tags: key.tags,
      metadata: key.metadata,
    };
  }

  /** The key record as loaded (limits, expiry), for per-request checks that must not touch the database. */
  key(id: string): VirtualKey | undefined {
    return this.keysById.get(id)?.key;
  }

  user(id: string): User | undefined {
    return this.users.get(id);
  }

  team(id: string): Team | undefined {
    return this.teams.get(id);
  }

  /** last_used_at is written in batches: a per-request UPDATE would put the database on the hot path. */
  async flushTouched(): Promise<void> {
    if (this.touched.size === 0) return;
    const ids = [...this.touched];
    this.touched.clear();
    try {
      await this.store.keys.touchLastUsed(ids, this.now());
    } catch (err) {
      this.log.warn('could not record key last-used times', { message: (err as Error).message });
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flushTouched();
  }

  /**
   * A user given credit is metered by it from then on, also once it reaches
   * zero: the mark is written the first time a positive balance is seen, so
   * a drained balance still refuses after a restart instead of falling back
   * to "no credit account = unmetered".
   */
  private async markPrepaid(user: User): Promise<User> {
    if (user.balanceNanos <= 0 || user.metadata['prepaid'] === true) return user;
    const metadata = { ...user.metadata, prepaid: true };
    try {
      return (await this.store.users.update(user.id, { metadata })) ?? { ...user, metadata };
    } catch (err) {
      // The balance account exists in memory anyway (balance > 0); the next refresh retries the mark.
      this.log.warn('could not mark a credited user as prepaid', { userId: user.id, message: (err as Error).message });
      return user;
    }
  }

  /**
   * Reads from the database with the unflushed spend taken just BEFORE the
   * read: a ledger batch committed during the read is then counted twice
   * (refusing a little early), never missed. Retried while a batch is being
   * written, to avoid even that.
   */
  private async settledRead<T>(read: () => Promise<T>): Promise<{ value: T; pending: Pending }> {
    for (let attempt = 1; ; attempt++) {
      const generation = this.unflushed.generation;
      const pending = this.unflushed.snapshot();
      const value = await read();
      if ((generation % 2 === 0 && generation === this.unflushed.generation) || attempt >= SETTLED_READ_TRIES) return { value, pending };
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  private cacheKey(key: VirtualKey): void {
    let ips: IpAllowlist;
    try {
      ips = new IpAllowlist(key.allowedIps);
    } catch (err) {
      // A malformed rule must fail closed: nobody gets in with this key until it is fixed.
      this.log.error('virtual key has an invalid IP allowlist; refusing all clients', { keyId: key.id, message: (err as Error).message });
      ips = new IpAllowlist(['0.0.0.0/32']);
    }
    const entry = { key, hash: key.keyHash, ips };
    this.keysByHash.set(key.keyHash, entry);
    this.keysById.set(key.id, entry);
  }
}

function keyAccount(k: VirtualKey, pending: Pending): AccountInput {
  return { kind: 'key', id: k.id, limitNanos: k.maxBudgetNanos, spentNanos: k.spendNanos + pending('key', k.id), softLimitNanos: k.softBudgetNanos, duration: k.budgetDuration, resetAt: k.budgetResetAt };
}

function userAccounts(u: User, pending: Pending): AccountInput[] {
  const unflushed = pending('user', u.id);
  const accounts: AccountInput[] = [{ kind: 'user', id: u.id, limitNanos: u.maxBudgetNanos, spentNanos: u.spendNanos + unflushed, duration: u.budgetDuration, resetAt: u.budgetResetAt }];
  // Prepaid credits apply only to users who were given some (One-API quota); others are unmetered.
  // The database debits the balance with each ledger batch, clamped at zero, so the same clamp applies here.
  if (u.balanceNanos > 0 || u.metadata['prepaid'] === true) accounts.push({ kind: 'balance', id: u.id, balanceNanos: Math.max(0, u.balanceNanos - unflushed) });
  return accounts;
}

function teamAccount(t: Team, pending: Pending): AccountInput {
  return { kind: 'team', id: t.id, limitNanos: t.maxBudgetNanos, spentNanos: t.spendNanos + pending('team', t.id), duration: t.budgetDuration, resetAt: t.budgetResetAt };
}

async function pageAll<T>(list: (p: { limit: number; offset: number }) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await list({ limit: PAGE, offset });
    out.push(...page);
    if (page.length < PAGE) return out;
  }
}
