import { defaultRouterSettings, type Deployment, type RouterSettings } from '../../src/router/index.js';
import type { GatewayOptions } from '../../src/server/gateway.js';
import type { AttemptRecord, RequestInterceptor } from '../../src/spec/index.js';
import { startTestGateway, type TestGateway } from '../e2e/harness.js';
import type { FakeOpenAI } from '../fakes/openai-fake.js';

/** A seeded PRNG (mulberry32), so statistical tests are reproducible. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A deployment on a fake OpenAI, the upstream model name doubling as the deployment's identity in the fake's log. */
export function onFake(fake: FakeOpenAI, publicModel: string, upstreamModel: string, extra: Partial<Deployment> = {}): Deployment {
  const { target, ...rest } = extra;
  return {
    id: `${publicModel}@${upstreamModel}`,
    publicModel,
    provider: 'openai',
    protocol: 'openai',
    weight: 1,
    order: 1,
    tags: [],
    modelInfo: {},
    source: 'config',
    ...rest,
    target: { provider: 'openai', baseUrl: `${fake.url}/v1`, model: upstreamModel, apiKey: 'sk-upstream-test', auth: { kind: 'bearer' }, ...target },
  };
}

/** A gateway over hand-built deployments (model_info, tags, tiers and all). */
export function gatewayWith(deployments: Deployment[], router: Partial<RouterSettings> = {}, gatewayOptions: GatewayOptions = {}): Promise<TestGateway> {
  return startTestGateway({ deployments: [], config: { deployments, router: { ...defaultRouterSettings(), ...router } }, gatewayOptions });
}

/** An interceptor that keeps each finished request's attempt records, as the ledger would see them. */
export function attemptRecorder(): { interceptor: RequestInterceptor; last(): AttemptRecord[] } {
  const seen: AttemptRecord[][] = [];
  return {
    interceptor: { name: 'attempt-recorder', admit: () => (ctx) => void seen.push(ctx.attempts.map((a) => ({ ...a }))) },
    last: () => seen[seen.length - 1] ?? [],
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  json: any;
  text: string;
}

/** POST /v1/chat/completions with fetch, so headers and raw bodies are visible. */
export async function chat(g: TestGateway, body: Record<string, unknown>, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Reply> {
  const res = await fetch(`${g.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${g.key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hello there' }], ...body }),
    ...(signal ? { signal } : {}),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** The JSON payloads of an SSE body (without the [DONE] marker). */
export function sseData(text: string): any[] {
  return text
    .split('\n\n')
    .map((f) => f.split('\n').find((l) => l.startsWith('data: '))?.slice(6))
    .filter((d): d is string => d !== undefined && d !== '[DONE]')
    .map((d) => JSON.parse(d));
}

/** Chat requests the fake received for one upstream model. */
export function hits(fake: FakeOpenAI, upstreamModel: string): number {
  return fake.requestsTo('/chat/completions').filter((r) => r.body?.model === upstreamModel).length;
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
