import type { PriceBook } from '../accounting/index.js';
import type { CostFunction, Deployment, Router } from '../router/index.js';
import type { Store } from '../store/index.js';
import type { ChannelDeployments } from './accounts/channel-deployments.js';
import type { Logger } from './log.js';

/** Reasons the router writes start with this, so a re-check never re-enables a key an admin disabled. */
export const AUTO_DISABLED = 'auto-disabled: ';

/** The channel and key a channel deployment was built from (ids are `channel:<channel>:<model>:<key>`). */
export function channelKeyOf(d: Deployment): { channelId: string; keyId: string } | undefined {
  if (d.source !== 'db' || !d.id.startsWith('channel:')) return undefined;
  const rest = d.id.slice('channel:'.length);
  const first = rest.indexOf(':');
  const last = rest.lastIndexOf(':');
  if (first < 0 || last <= first) return undefined;
  return { channelId: rest.slice(0, first), keyId: rest.slice(last + 1) };
}

/** USD per token from a price-book rate (decimal string per 1M tokens, or tiered: the base rate). */
function perToken(rate: string | { base: string } | undefined): number | undefined {
  if (rate === undefined) return undefined;
  const n = Number(typeof rate === 'string' ? rate : rate.base);
  return Number.isFinite(n) ? n / 1_000_000 : undefined;
}

/** Lowest-cost routing's estimate, from the same price book that bills. */
export function costFromPriceBook(prices: PriceBook): CostFunction {
  return (d, inputTokens, outputTokens) => {
    const p = prices.lookup({ provider: d.provider, model: d.target.model, deploymentId: d.id });
    if (p === undefined) return undefined;
    const i = perToken(p.input);
    const o = perToken(p.output);
    if (i === undefined && o === undefined) return undefined;
    return (i ?? 0) * inputTokens + (o ?? 0) * outputTokens;
  };
}

/**
 * Connects the router's health to the store: a channel key whose credential
 * the upstream refused is disabled with the reason and the deployments are
 * rebuilt; a scheduled check that succeeds on it enables it again. Store
 * writes run one after another off the request path.
 */
export function wireRouterHealth(deps: { router: Router; store: Store; channels: ChannelDeployments; prices: PriceBook; log: Logger; intervalMs?: number }): { stop(): void } {
  const { router, store, channels, log } = deps;
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = (what: string, job: () => Promise<void>): void => {
    queue = queue.then(job).catch((err: unknown) => log.warn('router health', { what, message: (err as Error).message }));
  };
  router.costOf ??= costFromPriceBook(deps.prices);
  router.setCredentialHandlers({
    onCredentialFailure(d, e) {
      const ref = channelKeyOf(d);
      if (!ref) return;
      log.warn('channel key disabled', { channel: ref.channelId, key: ref.keyId, code: e.code, status: e.upstreamStatus });
      enqueue('disable key', async () => {
        const key = (await store.channels.keys(ref.channelId)).find((k) => k.id === ref.keyId);
        if (!key?.enabled) return;
        await store.channels.setKeyEnabled(ref.keyId, false, `${AUTO_DISABLED}${e.code} (HTTP ${e.upstreamStatus ?? e.status}): ${e.message}`.slice(0, 1000));
        await store.channels.recordKeyError(ref.keyId, e.message);
        await channels.rebuild();
      });
    },
    onCredentialRestored(d) {
      const ref = channelKeyOf(d);
      if (!ref) return;
      enqueue('enable key', async () => {
        const key = (await store.channels.keys(ref.channelId)).find((k) => k.id === ref.keyId);
        if (!key || key.enabled || !key.disabledReason?.startsWith(AUTO_DISABLED)) return;
        log.info('channel key re-enabled after a successful check', { channel: ref.channelId, key: ref.keyId });
        await store.channels.setKeyEnabled(ref.keyId, true);
        await channels.rebuild();
      });
    },
  });
  if (deps.intervalMs !== undefined && deps.intervalMs > 0) router.checker.start(deps.intervalMs);
  return {
    stop() {
      router.checker.stop();
    },
  };
}

/** The handle wireRouterHealth returns. */
export type RouterWiring = ReturnType<typeof wireRouterHealth>;
