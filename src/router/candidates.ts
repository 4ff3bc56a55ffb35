import { findCatalogModel, getProvider } from '../catalog/index.js';
import { GatewayError, type Identity } from '../spec/index.js';
import type { Deployment } from './deployment.js';

/**
 * Tag routing with LiteLLM's semantics: a tagged request goes only to
 * deployments carrying every one of its tags, or — when none does — to
 * those tagged `default`; an untagged request goes to the `default`
 * deployments when some exist, otherwise to all.
 */
export function filterByTags(deployments: readonly Deployment[], requestTags: readonly string[], publicModel: string): readonly Deployment[] {
  const defaults = deployments.filter((d) => d.tags.includes('default'));
  if (requestTags.length === 0) return defaults.length > 0 ? defaults : deployments;
  const matching = deployments.filter((d) => requestTags.every((t) => d.tags.includes(t)));
  if (matching.length > 0) return matching;
  if (defaults.length > 0) return defaults;
  throw new GatewayError('invalid_request', {
    message: `No deployment of '${publicModel}' carries the tags ${requestTags.map((t) => `'${t}'`).join(', ')} and none is tagged 'default'.`,
    param: 'tags',
  });
}

/**
 * Deployments restricted to teams (a channel's allowed_teams) are left out
 * for callers outside them; the master key reaches every deployment. A
 * group with nothing left for this caller is a 403, not a 404: the model
 * exists, it is just not open to them.
 */
export function filterByTeam(deployments: readonly Deployment[], identity: Identity | null, publicModel: string): readonly Deployment[] {
  if (identity?.kind === 'master' || !deployments.some((d) => d.allowedTeams !== undefined && d.allowedTeams.length > 0)) return deployments;
  const team = identity?.teamId;
  const open = deployments.filter((d) => d.allowedTeams === undefined || d.allowedTeams.length === 0 || (team !== undefined && d.allowedTeams.includes(team)));
  if (open.length > 0) return open;
  throw new GatewayError('model_not_allowed', { message: `No deployment of '${publicModel}' is open to this key's team.`, param: 'model' });
}

const windows = new WeakMap<Deployment, number | null>();

/** A deployment's context window (tokens): its model_info, else the catalog's entry for its upstream model. */
export function contextWindowOf(d: Deployment): number | undefined {
  if (d.modelInfo.contextWindow !== undefined) return d.modelInfo.contextWindow;
  let known = windows.get(d);
  if (known === undefined) {
    const entry = getProvider(d.provider);
    known = (entry && findCatalogModel(entry, d.target.model)?.contextWindow) ?? null;
    windows.set(d, known);
  }
  return known ?? undefined;
}

/** Deployments whose window holds the prompt; unknown windows are assumed to fit. */
export function fitting(deployments: readonly Deployment[], inputTokens: number): readonly Deployment[] {
  let all = true;
  for (const d of deployments) {
    const w = contextWindowOf(d);
    if (w !== undefined && w < inputTokens) {
      all = false;
      break;
    }
  }
  if (all) return deployments;
  return deployments.filter((d) => {
    const w = contextWindowOf(d);
    return w === undefined || w >= inputTokens;
  });
}

/**
 * Moves the deployments a caller named to the front, in its order, each in
 * its own tier ahead of everything else; the others keep their tiers after.
 */
export function applyDeploymentOrder(deployments: readonly Deployment[], order: readonly string[]): Deployment[] {
  const rank = new Map(order.map((id, i) => [id, i]));
  const base = deployments.reduce((m, d) => Math.min(m, d.order), Infinity) - order.length - 1;
  return deployments.map((d) => {
    const r = rank.get(d.id);
    return r === undefined ? d : { ...d, order: base + r };
  });
}
