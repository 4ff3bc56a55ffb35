import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AccountingInterceptor, type AccountingOptions } from '../../src/accounting/accounting-interceptor.js';
import { BudgetBook } from '../../src/accounting/budget-book.js';
import { PriceBook } from '../../src/accounting/price-lookup.js';
import { LedgerWriter } from '../../src/accounting/ledger-writer.js';
import { LedgerJournal } from '../../src/accounting/ledger-journal.js';
import type { LedgerRow } from '../../src/accounting/ledger-row.js';
import { GatewayError, type CallInfo, type CallOutcome, type Identity, type RequestContext } from '../../src/spec/index.js';
import { countPromptTokens, countTextTokens } from '../../src/accounting/count-tokens.js';
import { MemorySink } from './ledger-fixtures.js';

const USD = 1_000_000_000;
const prices = new PriceBook();

function ctx(identity: Identity | null, requestId = 'req-1'): RequestContext {
  return {
    requestId,
    startedAt: 1_700_000_000_000,
    signal: new AbortController().signal,
    identity,
    endpoint: 'chat',
    dialect: 'openai-chat',
    publicModel: 'smart',
    stream: false,
    clientIp: '10.0.0.1',
    userAgent: 'openai-node',
    tags: ['t'],
    warnings: [],
    responseHeaders: {},
    attempts: [
      // The first public model failed and its fallback answered: one fallback.
      { deployment: 'd0', provider: 'openai', upstreamModel: 'gpt-4o', startedAt: 0, publicModel: 'smart' },
      { deployment: 'd1', provider: 'openai', upstreamModel: 'gpt-4o', startedAt: 1, answered: true, publicModel: 'smart-backup' },
    ],
  };
}

const alice: Identity = { kind: 'virtual-key', keyId: 'k1', userId: 'u1', teamId: 't1', role: 'member' };
const call: CallInfo = { publicModel: 'smart', endpoint: 'chat', stream: false, estimatedInputTokens: 1_000, maxOutputTokens: 100 };
const ok = (extra: Partial<CallOutcome> = {}): CallOutcome => ({
  status: 'ok',
  usage: { inputTokens: 10_000, outputTokens: 500, totalTokens: 10_500, cacheReadTokens: 4_000 },
  usageSource: 'upstream',
  deployment: 'd1',
  provider: 'openai',
  upstreamModel: 'gpt-4o',
  latencyMs: 321,
  ...extra,
});

function setup(over: Partial<AccountingOptions> = {}) {
  const book = new BudgetBook();
  book.load([
    { kind: 'key', id: 'k1', limitNanos: 10 * USD },
    { kind: 'team', id: 't1', limitNanos: null },
    { kind: 'balance', id: 'u1', balanceNanos: 5 * USD },
  ]);
  const rows: LedgerRow[] = [];
  const acct = new AccountingInterceptor({
    book,
    ledger: { record: (r) => void rows.push(r) },
    priceFor: (o) => (o.provider && o.upstreamModel ? prices.lookup({ provider: o.provider, model: o.upstreamModel, deploymentId: o.deployment }) : undefined),
    estimatePriceFor: () => prices.lookup({ provider: 'openai', model: 'gpt-4o' }),
    unknownPrice: 'refuse',
    ...over,
  });
  return { book, rows, acct };
}

describe('AccountingInterceptor', () => {
  it('holds the estimate, settles the exact cost, sets headers and records the row', () => {
    const { book, rows, acct } = setup();
    const c = ctx(alice);
    const fin = acct.admit(c, call);
    // 1,000 × $2.50/M + 100 × $10/M = $0.0035 held on key and balance
    expect(book.get('key', 'k1')).toMatchObject({ reservedNanos: 3_500_000 });
    expect(book.get('balance', 'u1')).toMatchObject({ reservedNanos: 3_500_000 });
    fin(c, ok());
    fin(c, ok()); // a second call does nothing
    // 6,000 × $2.50 + 4,000 × $1.25 + 500 × $10, per 1M = $0.025
    expect(book.get('key', 'k1')).toMatchObject({ spentNanos: 25_000_000, reservedNanos: 0 });
    expect(book.get('balance', 'u1')).toMatchObject({ balanceNanos: 5 * USD - 25_000_000, reservedNanos: 0 });
    expect(book.get('team', 't1')).toMatchObject({ spentNanos: 25_000_000 });
    expect(c.responseHeaders).toEqual({ 'x-switchyard-cost': '0.025', 'x-switchyard-key-remaining-budget': '9.975' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual({
      requestId: 'req-1', keyId: 'k1', userId: 'u1', teamId: 't1', publicModel: 'smart', deployment: 'd1', provider: 'openai',
      upstreamModel: 'gpt-4o', endpoint: 'chat', inputTokens: 10_000, outputTokens: 500, cacheReadTokens: 4_000, cacheWriteTokens: 0,
      reasoningTokens: 0, usageSource: 'upstream', costNanos: 25_000_000, status: 'ok', errorCode: null, latencyMs: 321, ttftMs: null,
      stream: false, cacheHit: false, clientIp: '10.0.0.1', userAgent: 'openai-node', warning: null, attempts: 2, fallbacks: 1,
      tags: ['t'], createdAt: 1_700_000_000_000,
    });
  });

  it('refuses with budget_exceeded naming the key and its limit', () => {
    const { book, acct } = setup();
    book.upsert({ kind: 'key', id: 'k1', limitNanos: 10 * USD, spentNanos: 10 * USD - 1_000_000 });
    let err: unknown;
    try {
      acct.admit(ctx(alice), call);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GatewayError);
    const g = err as GatewayError;
    expect(g.code).toBe('budget_exceeded');
    expect(g.status).toBe(429);
    expect(g.message).toMatch(/^Budget exceeded for key 'k1': limit \$10, spent \$9\.999/);
    expect(book.get('balance', 'u1')).toMatchObject({ reservedNanos: 0 });
  });

  it('refuses with insufficient_quota when the credit balance cannot cover the hold', () => {
    const { book, acct } = setup();
    book.upsert({ kind: 'balance', id: 'u1', balanceNanos: 1_000_000 });
    expect(() => acct.admit(ctx(alice), call)).toThrow(expect.objectContaining({ code: 'insufficient_quota', status: 429 }));
  });

  it('applies the team multiplier to the hold and the charge', () => {
    const { book, acct } = setup({ multiplierFor: (id) => (id.teamId === 't1' ? '1.5' : undefined) });
    const c = ctx(alice);
    const fin = acct.admit(c, call);
    expect(book.get('key', 'k1')).toMatchObject({ reservedNanos: 5_250_000 });
    fin(c, ok());
    expect(c.responseHeaders['x-switchyard-cost']).toBe('0.0375');
  });

  it('unknown price: refuses with price_unknown, or serves at zero with a warning', () => {
    const refuse = setup({ estimatePriceFor: () => undefined });
    expect(() => refuse.acct.admit(ctx(alice), call)).toThrow(expect.objectContaining({ code: 'price_unknown', status: 400, param: 'model' }));

    const zero = setup({ estimatePriceFor: () => undefined, priceFor: () => undefined, unknownPrice: 'zero' });
    const c = ctx(alice);
    zero.acct.admit(c, call)(c, ok());
    expect(c.responseHeaders['x-switchyard-cost']).toBe('0');
    expect(zero.rows[0]?.costNanos).toBe(0);
    expect(zero.rows[0]?.warning).toMatch(/no price is known for model 'smart'; served at zero cost; no price is known for openai\/gpt-4o/);
  });

  it('counts tokens locally, off the event loop, when the upstream sends no usage (client hung up mid-stream)', async () => {
    const { book, rows, acct } = setup();
    const c = ctx(alice);
    const fin = acct.admit(c, call);
    const request = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'Tell me a long story about a lighthouse keeper.' }] }] };
    acct.noteText(c, { prompt: request });
    acct.noteText(c, { completion: 'Once upon a time, on a rocky island' });
    const settling = fin(c, { status: 'aborted', deployment: 'd1', provider: 'openai', upstreamModel: 'gpt-4o', latencyMs: 50 });
    expect(settling).toBeInstanceOf(Promise);
    await settling;
    const input = countPromptTokens(request);
    const output = countTextTokens('Once upon a time, on a rocky island', 'gpt-4o');
    expect(rows[0]).toMatchObject({ inputTokens: input, outputTokens: output, usageSource: 'counted', status: 'aborted', costNanos: input * 2_500 + output * 10_000 });
    expect(book.get('key', 'k1')).toMatchObject({ spentNanos: input * 2_500 + output * 10_000, reservedNanos: 0 });
    expect(c.warnings).toContain('upstream reported no usage; tokens counted locally');
  });

  it('releases the hold when the call failed without producing anything', () => {
    const { book, rows, acct } = setup();
    const c = ctx(alice);
    const fin = acct.admit(c, call);
    fin(c, { status: 'error', error: new GatewayError('upstream_overloaded', { message: 'busy' }), latencyMs: 5 });
    expect(book.get('key', 'k1')).toMatchObject({ spentNanos: 0, reservedNanos: 0 });
    expect(rows[0]).toMatchObject({ status: 'error', errorCode: 'upstream_overloaded', costNanos: 0, usageSource: 'none' });
    expect(c.responseHeaders['x-switchyard-cost']).toBe('0');
  });

  it('omits the remaining-budget header for unlimited keys and callers without accounts', () => {
    const { book, acct } = setup();
    book.upsert({ kind: 'key', id: 'k1', limitNanos: null });
    const c = ctx(alice);
    c.responseHeaders['x-switchyard-key-remaining-budget'] = 'stale';
    acct.admit(c, call)(c, ok());
    expect(c.responseHeaders).not.toHaveProperty('x-switchyard-key-remaining-budget');

    const m = ctx({ kind: 'master', role: 'admin' }, 'req-master');
    acct.admit(m, call)(m, ok());
    expect(m.responseHeaders['x-switchyard-cost']).toBe('0.025');
  });

  it('the row is on disk in the journal by the time the finaliser\'s promise resolves', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-acct-'));
    try {
      const writer = new LedgerWriter({ dir, sink: new MemorySink(), flushIntervalMs: 0 });
      const { acct } = setup({ ledger: writer });
      const c = ctx(alice, 'req-journaled');
      const finished = acct.admit(c, call)(c, ok());
      expect(finished).toBeInstanceOf(Promise);
      await finished;
      const rows = fs.readdirSync(dir).flatMap((f) => LedgerJournal.read(path.join(dir, f)).rows);
      expect(rows).toMatchObject([{ requestId: 'req-journaled', costNanos: 25_000_000 }]);
      await writer.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

