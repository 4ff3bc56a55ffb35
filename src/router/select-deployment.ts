import type { Deployment, RouterSettings } from './deployment.js';
import type { DeploymentHealth } from './deployment-health.js';

/** Estimated USD cost of one request on a deployment; undefined when its price is unknown. */
export type CostFunction = (deployment: Deployment, inputTokens: number, outputTokens: number) => number | undefined;

/** What a strategy may look at besides the candidates. */
export interface SelectionInput {
  random: () => number;
  health: DeploymentHealth;
  now: number;
  stream: boolean;
  /** Prompt size estimate (tokens) and expected output, for TPM headroom and cost. */
  inputTokens: number;
  outputTokens: number;
  /** Model group being served (round-robin keeps one cursor per group). */
  group: string;
  costOf?: CostFunction;
}

/**
 * Picks a deployment among candidates that are all available and all in
 * the same priority tier (the router applies tiers first). Strategies are
 * small functions over the same inputs, so the retry loop never changes.
 */
export type Selector = (candidates: readonly Deployment[], input: SelectionInput) => Deployment | undefined;

export type Strategy = RouterSettings['strategy'];

/** Deployments of the lowest `order` present (tier 1 before tier 2, LiteLLM's `order`). */
export function lowestTier(candidates: readonly Deployment[]): readonly Deployment[] {
  if (candidates.length <= 1) return candidates;
  let tier = Infinity;
  let mixed = false;
  for (const d of candidates) {
    if (d.order !== tier && tier !== Infinity) mixed = true;
    if (d.order < tier) tier = d.order;
  }
  return mixed ? candidates.filter((d) => d.order === tier) : candidates;
}

/** Weighted random (LiteLLM's simple-shuffle). */
export const weightedRandom: Selector = (candidates, { random }) => {
  if (candidates.length <= 1) return candidates[0];
  let total = 0;
  for (const d of candidates) total += Math.max(0, d.weight);
  if (total <= 0) return candidates[Math.floor(random() * candidates.length)];
  let r = random() * total;
  for (const d of candidates) {
    r -= Math.max(0, d.weight);
    if (r < 0) return d;
  }
  return candidates[candidates.length - 1];
};

/** Lowest score wins; equal scores share by weight, so ties do not always land on the first listed. */
function lowestBy(candidates: readonly Deployment[], input: SelectionInput, score: (d: Deployment) => number): Deployment | undefined {
  if (candidates.length <= 1) return candidates[0];
  let best = Infinity;
  let ties: Deployment[] = [];
  for (const d of candidates) {
    const s = score(d);
    if (s < best) {
      best = s;
      ties = [d];
    } else if (s === best) ties.push(d);
  }
  if (ties.length === 0) return weightedRandom(candidates, input);
  return ties.length === 1 ? ties[0] : weightedRandom(ties, input);
}

/** Fewest requests in flight right now. */
export const leastBusy: Selector = (candidates, input) => lowestBy(candidates, input, (d) => input.health.inFlight(d.id));

/**
 * Lowest moving-average latency: time to first token for streams, whole
 * answer otherwise. A deployment with no sample yet scores 0, so every one
 * is tried early (warm-up) instead of the first fast one taking all traffic.
 */
export const lowestLatency: Selector = (candidates, input) => lowestBy(candidates, input, (d) => input.health.latencyMs(d.id, input.stream) ?? 0);

/**
 * Most headroom against each deployment's `rpm`/`tpm` over the last minute;
 * a deployment this request would push past a limit is not picked at all
 * (undefined when every one is full, which the router reports as a 429).
 */
export const usageBased: Selector = (candidates, input) => {
  const open = candidates.filter((d) => withinLimits(d, input));
  return lowestBy(open, input, (d) => utilisation(d, input));
};

function withinLimits(d: Deployment, { health, now, inputTokens }: SelectionInput): boolean {
  if (d.rpm !== undefined && health.requestsLastMinute(d.id, now) + 1 > d.rpm) return false;
  if (d.tpm !== undefined && health.tokensLastMinute(d.id, now) + inputTokens > d.tpm) return false;
  return true;
}

function utilisation(d: Deployment, { health, now }: SelectionInput): number {
  let u = 0;
  if (d.rpm !== undefined) u = Math.max(u, health.requestsLastMinute(d.id, now) / d.rpm);
  if (d.tpm !== undefined) u = Math.max(u, health.tokensLastMinute(d.id, now) / d.tpm);
  // Unlimited deployments compare by raw request count, so they still share the load.
  return d.rpm === undefined && d.tpm === undefined ? health.requestsLastMinute(d.id, now) / 1e9 : u;
}

/** Cheapest estimated request from the injected prices; unpriced deployments come last. */
export const lowestCost: Selector = (candidates, input) =>
  lowestBy(candidates, input, (d) => input.costOf?.(d, input.inputTokens, input.outputTokens) ?? modelInfoCost(d, input) ?? Infinity);

function modelInfoCost(d: Deployment, { inputTokens, outputTokens }: SelectionInput): number | undefined {
  const i = d.modelInfo.inputCostPerToken;
  const o = d.modelInfo.outputCostPerToken;
  if (i === undefined && o === undefined) return undefined;
  return (i ?? 0) * inputTokens + (o ?? 0) * outputTokens + (d.modelInfo.costPerRequest ?? 0);
}

/** Round robin per model group; the cursor lives in the returned selector. */
export function roundRobin(): Selector {
  const cursors = new Map<string, number>();
  return (candidates, { group }) => {
    if (candidates.length <= 1) return candidates[0];
    const n = cursors.get(group) ?? 0;
    cursors.set(group, (n + 1) % 1_000_000_007);
    return candidates[n % candidates.length];
  };
}

/** One selector per strategy name; round robin gets its own cursor state. */
export function selectorFor(strategy: Strategy, shared?: { roundRobin: Selector }): Selector {
  switch (strategy) {
    case 'weighted-random':
      return weightedRandom;
    case 'round-robin':
      return shared?.roundRobin ?? roundRobin();
    case 'least-busy':
      return leastBusy;
    case 'lowest-latency':
      return lowestLatency;
    case 'usage-based':
      return usageBased;
    case 'lowest-cost':
      return lowestCost;
  }
}
