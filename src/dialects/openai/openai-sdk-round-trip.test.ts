/**
 * The dialect against the official `openai` package over real HTTP: the
 * SDK's own request bodies must decode, and what we encode must parse,
 * accumulate (its stream helper rebuilds tool calls from deltas) and raise
 * errors exactly as it does against OpenAI.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { GatewayError, isGatewayError, type ChatRequest, type ChatResponse, type StreamPart } from '../../spec/index.js';
import {
  createChatStreamEncoder,
  decodeChatRequest,
  decodeEmbeddingRequest,
  encodeChatResponse,
  encodeEmbeddingResponse,
  encodeError,
  encodeModelList,
} from './index.js';

/** What the test server answers with, set per test. */
let script: { response?: ChatResponse; parts?: StreamPart[] } = {};
/** The last decoded request, to check the SDK's body survives decoding. */
let lastRequest: ChatRequest | undefined;

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    if (req.method === 'GET' && req.url === '/v1/models') {
      sendJson(res, 200, encodeModelList([{ id: 'gpt-4o', created: 1, ownedBy: 'switchyard' }]));
      return;
    }
    const body = await readJson(req);
    if (req.url === '/v1/embeddings') {
      const { request } = decodeEmbeddingRequest(body);
      const data = request.input.map((_, index) => ({ index, embedding: [index, 0.5] }));
      sendJson(res, 200, encodeEmbeddingResponse({ model: request.model, data, usage: { inputTokens: 3, outputTokens: 0, totalTokens: 3 } }));
      return;
    }
    const { request } = decodeChatRequest(body);
    lastRequest = request;
    if (request.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const enc = createChatStreamEncoder({ includeUsage: request.includeUsage === true });
      for (const p of script.parts ?? []) res.write(enc.encode(p));
      res.end(enc.end());
      return;
    }
    sendJson(res, 200, encodeChatResponse(script.response!));
  } catch (e) {
    const err = isGatewayError(e) ? e : new GatewayError('internal_error', { message: String(e) });
    sendJson(res, err.status, encodeError(err));
  }
}

let server: Server;
let client: OpenAI;

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new OpenAI({ apiKey: 'sk-test', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const start: StreamPart = { type: 'start', id: 'chatcmpl-rt', model: 'gpt-4o-2024-08-06', created: 1700000000 };

describe('openai SDK round trip', () => {
  it('decodes the SDK request and parses a non-streaming completion', async () => {
    script = {
      response: {
        id: 'chatcmpl-rt',
        model: 'gpt-4o-2024-08-06',
        created: 1700000000,
        choices: [
          {
            index: 0,
            content: [{ type: 'text', text: 'Sunny' }, { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' }],
            finishReason: { unified: 'tool-calls' },
          },
        ],
        usage: { inputTokens: 20, outputTokens: 5, totalTokens: 25, cacheReadTokens: 8 },
      },
    };
    const ok = await client.chat.completions.create({
      model: 'my-public-model',
      messages: [
        { role: 'developer', content: 'terse' },
        { role: 'user', content: [{ type: 'text', text: 'Weather?' }, { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/' } }] },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      max_completion_tokens: 64,
    });
    expect(lastRequest?.model).toBe('my-public-model');
    expect(lastRequest?.messages[0]).toEqual({ role: 'system', developer: true, content: [{ type: 'text', text: 'terse' }] });
    expect(lastRequest?.messages[1]?.content[1]).toEqual({ type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/' } });
    expect(lastRequest?.maxOutputTokens).toBe(64);

    const msg = ok.choices[0]?.message;
    expect(msg?.content).toBe('Sunny');
    expect(msg?.tool_calls?.[0]).toEqual({ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } });
    expect(ok.choices[0]?.finish_reason).toBe('tool_calls');
    expect(ok.usage?.prompt_tokens_details?.cached_tokens).toBe(8);
  });

  it('streams text and usage that the SDK iterates', async () => {
    script = {
      parts: [
        start,
        { type: 'text-delta', choice: 0, text: 'Hello' },
        { type: 'text-delta', choice: 0, text: ', world' },
        { type: 'finish', choice: 0, finishReason: { unified: 'stop' } },
        { type: 'usage', usage: { inputTokens: 4, outputTokens: 2, totalTokens: 6 } },
      ],
    };
    const stream = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Hello, world');
    expect(finish).toBe('stop');
    expect(usage?.total_tokens).toBe(6);
    expect(lastRequest?.includeUsage).toBe(true);
  });

  it("rebuilds streamed tool calls with the SDK's stream helper", async () => {
    script = {
      parts: [
        start,
        { type: 'text-delta', choice: 0, text: 'Checking. ' },
        { type: 'tool-call-start', choice: 0, toolIndex: 0, id: 'call_a', name: 'get_weather' },
        { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: '{"city":' },
        { type: 'tool-call-start', choice: 0, toolIndex: 1, id: 'call_b', name: 'get_time' },
        { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: '"Oslo"}' },
        { type: 'tool-call-delta', choice: 0, toolIndex: 1, argumentsDelta: '{}' },
        { type: 'finish', choice: 0, finishReason: { unified: 'tool-calls' } },
      ],
    };
    const runner = client.chat.completions.stream({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    const final = await runner.finalChatCompletion();
    expect(final.id).toBe('chatcmpl-rt');
    expect(final.model).toBe('gpt-4o-2024-08-06');
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(final.choices[0]?.message.content).toBe('Checking. ');
    expect(final.choices[0]?.message.tool_calls).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
      { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } },
    ]);
  });

  it('raises an APIError for an error event mid-stream', async () => {
    script = {
      parts: [
        start,
        { type: 'text-delta', choice: 0, text: 'partial' },
        { type: 'error', error: new GatewayError('upstream_error', { message: 'upstream reset the connection' }) },
      ],
    };
    const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const seen: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['partial']);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).message).toContain('upstream reset the connection');
  });

  it('surfaces validation errors with param and code', async () => {
    const err = await client.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], temperature: 5 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    const e = err as InstanceType<typeof OpenAI.BadRequestError>;
    expect(e.status).toBe(400);
    expect(e.param).toBe('temperature');
    expect(e.code).toBe('invalid_request');
    expect(e.type).toBe('invalid_request_error');

    // LiteLLM-style tags must be an array; a string is named precisely.
    const tags = await client.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], metadata: { tags: 'a' } })
      .catch((x: unknown) => x);
    expect((tags as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('metadata.tags');
  });

  it('serves embeddings and models in the shapes the SDK reads', async () => {
    const emb = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'], encoding_format: 'float' });
    expect(emb.data.map((d) => d.embedding)).toEqual([[0, 0.5], [1, 0.5]]);
    expect(emb.usage.prompt_tokens).toBe(3);
    const models = [];
    for await (const m of client.models.list()) models.push(m.id);
    expect(models).toEqual(['gpt-4o']);
  });
});
