import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature Version 4 (header form), written against AWS's published
 * algorithm and checked against the official SDK's signatures in the Bedrock
 * fake. The building blocks are exported because the fake verifies requests
 * with exactly the same canonicalisation a real AWS endpoint applies.
 */

export const ALGORITHM = 'AWS4-HMAC-SHA256';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignInput {
  method: string;
  /** The URL exactly as it goes on the wire (path segments already percent-encoded once). */
  url: URL;
  /** Headers that will be sent; all of them are signed. Names in any case. */
  headers: Record<string, string>;
  body: string | Buffer;
  credentials: AwsCredentials;
  region: string;
  service: string;
  now?: Date;
}

/** The headers to add to the request: `x-amz-date`, `authorization` and the session token when there is one. */
export function signRequest(input: SignInput): Record<string, string> {
  const amzDate = toAmzDate(input.now ?? new Date());
  const added: Record<string, string> = { 'x-amz-date': amzDate };
  if (input.credentials.sessionToken) added['x-amz-security-token'] = input.credentials.sessionToken;
  const headers: Record<string, string> = { host: input.url.host };
  for (const [k, v] of Object.entries(input.headers)) headers[k.toLowerCase()] = v;
  Object.assign(headers, added);
  const signed = Object.keys(headers).sort();
  const creq = canonicalRequest({
    method: input.method,
    path: input.url.pathname,
    query: input.url.search.slice(1),
    headers,
    signedHeaders: signed,
    payloadHash: sha256Hex(input.body),
  });
  const scope = credentialScope(amzDate, input.region, input.service);
  const signature = hmacHex(signingKey(input.credentials.secretAccessKey, amzDate.slice(0, 8), input.region, input.service), stringToSign(amzDate, scope, creq));
  added.authorization = `${ALGORITHM} Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
  return added;
}

export interface CanonicalInput {
  method: string;
  /** Path as received/sent on the wire. */
  path: string;
  /** Raw query string without the leading `?`. */
  query: string;
  /** Lower-case names → values. */
  headers: Record<string, string | string[] | undefined>;
  /** Lower-case names, sorted. */
  signedHeaders: string[];
  payloadHash: string;
}

export function canonicalRequest(c: CanonicalInput): string {
  const headerLines = c.signedHeaders.map((name) => `${name}:${canonicalHeaderValue(c.headers[name])}\n`).join('');
  return [c.method.toUpperCase(), canonicalPath(c.path), canonicalQuery(c.query), headerLines, c.signedHeaders.join(';'), c.payloadHash].join('\n');
}

/**
 * Every service but S3 escapes the (already escaped) path a second time, so
 * a model id `a:b` travels as `a%3Ab` and is signed as `a%253Ab`. Dot
 * segments and empty segments are normalised away first, as AWS does.
 */
export function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const s of path.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') segments.pop();
    else segments.push(s);
  }
  const normalised = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return encodeURIComponent(normalised).replace(/%2F/g, '/');
}

/** Parameters sorted by name then value, each name and value RFC 3986-escaped. */
export function canonicalQuery(query: string): string {
  if (query === '') return '';
  const pairs = query
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      const k = eq === -1 ? p : p.slice(0, eq);
      const v = eq === -1 ? '' : p.slice(eq + 1);
      return [uriEscape(safeDecode(k)), uriEscape(safeDecode(v))] as const;
    });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

export function canonicalHeaderValue(v: string | string[] | undefined): string {
  const s = Array.isArray(v) ? v.join(',') : (v ?? '');
  return s.trim().replace(/\s+/g, ' ');
}

/** RFC 3986 unreserved characters pass; everything else becomes %XX. */
export function uriEscape(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function credentialScope(amzDate: string, region: string, service: string): string {
  return `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request`;
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
}

let lastKey: { id: string; key: Buffer } | undefined;

/** kSecret → kDate → kRegion → kService → kSigning. The last key is cached: it changes once a day. */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const id = `${date}\n${region}\n${service}\n${secret}`;
  if (lastKey?.id === id) return lastKey.key;
  const kDate = hmac(`AWS4${secret}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  const key = hmac(kService, 'aws4_request');
  lastKey = { id, key };
  return key;
}

export function hmacHex(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data, 'utf8').digest('hex');
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `20150830T123600Z` */
export function toAmzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
