import { formatNanosAsUsd, type OverrideTarget, type PriceBook, type PriceOverride as BookOverride } from '../../accounting/index.js';
import type { PriceOverride, Store } from '../../store/index.js';

/** A stored override (nano-USD per 1M tokens) as the price book's exact decimal strings. */
export function toBookOverride(o: PriceOverride): { target: OverrideTarget; price: BookOverride } {
  const price: BookOverride = {};
  if (o.inputNanosPerMTok !== null) price.input = formatNanosAsUsd(o.inputNanosPerMTok);
  if (o.outputNanosPerMTok !== null) price.output = formatNanosAsUsd(o.outputNanosPerMTok);
  if (o.cacheReadNanosPerMTok !== null) price.cacheRead = formatNanosAsUsd(o.cacheReadNanosPerMTok);
  if (o.cacheWriteNanosPerMTok !== null) price.cacheWrite = formatNanosAsUsd(o.cacheWriteNanosPerMTok);
  if (o.perRequestNanos !== null) price.perRequest = { usd: formatNanosAsUsd(o.perRequestNanos), per: 1 };
  const target: OverrideTarget = o.provider === '*' ? { model: o.modelPattern } : { provider: o.provider, model: o.modelPattern };
  return { target, price };
}

/**
 * Loads the admin's price overrides into the book. Returns a reloader for
 * the admin API to call after it changes one (the book is the only place
 * prices are read from on the hot path).
 */
export async function loadPriceOverrides(store: Store, book: PriceBook): Promise<() => Promise<void>> {
  let applied: OverrideTarget[] = [];
  const reload = async (): Promise<void> => {
    const overrides = (await store.prices.list()).map(toBookOverride);
    for (const t of applied) book.deleteOverride(t);
    for (const o of overrides) book.setOverride(o.target, o.price);
    applied = overrides.map((o) => o.target);
  };
  await reload();
  return reload;
}
