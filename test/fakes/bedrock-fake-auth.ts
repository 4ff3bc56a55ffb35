import { timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { H2_AUTHORITY } from './bedrock-fake-h2c.js';
import { canonicalRequest, credentialScope, hmacHex, sha256Hex, signingKey, stringToSign } from '../../src/protocols/bedrock/aws-sigv4.js';

export interface FakeAwsKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** When set, requests signed with this key must carry it as x-amz-security-token. */
  sessionToken?: string;
}

export interface AuthFailure {
  status: number;
  type: string;
  message: string;
}

const AUTH_HEADER = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;
const MAX_SKEW_MS = 5 * 60_000;

/**
 * Verifies a request the way AWS does: re-derives the canonical request from
 * what arrived on the wire (method, raw path, query, the signed headers'
 * values, a hash of the body), signs it with the key's secret and compares.
 * Failures carry AWS's error types and messages.
 */
export function verifySigV4(
  req: { method: string; url: string; headers: http.IncomingHttpHeaders; rawBody: string },
  keys: FakeAwsKey[],
  region: string,
  service: string,
  now = Date.now(),
): AuthFailure | undefined {
  const auth = String(req.headers.authorization ?? '');
  const m = AUTH_HEADER.exec(auth);
  if (m === null) {
    return { status: 403, type: 'IncompleteSignatureException', message: `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=${auth.split(' ')[0]}` };
  }
  const [akid, date, credRegion, credService, terminator] = m[1]!.split('/');
  const signedHeaders = m[2]!.split(';');
  const key = keys.find((k) => k.accessKeyId === akid);
  if (key === undefined || (key.sessionToken !== undefined && req.headers['x-amz-security-token'] !== key.sessionToken)) {
    return { status: 403, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  }
  if (terminator !== 'aws4_request' || credService !== service) {
    return { status: 403, type: 'InvalidSignatureException', message: `Credential should be scoped to correct service: '${service}'.` };
  }
  if (credRegion !== region) {
    return { status: 403, type: 'InvalidSignatureException', message: `Credential should be scoped to a valid region, not '${credRegion}'.` };
  }
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const at = parseAmzDate(amzDate);
  if (at === undefined || !(signedHeaders.includes('host') || signedHeaders.includes(':authority')) || amzDate.slice(0, 8) !== date) {
    return { status: 403, type: 'IncompleteSignatureException', message: 'Signature must cover host and x-amz-date, and the credential date must match x-amz-date.' };
  }
  if (Math.abs(now - at) > MAX_SKEW_MS) {
    return { status: 403, type: 'InvalidSignatureException', message: `Signature expired: ${amzDate} is now earlier than ${new Date(now - MAX_SKEW_MS).toISOString()} (5 min. skew allowed).` };
  }
  const q = req.url.indexOf('?');
  const creq = canonicalRequest({
    method: req.method,
    path: q === -1 ? req.url : req.url.slice(0, q),
    query: q === -1 ? '' : req.url.slice(q + 1),
    // Over HTTP/2 the host is the `:authority` pseudo-header, and clients sign it under that name.
    headers: { ...req.headers, ':authority': req.headers[H2_AUTHORITY] },
    signedHeaders,
    payloadHash: sha256Hex(Buffer.from(req.rawBody, 'utf8')),
  });
  const expected = hmacHex(signingKey(key.secretAccessKey, date!, region, service), stringToSign(amzDate, credentialScope(amzDate, region, service), creq));
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(m[3]!))) {
    return {
      status: 403,
      type: 'InvalidSignatureException',
      message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    };
  }
  return undefined;
}

function parseAmzDate(s: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (m === null) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}
