/**
 * The two price functions the accounting interceptor needs, built from the
 * price book and the deployment list (passed in structurally: accounting may
 * not import the router). The server wires them once at start.
 */
import type { CallInfo, CallOutcome } from '../spec/index.js';
import type { PriceBook, PriceQuery } from './price-lookup.js';
import type { ModelPrice } from './prices.js';
import { reservationNanos } from './reservation-size.js';

export interface PricedDeployment {
  id: string;
  provider: string;
  /** Upstream model id. */
  model: string;
  pricingProviderId?: string;
}

export interface PriceResolvers {
  priceFor: (outcome: CallOutcome) => ModelPrice | undefined;
  estimatePriceFor: (call: CallInfo) => ModelPrice | undefined;
}

export function createPriceResolvers(
  prices: PriceBook,
  deploymentsFor: (publicModel: string) => PricedDeployment[],
  byId: (deploymentId: string) => PricedDeployment | undefined,
): PriceResolvers {
  // One query object per deployment view, kept so the book can answer it by identity.
  const queries = new WeakMap<PricedDeployment, PriceQuery>();
  const queryOf = (d: PricedDeployment): PriceQuery => {
    let q = queries.get(d);
    if (q === undefined) {
      q = { provider: d.provider, model: d.model, deploymentId: d.id, pricingProviderId: d.pricingProviderId };
      queries.set(d, q);
    }
    return q;
  };
  return {
    priceFor(outcome) {
      const d = outcome.deployment !== undefined ? byId(outcome.deployment) : undefined;
      const provider = outcome.provider ?? d?.provider;
      const model = outcome.upstreamModel ?? d?.model;
      if (provider === undefined || model === undefined) return undefined;
      if (d !== undefined && provider === d.provider && model === d.model) return prices.lookupStable(queryOf(d));
      // Absent fields are passed as undefined: the book reads them with `??`, and spreads would allocate per request.
      return prices.lookup({ provider, model, pricingProviderId: d?.pricingProviderId, deploymentId: outcome.deployment });
    },
    /**
     * The dearest priced deployment for this call, so the hold covers any
     * deployment the router may pick (fallbacks to other public models are
     * billed at their real price and may over-run the hold). Undefined only
     * when no deployment of the model has a price.
     */
    estimatePriceFor(call) {
      const priced: ModelPrice[] = [];
      for (const d of deploymentsFor(call.publicModel)) {
        const price = prices.lookupStable(queryOf(d));
        if (price) priced.push(price);
      }
      // One candidate (the usual case) needs no sizing to be the dearest: skip its exact BigInt cost.
      if (priced.length <= 1) return priced[0];
      let best: { price: ModelPrice; nanos: number } | undefined;
      for (const price of priced) {
        const nanos = reservationNanos(price, call);
        if (!best || nanos > best.nanos) best = { price, nanos };
      }
      return best?.price;
    },
  };
}
