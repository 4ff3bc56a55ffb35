/**
 * In-memory budget accounts and reservations. Synchronous on purpose: a
 * reserve is one uninterrupted JS turn, so two concurrent requests can never
 * both see the same headroom (how LiteLLM budgets get bypassed under load,
 * and One-API balances go negative).
 *
 * Rule: a request is admitted only if EVERY account it touches (key, user,
 * team, user credit balance) has room for its reservation. Settlement moves
 * reserved → spent with the actual cost; an actual above the reservation is
 * recorded in full, so the only way past a limit is the over-run of requests
 * already in flight. Balances never go below zero: a shortfall is recorded
 * as `unpaidNanos` and reported as an event.
 */
import { nextResetAfter, parseDuration, addDuration, type Duration } from './budget-period.js';
import { formatNanosAsUsd } from './exact-decimal.js';

export type BudgetKind = 'key' | 'user' | 'team';
export type AccountKind = BudgetKind | 'balance';

export interface BudgetAccountInput {
  kind: BudgetKind;
  id: string;
  /** Hard limit for the period; null = unlimited (spend is still tracked). */
  limitNanos: number | null;
  spentNanos?: number;
  /** Alert threshold (LiteLLM `soft_budget`): crossing it emits an event, never refuses. */
  softLimitNanos?: number | null;
  /** LiteLLM `budget_duration`, e.g. "30d"; absent = the budget never resets. */
  duration?: string | null;
  /** Epoch ms of the next reset; absent with a duration = one duration from first use. */
  resetAt?: number | null;
}

/** A prepaid credit balance (per user): spending draws it down, never below zero. */
export interface BalanceAccountInput {
  kind: 'balance';
  id: string;
  balanceNanos: number;
}

export type AccountInput = BudgetAccountInput | BalanceAccountInput;

export interface BudgetAccount {
  kind: BudgetKind;
  id: string;
  limitNanos: number | null;
  spentNanos: number;
  reservedNanos: number;
  softLimitNanos: number | null;
  duration: string | null;
  resetAt: number | null;
}

export interface BalanceAccount {
  kind: 'balance';
  id: string;
  balanceNanos: number;
  reservedNanos: number;
  /** Cost that exceeded the balance at settlement (owed, not charged). */
  unpaidNanos: number;
}

export type Account = BudgetAccount | BalanceAccount;

export interface AccountRef {
  kind: AccountKind;
  id: string;
}

export interface Refusal {
  code: 'budget_exceeded' | 'insufficient_quota';
  account: Readonly<Account>;
  requestedNanos: number;
  message: string;
}

export type BudgetEvent =
  | { type: 'soft_limit_crossed'; account: Readonly<BudgetAccount>; softLimitNanos: number }
  | { type: 'limit_reached'; account: Readonly<BudgetAccount> }
  | { type: 'budget_reset'; account: Readonly<BudgetAccount>; previousSpentNanos: number }
  | { type: 'balance_overdraft'; account: Readonly<BalanceAccount>; unpaidNanos: number };

export interface BudgetBookOptions {
  /** Clock (epoch ms), injectable for period tests. */
  now?: () => number;
  onEvent?: (event: BudgetEvent) => void;
}

export type ReserveResult = { ok: true; reservation: Reservation } | { ok: false; refusal: Refusal };

export interface SettleResult {
  /** The cost recorded (the first settle's figure when called again). */
  actualNanos: number;
  /** How far the actual cost went over the reservation (0 when within it). */
  overrunNanos: number;
}

const keyOf = (kind: AccountKind, id: string): string => `${kind}\u0000${id}`;
const usd = (n: number): string => `$${formatNanosAsUsd(n)}`;

function checkNanos(n: number, field: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${field} must be an integer number of nano-USD, got ${n}`);
}

/** One request's hold on its accounts. settle() and release() take effect exactly once, whichever comes first. */
export class Reservation {
  private done: SettleResult | 'released' | null = null;

  constructor(
    private readonly book: BudgetBook,
    readonly amountNanos: number,
    /** The accounts actually held (refs with no account in the book are unlimited and not listed). */
    readonly accounts: readonly AccountRef[],
  ) {}

  get state(): 'held' | 'settled' | 'released' {
    return this.done === null ? 'held' : this.done === 'released' ? 'released' : 'settled';
  }

  settle(actualNanos: number): SettleResult {
    if (this.done === 'released') return { actualNanos: 0, overrunNanos: 0 };
    if (this.done) return this.done;
    checkNanos(actualNanos, 'actual cost');
    if (actualNanos < 0) throw new RangeError('actual cost cannot be negative');
    this.done = { actualNanos, overrunNanos: Math.max(0, actualNanos - this.amountNanos) };
    this.book._settle(this, actualNanos);
    return this.done;
  }

  release(): void {
    if (this.done !== null) return;
    this.done = 'released';
    this.book._settle(this, null);
  }
}

export class BudgetBook {
  private readonly accounts = new Map<string, Account>();
  private readonly durations = new Map<string, Duration>();
  private readonly now: () => number;
  private readonly onEvent: (event: BudgetEvent) => void;

  constructor(opts: BudgetBookOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.onEvent = opts.onEvent ?? (() => {});
  }

  /**
   * Replaces every account (start-up fill from the database). Reservations in
   * flight keep their held amounts on accounts that still exist.
   */
  load(inputs: AccountInput[]): void {
    const old = new Map(this.accounts);
    this.accounts.clear();
    this.durations.clear();
    for (const input of inputs) {
      const k = keyOf(input.kind, input.id);
      this.accounts.set(k, this.build(input, old.get(k), 'replace'));
    }
  }

  /**
   * Adds or updates one account (a key/user/team changed). Spend policy:
   * 'max' (default) keeps the higher of memory and input, because memory is
   * ahead of the database while ledger writes are batched; 'replace' takes
   * the input (an admin reset); 'keep' ignores the input's spend.
   */
  upsert(input: AccountInput, spent: 'max' | 'replace' | 'keep' = 'max'): void {
    const k = keyOf(input.kind, input.id);
    this.accounts.set(k, this.build(input, this.accounts.get(k), spent));
  }

  remove(kind: AccountKind, id: string): boolean {
    this.durations.delete(keyOf(kind, id));
    return this.accounts.delete(keyOf(kind, id));
  }

  /** A snapshot (copy) of one account, with any due period reset applied. */
  get(kind: AccountKind, id: string): Account | undefined {
    const a = this.accounts.get(keyOf(kind, id));
    if (!a) return undefined;
    this.maybeReset(a);
    return { ...a };
  }

  /** What is left to spend: limit − spent − reserved (or balance − reserved); null when unlimited or unknown. */
  remainingNanos(kind: AccountKind, id: string): number | null {
    const a = this.accounts.get(keyOf(kind, id));
    if (!a) return null;
    this.maybeReset(a);
    if (a.kind === 'balance') return Math.max(0, a.balanceNanos - a.reservedNanos);
    if (a.limitNanos === null) return null;
    return Math.max(0, a.limitNanos - a.spentNanos - a.reservedNanos);
  }

  /** Atomically holds `amountNanos` on every listed account, or on none. */
  reserve(refs: AccountRef[], amountNanos: number): ReserveResult {
    checkNanos(amountNanos, 'reservation');
    if (amountNanos < 0) throw new RangeError('reservation cannot be negative');
    const held: Account[] = [];
    for (const ref of refs) {
      const a = this.accounts.get(keyOf(ref.kind, ref.id));
      // A caller has at most four accounts: a scan beats a Set per request.
      if (!a || held.includes(a)) continue;
      this.maybeReset(a);
      const refusal = this.check(a, amountNanos);
      if (refusal) return { ok: false, refusal };
      held.push(a);
    }
    for (const a of held) a.reservedNanos += amountNanos;
    return { ok: true, reservation: new Reservation(this, amountNanos, held.map((a) => ({ kind: a.kind, id: a.id }))) };
  }

  /** @internal called once by Reservation; actual null = release. */
  _settle(r: Reservation, actualNanos: number | null): void {
    for (const ref of r.accounts) {
      const a = this.accounts.get(keyOf(ref.kind, ref.id));
      if (!a) continue;
      a.reservedNanos = Math.max(0, a.reservedNanos - r.amountNanos);
      if (actualNanos === null || actualNanos === 0) continue;
      if (a.kind === 'balance') {
        const paid = Math.min(actualNanos, a.balanceNanos);
        a.balanceNanos -= paid;
        if (paid < actualNanos) {
          a.unpaidNanos += actualNanos - paid;
          this.onEvent({ type: 'balance_overdraft', account: { ...a }, unpaidNanos: actualNanos - paid });
        }
        continue;
      }
      this.maybeReset(a);
      const before = a.spentNanos;
      a.spentNanos += actualNanos;
      if (a.softLimitNanos !== null && before < a.softLimitNanos && a.spentNanos >= a.softLimitNanos) {
        this.onEvent({ type: 'soft_limit_crossed', account: { ...a }, softLimitNanos: a.softLimitNanos });
      }
      if (a.limitNanos !== null && before < a.limitNanos && a.spentNanos >= a.limitNanos) {
        this.onEvent({ type: 'limit_reached', account: { ...a } });
      }
    }
  }

  private check(a: Account, amount: number): Refusal | undefined {
    const label = `${a.kind === 'balance' ? 'credit balance of user' : a.kind} '${a.id}'`;
    if (a.kind === 'balance') {
      const available = a.balanceNanos - a.reservedNanos;
      if (available <= 0 || available < amount) {
        return {
          code: 'insufficient_quota',
          account: { ...a },
          requestedNanos: amount,
          message: `Insufficient credit: ${label} has ${usd(Math.max(0, available))} available (${usd(a.balanceNanos)} balance, ${usd(a.reservedNanos)} held by requests in flight); this request may cost up to ${usd(amount)}.`,
        };
      }
      return undefined;
    }
    if (a.limitNanos === null) return undefined;
    if (a.spentNanos >= a.limitNanos || a.spentNanos + a.reservedNanos + amount > a.limitNanos) {
      const period = a.duration ? ` per ${a.duration}` : '';
      const reset = a.resetAt !== null ? `; resets at ${new Date(a.resetAt).toISOString()}` : '';
      return {
        code: 'budget_exceeded',
        account: { ...a },
        requestedNanos: amount,
        message: `Budget exceeded for ${label}: limit ${usd(a.limitNanos)}${period}, spent ${usd(a.spentNanos)}, ${usd(a.reservedNanos)} held by requests in flight; this request may cost up to ${usd(amount)}${reset}.`,
      };
    }
    return undefined;
  }

  private maybeReset(a: Account): void {
    if (a.kind === 'balance' || a.duration === null) return;
    const d = this.durations.get(keyOf(a.kind, a.id));
    if (!d) return;
    const now = this.now();
    if (a.resetAt === null) {
      a.resetAt = addDuration(now, d);
      return;
    }
    if (now < a.resetAt) return;
    const previousSpentNanos = a.spentNanos;
    a.spentNanos = 0;
    a.resetAt = nextResetAfter(a.resetAt, d, now);
    this.onEvent({ type: 'budget_reset', account: { ...a }, previousSpentNanos });
  }

  private build(input: AccountInput, prev: Account | undefined, spent: 'max' | 'replace' | 'keep'): Account {
    const reservedNanos = prev && prev.kind === input.kind ? prev.reservedNanos : 0;
    if (input.kind === 'balance') {
      checkNanos(input.balanceNanos, `balance of user ${input.id}`);
      if (input.balanceNanos < 0) throw new RangeError(`balance of user ${input.id} cannot be negative`);
      return { kind: 'balance', id: input.id, balanceNanos: input.balanceNanos, reservedNanos, unpaidNanos: prev?.kind === 'balance' ? prev.unpaidNanos : 0 };
    }
    const where = `${input.kind} ${input.id}`;
    if (input.limitNanos !== null) checkNanos(input.limitNanos, `${where} limit`);
    const inSpent = input.spentNanos ?? 0;
    checkNanos(inSpent, `${where} spend`);
    const prevSpent = prev && prev.kind === input.kind ? prev.spentNanos : undefined;
    const spentNanos = prevSpent === undefined || spent === 'replace' ? inSpent : spent === 'keep' ? prevSpent : Math.max(prevSpent, inSpent);
    const k = keyOf(input.kind, input.id);
    if (input.duration) this.durations.set(k, parseDuration(input.duration));
    else this.durations.delete(k);
    return {
      kind: input.kind,
      id: input.id,
      limitNanos: input.limitNanos,
      spentNanos,
      reservedNanos,
      softLimitNanos: input.softLimitNanos ?? null,
      duration: input.duration ?? null,
      resetAt: input.resetAt ?? (prev && prev.kind === input.kind && input.duration ? prev.resetAt : null),
    };
  }
}
