import { invalidRequest } from '../spec/index.js';
import type { Identity } from '../spec/index.js';
import type { Strategy } from './select-deployment.js';

export const STRATEGY_HEADER = 'x-switchyard-routing-strategy';
export const ORDER_HEADER = 'x-switchyard-deployment-order';

const STRATEGIES: readonly Strategy[] = ['weighted-random', 'round-robin', 'least-busy', 'lowest-latency', 'usage-based', 'lowest-cost'];

export interface RoutingOverrides {
  strategy?: Strategy;
  deploymentOrder?: string[];
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  const s = Array.isArray(v) ? v.join(',') : v;
  return s === undefined || s.trim() === '' ? undefined : s.trim();
}

/**
 * Per-request routing overrides from headers. Honoured only for callers
 * allowed to steer routing; anyone else gets a warning that they were not
 * used. A bad value from an allowed caller is a 400 naming the header.
 */
export function routingOverrides(headers: Record<string, string | string[] | undefined>, identity: Identity | null, warn: (m: string) => void): RoutingOverrides {
  const strategy = header(headers, STRATEGY_HEADER);
  const order = header(headers, ORDER_HEADER);
  if (strategy === undefined && order === undefined) return {};
  if (identity?.canOverrideRouting !== true) {
    warn(`Routing override headers (${[strategy && STRATEGY_HEADER, order && ORDER_HEADER].filter(Boolean).join(', ')}) ignored: this key may not override routing`);
    return {};
  }
  const out: RoutingOverrides = {};
  if (strategy !== undefined) {
    if (!(STRATEGIES as readonly string[]).includes(strategy)) throw invalidRequest(`${STRATEGY_HEADER} must be one of: ${STRATEGIES.join(', ')}.`, STRATEGY_HEADER);
    out.strategy = strategy as Strategy;
  }
  if (order !== undefined) out.deploymentOrder = order.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  return out;
}
