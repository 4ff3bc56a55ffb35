import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTarget, listProviders, type ProviderEntry } from '../../src/catalog/index.js';
import type { UpstreamTarget } from '../../src/spec/index.js';
import type { DeploymentSpec } from '../e2e/harness.js';
import { startTestGateway, type TestGateway } from '../e2e/harness.js';
import type { RecordedRequest } from '../fakes/scenario.js';
import { BAIDU_KEY, CatalogFakes, routePattern, targetInputs, TC3_KEY, ZHIPU_KEY } from './catalog-fakes.js';

/**
 * Every catalog entry, exercised: a deployment built from the entry with
 * `buildTarget` (its base path kept, only the origin moved to a fake of its
 * protocol), one request through the real gateway, and the fake's record
 * checked for the entry's path, credential style and model.
 */
const entries = listProviders();
const endpointOf = (e: ProviderEntry): 'chat' | 'embeddings' => (e.endpoints !== undefined && !e.endpoints.includes('chat') ? 'embeddings' : 'chat');

describe('every catalog entry reaches its upstream through the gateway', () => {
  const fakes = new CatalogFakes();
  const targets = new Map<string, UpstreamTarget>();
  let gw: TestGateway;

  beforeAll(async () => {
    await fakes.start();
    const deployments: DeploymentSpec[] = entries.map((e) => {
      const target = buildTarget(e, targetInputs(e, fakes, endpointOf(e)));
      targets.set(e.id, target);
      return { publicModel: `via-${e.id}`, protocol: e.protocol, target };
    });
    gw = await startTestGateway({ deployments, router: { numRetries: 0 } });
  });
  afterAll(async () => {
    await gw?.close();
    await fakes.stop();
  });

  it('covers at least 80 providers', () => {
    expect(entries.length).toBeGreaterThanOrEqual(80);
  });

  for (const entry of entries) {
    const endpoint = endpointOf(entry);
    it(`${entry.id} (${entry.protocol}, ${entry.auth.kind}) → ${endpoint}`, async () => {
      const target = targets.get(entry.id)!;
      const fake = fakes.fakeFor(entry);
      const before = fake.requests.length;
      const res = await call(gw, `via-${entry.id}`, endpoint);
      const body = (await res.json()) as Record<string, unknown>;
      expect(res.status, JSON.stringify(body)).toBe(200);
      if (endpoint === 'chat') expect(JSON.stringify(body)).toMatch(/Hello from \w+ model/);
      else expect((body.data as unknown[]).length).toBe(1);

      const route = routePattern(entry, endpoint);
      const sent = fake.requests.slice(before).filter((r) => route.test(pathOf(r)));
      expect(sent, `requests: ${fake.requests.slice(before).map((r) => r.url).join(', ')}`).toHaveLength(1);
      const req = sent[0]!;
      // The entry's own base path survived: the request went to base path + protocol route.
      const basePath = new URL(target.baseUrl.replace(/\{(\w+)\}/g, 'x')).pathname.replace(/\/+$/, '');
      expect(pathOf(req).startsWith(basePath), `${pathOf(req)} under ${basePath}`).toBe(true);
      expect(req.url.includes(encodeURIComponent(target.model)) || req.url.includes(target.model) || req.rawBody.includes(JSON.stringify(target.model))).toBe(true);
      checkCredential(entry, target, req);
    });
  }
});

async function call(gw: TestGateway, model: string, endpoint: 'chat' | 'embeddings'): Promise<Response> {
  const body = endpoint === 'chat' ? { model, messages: [{ role: 'user', content: 'hello catalog' }] } : { model, input: ['hello catalog'] };
  return fetch(`${gw.baseURL}/${endpoint === 'chat' ? 'chat/completions' : 'embeddings'}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gw.key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function pathOf(r: RecordedRequest): string {
  return r.url.split('?')[0] ?? '';
}

function header(r: RecordedRequest, name: string): string | undefined {
  const v = r.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The credential arrived in the entry's declared style, and only there. */
function checkCredential(entry: ProviderEntry, target: UpstreamTarget, r: RecordedRequest): void {
  const auth = target.auth;
  const query = new URL(r.url, 'http://x').searchParams;
  switch (auth.kind) {
    case 'bearer':
      if (entry.protocol === 'vertex') expect(header(r, 'authorization')).toMatch(/^Bearer ya29\.|^Bearer \S+$/);
      else expect(header(r, 'authorization')).toBe(`Bearer ${target.apiKey}`);
      break;
    case 'header':
      expect(header(r, auth.name.toLowerCase())).toBe(`${auth.prefix ?? ''}${target.apiKey}`);
      expect(header(r, 'authorization')).toBeUndefined();
      break;
    case 'query':
      expect(query.get(auth.name)).toBe(target.apiKey);
      break;
    case 'zhipu-jwt':
      verifyZhipuJwt(header(r, 'authorization'));
      break;
    case 'tencent-tc3':
      // The Hunyuan fake recomputes the signature and would have refused a wrong one.
      expect(header(r, 'authorization')).toMatch(new RegExp(`^TC3-HMAC-SHA256 Credential=${TC3_KEY.secretId}/\\d{4}-\\d{2}-\\d{2}/hunyuan/tc3_request, `));
      break;
    case 'baidu-access-token':
      // A token the Qianfan fake issued for this API Key (it refuses unknown ones with error 110).
      expect(query.get('access_token')).toMatch(/^24\./);
      expect(r.url).not.toContain(BAIDU_KEY.secretKey);
      break;
    case 'aws-sigv4':
      expect(header(r, 'authorization')).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDFAKEBEDROCK0001\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
      break;
    case 'none':
      expect(header(r, 'authorization')).toBeUndefined();
      break;
  }
}

/** Checks Zhipu's JWT independently of the gateway's signer: HS256 over the secret, sign_type SIGN, millisecond claims. */
function verifyZhipuJwt(authorization: string | undefined): void {
  expect(authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  const [head, payload, sig] = authorization!.slice('Bearer '.length).split('.') as [string, string, string];
  const [id, secret] = ZHIPU_KEY.split('.') as [string, string];
  expect(createHmac('sha256', secret).update(`${head}.${payload}`).digest('base64url')).toBe(sig);
  expect(JSON.parse(Buffer.from(head, 'base64url').toString())).toEqual({ alg: 'HS256', sign_type: 'SIGN' });
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { api_key: string; exp: number; timestamp: number };
  expect(claims.api_key).toBe(id);
  expect(Math.abs(claims.timestamp - Date.now())).toBeLessThan(60_000);
  expect(claims.exp).toBeGreaterThan(claims.timestamp);
}
