import { createHash, createHmac } from 'node:crypto';

/** The inputs of one Tencent Cloud API 3.0 signature (TC3-HMAC-SHA256). */
export interface Tc3Input {
  secretId: string;
  secretKey: string;
  /** Service name in the credential scope, e.g. "hunyuan" (the host's first label). */
  service: string;
  /** Host header exactly as sent (host[:port]). */
  host: string;
  /** Unix seconds; also sent as X-TC-Timestamp, and its UTC date scopes the key. */
  timestamp: number;
  /** The exact request body bytes. */
  payload: string;
  contentType?: string;
  method?: string;
}

export interface Tc3Signature {
  authorization: string;
  signature: string;
  /** UTC date (YYYY-MM-DD) of the credential scope. */
  date: string;
  canonicalRequest: string;
  stringToSign: string;
}

export const TC3_CONTENT_TYPE = 'application/json; charset=utf-8';
/** Only content-type and host are signed, as Tencent's own SDKs do; X-TC-* headers travel unsigned. */
const SIGNED_HEADERS = 'content-type;host';

const sha256Hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/**
 * Computes the TC3-HMAC-SHA256 Authorization header: a canonical request
 * (method, "/", empty query, the signed headers lower-cased, SHA-256 of the
 * body) hashed into a string to sign, signed with a key derived from
 * "TC3"+SecretKey through the date, the service and "tc3_request".
 */
export function signTc3(input: Tc3Input): Tc3Signature {
  const contentType = input.contentType ?? TC3_CONTENT_TYPE;
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10);
  const canonicalHeaders = `content-type:${contentType.toLowerCase()}\nhost:${input.host.toLowerCase()}\n`;
  const canonicalRequest = [input.method ?? 'POST', '/', '', canonicalHeaders, SIGNED_HEADERS, sha256Hex(input.payload)].join('\n');
  const scope = `${date}/${input.service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(input.timestamp), scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(`TC3${input.secretKey}`, date), input.service), 'tc3_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return {
    authorization: `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedHeaders=${SIGNED_HEADERS}, Signature=${signature}`,
    signature,
    date,
    canonicalRequest,
    stringToSign,
  };
}
