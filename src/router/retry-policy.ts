import type { GatewayError } from '../spec/index.js';

/** LiteLLM's exception classes, as named in its `retry_policy` keys (without the `Retries` suffix). */
export type ErrorClass = 'RateLimitError' | 'TimeoutError' | 'InternalServerError' | 'ContentPolicyViolationError' | 'AuthenticationError' | 'BadRequestError';

/** The class an error belongs to, from its typed code; undefined for errors no policy covers. */
export function errorClassOf(e: GatewayError): ErrorClass | undefined {
  switch (e.code) {
    case 'upstream_rate_limited':
      return 'RateLimitError';
    case 'upstream_timeout':
    case 'request_timeout':
      return 'TimeoutError';
    case 'upstream_error':
    case 'upstream_overloaded':
    case 'upstream_connection':
    case 'upstream_bad_response':
    case 'no_healthy_deployment':
      return 'InternalServerError';
    case 'content_filtered':
      return 'ContentPolicyViolationError';
    case 'upstream_auth':
    case 'upstream_permission':
      return 'AuthenticationError';
    case 'upstream_bad_request':
    case 'context_length_exceeded':
      return 'BadRequestError';
    default:
      return undefined;
  }
}

/**
 * Errors that belong to one deployment (its credential), not to the request:
 * worth another key or account of the same model, never the same one again.
 */
export function isCredentialError(e: GatewayError): boolean {
  return e.code === 'upstream_auth' || e.code === 'upstream_permission';
}

/** Failures that say something about the deployment's health (so count toward its cooldown). */
export function countsAgainstDeployment(e: GatewayError): boolean {
  switch (e.code) {
    case 'upstream_rate_limited':
    case 'upstream_overloaded':
    case 'upstream_error':
    case 'upstream_timeout':
    case 'upstream_connection':
    case 'upstream_bad_response':
    case 'upstream_auth':
    case 'upstream_permission':
    case 'upstream_not_found':
      return true;
    default:
      return false;
  }
}

/** Failures that cool a deployment at once (LiteLLM: a 429, or a status retrying cannot fix). */
export function coolsImmediately(e: GatewayError): boolean {
  return e.code === 'upstream_rate_limited' || e.code === 'upstream_auth' || e.code === 'upstream_permission' || e.code === 'upstream_not_found';
}

/**
 * How many retries one model group gets, per error class. `numRetries`
 * applies to retryable errors; `retry_policy` overrides the count for its
 * class (and can make a class retryable that is not by default, e.g. bad
 * requests). Credential errors are retried only onto another deployment,
 * because a different key may work where this one was refused.
 */
export class RetryBudget {
  private readonly used = new Map<string, number>();
  private total = 0;
  private readonly cap: number;

  constructor(
    private readonly numRetries: number,
    private readonly policy: Readonly<Record<string, number>>,
  ) {
    let cap = numRetries;
    for (const v of Object.values(policy)) if (v > cap) cap = v;
    this.cap = cap;
  }

  /** Consumes one retry for `e` if allowed; `untriedLeft` = another deployment of the group is still untried. */
  take(e: GatewayError, untriedLeft: boolean): boolean {
    if (e.code === 'client_closed') return false;
    const cls = errorClassOf(e);
    const allowed = this.allowedFor(e, cls, untriedLeft);
    const key = cls ?? e.code;
    const n = this.used.get(key) ?? 0;
    if (n >= allowed || this.total >= this.cap) return false;
    this.used.set(key, n + 1);
    this.total++;
    return true;
  }

  private allowedFor(e: GatewayError, cls: ErrorClass | undefined, untriedLeft: boolean): number {
    const configured = cls === undefined ? undefined : this.policy[`${cls}Retries`];
    if (isCredentialError(e)) return untriedLeft ? (configured ?? this.numRetries) : 0;
    if (configured !== undefined) return configured;
    return e.retryable ? this.numRetries : 0;
  }
}
