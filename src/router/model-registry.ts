import { GatewayError } from '../spec/index.js';
import type { Deployment } from './deployment.js';

/**
 * Public model names → their deployments. Replaced wholesale when config or
 * channels change (copy-on-write), so a request in flight keeps the snapshot
 * it started with and lookups stay a single Map read.
 */
export class ModelRegistry {
  private groups = new Map<string, Deployment[]>();
  private byId = new Map<string, Deployment>();
  private accessGroups = new Map<string, Set<string>>();

  constructor(deployments: Deployment[] = [], accessGroups: Record<string, string[]> = {}) {
    this.replace(deployments, accessGroups);
  }

  replace(deployments: Deployment[], accessGroups: Record<string, string[]> = {}): void {
    const groups = new Map<string, Deployment[]>();
    for (const d of deployments) {
      const list = groups.get(d.publicModel);
      if (list) list.push(d);
      else groups.set(d.publicModel, [d]);
    }
    const access = new Map<string, Set<string>>();
    for (const [model, names] of Object.entries(accessGroups)) {
      for (const g of names) {
        let set = access.get(g);
        if (!set) access.set(g, (set = new Set()));
        set.add(model);
      }
    }
    this.groups = groups;
    this.byId = new Map(deployments.map((d) => [d.id, d]));
    this.accessGroups = access;
  }

  /** Deployments for a public name, or a 404 naming it. */
  resolve(publicModel: string): Deployment[] {
    const list = this.groups.get(publicModel);
    if (list === undefined || list.length === 0) {
      throw new GatewayError('model_not_found', {
        message: `The model '${publicModel}' does not exist or is not configured on this gateway.`,
        param: 'model',
      });
    }
    return list;
  }

  has(publicModel: string): boolean {
    return this.groups.has(publicModel);
  }

  deployment(id: string): Deployment | undefined {
    return this.byId.get(id);
  }

  publicModels(): string[] {
    return [...this.groups.keys()];
  }

  deployments(): Deployment[] {
    return [...this.groups.values()].flat();
  }

  /**
   * Whether an allow-list (model names and/or access-group names) grants a
   * model. undefined or an empty list grants everything (LiteLLM semantics).
   */
  isAllowed(publicModel: string, allowed: string[] | undefined): boolean {
    if (allowed === undefined || allowed.length === 0) return true;
    for (const entry of allowed) {
      if (entry === publicModel || entry === '*' || entry === 'all-proxy-models') return true;
      if (this.accessGroups.get(entry)?.has(publicModel)) return true;
    }
    return false;
  }
}
