import { describe, expect, it } from 'vitest';
import { maskSecret, redactError, redactPatterns, redactorFor, secretsOf } from '../../src/protocols/http/index.js';
import { upstreamError } from '../../src/protocols/http/index.js';
import type { UpstreamTarget } from '../../src/spec/index.js';

const OPENAI_KEY = 'sk-proj-Zq8XcV2bN4mL6kJ9hG3fD1sA0pO7iU5yT';
const target: UpstreamTarget = {
  provider: 'custom',
  baseUrl: 'http://127.0.0.1:1/v1',
  model: 'm',
  apiKey: 'plain+secret/with=chars 42',
  auth: { kind: 'bearer' },
  credentials: {
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    serviceAccountJson: JSON.stringify({ type: 'service_account', private_key_id: 'abcdef0123456789abcdef', private_key: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\n' }),
  },
};

describe('secret redaction', () => {
  it('reveals at most the last 4 characters, and only of long secrets', () => {
    expect(maskSecret('short-secret')).toBe('****');
    expect(maskSecret(OPENAI_KEY)).toBe(`****${OPENAI_KEY.slice(-4)}`);
  });

  it('masks a target\'s exact secrets in raw, URL-encoded, form-encoded and JSON-escaped forms', () => {
    const r = redactorFor(target);
    const key = target.apiKey as string;
    const text = [key, encodeURIComponent(key), new URLSearchParams({ k: key }).toString(), JSON.stringify({ k: key }), target.credentials!.secretAccessKey].join(' | ');
    const out = r(text);
    expect(out).not.toContain(key);
    expect(out).not.toContain(encodeURIComponent(key));
    expect(out).not.toContain('plain%2Bsecret');
    expect(out).not.toContain('wJalrXUtnFEMI');
    expect(out.split('|')).toHaveLength(5);
  });

  it('masks fields of a JSON credential (a service account) on their own', () => {
    const out = redactorFor(target)('key id abcdef0123456789abcdef was revoked');
    expect(out).not.toContain('abcdef0123456789abcdef');
    expect(secretsOf({ ...target, apiKey: 'ollama' })).not.toContain('ollama');
  });

  it.each([
    [`Incorrect API key provided: ${OPENAI_KEY}.`, OPENAI_KEY, 'sk-proj-****'],
    ['x-api-key sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 is invalid', 'AbCdEfGhIjKlMnOpQrSt', 'sk-ant-api03-****'],
    ['API key not valid: AIzaSyD-1234567890abcdefghijklmnopqrstu', 'SyD-1234567890abcdef', 'AIza****'],
    ['The security token included in the request is invalid: AKIAIOSFODNN7EXAMPLE', 'IOSFODNN7EXAMPLE', 'AKIA****'],
    ['GET https://generativelanguage.googleapis.com/v1beta/models?key=my-google-key-123&alt=sse', 'my-google-key-123', '?key=****&alt=sse'],
    ['request had Authorization: Bearer abc.def.ghi-0123456789', 'abc.def.ghi-0123456789', 'Authorization: Bearer ****'],
    ['{"authorization":"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101"}', 'IOSFODNN7EXAMPLE', '"authorization":"AWS4-HMAC-SHA256 ****'],
    ['{"headers":{"x-goog-api-key":"gkey-0123456789"}}', 'gkey-0123456789', '"x-goog-api-key":"****"'],
    ['token ya29.a0AfH6SMBx-0123456789abcdef expired', 'a0AfH6SMBx', 'ya29.****'],
    ['virtual key sk-sy-Q2hhbmdlTWVQbGVhc2VOb3c rejected', 'Q2hhbmdlTWVQbGVhc2VOb3c', 'sk-sy-****'],
    ['session sy-session-AAAABBBBCCCCDDDDEEEEFFFF', 'AAAABBBBCCCCDDDDEEEEFFFF', 'sy-session-****'],
  ])('masks a generic key format: %s', (text, secret, shown) => {
    const out = redactPatterns(text);
    expect(out).not.toContain(secret);
    expect(out).toContain(shown);
  });

  it('leaves ordinary error text alone', () => {
    const text = 'This model\'s maximum context length is 8192 tokens. Upstream openai returned HTTP 400 (model gpt-4o-mini, request req_123)';
    expect(redactPatterns(text)).toBe(text);
  });

  it('scrubs an upstream error in place: message, body, client code and stack', () => {
    const key = target.apiKey as string;
    const body = JSON.stringify({ error: { message: `bad key ${key}`, code: key } });
    const e = upstreamError({ provider: 'custom', status: 401, headers: {}, body, message: `bad key ${key}`, upstreamCode: key });
    const same = redactError(e, redactorFor(target));
    expect(same).toBe(e);
    for (const field of [e.message, e.upstreamBody, e.clientCode, e.stack, JSON.stringify(e.toOpenAI())]) expect(field).not.toContain(key);
    expect(e.code).toBe('upstream_auth');
  });
});
