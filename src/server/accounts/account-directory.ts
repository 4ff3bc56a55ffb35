import type { AccountInput, BudgetBook } from '../../accounting/index.js';
import { GatewayError, type Identity } from '../../spec/index.js';
import { hashSecret, type Store, type Team, type User, type VirtualKey } from '../../store/index.js';
import { invalidKey, missingKey, type Authenticator } from '../auth/authenticator.js';
import { IpAllowlist } from '../auth/ip-allowlist.js';
import type { Logger } from '../log.js';

interface CachedKey {
  key: VirtualKey;
  hash: string;
  ips: IpAllowlist;
}

const PAGE = 1000;
const TOUCH_FLUSH_MS = 10_000;

/**
 * Virtual keys, users and teams held in memory, so authenticating a request
 * is a hash and a few Map reads — never a database round trip. Everything
 * that changes an account (admin API, budget resets) calls `refresh*` after
 * its write, which reloads that one entity and its budget accounts.
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
  ) {}

  /** Loads every account at start; also fills the budget book. */
  async load(): Promise<void> {
    const [keys, users, teams] = await Promise.all([this.store.keys.all(), pageAll((p) => this.store.users.list(p)), pageAll((p) => this.store.teams.list(p))]);
    this.users = new Map(users.map((u) => [u.id, u]));
    this.teams = new Map(teams.map((t) => [t.id, t]));
    this.keysByHash.clear();
    this.keysById.clear();
    for (const k of keys) this.cacheKey(k);
    const accounts: AccountInput[] = [...keys.map(keyAccount), ...users.flatMap(userAccounts), ...teams.map(teamAccount)];
    this.book.load(accounts);
    this.timer = setInterval(() => void this.flushTouched(), TOUCH_FLUSH_MS);
    this.timer.unref();
  }

  async refreshKey(id: string): Promise<VirtualKey | undefined> {
    const key = await this.store.keys.get(id);
    this.forgetKey(id);
    if (key) {
      this.cacheKey(key);
      this.book.upsert(keyAccount(key), 'replace');
    } else this.book.remove('key', id);
    return key;
  }

  forgetKey(id: string): void {
    const cached = this.keysById.get(id);
    if (cached) this.keysByHash.delete(cached.hash);
    this.keysById.delete(id);
  }

  async refreshUser(id: string): Promise<void> {
    const user = await this.store.users.get(id);
    if (!user) {
      this.users.delete(id);
      this.book.remove('user', id);
      this.book.remove('balance', id);
      return;
    }
    this.users.set(id, user);
    for (const a of userAccounts(user)) this.book.upsert(a, 'replace');
  }

  async refreshTeam(id: string): Promise<void> {
    const team = await this.store.teams.get(id);
    if (!team) {
      this.teams.delete(id);
      this.book.remove('team', id);
      return;
    }
    this.teams.set(id, team);
    this.book.upsert(teamAccount(team), 'replace');
  }

  /** Re-reads everything (after a bulk change such as a budget-period reset). */
  async reload(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.load();
  }

  authenticate(secret: string | undefined, client: { ip: string }): Identity {
    if (secret === undefined) throw missingKey();
    const cached = this.keysByHash.get(hashSecret(secret));
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

function keyAccount(k: VirtualKey): AccountInput {
  return { kind: 'key', id: k.id, limitNanos: k.maxBudgetNanos, spentNanos: k.spendNanos, softLimitNanos: k.softBudgetNanos, duration: k.budgetDuration, resetAt: k.budgetResetAt };
}

function userAccounts(u: User): AccountInput[] {
  const accounts: AccountInput[] = [{ kind: 'user', id: u.id, limitNanos: u.maxBudgetNanos, spentNanos: u.spendNanos, duration: u.budgetDuration, resetAt: u.budgetResetAt }];
  // Prepaid credits apply only to users who were given some (One-API quota); others are unmetered.
  if (u.balanceNanos > 0 || u.metadata['prepaid'] === true) accounts.push({ kind: 'balance', id: u.id, balanceNanos: u.balanceNanos });
  return accounts;
}

function teamAccount(t: Team): AccountInput {
  return { kind: 'team', id: t.id, limitNanos: t.maxBudgetNanos, spentNanos: t.spendNanos, duration: t.budgetDuration, resetAt: t.budgetResetAt };
}

async function pageAll<T>(list: (p: { limit: number; offset: number }) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await list({ limit: PAGE, offset });
    out.push(...page);
    if (page.length < PAGE) return out;
  }
}
