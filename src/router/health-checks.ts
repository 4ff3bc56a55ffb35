import type { Protocol } from '../spec/index.js';
import { testDeployment } from './channel-check.js';
import type { CheckResult, DeploymentHealth } from './deployment-health.js';
import type { Deployment } from './deployment.js';
import type { ModelRegistry } from './model-registry.js';

export interface CheckerDeps {
  registry: ModelRegistry;
  health: DeploymentHealth;
  protocolFor: (id: string) => Protocol | undefined;
  /** An auto-disabled deployment answered a check: the server re-enables its channel key. */
  onRestored?: (deployment: Deployment) => void;
}

/**
 * Channel tests, on demand and on a schedule. A scheduled round tests only
 * deployments that are out of rotation — cooling down or auto-disabled for a
 * refused credential — so a healthy fleet costs nothing; a success puts the
 * deployment back (and re-enables its key), a failure leaves it out.
 */
export class DeploymentChecker {
  onRestored: ((deployment: Deployment) => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly deps: CheckerDeps,
    private readonly timeoutMs = 15_000,
  ) {
    this.onRestored = deps.onRestored;
  }

  /** Tests one deployment now and applies the outcome to its health. */
  async check(d: Deployment): Promise<CheckResult> {
    const result = await testDeployment(d, this.deps.protocolFor(d.protocol), this.timeoutMs);
    this.deps.health.recordCheck(d.id, result);
    if (result.ok) {
      const wasDisabled = this.deps.health.stats(d.id, Date.now()).state === 'disabled';
      this.deps.health.enable(d.id);
      if (wasDisabled) this.onRestored?.(d);
    }
    return result;
  }

  /** Deployments out of rotation: cooling down, half-open, or auto-disabled (kept even after a registry rebuild dropped them). */
  outOfRotation(): Deployment[] {
    const now = Date.now();
    const out = new Map<string, Deployment>();
    for (const d of this.deps.registry.deployments()) {
      const state = this.deps.health.stats(d.id, now).state;
      if (state === 'cooldown' || state === 'half-open') out.set(d.id, d);
    }
    for (const { deployment } of this.deps.health.disabled()) out.set(deployment.id, deployment);
    return [...out.values()];
  }

  /** One scheduled round, one deployment at a time (a check is cheap but not free). */
  async runOnce(): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    for (const d of this.outOfRotation()) results.push(await this.check(d));
    return results;
  }

  /** Starts scheduled rounds; a round still running when the next is due is not doubled. */
  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce().then(
        () => undefined,
        () => undefined,
      );
      void this.running.finally(() => (this.running = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
