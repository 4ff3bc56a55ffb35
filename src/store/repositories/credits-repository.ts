import { sql, type Selectable } from 'kysely';
import { generateSecret, hashSecret, newId } from '../ids.js';
import { assertNanos, fromBool, num, numOrNull, toBool } from '../row-codec.js';
import type { RedemptionCodesTable } from '../schema.js';
import { isUniqueViolation } from '../store-errors.js';
import { inTransaction, type Executor, type Tx } from '../transaction.js';
import { pageOf, type Page, type RepositoryContext } from './repository-context.js';

export type CreditKind = 'topup' | 'deduction' | 'redemption' | 'refund' | 'adjustment';

export interface CreditTransaction {
  id: number;
  userId: string;
  kind: CreditKind;
  /** Signed: positive adds credit, negative removes it. */
  amountNanos: number;
  balanceAfterNanos: number;
  reason: string | null;
  actor: string | null;
  reference: string | null;
  createdAt: number;
}

export interface CreditNote {
  kind?: CreditKind;
  reason?: string | null;
  /** Who did it: a user id or 'master'. */
  actor?: string | null;
  /** E.g. a redemption code id or a request id. */
  reference?: string | null;
}

export interface RedemptionCode {
  id: string;
  /** First characters of the code, for recognising it in a list. */
  codeHint: string;
  label: string | null;
  amountNanos: number;
  maxUses: number;
  usedCount: number;
  expiresAt: number | null;
  disabled: boolean;
  createdBy: string | null;
  createdAt: number;
  lastRedeemedAt: number | null;
}

export interface NewRedemptionCode {
  amountNanos: number;
  maxUses?: number;
  expiresAt?: number | null;
  label?: string | null;
  createdBy?: string | null;
  /** Import a given code; otherwise a random one is generated. */
  code?: string;
}

export type RedeemResult =
  | { ok: true; codeId: string; amountNanos: number; balanceAfterNanos: number }
  | { ok: false; reason: 'not_found' | 'disabled' | 'expired' | 'used_up' | 'already_redeemed' | 'user_not_found' };

export const REDEMPTION_CODE_PREFIX = 'syr-';

function toCode(r: Selectable<RedemptionCodesTable>): RedemptionCode {
  return {
    id: r.id,
    codeHint: r.code_hint,
    label: r.label,
    amountNanos: num(r.amount_nanos),
    maxUses: num(r.max_uses),
    usedCount: num(r.used_count),
    expiresAt: numOrNull(r.expires_at),
    disabled: fromBool(r.disabled),
    createdBy: r.created_by,
    createdAt: num(r.created_at),
    lastRedeemedAt: numOrNull(r.last_redeemed_at),
  };
}

class RedeemAbort extends Error {
  constructor(readonly reason: Extract<RedeemResult, { ok: false }>['reason']) {
    super(reason);
  }
}

/**
 * Prepaid credits. Every balance change is one conditional UPDATE, so the
 * database — not a read-then-write in JS — decides, and a balance can never
 * go negative however many requests race for it.
 */
export class CreditsRepository {
  constructor(private readonly ctx: RepositoryContext) {}

  private get db() {
    return this.ctx.database.db;
  }

  /**
   * Takes `amount` from the balance only if it covers it; false otherwise
   * (or when the user does not exist). Per-request debits usually pass no
   * note (the ledger already records them); a note logs a transaction.
   */
  async debitBalance(userId: string, amountNanos: number, note?: CreditNote): Promise<boolean> {
    assertNanos(amountNanos, 'amountNanos', { positive: true });
    const run = async (ex: Executor) => {
      const r = await ex
        .updateTable('users')
        .set({ balance_nanos: sql<number>`balance_nanos - ${amountNanos}`, updated_at: this.ctx.now() })
        .where('id', '=', userId)
        .where('balance_nanos', '>=', amountNanos)
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    };
    if (!note) return run(this.db);
    return inTransaction(this.ctx.database, async (tx) => {
      if (!(await run(tx))) return false;
      await this.log(tx, userId, -amountNanos, { kind: 'deduction', ...note });
      return true;
    });
  }

  /** Adds credit and logs it; the new balance, or undefined when the user does not exist. */
  async creditBalance(userId: string, amountNanos: number, note: CreditNote = {}): Promise<number | undefined> {
    assertNanos(amountNanos, 'amountNanos', { positive: true });
    return inTransaction(this.ctx.database, async (tx) => {
      if (!(await this.addTo(tx, userId, amountNanos))) return undefined;
      return this.log(tx, userId, amountNanos, { kind: 'topup', ...note });
    });
  }

  async balance(userId: string): Promise<number | undefined> {
    const r = await this.db.selectFrom('users').select('balance_nanos').where('id', '=', userId).executeTakeFirst();
    return r && num(r.balance_nanos);
  }

  /** Newest first; pass the last id seen as `beforeId` for the next page. */
  async transactions(userId: string, page: Page & { beforeId?: number } = {}): Promise<CreditTransaction[]> {
    const { limit } = pageOf(page);
    let q = this.db.selectFrom('credit_transactions').selectAll().where('user_id', '=', userId);
    if (page.beforeId !== undefined) q = q.where('id', '<', page.beforeId);
    const rows = await q.orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      id: num(r.id),
      userId: r.user_id,
      kind: r.kind as CreditKind,
      amountNanos: num(r.amount_nanos),
      balanceAfterNanos: num(r.balance_after_nanos),
      reason: r.reason,
      actor: r.actor,
      reference: r.reference,
      createdAt: num(r.created_at),
    }));
  }

  /** Creates a code; the code itself is returned this once (only its hash is stored). */
  async createCode(input: NewRedemptionCode): Promise<{ code: RedemptionCode; secret: string }> {
    assertNanos(input.amountNanos, 'amountNanos', { positive: true });
    const maxUses = input.maxUses ?? 1;
    if (!Number.isSafeInteger(maxUses) || maxUses < 1) throw new RangeError(`maxUses must be a positive integer, got ${maxUses}`);
    const secret = input.code ?? generateSecret(REDEMPTION_CODE_PREFIX);
    const id = newId('rc');
    await this.db
      .insertInto('redemption_codes')
      .values({
        id,
        code_hash: hashSecret(secret.trim()),
        code_hint: `${secret.slice(0, Math.min(8, Math.floor(secret.length / 2)))}…`,
        label: input.label ?? null,
        amount_nanos: input.amountNanos,
        max_uses: maxUses,
        used_count: 0,
        expires_at: input.expiresAt ?? null,
        disabled: 0,
        created_by: input.createdBy ?? null,
        created_at: this.ctx.now(),
        last_redeemed_at: null,
      })
      .execute()
      .catch((e: unknown) => {
        if (isUniqueViolation(e)) throw new RangeError('That redemption code already exists');
        throw e;
      });
    return { code: (await this.getCode(id))!, secret };
  }

  async getCode(id: string): Promise<RedemptionCode | undefined> {
    const r = await this.db.selectFrom('redemption_codes').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toCode(r);
  }

  async listCodes(page?: Page): Promise<RedemptionCode[]> {
    const { limit, offset } = pageOf(page);
    const rows = await this.db.selectFrom('redemption_codes').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(limit).offset(offset).execute();
    return rows.map(toCode);
  }

  async setCodeDisabled(id: string, disabled: boolean): Promise<boolean> {
    const r = await this.db.updateTable('redemption_codes').set({ disabled: toBool(disabled) }).where('id', '=', id).executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /**
   * Redeems atomically: the use count is claimed by a conditional UPDATE
   * (so a single-use code pays out once however many redeem it at once), the
   * (code, user) primary key stops one user redeeming a code twice, and the
   * credit lands in the same transaction — all of it or none.
   */
  async redeemCode(code: string, userId: string): Promise<RedeemResult> {
    const hash = hashSecret(code.trim());
    const now = this.ctx.now();
    try {
      return await inTransaction(this.ctx.database, async (tx) => {
        const claimed = await tx
          .updateTable('redemption_codes')
          .set({ used_count: sql<number>`used_count + 1`, last_redeemed_at: now })
          .where('code_hash', '=', hash)
          .where('disabled', '=', 0)
          .where((eb) => eb('used_count', '<', eb.ref('max_uses')))
          .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
          .executeTakeFirst();
        const row = await tx.selectFrom('redemption_codes').selectAll().where('code_hash', '=', hash).executeTakeFirst();
        if (claimed.numUpdatedRows === 0n || !row) throw new RedeemAbort(this.whyNot(row, now));
        try {
          await tx.insertInto('redemption_uses').values({ code_id: row.id, user_id: userId, redeemed_at: now }).execute();
        } catch (e) {
          if (isUniqueViolation(e)) throw new RedeemAbort('already_redeemed');
          throw e;
        }
        const amount = num(row.amount_nanos);
        if (!(await this.addTo(tx, userId, amount))) throw new RedeemAbort('user_not_found');
        const balanceAfterNanos = await this.log(tx, userId, amount, { kind: 'redemption', reference: row.id, actor: userId });
        return { ok: true as const, codeId: row.id, amountNanos: amount, balanceAfterNanos };
      });
    } catch (e) {
      if (e instanceof RedeemAbort) return { ok: false, reason: e.reason };
      throw e;
    }
  }

  private whyNot(row: Selectable<RedemptionCodesTable> | undefined, now: number): RedeemAbort['reason'] {
    if (!row) return 'not_found';
    if (fromBool(row.disabled)) return 'disabled';
    const expiresAt = numOrNull(row.expires_at);
    if (expiresAt !== null && expiresAt <= now) return 'expired';
    return 'used_up';
  }

  private async addTo(tx: Tx, userId: string, amountNanos: number): Promise<boolean> {
    const r = await tx
      .updateTable('users')
      .set({ balance_nanos: sql<number>`balance_nanos + ${amountNanos}`, updated_at: this.ctx.now() })
      .where('id', '=', userId)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /** Records a change already applied in `tx`; the row lock we hold makes the read-back exact. */
  private async log(tx: Tx, userId: string, amountNanos: number, note: CreditNote): Promise<number> {
    const r = await tx.selectFrom('users').select('balance_nanos').where('id', '=', userId).executeTakeFirstOrThrow();
    const balanceAfter = num(r.balance_nanos);
    await tx
      .insertInto('credit_transactions')
      .values({
        user_id: userId,
        kind: note.kind ?? 'adjustment',
        amount_nanos: amountNanos,
        balance_after_nanos: balanceAfter,
        reason: note.reason ?? null,
        actor: note.actor ?? null,
        reference: note.reference ?? null,
        created_at: this.ctx.now(),
      })
      .execute();
    return balanceAfter;
  }
}
