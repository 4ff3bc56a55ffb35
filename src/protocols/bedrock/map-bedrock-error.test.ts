import { describe, expect, it } from 'vitest';
import { mapBedrockError, mapStreamException } from './map-bedrock-error.js';

const h = (type: string, extra: Record<string, string> = {}) => ({ 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`, ...extra });

describe('mapBedrockError', () => {
  it('reads the type from x-amzn-errortype and keeps AWS\'s message', () => {
    const e = mapBedrockError('bedrock', 429, h('ThrottlingException', { 'retry-after': '3' }), '{"message":"Too many requests, please wait before trying again."}');
    expect(e).toMatchObject({ code: 'upstream_rate_limited', retryable: true, retryAfterMs: 3000, clientCode: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' });
  });

  it('treats an unknown key or bad signature (HTTP 403) as our credential failing, not a permission', () => {
    expect(mapBedrockError('bedrock', 403, h('UnrecognizedClientException'), '{"message":"The security token included in the request is invalid."}')).toMatchObject({ code: 'upstream_auth', status: 401 });
    expect(mapBedrockError('bedrock', 403, h('InvalidSignatureException'), '{"message":"sig"}').code).toBe('upstream_auth');
    expect(mapBedrockError('bedrock', 403, h('AccessDeniedException'), '{"message":"no access"}')).toMatchObject({ code: 'upstream_permission', status: 403 });
  });

  it('knows warming-up, overloaded, timeout and model errors are worth retrying', () => {
    expect(mapBedrockError('bedrock', 429, h('ModelNotReadyException'), '{"message":"Model is not ready"}')).toMatchObject({ code: 'upstream_overloaded', retryable: true });
    expect(mapBedrockError('bedrock', 503, h('ServiceUnavailableException'), '{"message":"x"}')).toMatchObject({ code: 'upstream_overloaded', status: 503 });
    expect(mapBedrockError('bedrock', 408, h('ModelTimeoutException'), '{"message":"x"}')).toMatchObject({ code: 'upstream_timeout', retryable: true });
    expect(mapBedrockError('bedrock', 424, h('ModelErrorException'), '{"message":"x"}')).toMatchObject({ code: 'upstream_error', retryable: true });
  });

  it('spots a prompt that is too long inside a ValidationException', () => {
    const e = mapBedrockError('bedrock', 400, h('ValidationException'), '{"message":"Input is too long for requested model."}');
    expect(e).toMatchObject({ code: 'context_length_exceeded', status: 400 });
    expect(mapBedrockError('bedrock', 400, h('ValidationException'), '{"message":"messages.0: bad"}').code).toBe('upstream_bad_request');
  });

  it('falls back to __type in the body, then to the status', () => {
    expect(mapBedrockError('bedrock', 404, {}, '{"__type":"com.amazon.coral.service#ResourceNotFoundException","message":"nope"}')).toMatchObject({ code: 'upstream_not_found', clientCode: 'ResourceNotFoundException' });
    expect(mapBedrockError('bedrock', 502, {}, '<html>bad gateway</html>')).toMatchObject({ code: 'upstream_error', message: 'Upstream bedrock returned HTTP 502' });
  });
});

describe('mapStreamException', () => {
  it('types in-stream exceptions by their :exception-type', () => {
    expect(mapStreamException('bedrock', 'throttlingException', Buffer.from('{"message":"slow down"}'))).toMatchObject({ code: 'upstream_rate_limited', status: 429, message: 'slow down', retryable: true });
    expect(mapStreamException('bedrock', 'validationException', Buffer.from('{"message":"bad"}'))).toMatchObject({ code: 'upstream_bad_request', retryable: false });
    expect(mapStreamException('bedrock', 'serviceUnavailableException', Buffer.from(''))).toMatchObject({ code: 'upstream_overloaded', message: 'Upstream bedrock failed mid-stream (serviceUnavailableException)' });
    expect(mapStreamException('bedrock', 'somethingNewException', Buffer.from('{}'))).toMatchObject({ code: 'upstream_error', status: 502, retryable: true });
  });
});
