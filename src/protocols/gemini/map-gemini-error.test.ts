import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapGeminiError, retryDelayMs } from './map-gemini-error.js';

const rateLimited = readFileSync(new URL('./__fixtures__/gemini-rate-limited.error.json', import.meta.url), 'utf8');
const googleError = (code: number, status: string, message = 'boom', details?: unknown[]) => JSON.stringify({ error: { code, message, status, details } });

describe('mapGeminiError', () => {
  it('maps RESOURCE_EXHAUSTED to a retryable rate limit with the RetryInfo delay', () => {
    const err = mapGeminiError({ provider: 'gemini', status: 429, headers: {}, body: rateLimited });
    expect(err).toMatchObject({ code: 'upstream_rate_limited', status: 429, retryable: true, retryAfterMs: 12_000, clientCode: 'RESOURCE_EXHAUSTED', upstreamStatus: 429 });
    expect(err.message).toContain('You exceeded your current quota');
  });

  it('falls back to a Retry-After header when there is no RetryInfo, and reads fractional delays', () => {
    const err = mapGeminiError({ provider: 'gemini', status: 429, headers: { 'retry-after': '7' }, body: googleError(429, 'RESOURCE_EXHAUSTED') });
    expect(err.retryAfterMs).toBe(7000);
    expect(retryDelayMs({ details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '0.25s' }] })).toBe(250);
  });

  it.each([
    [400, 'INVALID_ARGUMENT', 'upstream_bad_request', 400, false],
    [403, 'PERMISSION_DENIED', 'upstream_permission', 403, false],
    [401, 'UNAUTHENTICATED', 'upstream_auth', 401, false],
    [404, 'NOT_FOUND', 'upstream_not_found', 404, false],
    [503, 'UNAVAILABLE', 'upstream_overloaded', 503, true],
    [500, 'INTERNAL', 'upstream_error', 500, true],
    [504, 'DEADLINE_EXCEEDED', 'upstream_timeout', 504, true],
  ])('maps %i %s to %s', (http, status, code, clientStatus, retryable) => {
    const err = mapGeminiError({ provider: 'gemini', status: http, headers: {}, body: googleError(http, status, 'upstream words') });
    expect(err).toMatchObject({ code, status: clientStatus, retryable, message: 'upstream words', clientCode: status });
  });

  it('treats an invalid key as our credential problem and a too-long prompt as context length', () => {
    const key = mapGeminiError({
      provider: 'gemini',
      status: 400,
      headers: {},
      body: JSON.stringify([{ error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }] } }]),
    });
    expect(key).toMatchObject({ code: 'upstream_auth', clientCode: 'API_KEY_INVALID', retryable: false });
    const long = mapGeminiError({ provider: 'gemini', status: 400, headers: {}, body: googleError(400, 'INVALID_ARGUMENT', 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).') });
    expect(long.code).toBe('context_length_exceeded');
  });

  it('copes with a body that is not Google JSON', () => {
    const err = mapGeminiError({ provider: 'gemini', status: 502, headers: {}, body: '<html>Bad Gateway</html>' });
    expect(err).toMatchObject({ code: 'upstream_error', status: 502, retryable: true, message: 'Upstream gemini returned HTTP 502' });
  });
});
