import type { Selectable } from 'kysely';
import { newId } from '../ids.js';
import { hashPassword, verifyPassword } from '../password-hash.js';
import { containsText } from '../query-helpers.js';
import { assertNanos, defined, fromBool, fromJson, num, numOrNull, toBool, toJson } from '../row-codec.js';
import type { UsersTable } from '../schema.js';
import { guard } from '../store-errors.js';
import { pageOf, type Page, type RepositoryContext } from './repository-context.js';

export type UserRole = 'admin' | 'member' | 'viewer';

export interface User {
  id: string;
  username: string;
  email: string | null;
  displayName: string | null;
  role: UserRole;
  hasPassword: boolean;
  /** Prepaid credits (One-API quota), nano-USD; never negative. */
  balanceNanos: number;
  maxBudgetNanos: number | null;
  spendNanos: number;
  budgetDuration: string | null;
  budgetResetAt: number | null;
  disabled: boolean;
  metadata: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface NewUser {
  id?: string;
  username: string;
  email?: string | null;
  displayName?: string | null;
  role?: UserRole;
  password?: string;
  balanceNanos?: number;
  maxBudgetNanos?: number | null;
  budgetDuration?: string | null;
  budgetResetAt?: number | null;
  disabled?: boolean;
  metadata?: Record<string, unknown>;
}

/** Balance and spend change only through the credit and ledger primitives, never by patch. */
export type UserPatch = Partial<Omit<NewUser, 'id' | 'password' | 'balanceNanos'>>;

export interface UserFilter extends Page {
  role?: UserRole;
  /** Substring of username, email or display name. */
  search?: string;
}

function toUser(r: Selectable<UsersTable>): User {
  return {
    id: r.id,
    username: r.username,
    email: r.email,
    displayName: r.display_name,
    role: r.role as UserRole,
    hasPassword: r.password_hash !== null,
    balanceNanos: num(r.balance_nanos),
    maxBudgetNanos: numOrNull(r.max_budget_nanos),
    spendNanos: num(r.spend_nanos),
    budgetDuration: r.budget_duration,
    budgetResetAt: numOrNull(r.budget_reset_at),
    disabled: fromBool(r.disabled),
    metadata: fromJson(r.metadata_json, {}),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

/** Emails compare case-insensitively everywhere, so they are stored lower-cased. */
const normEmail = (e: string | null | undefined) => (e == null ? e : e.trim().toLowerCase());

export class UsersRepository {
  constructor(private readonly ctx: RepositoryContext) {}

  private get db() {
    return this.ctx.database.db;
  }

  async create(input: NewUser): Promise<User> {
    if (input.balanceNanos !== undefined) assertNanos(input.balanceNanos, 'balanceNanos');
    if (input.balanceNanos !== undefined && input.balanceNanos < 0) throw new RangeError('balanceNanos must not be negative');
    const now = this.ctx.now();
    const id = input.id ?? newId('usr');
    const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
    await guard('user', () =>
      this.db
        .insertInto('users')
        .values({
          id,
          username: input.username,
          email: normEmail(input.email) ?? null,
          display_name: input.displayName ?? null,
          role: input.role ?? 'member',
          password_hash: passwordHash,
          balance_nanos: input.balanceNanos ?? 0,
          max_budget_nanos: input.maxBudgetNanos ?? null,
          spend_nanos: 0,
          budget_duration: input.budgetDuration ?? null,
          budget_reset_at: input.budgetResetAt ?? null,
          disabled: toBool(input.disabled),
          metadata_json: toJson(input.metadata ?? {}),
          created_at: now,
          updated_at: now,
        })
        .execute(),
    );
    return (await this.get(id))!;
  }

  async get(id: string): Promise<User | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toUser(r);
  }

  async getByUsername(username: string): Promise<User | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    return r && toUser(r);
  }

  async getByEmail(email: string): Promise<User | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('email', '=', normEmail(email)!).executeTakeFirst();
    return r && toUser(r);
  }

  async list(filter: UserFilter = {}): Promise<User[]> {
    const { limit, offset } = pageOf(filter);
    let q = this.db.selectFrom('users').selectAll();
    if (filter.role) q = q.where('role', '=', filter.role);
    if (filter.search) {
      const s = filter.search;
      q = q.where((eb) =>
        eb.or([containsText('username', s), containsText('email', s), containsText('display_name', s)]),
      );
    }
    const rows = await q.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(limit).offset(offset).execute();
    return rows.map(toUser);
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return num(r.n);
  }

  async update(id: string, patch: UserPatch): Promise<User | undefined> {
    const values = defined({
      username: patch.username,
      email: patch.email === undefined ? undefined : normEmail(patch.email),
      display_name: patch.displayName,
      role: patch.role,
      max_budget_nanos: patch.maxBudgetNanos,
      budget_duration: patch.budgetDuration,
      budget_reset_at: patch.budgetResetAt,
      disabled: patch.disabled === undefined ? undefined : toBool(patch.disabled),
      metadata_json: patch.metadata === undefined ? undefined : toJson(patch.metadata),
    });
    await guard('user', () =>
      this.db.updateTable('users').set({ ...values, updated_at: this.ctx.now() }).where('id', '=', id).execute(),
    );
    return this.get(id);
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }

  async setPassword(id: string, password: string | null): Promise<boolean> {
    const hash = password === null ? null : await hashPassword(password);
    const r = await this.db
      .updateTable('users')
      .set({ password_hash: hash, updated_at: this.ctx.now() })
      .where('id', '=', id)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /** The user when `login` (username or email) and password match and the user is enabled. */
  async verifyLogin(login: string, password: string): Promise<User | undefined> {
    const r = await this.db
      .selectFrom('users')
      .selectAll()
      .where((eb) => eb.or([eb('username', '=', login), eb('email', '=', normEmail(login)!)]))
      .executeTakeFirst();
    if (!r || r.password_hash === null || fromBool(r.disabled)) return undefined;
    return (await verifyPassword(password, r.password_hash)) ? toUser(r) : undefined;
  }
}
