import type { Deployment } from './deployment.js';

/**
 * Picks a deployment among candidates. Strategies are small pure functions
 * over the same inputs so new ones (latency, usage, cost) slot in beside
 * this one without touching the retry loop.
 */
export type Selector = (candidates: readonly Deployment[], random: () => number) => Deployment | undefined;

/** Lowest `order` tier first; weighted random inside the tier (LiteLLM's simple-shuffle). */
export const weightedRandom: Selector = (candidates, random) => {
  if (candidates.length === 0) return undefined;
  if (candidates.length === 1) return candidates[0];
  let tier = Infinity;
  for (const d of candidates) if (d.order < tier) tier = d.order;
  let total = 0;
  for (const d of candidates) if (d.order === tier) total += Math.max(0, d.weight);
  if (total <= 0) return candidates.find((d) => d.order === tier);
  let r = random() * total;
  for (const d of candidates) {
    if (d.order !== tier) continue;
    r -= Math.max(0, d.weight);
    if (r < 0) return d;
  }
  return candidates.find((d) => d.order === tier);
};
