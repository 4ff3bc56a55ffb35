import { describe, expect, it } from 'vitest';
import { mapOpenAIError } from './map-openai-error.js';

const json = (o: unknown): string => JSON.stringify(o);

describe('mapOpenAIError', () => {
  it('keeps the upstream message, param and code, with retry facts from headers', () => {
    const e = mapOpenAIError('openai', 429, { 'retry-after': '3' }, json({ error: { message: 'Rate limit reached for gpt-4o', type: 'requests', param: null, code: 'rate_limit_exceeded' } }));
    expect(e).toMatchObject({ code: 'upstream_rate_limited', status: 429, retryable: true, retryAfterMs: 3000, message: 'Rate limit reached for gpt-4o', clientCode: 'rate_limit_exceeded', upstreamStatus: 429, provider: 'openai' });
  });

  it('maps context_length_exceeded and content filters to our codes', () => {
    const ctx = mapOpenAIError('openai', 400, {}, json({ error: { message: "This model's maximum context length is 128000 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } }));
    expect(ctx).toMatchObject({ code: 'context_length_exceeded', status: 400, param: 'messages', retryable: false, clientCode: 'context_length_exceeded' });
    const vllm = mapOpenAIError('vllm', 400, {}, json({ object: 'error', message: "This model's maximum context length is 4096 tokens.", type: 'BadRequestError', code: 400 }));
    expect(vllm.code).toBe('context_length_exceeded');
    const filtered = mapOpenAIError('azure', 400, {}, json({ error: { message: 'The response was filtered', type: null, param: 'prompt', code: 'content_filter' } }));
    expect(filtered).toMatchObject({ code: 'content_filtered', status: 400, param: 'prompt' });
  });

  it('maps statuses and auth failures', () => {
    expect(mapOpenAIError('openai', 401, {}, json({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } }))).toMatchObject({ code: 'upstream_auth', status: 401, clientCode: 'invalid_api_key' });
    expect(mapOpenAIError('openai', 404, {}, json({ error: { message: 'The model `x` does not exist', code: 'model_not_found' } }))).toMatchObject({ code: 'upstream_not_found', retryable: false });
    expect(mapOpenAIError('openai', 500, {}, json({ error: { message: 'oops', type: 'server_error' } }))).toMatchObject({ code: 'upstream_error', status: 500, retryable: true });
    expect(mapOpenAIError('openai', 503, {}, json({ error: { message: 'overloaded' } }))).toMatchObject({ code: 'upstream_overloaded', status: 503, retryable: true });
  });

  it('handles non-JSON and variant bodies', () => {
    const html = mapOpenAIError('custom', 502, {}, '<html><body>Bad Gateway</body></html>');
    expect(html).toMatchObject({ code: 'upstream_error', status: 502, message: 'Upstream custom returned HTTP 502', upstreamBody: '<html><body>Bad Gateway</body></html>' });
    expect(mapOpenAIError('custom', 500, {}, 'plain failure').message).toBe('plain failure');
    expect(mapOpenAIError('fastapi', 422, {}, json({ detail: 'field required' })).message).toBe('field required');
    expect(mapOpenAIError('gemini-compat', 400, {}, json([{ error: { code: 400, message: 'API key not valid', status: 'INVALID_ARGUMENT' } }])).message).toBe('API key not valid');
    expect(mapOpenAIError('x', 400, {}, json({ error: 'bad thing' })).message).toBe('bad thing');
  });
});
