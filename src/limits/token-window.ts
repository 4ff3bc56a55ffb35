/**
 * Tokens charged in the rolling window, in fixed slots (60 slots of one
 * second for a one-minute window). A log per request, as for rpm, would be
 * exact but unbounded — a key with a tpm and no rpm can send any number of
 * small requests — so tokens are kept to the slot: a charge leaves the
 * window between 59 and 60 seconds after it was made. Memory is the fixed
 * ring, whatever the traffic.
 */
export const TOKEN_SLOTS = 60;

export class TokenWindow {
  /** slots[i] holds the tokens of absolute slot number `ids[i]`; a stale id means empty. */
  private readonly tokens = new Array<number>(TOKEN_SLOTS).fill(0);
  private readonly ids = new Array<number>(TOKEN_SLOTS).fill(-Infinity);
  constructor(private readonly windowMs: number) {}

  slotOf(now: number): number {
    // Multiply before dividing: slot bounds stay whole milliseconds when the window allows.
    return Math.floor((now * TOKEN_SLOTS) / this.windowMs);
  }

  used(now: number): number {
    const current = this.slotOf(now);
    let sum = 0;
    for (let i = 0; i < TOKEN_SLOTS; i++) if (this.live(i, current)) sum += this.tokens[i]!;
    return sum;
  }

  /** Charges `tokens` to the current slot; returns the slot, which a later correction names. */
  charge(now: number, tokens: number): number {
    const slot = this.slotOf(now);
    const i = slot % TOKEN_SLOTS;
    if (this.ids[i] !== slot) {
      this.ids[i] = slot;
      this.tokens[i] = 0;
    }
    this.tokens[i]! += tokens;
    return slot;
  }

  /**
   * Moves a charge made in `slot` by `delta` tokens. While that slot is in
   * the window the correction lands there (the request's tokens count from
   * when it was admitted). A request that outlived the window has already
   * left it: a refund then has nothing to return, but tokens beyond the
   * estimate are charged now, so a long stream still pays for what it made.
   */
  correct(now: number, slot: number, delta: number): void {
    if (delta === 0) return;
    const i = slot % TOKEN_SLOTS;
    if (this.live(i, this.slotOf(now)) && this.ids[i] === slot) {
      this.tokens[i] = Math.max(0, this.tokens[i]! + delta);
    } else if (delta > 0) {
      this.charge(now, delta);
    }
  }

  /** Until enough charges expire to free `excess` tokens (assumes excess ≤ used). */
  untilFreed(now: number, excess: number): number {
    const current = this.slotOf(now);
    let freed = 0;
    for (let slot = current - TOKEN_SLOTS + 1; slot <= current; slot++) {
      const i = slot % TOKEN_SLOTS;
      if (this.ids[i] !== slot) continue;
      freed += this.tokens[i]!;
      if (freed >= excess) return this.expiry(slot, now);
    }
    return this.expiry(current, now);
  }

  /** Until the newest charge expires. */
  untilEmpty(now: number): number {
    const current = this.slotOf(now);
    for (let slot = current; slot > current - TOKEN_SLOTS; slot--) {
      const i = slot % TOKEN_SLOTS;
      if (this.ids[i] === slot && this.tokens[i]! > 0) return this.expiry(slot, now);
    }
    return 0;
  }

  private live(i: number, current: number): boolean {
    const id = this.ids[i]!;
    return id > current - TOKEN_SLOTS && id <= current;
  }

  private expiry(slot: number, now: number): number {
    return Math.max(0, Math.ceil(((slot + TOKEN_SLOTS) * this.windowMs) / TOKEN_SLOTS) - now);
  }
}
