import { describe, expect, it } from 'vitest';
import { mapAnthropicError, mapAnthropicStreamError } from './map-anthropic-error.js';

const body = (type: string, message: string) => JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_011' });

describe('mapAnthropicError', () => {
  it.each([
    [400, 'invalid_request_error', 'upstream_bad_request', 400, false],
    [401, 'authentication_error', 'upstream_auth', 401, false],
    [403, 'permission_error', 'upstream_permission', 403, false],
    [404, 'not_found_error', 'upstream_not_found', 404, false],
    [413, 'request_too_large', 'upstream_bad_request', 400, false],
    [429, 'rate_limit_error', 'upstream_rate_limited', 429, true],
    [500, 'api_error', 'upstream_error', 500, true],
    [529, 'overloaded_error', 'upstream_overloaded', 503, true],
  ])('HTTP %i %s → %s (status %i, retryable %s), keeping the upstream message and type', (status, type, code, clientStatus, retryable) => {
    const err = mapAnthropicError({ provider: 'anthropic', status, headers: {}, body: body(type, `msg for ${type}`) });
    expect(err).toMatchObject({ code, status: clientStatus, retryable, message: `msg for ${type}`, clientCode: type, upstreamStatus: status, provider: 'anthropic' });
  });

  it('honours retry-after on a 429', () => {
    const err = mapAnthropicError({ provider: 'anthropic', status: 429, headers: { 'retry-after': '12' }, body: body('rate_limit_error', 'slow down') });
    expect(err.retryAfterMs).toBe(12_000);
  });

  it('recognises a context-window overflow', () => {
    const err = mapAnthropicError({ provider: 'anthropic', status: 400, headers: {}, body: body('invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum') });
    expect(err).toMatchObject({ code: 'context_length_exceeded', status: 400, retryable: false });
  });

  it('lets the status win over a generic body, and survives a non-JSON body', () => {
    expect(mapAnthropicError({ provider: 'anthropic', status: 529, headers: {}, body: '<html>busy</html>' })).toMatchObject({ code: 'upstream_overloaded', retryable: true });
    expect(mapAnthropicError({ provider: 'anthropic', status: 502, headers: {}, body: 'Bad Gateway' })).toMatchObject({ code: 'upstream_error', message: 'Upstream anthropic returned HTTP 502' });
  });
});

describe('mapAnthropicStreamError', () => {
  it('maps an overloaded_error event to a retryable upstream_overloaded', () => {
    const err = mapAnthropicStreamError(body('overloaded_error', 'Overloaded'), 'anthropic');
    expect(err).toMatchObject({ code: 'upstream_overloaded', retryable: true, message: 'Overloaded', clientCode: 'overloaded_error', upstreamStatus: 529 });
  });
  it('treats an unreadable event as an api_error', () => {
    expect(mapAnthropicStreamError('garbage', 'anthropic')).toMatchObject({ code: 'upstream_error', retryable: true });
  });
});
