import { describe, expect, it } from 'vitest';
import { signTc3 } from './tc3-signer.js';

/**
 * Tencent's own worked example from "Signature v3" (CVM DescribeInstances,
 * the masked demo keys, timestamp 1551113065): every intermediate value the
 * documentation prints, so a drift in any step shows where.
 */
describe('TC3-HMAC-SHA256 signer', () => {
  const doc = signTc3({
    secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******',
    secretKey: 'Gu5t9xGARNpq86cd98joQYCN3*******',
    service: 'cvm',
    host: 'cvm.tencentcloudapi.com',
    timestamp: 1551113065,
    payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
  });

  it('builds the documented canonical request and string to sign', () => {
    expect(doc.canonicalRequest).toBe(
      'POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
    );
    expect(doc.stringToSign).toBe('TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031');
    expect(doc.date).toBe('2019-02-25');
  });

  it('produces the documented signature and Authorization header', () => {
    expect(doc.signature).toBe('2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c');
    expect(doc.authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c',
    );
  });

  it('scopes the key to the UTC date of the timestamp, not the local one', () => {
    // 2019-02-25T23:59:59Z and one second later fall on different credential dates.
    const base = { secretId: 'id', secretKey: 'k', service: 'hunyuan', host: 'hunyuan.tencentcloudapi.com', payload: '{}' };
    expect(signTc3({ ...base, timestamp: 1551139199 }).date).toBe('2019-02-25');
    expect(signTc3({ ...base, timestamp: 1551139200 }).date).toBe('2019-02-26');
    expect(signTc3({ ...base, timestamp: 1551139200 }).signature).not.toBe(signTc3({ ...base, timestamp: 1551139200, payload: '{ }' }).signature);
  });
});
