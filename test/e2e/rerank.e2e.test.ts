import { CohereClientV2 } from 'cohere-ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeCohere } from '../fakes/cohere-fake.js';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import type { TestGateway } from './harness.js';
import { newKey, onlyRow, startPricedGateway } from './media-harness.js';

const DOCS = ['Paris is the capital of France.', 'Berlin has many museums.', 'The capital of Italy is Rome.'];

/**
 * `/v1/rerank`, `/rerank` and `/v2/rerank` through the real server: the
 * official `cohere-ai` client against a Cohere upstream (priced per search
 * unit from model_info `input_cost_per_query`), and a Jina-style request
 * with plain fetch against an OpenAI-compatible host (priced per token).
 */
describe('rerank through switchyard', () => {
  const cohere = new FakeCohere({ apiKey: 'co-upstream-rerank' });
  const jina = new FakeOpenAI({ apiKey: 'jina-upstream' });
  let gw: TestGateway;

  beforeAll(async () => {
    await Promise.all([cohere.start(), jina.start()]);
    gw = await startPricedGateway({
      deployments: [
        { publicModel: 'rerank-v3.5', protocol: 'cohere', provider: 'cohere', baseUrl: cohere.url, model: 'rerank-v3.5', apiKey: 'co-upstream-rerank', modelInfo: { mode: 'rerank', costPerQuery: 0.002 } },
        { publicModel: 'jina-reranker', protocol: 'openai', provider: 'jina', baseUrl: `${jina.url}/v1`, model: 'jina-reranker-v2-base-multilingual', apiKey: 'jina-upstream', modelInfo: { mode: 'rerank', inputCostPerToken: 0.00000002 } },
        // Never called: Gemini has no rerank operation, so the gateway refuses before any upstream call.
        { publicModel: 'gemini-chat', protocol: 'gemini', provider: 'gemini', baseUrl: 'http://127.0.0.1:9/v1beta', model: 'gemini-2.5-flash' },
      ],
    });
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all([cohere.stop(), jina.stop()]);
  });
  beforeEach(() => {
    cohere.reset();
    jina.reset();
  });

  it('serves the cohere-ai client on /v2/rerank, billed one search unit', async () => {
    const key = await newKey(gw);
    const client = new CohereClientV2({ token: key.secret, environment: gw.url, maxRetries: 0 });
    const res = await client.rerank({ model: 'rerank-v3.5', query: 'capital of France', documents: DOCS, topN: 2 });
    expect(res.results.map((r) => r.index)).toEqual([0, 2]);
    expect(res.results[0]!.relevanceScore).toBeGreaterThan(res.results[1]!.relevanceScore);
    expect(res.meta?.billedUnits?.searchUnits).toBe(1);
    expect(cohere.lastRequest()!.body).toEqual({ model: 'rerank-v3.5', query: 'capital of France', documents: DOCS, top_n: 2 });
    expect(cohere.lastRequest()!.headers.authorization).toBe('Bearer co-upstream-rerank');
    expect(await onlyRow(gw, key.id)).toMatchObject({ publicModel: 'rerank-v3.5', costNanos: 2_000_000, status: 'success' });
  });

  it('takes {text} documents on /v1/rerank and echoes them with return_documents', async () => {
    const key = await newKey(gw);
    const res = await fetch(`${gw.url}/v1/rerank`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'rerank-v3.5', query: 'museums in Berlin', documents: DOCS.map((text) => ({ text })), return_documents: true }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: { index: number; relevance_score: number; document?: { text: string } }[] };
    expect(body.results[0]).toMatchObject({ index: 1, document: { text: DOCS[1] } });
    expect(body.results).toHaveLength(3);
  });

  it('routes Jina-style /rerank to an OpenAI-compatible host, billed by tokens', async () => {
    const key = await newKey(gw);
    const res = await fetch(`${gw.url}/rerank`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'jina-reranker', query: 'capital of Italy', documents: DOCS, top_n: 1, return_documents: false }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { model: string; results: { index: number }[]; usage: { total_tokens: number } };
    expect(body.results).toEqual([expect.objectContaining({ index: 2 })]);
    const sent = jina.lastRequest()!;
    expect(sent.url).toBe('/v1/rerank');
    expect(sent.headers.authorization).toBe('Bearer jina-upstream');
    expect(sent.body).toEqual({ model: 'jina-reranker-v2-base-multilingual', query: 'capital of Italy', documents: DOCS, top_n: 1, return_documents: false });
    // 3 query words + 6 + 4 + 6 document words = 19 tokens × $0.02/M
    expect(body.usage.total_tokens).toBe(19);
    expect(await onlyRow(gw, key.id)).toMatchObject({ costNanos: 380, inputTokens: 19, warning: null });
  });

  it('answers 400 naming the model for a model without rerank, and names a bad document', async () => {
    const key = await newKey(gw);
    const post = (body: unknown) => fetch(`${gw.url}/v1/rerank`, { method: 'POST', headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const chatOnly = await post({ model: 'gemini-chat', query: 'q', documents: ['a'] });
    expect(chatOnly.status).toBe(400);
    expect(((await chatOnly.json()) as { error: { param: string } }).error.param).toBe('model');
    const badDoc = await post({ model: 'rerank-v3.5', query: 'q', documents: ['a', { title: 'no text' }] });
    expect(((await badDoc.json()) as { error: { param: string } }).error.param).toBe('documents[1]');
    expect(cohere.requestsTo('/v2/rerank')).toHaveLength(0);
  });
});
