import { FakeServer, preamble, type FakeHandlerContext } from './fake-server.js';
import { fakeEmbedding, words, type FakeScenario } from './scenario.js';
import { writeChunks } from './sse-writer.js';

export interface FakeWorkersAiOptions {
  /** When set, requests must carry `Authorization: Bearer <token>`; otherwise any bearer token passes. */
  apiToken?: string;
  /** Models served by `…/ai/models/search` and accepted by `…/ai/run/`. */
  models?: string[];
}

type Json = Record<string, unknown>;

const RUN_KEYS = new Set(['messages', 'prompt', 'stream', 'max_tokens', 'temperature', 'top_p', 'top_k', 'seed', 'repetition_penalty', 'frequency_penalty', 'presence_penalty', 'tools', 'functions', 'tool_choice', 'response_format', 'raw', 'lora']);
const MESSAGE_KEYS = new Set(['role', 'content', 'name', 'tool_calls', 'tool_call_id']);

/** Cloudflare's internal error codes for the statuses tests script (developers.cloudflare.com/workers-ai/platform/errors). */
const INTERNAL_CODE: Record<number, number> = { 400: 5006, 401: 10000, 403: 3023, 404: 3042, 408: 3007, 413: 3006, 429: 3036, 500: 3043, 503: 3043 };

/**
 * A fake Cloudflare Workers AI REST API: `POST /client/v4/accounts/{id}/ai/
 * run/{model}` answering in the v4 envelope (`{result, success, errors,
 * messages}`), or streaming SSE `data: {"response":"…","p":"…"}` events, a
 * late usage event and `data: [DONE]`; tool calls flat `{name, arguments}`
 * (arguments an object) when whole, OpenAI-shaped pieces with an `index`
 * and argument fragments when streamed, never with ids; bge embeddings as
 * `{shape, data}`; errors as `{success:false, errors:[{code, message}]}`.
 * Like the real schema it refuses null or array message content.
 */
export class FakeWorkersAi extends FakeServer {
  readonly name = 'workers-ai';
  private readonly apiToken: string | undefined;
  private readonly models: string[];

  constructor(opts: FakeWorkersAiOptions = {}) {
    super();
    this.apiToken = opts.apiToken;
    this.models = opts.models ?? ['@cf/meta/llama-3.1-8b-instruct', '@cf/baai/bge-base-en-v1.5'];
  }

  protected async handle(ctx: FakeHandlerContext): Promise<void> {
    const { req } = ctx;
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    const auth = req.headers.authorization;
    if (auth === undefined || !auth.startsWith('Bearer ') || (this.apiToken !== undefined && auth !== `Bearer ${this.apiToken}`)) {
      return this.error(ctx, 401, 10000, 'Authentication error');
    }
    if (req.method === 'GET' && /\/accounts\/[^/]+\/ai\/models\/search$/.test(path)) return this.search(ctx);
    const run = /\/accounts\/[^/]+\/ai\/run\/(.+)$/.exec(path);
    if (req.method === 'POST' && run?.[1] !== undefined) {
      const model = run[1];
      ctx.setModel(model);
      if (!this.knows(model)) return this.error(ctx, 400, 5007, `No such model ${model} or task`);
      return isEmbeddingModel(model) ? this.embed(ctx, model) : this.chat(ctx, model);
    }
    return this.error(ctx, 404, 7000, 'No route for that URI');
  }

  private async chat(ctx: FakeHandlerContext, model: string): Promise<void> {
    const body = ctx.recorded.body as Json | null;
    const invalid = validateRun(body);
    if (invalid) return this.error(ctx, 400, 5006, `AiError: Bad input: ${invalid}`);
    const s = ctx.scenarioFor(model);
    if (!(await preamble(ctx, s))) return;
    if (s.error) return this.error(ctx, s.error.status, INTERNAL_CODE[s.error.status] ?? 3043, s.error.message ?? `fake workers-ai error ${s.error.status}`, s.error.retryAfterS);

    const text = s.text ?? (s.toolCalls?.length ? '' : `Hello from cloudflare model ${model}.`);
    const usage = usageOf(s, body!, text);
    if (body!.stream !== true) {
      const result: Json = { response: text };
      if (s.toolCalls?.length) result.tool_calls = s.toolCalls.map((t) => ({ name: t.name, arguments: t.arguments }));
      if (usage) result.usage = usage;
      return this.json(ctx, 200, { result, success: true, errors: [], messages: [] });
    }

    const events: Json[] = words(text).map((w) => ({ response: w, p: padding(w) }));
    for (const [index, t] of (s.toolCalls ?? []).entries()) {
      const args = JSON.stringify(t.arguments);
      const half = Math.ceil(args.length / 2);
      events.push({ response: '', tool_calls: [{ index, type: 'function', function: { name: t.name, arguments: args.slice(0, half) } }] });
      events.push({ response: '', tool_calls: [{ index, function: { arguments: args.slice(half) } }] });
    }
    if (usage) events.push({ response: '', usage });
    ctx.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'cf-ray': '8f0e0c0ffee00000-AMS' });
    const chunks = [...events.map((e) => `data: ${JSON.stringify(e)}\n\n`), 'data: [DONE]\n\n'];
    if (await writeChunks(ctx, s, chunks)) {
      ctx.finished();
      ctx.res.end();
    }
  }

  private async embed(ctx: FakeHandlerContext, model: string): Promise<void> {
    const body = ctx.recorded.body as Json | null;
    const text = typeof body?.text === 'string' ? [body.text] : body?.text;
    if (!Array.isArray(text) || text.length === 0 || text.some((t) => typeof t !== 'string')) return this.error(ctx, 400, 5006, "AiError: Bad input: must have required property 'text'");
    const s = ctx.scenarioFor(model);
    if (!(await preamble(ctx, s))) return;
    if (s.error) return this.error(ctx, s.error.status, INTERNAL_CODE[s.error.status] ?? 3043, s.error.message ?? `fake workers-ai error ${s.error.status}`, s.error.retryAfterS);
    const dims = s.embeddingDims ?? 8;
    const data = (text as string[]).map((t) => fakeEmbedding(t, dims));
    return this.json(ctx, 200, { result: { shape: [data.length, dims], data, pooling: 'mean' }, success: true, errors: [], messages: [] });
  }

  /** Honours `page`/`per_page` like the real API: clients that page (the official SDK does) stop at the first empty page. */
  private search(ctx: FakeHandlerContext): void {
    const query = new URL(ctx.req.url ?? '/', 'http://fake').searchParams;
    const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
    const perPage = Math.max(1, Number(query.get('per_page') ?? 1000) || 1000);
    const all = this.models.map((name, i) => ({ id: `0000000${i}-model`, name, task: { name: isEmbeddingModel(name) ? 'Text Embeddings' : 'Text Generation' } }));
    const result = all.slice((page - 1) * perPage, page * perPage);
    this.json(ctx, 200, { result, success: true, errors: [], messages: [], result_info: { count: result.length, page, per_page: perPage, total_count: all.length } });
  }

  /** Listed models, plus any model named like a test stand-in (catalog tests use "test-model"). */
  private knows(model: string): boolean {
    return this.models.includes(model) || model.startsWith('test-');
  }

  private json(ctx: FakeHandlerContext, status: number, body: unknown, headers: Record<string, string> = {}): void {
    ctx.finished();
    ctx.res.writeHead(status, { 'content-type': 'application/json', 'cf-ray': '8f0e0c0ffee00000-AMS', ...headers });
    ctx.res.end(JSON.stringify(body));
  }

  private error(ctx: FakeHandlerContext, status: number, code: number, message: string, retryAfterS?: number): void {
    this.json(ctx, status, { result: null, success: false, errors: [{ code, message }], messages: [] }, retryAfterS !== undefined ? { 'retry-after': String(retryAfterS) } : {});
  }
}

function isEmbeddingModel(model: string): boolean {
  return /\/bge-|embed/.test(model);
}

/** The checks the run schema makes that an adapter could get wrong. */
function validateRun(body: Json | null): string | undefined {
  if (body === null || typeof body !== 'object') return 'request body is not JSON';
  if ('model' in body) return "must NOT have additional properties ('model' belongs in the URL)";
  for (const k of Object.keys(body)) if (!RUN_KEYS.has(k)) return `must NOT have additional properties ('${k}')`;
  if (!Array.isArray(body.messages) && typeof body.prompt !== 'string') return "must have required property 'messages' or 'prompt'";
  for (const [i, m] of (Array.isArray(body.messages) ? (body.messages as Json[]) : []).entries()) {
    if (!['system', 'user', 'assistant', 'tool'].includes(String(m.role))) return `messages/${i}/role must be a known role`;
    if (typeof m.content !== 'string') return `messages/${i}/content must be string`;
    for (const k of Object.keys(m)) if (!MESSAGE_KEYS.has(k)) return `messages/${i} must NOT have additional properties ('${k}')`;
  }
  for (const [i, t] of (Array.isArray(body.tools) ? (body.tools as Json[]) : []).entries()) {
    const fn = (t.function ?? t) as Json;
    if (typeof fn.name !== 'string' || fn.name === '') return `tools/${i} must have required property 'name'`;
  }
  return undefined;
}

function usageOf(s: FakeScenario, body: Json, text: string): Json | undefined {
  if (s.omitUsage) return undefined;
  const prompt = s.usage?.input ?? promptWords(body.messages) + 3;
  const completion = s.usage?.output ?? words(text).length + 5 * (s.toolCalls?.length ?? 0);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function promptWords(messages: unknown): number {
  return (Array.isArray(messages) ? (messages as Json[]) : []).reduce((n, m) => n + (typeof m.content === 'string' ? words(m.content).length : 0), 0);
}

/** Cloudflare pads each event so its length does not reveal the token; the content is meaningless. */
function padding(token: string): string {
  return 'abcdefghijklmnopqrstuvwxyz0123456789'.slice(0, 8 + (token.length % 20));
}
