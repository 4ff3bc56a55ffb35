import { buildTarget, findCatalogModel, getProvider, type ProviderEntry } from '../../catalog/index.js';
import type { GatewayConfig } from '../../config/types.js';
import type { Deployment, ModelInfo, ModelRegistry } from '../../router/index.js';
import type { Channel, Store } from '../../store/index.js';
import type { Logger } from '../log.js';

const PAGE = 500;

/** Channel settings that are not secret (credentials live encrypted in channel keys). */
export interface ChannelConfig {
  apiVersion?: string;
  timeoutMs?: number;
  /** Non-secret provider inputs (region, deployment name …), see the catalog entry's extraInputs. */
  settings?: Record<string, string>;
}

export function channelConfigOf(c: Channel): ChannelConfig {
  const raw = c.config;
  const out: ChannelConfig = {};
  if (typeof raw['apiVersion'] === 'string') out.apiVersion = raw['apiVersion'];
  if (typeof raw['timeoutMs'] === 'number') out.timeoutMs = raw['timeoutMs'];
  if (raw['settings'] && typeof raw['settings'] === 'object') out.settings = raw['settings'] as Record<string, string>;
  return out;
}

/**
 * One-API priority (higher is tried first) onto the router's `order` (lower
 * tier first): priority 0 lands in tier 1, the config file's default, so
 * channels and config deployments of equal standing share a tier.
 */
export function orderForPriority(priority: number): number {
  return 1 - priority;
}

/**
 * Turns one channel into deployments: each served model × each enabled key,
 * every key getting weight/keys so a channel's share of traffic does not grow
 * with its key count while requests rotate across the keys. Throws a
 * TypeError naming the problem when the channel cannot be reached (unknown
 * provider, missing base URL).
 */
export function deploymentsForChannel(channel: Channel, keys: Array<{ id: string; secret: string }>): Deployment[] {
  const entry = getProvider(channel.provider);
  if (!entry) throw new TypeError(`provider "${channel.provider}" is not in the catalog`);
  const config = channelConfigOf(channel);
  const credentials: Array<{ id: string; secret: string | undefined }> = keys.length > 0 ? keys : entry.keyRequired ? [] : [{ id: 'nokey', secret: undefined }];
  const out: Deployment[] = [];
  for (const publicModel of channel.models) {
    const upstream = channel.modelMapping[publicModel] ?? publicModel;
    for (const k of credentials) {
      const target = buildTarget(entry, {
        model: upstream,
        ...(channel.baseUrl ? { apiBase: channel.baseUrl } : {}),
        ...(k.secret !== undefined ? { apiKey: k.secret } : {}),
        ...(config.apiVersion !== undefined ? { apiVersion: config.apiVersion } : {}),
        ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
        ...(config.settings ? { settings: config.settings } : {}),
      });
      out.push({
        id: `channel:${channel.id}:${publicModel}:${k.id}`,
        publicModel,
        provider: entry.id,
        protocol: entry.protocol,
        target,
        weight: channel.weight / credentials.length,
        order: orderForPriority(channel.priority),
        tags: [`channel:${channel.name}`],
        modelInfo: catalogInfo(entry, target.model),
        source: 'db',
        ...(channel.allowedTeams.length > 0 && { allowedTeams: channel.allowedTeams }),
      });
    }
  }
  return out;
}

function catalogInfo(entry: ProviderEntry, model: string): ModelInfo {
  const known = findCatalogModel(entry, model);
  const info: ModelInfo = {};
  if (!known) return info;
  if (known.mode !== undefined) info.mode = known.mode;
  if (known.contextWindow !== undefined) info.contextWindow = known.contextWindow;
  if (known.maxOutputTokens !== undefined) info.maxOutputTokens = known.maxOutputTokens;
  if (known.vision !== undefined) info.supportsVision = known.vision;
  if (known.tools !== undefined) info.supportsTools = known.tools;
  return info;
}

export interface ChannelDeployments {
  /** Re-reads every enabled channel and swaps the registry's deployments (config + channels). */
  rebuild(): Promise<{ deployments: number; problems: string[] }>;
}

/**
 * Channels become router deployments. Rebuilds run one at a time (a later
 * call waits for the one in flight, then reads the database afresh), and the
 * registry is swapped whole, so requests in flight keep their snapshot.
 */
export function createChannelDeployments(deps: {
  store: Store;
  registry: ModelRegistry;
  config: GatewayConfig;
  refreshDeploymentPrices: (deployments: Deployment[]) => void;
  log: Logger;
}): ChannelDeployments {
  let chain: Promise<unknown> = Promise.resolve();
  const run = async () => {
    const problems: string[] = [];
    const fromChannels: Deployment[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await deps.store.channels.list({ enabledOnly: true, limit: PAGE, offset });
      for (const channel of page) {
        try {
          const keys = await deps.store.channels.decryptedKeys(channel.id);
          const built = deploymentsForChannel(channel, keys);
          if (built.length === 0 && channel.models.length > 0) problems.push(`channel "${channel.name}" has no enabled key; it serves nothing`);
          fromChannels.push(...built);
        } catch (err) {
          problems.push(`channel "${channel.name}": ${(err as Error).message}`);
        }
      }
      if (page.length < PAGE) break;
    }
    for (const p of problems) deps.log.warn('channel skipped', { problem: p });
    const all = [...deps.config.deployments, ...fromChannels];
    deps.registry.replace(all, deps.config.accessGroups);
    deps.refreshDeploymentPrices(all);
    return { deployments: fromChannels.length, problems };
  };
  return {
    rebuild() {
      const next = chain.then(run, run);
      chain = next.catch(() => undefined);
      return next;
    },
  };
}
