import { describe, expect, it } from 'vitest';
import { accountLimits, actualTokens, formatDuration, MemoryLimiterStore, RateLimitInterceptor, type LimitFields, type LimitSubject } from '../../src/limits/index.js';
import { GatewayError, type CallInfo, type Finaliser, type Identity, type RequestContext } from '../../src/spec/index.js';

function ctx(identity: Identity | null): RequestContext {
  return {
    requestId: 'req_1',
    startedAt: Date.now(),
    signal: new AbortController().signal,
    identity,
    endpoint: 'chat',
    dialect: 'openai-chat',
    stream: false,
    tags: [],
    warnings: [],
    responseHeaders: {},
    attempts: [],
  };
}

const chat = (over: Partial<CallInfo> = {}): CallInfo => ({ publicModel: 'm', endpoint: 'chat', stream: false, estimatedInputTokens: 100, ...over });
const keyIdentity: Identity = { kind: 'virtual-key', keyId: 'k1', teamId: 't1', role: 'member' };

function setup(keys: Record<string, LimitFields>, teams: Record<string, LimitFields> = {}, defaultOutputTokens?: number) {
  const c = { t: 0 };
  const store = new MemoryLimiterStore({ now: () => c.t });
  const interceptor = new RateLimitInterceptor({
    store,
    limitsFor: accountLimits({ key: (id) => keys[id], team: (id) => teams[id] }),
    ...(defaultOutputTokens !== undefined ? { defaultOutputTokens } : {}),
  });
  return { c, store, interceptor };
}

function admitSync(i: RateLimitInterceptor, rc: RequestContext, call: CallInfo): Finaliser | undefined {
  const r = i.admit(rc, call);
  if (r instanceof Promise) throw new Error('the memory store must answer synchronously');
  return r ?? undefined;
}

function refusal(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GatewayError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('RateLimitInterceptor', () => {
  it('never limits the master key, and a key without limits touches no counter', () => {
    const { store, interceptor } = setup({ k1: { rpm: null, tpm: null, maxParallel: null } }, { t1: { rpm: null, tpm: null } });
    for (let n = 0; n < 5; n++) {
      expect(admitSync(interceptor, ctx({ kind: 'master', role: 'admin' }), chat())).toBeUndefined();
      const rc = ctx(keyIdentity);
      expect(admitSync(interceptor, rc, chat())).toBeUndefined();
      expect(rc.responseHeaders).toEqual({});
    }
    expect(store.size).toBe(0);
  });

  it('sets the OpenAI rate-limit headers from the tightest of key and team', () => {
    const { interceptor } = setup({ k1: { rpm: 10, tpm: 5000, maxParallel: null } }, { t1: { rpm: 3, tpm: 100_000 } });
    const rc = ctx(keyIdentity);
    admitSync(interceptor, rc, chat({ maxOutputTokens: 50 }));
    expect(rc.responseHeaders).toEqual({
      'x-ratelimit-limit-requests': '3',
      'x-ratelimit-remaining-requests': '2',
      'x-ratelimit-reset-requests': '1m0s',
      'x-ratelimit-limit-tokens': '5000',
      'x-ratelimit-remaining-tokens': '4850',
      'x-ratelimit-reset-tokens': '1m0s',
    });
  });

  it('refuses with 429 rate_limited naming the limit, its value and when to retry', () => {
    const { c, interceptor } = setup({ k1: { rpm: 10, tpm: null, maxParallel: null } }, { t1: { rpm: 2, tpm: null } });
    admitSync(interceptor, ctx(keyIdentity), chat());
    c.t = 15_000;
    admitSync(interceptor, ctx(keyIdentity), chat());
    c.t = 20_000;
    const rc = ctx(keyIdentity);
    const e = refusal(() => admitSync(interceptor, rc, chat()));
    expect(e).toMatchObject({ code: 'rate_limited', status: 429, type: 'rate_limit_error', retryAfterMs: 40_000 });
    expect(e.message).toContain('team rpm limit of 2 requests per minute');
    expect(e.message).toContain('Retry after 40s');
    expect(rc.responseHeaders).toMatchObject({ 'x-ratelimit-remaining-requests': '0', 'retry-after-ms': '40000' });
  });

  it('names a key parallel limit and suggests a short wait', () => {
    const { interceptor } = setup({ k1: { rpm: null, tpm: null, maxParallel: 1 } });
    const fin = admitSync(interceptor, ctx(keyIdentity), chat());
    const e = refusal(() => admitSync(interceptor, ctx(keyIdentity), chat()));
    expect(e.message).toContain('key parallel limit of 1 requests in flight');
    expect(e.retryAfterMs).toBe(1000);
    void fin!(ctx(keyIdentity), { status: 'aborted', latencyMs: 1 });
    expect(admitSync(interceptor, ctx(keyIdentity), chat())).toBeTypeOf('function');
  });

  it('charges input + max output, a default for uncapped generation (never more than the tpm leaves), and input only for embeddings', () => {
    const { store, interceptor } = setup({ k1: { rpm: null, tpm: 10_000, maxParallel: null } }, {}, 1024);
    const used = () => {
      const a = store.acquire([{ id: 'key:k1', label: 'key', tpm: 10_000 }], 0);
      return a.ok ? 10_000 - a.states[0]!.tokens!.remaining : NaN;
    };
    admitSync(interceptor, ctx(keyIdentity), chat({ maxOutputTokens: 400 }));
    expect(used()).toBe(500);
    admitSync(interceptor, ctx(keyIdentity), chat());
    expect(used()).toBe(500 + 1124);
    admitSync(interceptor, ctx(keyIdentity), chat({ endpoint: 'embeddings', estimatedInputTokens: 30 }));
    expect(used()).toBe(500 + 1124 + 30);

    const small = setup({ k1: { rpm: null, tpm: 300, maxParallel: null } }, {}, 1024);
    // 100 input + a 1,024 default would exceed 300 on its own; the default shrinks to what is left.
    expect(admitSync(small.interceptor, ctx(keyIdentity), chat())).toBeTypeOf('function');
    const e = refusal(() => admitSync(small.interceptor, ctx(keyIdentity), chat({ maxOutputTokens: 500 })));
    expect(e.message).toContain('key tpm limit of 300 tokens per minute is smaller than this request (600 tokens');
    expect(e.retryAfterMs).toBeUndefined();
  });

  it('corrects the charge to the usage the finaliser sees', () => {
    const { interceptor } = setup({ k1: { rpm: null, tpm: 1000, maxParallel: null } });
    const fin = admitSync(interceptor, ctx(keyIdentity), chat({ maxOutputTokens: 800 }));
    refusal(() => admitSync(interceptor, ctx(keyIdentity), chat({ maxOutputTokens: 800 })));
    void fin!(ctx(keyIdentity), { status: 'ok', usage: { inputTokens: 90, outputTokens: 10, totalTokens: 100 }, latencyMs: 5 });
    const rc = ctx(keyIdentity);
    admitSync(interceptor, rc, chat({ maxOutputTokens: 800 }));
    expect(rc.responseHeaders['x-ratelimit-remaining-tokens']).toBe('0');
  });

  it('counts actual tokens from usage, else from what it can see', () => {
    const call = chat({ estimatedInputTokens: 40 });
    expect(actualTokens(call, { status: 'ok', usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 }, latencyMs: 1 })).toBe(15);
    expect(actualTokens(call, { status: 'error', latencyMs: 1 })).toBe(0);
    expect(actualTokens(call, { status: 'aborted', completionText: 'abcdefgh', latencyMs: 1 })).toBe(42);
    expect(actualTokens(call, { status: 'ok', latencyMs: 1 })).toBe(40);
  });

  it('accountLimits returns one shared empty list for unlimited callers', () => {
    const limitsFor = accountLimits({ key: () => ({ rpm: null, tpm: null, maxParallel: null }), team: () => undefined });
    expect(limitsFor(keyIdentity)).toBe(limitsFor(keyIdentity));
    const both = accountLimits({ key: () => ({ rpm: 1, tpm: null, maxParallel: 2 }), team: () => ({ rpm: null, tpm: 9 }) })(keyIdentity);
    expect(both).toEqual<LimitSubject[]>([
      { id: 'key:k1', label: 'key', rpm: 1, maxParallel: 2 },
      { id: 'team:t1', label: 'team', tpm: 9 },
    ]);
  });

  it('formats reset times as OpenAI does', () => {
    expect([0, 12.2, 999, 1000, 1500, 59_999, 60_000, 61_500, 360_000].map(formatDuration)).toEqual(['0ms', '13ms', '999ms', '1s', '1.5s', '59.999s', '1m0s', '1m1.5s', '6m0s']);
  });
});
