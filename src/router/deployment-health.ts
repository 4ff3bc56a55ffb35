import type { Deployment } from './deployment.js';
import { MinuteWindow, SampleRing, ewma } from './minute-window.js';

export type HealthState = 'healthy' | 'cooldown' | 'half-open' | 'disabled';

/** Whether one deployment may take a request now; `probe` = it may, as the one half-open trial. */
export type Availability = 'available' | 'probe' | 'unavailable';

/** How an attempt ended, as the health registry needs it. */
export type AttemptOutcome =
  | { ok: true; latencyMs: number; stream: boolean }
  | { ok: false; latencyMs: number; stream: boolean; code: string; retryAfterMs?: number; countsAgainst: boolean; immediate: boolean };

export interface CooldownRules {
  allowedFails: number;
  cooldownTimeMs: number;
  /** A group of one never cools down: there is nowhere else to send its traffic (LiteLLM does the same). */
  soleDeployment: boolean;
}

export interface CheckResult {
  at: number;
  ok: boolean;
  latencyMs: number;
  status?: number;
  errorCode?: string;
  message?: string;
}

/** A deployment's live state as the admin API shows it. */
export interface DeploymentStats {
  id: string;
  state: HealthState;
  inFlight: number;
  ewmaLatencyMs?: number;
  ewmaTtftMs?: number;
  successes: number;
  failures: number;
  failuresLastMinute: number;
  requestsLastMinute: number;
  tokensLastMinute: number;
  cooldownUntil?: number;
  lastErrorCode?: string;
  lastErrorAt?: number;
  disabledReason?: string;
  lastCheck?: CheckResult;
}

/**
 * Live per-deployment routing state. An interface so a shared store (Redis,
 * for several gateway instances) can replace the in-memory one without the
 * router changing; every call is synchronous because the hot path never
 * waits on I/O — a shared implementation keeps a local copy and syncs it.
 */
export interface DeploymentHealth {
  availability(id: string, now: number): Availability;
  /** Cheap reads for the selection strategies (no allocation). */
  inFlight(id: string): number;
  /** EWMA time to first token (streams) or to the whole answer; undefined before any sample. */
  latencyMs(id: string, stream: boolean): number | undefined;
  requestsLastMinute(id: string, now: number): number;
  tokensLastMinute(id: string, now: number): number;
  /** An attempt starts (probe: it is the half-open trial). `tokens` = estimated prompt tokens, for TPM. */
  begin(id: string, now: number, tokens: number, probe: boolean): void;
  end(id: string, outcome: AttemptOutcome, rules: CooldownRules, now: number): void;
  /** Tokens learnt after the fact (the answer's usage), for TPM. */
  addTokens(id: string, tokens: number, now: number): void;
  /** Takes a deployment out of rotation until enabled again (revoked credential); keeps it for re-checks. */
  disable(deployment: Deployment, reason: string, now: number): void;
  /** Back into rotation (a check succeeded): ends a cooldown or a disable. */
  enable(id: string): void;
  disabled(): Array<{ deployment: Deployment; reason: string; since: number }>;
  recordCheck(id: string, result: CheckResult): void;
  stats(id: string, now: number): DeploymentStats;
  /** Time-to-first-token samples per model group, for hedging at the group's p95. */
  recordTtft(group: string, ms: number): void;
  ttftPercentile(group: string, p: number, minSamples: number): number | undefined;
}

interface Entry {
  state: HealthState;
  inFlight: number;
  probing: boolean;
  ewmaLatencyMs?: number;
  ewmaTtftMs?: number;
  successes: number;
  failures: number;
  fails: MinuteWindow;
  requests: MinuteWindow;
  tokens: MinuteWindow;
  cooldownUntil?: number;
  lastErrorCode?: string;
  lastErrorAt?: number;
  disabled?: { deployment: Deployment; reason: string; since: number };
  lastCheck?: CheckResult;
}

export class InMemoryDeploymentHealth implements DeploymentHealth {
  private readonly entries = new Map<string, Entry>();
  private readonly ttft = new Map<string, SampleRing>();

  private entry(id: string): Entry {
    let e = this.entries.get(id);
    if (e === undefined) {
      e = { state: 'healthy', inFlight: 0, probing: false, successes: 0, failures: 0, fails: new MinuteWindow(), requests: new MinuteWindow(), tokens: new MinuteWindow() };
      this.entries.set(id, e);
    }
    return e;
  }

  availability(id: string, now: number): Availability {
    const e = this.entries.get(id);
    if (e === undefined) return 'available';
    switch (e.state) {
      case 'healthy':
        return 'available';
      case 'disabled':
        return 'unavailable';
      case 'cooldown':
        if (now < (e.cooldownUntil ?? 0)) return 'unavailable';
        e.state = 'half-open';
        return e.probing ? 'unavailable' : 'probe';
      case 'half-open':
        return e.probing ? 'unavailable' : 'probe';
    }
  }

  inFlight(id: string): number {
    return this.entries.get(id)?.inFlight ?? 0;
  }

  latencyMs(id: string, stream: boolean): number | undefined {
    const e = this.entries.get(id);
    if (e === undefined) return undefined;
    return stream ? (e.ewmaTtftMs ?? e.ewmaLatencyMs) : (e.ewmaLatencyMs ?? e.ewmaTtftMs);
  }

  requestsLastMinute(id: string, now: number): number {
    return this.entries.get(id)?.requests.total(now) ?? 0;
  }

  tokensLastMinute(id: string, now: number): number {
    return this.entries.get(id)?.tokens.total(now) ?? 0;
  }

  begin(id: string, now: number, tokens: number, probe: boolean): void {
    const e = this.entry(id);
    e.inFlight++;
    if (probe) e.probing = true;
    e.requests.add(1, now);
    if (tokens > 0) e.tokens.add(tokens, now);
  }

  end(id: string, outcome: AttemptOutcome, rules: CooldownRules, now: number): void {
    const e = this.entry(id);
    e.inFlight = Math.max(0, e.inFlight - 1);
    const wasProbe = e.probing && e.state === 'half-open';
    if (wasProbe) e.probing = false;
    if (outcome.ok) {
      e.successes++;
      if (outcome.stream) e.ewmaTtftMs = ewma(e.ewmaTtftMs, outcome.latencyMs);
      else e.ewmaLatencyMs = ewma(e.ewmaLatencyMs, outcome.latencyMs);
      if (e.state === 'half-open' || e.state === 'cooldown') {
        e.state = 'healthy';
        e.cooldownUntil = undefined;
        e.fails.clear();
      }
      return;
    }
    e.lastErrorCode = outcome.code;
    e.lastErrorAt = now;
    if (!outcome.countsAgainst) {
      // The caller's own mistake says nothing about the deployment; a probe that hit one proved nothing either.
      return;
    }
    e.failures++;
    e.fails.add(1, now);
    // A timeout is as slow as it took: let the latency strategies see it.
    if (outcome.code === 'upstream_timeout') {
      if (outcome.stream) e.ewmaTtftMs = ewma(e.ewmaTtftMs, outcome.latencyMs);
      else e.ewmaLatencyMs = ewma(e.ewmaLatencyMs, outcome.latencyMs);
    }
    if (e.state === 'disabled' || rules.soleDeployment) return;
    const tooMany = e.fails.total(now) > rules.allowedFails;
    if (wasProbe || e.state === 'half-open' || outcome.immediate || tooMany) {
      e.state = 'cooldown';
      e.cooldownUntil = now + Math.max(rules.cooldownTimeMs, outcome.retryAfterMs ?? 0);
    }
  }

  addTokens(id: string, tokens: number, now: number): void {
    if (tokens > 0) this.entry(id).tokens.add(tokens, now);
  }

  disable(deployment: Deployment, reason: string, now: number): void {
    const e = this.entry(deployment.id);
    e.state = 'disabled';
    e.disabled = { deployment, reason, since: now };
  }

  enable(id: string): void {
    const e = this.entries.get(id);
    if (e === undefined || e.state === 'healthy') return;
    e.state = 'healthy';
    e.probing = false;
    e.disabled = undefined;
    e.cooldownUntil = undefined;
    e.fails.clear();
  }

  disabled(): Array<{ deployment: Deployment; reason: string; since: number }> {
    const out: Array<{ deployment: Deployment; reason: string; since: number }> = [];
    for (const e of this.entries.values()) if (e.disabled) out.push(e.disabled);
    return out;
  }

  recordCheck(id: string, result: CheckResult): void {
    this.entry(id).lastCheck = result;
  }

  stats(id: string, now: number): DeploymentStats {
    const e = this.entries.get(id);
    if (e === undefined) {
      return { id, state: 'healthy', inFlight: 0, successes: 0, failures: 0, failuresLastMinute: 0, requestsLastMinute: 0, tokensLastMinute: 0 };
    }
    // Reading availability moves an expired cooldown to half-open, so the view is current.
    this.availability(id, now);
    const s: DeploymentStats = {
      id,
      state: e.state,
      inFlight: e.inFlight,
      successes: e.successes,
      failures: e.failures,
      failuresLastMinute: e.fails.total(now),
      requestsLastMinute: e.requests.total(now),
      tokensLastMinute: e.tokens.total(now),
    };
    if (e.ewmaLatencyMs !== undefined) s.ewmaLatencyMs = Math.round(e.ewmaLatencyMs);
    if (e.ewmaTtftMs !== undefined) s.ewmaTtftMs = Math.round(e.ewmaTtftMs);
    if (e.cooldownUntil !== undefined && e.state === 'cooldown') s.cooldownUntil = e.cooldownUntil;
    if (e.lastErrorCode !== undefined) s.lastErrorCode = e.lastErrorCode;
    if (e.lastErrorAt !== undefined) s.lastErrorAt = e.lastErrorAt;
    if (e.disabled) s.disabledReason = e.disabled.reason;
    if (e.lastCheck) s.lastCheck = e.lastCheck;
    return s;
  }

  recordTtft(group: string, ms: number): void {
    let ring = this.ttft.get(group);
    if (ring === undefined) this.ttft.set(group, (ring = new SampleRing()));
    ring.push(ms);
  }

  ttftPercentile(group: string, p: number, minSamples: number): number | undefined {
    const ring = this.ttft.get(group);
    if (ring === undefined || ring.count < minSamples) return undefined;
    return ring.percentile(p);
  }
}
