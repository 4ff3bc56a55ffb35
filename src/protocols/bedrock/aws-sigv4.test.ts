import { describe, expect, it } from 'vitest';
import { canonicalPath, canonicalQuery, signRequest } from './aws-sigv4.js';

const EXAMPLE = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const NOW = new Date('2015-08-30T12:36:00Z');

// Expected values were produced by the AWS SDK's own signer (@smithy/signature-v4)
// for the same inputs; the fake's SDK tests re-check the live equivalence.
describe('signRequest', () => {
  it('signs AWS\'s get-vanilla example', () => {
    const h = signRequest({ method: 'GET', url: new URL('https://example.amazon.com/'), headers: {}, body: '', credentials: EXAMPLE, region: 'us-east-1', service: 'service', now: NOW });
    expect(h).toEqual({
      'x-amz-date': '20150830T123600Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=7ab4567ae243ee168f6bf18206b2b40b61ce08277323168138fa113ed23c538e',
    });
  });

  it('sorts query parameters before signing', () => {
    const h = signRequest({ method: 'GET', url: new URL('https://example.amazon.com/?Param2=value2&Param1=value1'), headers: {}, body: '', credentials: EXAMPLE, region: 'us-east-1', service: 'service', now: NOW });
    expect(h.authorization).toMatch(/Signature=ca0a842792a27475df455b2925aa79d50a98e27d1733a46b57c22810e6b1a7bc$/);
  });

  it('signs a Converse call for a model id with a colon, with a session token, exactly as the SDK does', () => {
    const h = signRequest({
      method: 'POST',
      url: new URL('https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse'),
      headers: { 'Content-Type': 'application/json' },
      body: '{"messages":[{"role":"user","content":[{"text":"hi"}]}]}',
      credentials: { ...EXAMPLE, sessionToken: 'tok' },
      region: 'us-east-1',
      service: 'bedrock',
      now: NOW,
    });
    expect(h['x-amz-security-token']).toBe('tok');
    expect(h.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=2ec826857f506c13350e46447361599988e0a0007740010b578c128ef9f6c115',
    );
  });
});

describe('canonical parts', () => {
  it('escapes the already-escaped path a second time (every service but S3)', () => {
    expect(canonicalPath('/model/a%3Ab/converse')).toBe('/model/a%253Ab/converse');
    expect(canonicalPath('/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fus.x/invoke')).toBe(
      '/model/arn%253Aaws%253Abedrock%253Aus-east-1%253A1%253Ainference-profile%252Fus.x/invoke',
    );
  });

  it('normalises dot and empty segments, keeping a trailing slash', () => {
    expect(canonicalPath('/a/./b/../c//d/')).toBe('/a/c/d/');
    expect(canonicalPath('/')).toBe('/');
  });

  it('sorts and RFC 3986-escapes the query', () => {
    expect(canonicalQuery('b=2&a=x y&a=1&c')).toBe('a=1&a=x%20y&b=2&c=');
    expect(canonicalQuery("k=it's*(ok)!")).toBe('k=it%27s%2A%28ok%29%21');
  });
});
