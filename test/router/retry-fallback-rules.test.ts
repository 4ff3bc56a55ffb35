import { describe, expect, it } from 'vitest';
import { fallbackChainFor } from '../../src/router/fallback-plan.js';
import { RetryBudget, defaultRouterSettings, errorClassOf } from '../../src/router/index.js';
import { GatewayError, type ErrorCode } from '../../src/spec/index.js';

const err = (code: ErrorCode) => new GatewayError(code, { message: code });

describe('retry budget (LiteLLM retry_policy classes)', () => {
  it('maps typed codes onto LiteLLM exception classes', () => {
    expect(errorClassOf(err('upstream_rate_limited'))).toBe('RateLimitError');
    expect(errorClassOf(err('upstream_timeout'))).toBe('TimeoutError');
    expect(errorClassOf(err('upstream_overloaded'))).toBe('InternalServerError');
    expect(errorClassOf(err('content_filtered'))).toBe('ContentPolicyViolationError');
    expect(errorClassOf(err('upstream_auth'))).toBe('AuthenticationError');
    expect(errorClassOf(err('upstream_bad_request'))).toBe('BadRequestError');
  });

  it('num_retries covers retryable errors; a class count overrides it, even above it', () => {
    const b = new RetryBudget(1, { TimeoutErrorRetries: 3 });
    expect([1, 2, 3, 4].map(() => b.take(err('upstream_timeout'), true))).toEqual([true, true, true, false]);
    const c = new RetryBudget(1, {});
    expect([1, 2].map(() => c.take(err('upstream_error'), true))).toEqual([true, false]);
  });

  it('bad requests are not retried unless BadRequestErrorRetries says so', () => {
    expect(new RetryBudget(3, {}).take(err('upstream_bad_request'), true)).toBe(false);
    expect(new RetryBudget(3, { BadRequestErrorRetries: 1 }).take(err('upstream_bad_request'), true)).toBe(true);
  });

  it('a refused credential is retried only while another deployment (key) is untried', () => {
    expect(new RetryBudget(2, {}).take(err('upstream_auth'), true)).toBe(true);
    expect(new RetryBudget(2, {}).take(err('upstream_auth'), false)).toBe(false);
    expect(new RetryBudget(2, { AuthenticationErrorRetries: 0 }).take(err('upstream_auth'), true)).toBe(false);
  });

  it('a client that went away is never retried', () => {
    expect(new RetryBudget(5, {}).take(err('client_closed'), true)).toBe(false);
  });
});

describe('fallback chains', () => {
  const s = { ...defaultRouterSettings(), fallbacks: { a: ['b'] }, defaultFallbacks: ['d', 'x'], contextWindowFallbacks: { a: ['big'] }, contentPolicyFallbacks: { a: ['lenient'] } };

  it('picks the list by what failed', () => {
    const chain = fallbackChainFor('a', s, undefined);
    expect(chain.after(err('upstream_error'))).toEqual(['b']);
    expect(chain.after(err('context_length_exceeded'))).toEqual(['big']);
    expect(chain.after(err('content_filtered'))).toEqual(['lenient']);
    expect(chain.after(err('upstream_bad_request'))).toEqual([]);
  });

  it('default_fallbacks serve models without their own list (never the model itself)', () => {
    expect(fallbackChainFor('x', s, undefined).after(err('upstream_overloaded'))).toEqual(['d']);
  });

  it('a per-request list replaces the general one; false turns every kind off', () => {
    expect(fallbackChainFor('a', s, ['mine']).after(err('upstream_error'))).toEqual(['mine']);
    const off = fallbackChainFor('a', s, false);
    expect([off.after(err('upstream_error')), off.after(err('context_length_exceeded')), off.contextWindow]).toEqual([[], [], []]);
  });
});
