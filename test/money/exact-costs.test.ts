/**
 * Exact cost through the real server, priced from the bundled
 * @pydantic/genai-prices catalog, hand-computed here:
 *
 *   gpt-4o          $2.50/M input, $1.25/M cached input, $10/M output
 *   claude-sonnet-4 $3/M input, $3.75/M cache write, $0.30/M cache read, $15/M output
 *
 * Our `inputTokens` is the whole prompt, cache tokens included; the
 * Anthropic fake reports `input_tokens` without them, as Anthropic does, so
 * a mistake in that split shows up as a wrong cost here.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeAnthropic } from '../fakes/anthropic-fake.js';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import type { TestGateway } from '../e2e/harness.js';
import { ledgerRowsOfKey, sseData, startMoneyGateway, type LedgerRowView } from './money-harness.js';

const OPENAI_USAGE = { input: 2_000, cacheRead: 1_500, output: 300 };
/** 500 uncached · $2.50/M + 1,500 cached · $1.25/M + 300 · $10/M = $0.00125 + $0.001875 + $0.003 */
const GPT4O_NANOS = 6_125_000;

const ANTHROPIC_USAGE = { input: 3_000, cacheWrite: 1_000, cacheRead: 1_500, output: 200 };
/** 500 uncached · $3/M + 1,000 written · $3.75/M + 1,500 read · $0.30/M + 200 · $15/M = $0.0015 + $0.00375 + $0.00045 + $0.003 */
const SONNET_NANOS = 8_700_000;

const BUDGET_NANOS = 1_000_000_000; // $1
const PROMPT = [{ role: 'user' as const, content: 'What does the ledger hold?' }];

describe('exact costs through the server (catalog prices)', () => {
  const openaiFake = new FakeOpenAI();
  const anthropicFake = new FakeAnthropic();
  let gw: TestGateway;

  beforeAll(async () => {
    await Promise.all([openaiFake.start(), anthropicFake.start()]);
    gw = await startMoneyGateway({
      deployments: [
        { publicModel: 'gpt-4o', protocol: 'openai', provider: 'openai', baseUrl: `${openaiFake.url}/v1`, model: 'gpt-4o' },
        { publicModel: 'claude-sonnet-4', protocol: 'anthropic', provider: 'anthropic', baseUrl: `${anthropicFake.url}/v1`, model: 'claude-sonnet-4-20250514' },
      ],
    });
    openaiFake.script('gpt-4o', { text: 'The ledger holds rows.', usage: OPENAI_USAGE });
    anthropicFake.script('claude-sonnet-4-20250514', { text: 'The ledger holds rows.', usage: ANTHROPIC_USAGE });
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all([openaiFake.stop(), anthropicFake.stop()]);
  });

  /** A fresh key (with a $1 budget unless told otherwise), live in the gateway's directory. */
  async function newKey(opts: { teamMultiplierPpm?: number; budget?: number | null } = {}): Promise<{ id: string; secret: string }> {
    const { store, directory } = gw.gateway.accounts;
    let teamId: string | undefined;
    if (opts.teamMultiplierPpm !== undefined) {
      const team = await store.teams.create({ name: `team-${Math.random().toString(36).slice(2)}`, priceMultiplierPpm: opts.teamMultiplierPpm });
      await directory.refreshTeam(team.id);
      teamId = team.id;
    }
    const { key, secret } = await store.keys.create({ maxBudgetNanos: opts.budget === undefined ? BUDGET_NANOS : opts.budget, ...(teamId ? { teamId } : {}) });
    await directory.refreshKey(key.id);
    return { id: key.id, secret };
  }

  async function onlyRow(keyId: string): Promise<LedgerRowView> {
    await gw.gateway.accounts.ledger.flush();
    const rows = await ledgerRowsOfKey(gw.gateway.accounts.store, keyId);
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }

  it('gpt-4o with 1,500 of 2,000 prompt tokens cached: $0.006125 in the header, the ledger row and the key budget', async () => {
    const key = await newKey();
    const client = new OpenAI({ apiKey: key.secret, baseURL: gw.baseURL, maxRetries: 0 });
    const { data, response } = await client.chat.completions.create({ model: 'gpt-4o', messages: PROMPT, max_tokens: 500 }).withResponse();
    expect(data.usage).toMatchObject({ prompt_tokens: 2_000, completion_tokens: 300, prompt_tokens_details: { cached_tokens: 1_500 } });
    expect(response.headers.get('x-switchyard-cost')).toBe('0.006125');
    expect(response.headers.get('x-switchyard-key-remaining-budget')).toBe('0.993875');
    expect(await onlyRow(key.id)).toMatchObject({ costNanos: GPT4O_NANOS, status: 'success', inputTokens: 2_000, cacheReadTokens: 1_500, outputTokens: 300 });
    expect((await gw.gateway.accounts.store.keys.get(key.id))!.spendNanos).toBe(GPT4O_NANOS);
  });

  it('claude-sonnet-4 with cache writes and reads, through the OpenAI client (translated): $0.0087', async () => {
    const key = await newKey();
    const client = new OpenAI({ apiKey: key.secret, baseURL: gw.baseURL, maxRetries: 0 });
    const { data, response } = await client.chat.completions.create({ model: 'claude-sonnet-4', messages: PROMPT, max_tokens: 500 }).withResponse();
    expect(data.usage?.prompt_tokens).toBe(3_000);
    expect(response.headers.get('x-switchyard-cost')).toBe('0.0087');
    expect(response.headers.get('x-switchyard-key-remaining-budget')).toBe('0.9913');
    expect(await onlyRow(key.id)).toMatchObject({ costNanos: SONNET_NANOS, inputTokens: 3_000, cacheWriteTokens: 1_000, cacheReadTokens: 1_500, outputTokens: 200 });
  });

  it('claude-sonnet-4 through the Anthropic client, JSON and stream: the same $0.0087 each', async () => {
    const key = await newKey();
    const client = new Anthropic({ apiKey: key.secret, baseURL: gw.url, maxRetries: 0 });
    const { data, response } = await client.messages.create({ model: 'claude-sonnet-4', max_tokens: 500, messages: PROMPT }).withResponse();
    // Anthropic's own accounting: input_tokens excludes the cache tokens.
    expect(data.usage).toMatchObject({ input_tokens: 500, cache_creation_input_tokens: 1_000, cache_read_input_tokens: 1_500, output_tokens: 200 });
    expect(response.headers.get('x-switchyard-cost')).toBe('0.0087');

    const stream = await client.messages.create({ model: 'claude-sonnet-4', max_tokens: 500, messages: PROMPT, stream: true });
    for await (const _ of stream) void _;
    await gw.gateway.accounts.ledger.flush();
    const rows = await ledgerRowsOfKey(gw.gateway.accounts.store, key.id);
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r).toMatchObject({ costNanos: SONNET_NANOS, inputTokens: 3_000, cacheWriteTokens: 1_000, cacheReadTokens: 1_500, outputTokens: 200 });
    expect(rows.map((r) => r.stream).sort()).toEqual([false, true]);
    expect(gw.gateway.accounts.book.remainingNanos('key', key.id)).toBe(BUDGET_NANOS - 2 * SONNET_NANOS);
  });

  it('a team multiplier of 1.5 scales the exact cost once: $0.0091875 for the gpt-4o call', async () => {
    const key = await newKey({ teamMultiplierPpm: 1_500_000 });
    const client = new OpenAI({ apiKey: key.secret, baseURL: gw.baseURL, maxRetries: 0 });
    const { response } = await client.chat.completions.create({ model: 'gpt-4o', messages: PROMPT, max_tokens: 500 }).withResponse();
    expect(response.headers.get('x-switchyard-cost')).toBe('0.0091875');
    expect(response.headers.get('x-switchyard-key-remaining-budget')).toBe('0.9908125');
    expect(await onlyRow(key.id)).toMatchObject({ costNanos: 9_187_500 });
  });

  it('streams are billed from the usage chunk, whether or not the client asked for it', async () => {
    const key = await newKey();
    const client = new OpenAI({ apiKey: key.secret, baseURL: gw.baseURL, maxRetries: 0 });
    const withUsage = await client.chat.completions.create({ model: 'gpt-4o', messages: PROMPT, max_tokens: 500, stream: true, stream_options: { include_usage: true } });
    let usageSeen: OpenAI.CompletionUsage | undefined;
    for await (const chunk of withUsage) usageSeen = chunk.usage ?? usageSeen;
    expect(usageSeen).toMatchObject({ prompt_tokens: 2_000, completion_tokens: 300 });

    // Without include_usage the client gets no usage chunk, but the gateway still needs (and gets) the upstream's.
    const res = await fetch(`${gw.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: PROMPT, max_tokens: 500, stream: true }),
    });
    const events = sseData(await res.text());
    expect(events.at(-1)).toBe('[DONE]');
    expect(events.some((e) => e !== '[DONE]' && e['usage'] !== undefined && e['usage'] !== null)).toBe(false);

    await gw.gateway.accounts.ledger.flush();
    const rows = await ledgerRowsOfKey(gw.gateway.accounts.store, key.id);
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r).toMatchObject({ costNanos: GPT4O_NANOS, stream: true, status: 'success', cacheReadTokens: 1_500 });
  });

  it('a client that aborts mid-stream is billed for what was produced, counted locally, and the row says cancelled', async () => {
    const key = await newKey();
    // " hello" is one token in o200k (gpt-4o's encoding), so the completion's token count is the words produced.
    const words = 200;
    openaiFake.script('gpt-4o', { text: Array.from({ length: words }, () => 'hello').join(' '), chunkDelayMs: 10 });
    const client = new OpenAI({ apiKey: key.secret, baseURL: gw.baseURL, maxRetries: 0 });
    const controller = new AbortController();
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: PROMPT, max_tokens: 500, stream: true }, { signal: controller.signal });
    let received = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) received++;
      if (received === 20) {
        controller.abort();
        break;
      }
    }
    expect(received).toBe(20);

    const row = await waitForRow(key.id);
    expect(row.status).toBe('cancelled');
    expect(row.stream).toBe(true);
    expect(row.warning).toMatch(/usage counted/);
    // At least what the client read, never the whole answer.
    expect(row.outputTokens).toBeGreaterThanOrEqual(20);
    expect(row.outputTokens).toBeLessThan(words);
    expect(row.inputTokens).toBeGreaterThan(0);
    expect(row.costNanos).toBe(row.inputTokens * 2_500 + row.outputTokens * 10_000);
    expect((await gw.gateway.accounts.store.keys.get(key.id))!.spendNanos).toBe(row.costNanos);
    expect(gw.gateway.accounts.book.get('key', key.id)).toMatchObject({ spentNanos: row.costNanos, reservedNanos: 0 });
    // The gateway hung up on the upstream too, rather than paying for an answer nobody reads.
    expect(openaiFake.aborts.some((a) => a.model === 'gpt-4o')).toBe(true);
  });

  /** The row of an aborted request lands once the gateway noticed the hang-up and counted the tokens. */
  async function waitForRow(keyId: string): Promise<LedgerRowView> {
    for (let i = 0; i < 100; i++) {
      await gw.gateway.accounts.ledger.flush();
      const rows = await ledgerRowsOfKey(gw.gateway.accounts.store, keyId);
      if (rows.length > 0) {
        expect(rows).toHaveLength(1);
        return rows[0]!;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('no ledger row within 5 s of the abort');
  }
});
