import { randomUUID } from 'node:crypto';
import { FakeServer, preamble, type FakeHandlerContext } from './fake-server.js';
import { fakeEmbedding, words, type FakeScenario } from './scenario.js';

export interface FakeCohereOptions {
  /** When set, requests must carry `Authorization: Bearer <key>`. */
  apiKey?: string;
  models?: { name: string; endpoints: string[]; context_length?: number }[];
}

type Json = Record<string, unknown>;

const FINISH: Record<NonNullable<FakeScenario['finish']>, string> = {
  stop: 'COMPLETE',
  length: 'MAX_TOKENS',
  tool_calls: 'TOOL_CALL',
  // API v2 has no content-filter stop (safety_mode steers, it does not cut).
  content_filter: 'COMPLETE',
};

/** What Cohere adds around a prompt (chat template, safety preamble): in `tokens`, not in `billed_units`. */
const TEMPLATE_TOKENS = 214;

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);
const EMBED_INPUT_TYPES = new Set(['search_document', 'search_query', 'classification', 'clustering', 'image']);

/**
 * A fake Cohere API v2: `/v2/chat` (JSON or, with `stream: true`, SSE events
 * `event: <type>` + `data: {"type":…}`: message-start, content-start/delta/
 * end, tool-plan-delta, tool-call-start/delta/end, message-end with
 * finish_reason and usage billed_units/tokens), `/v2/embed` (embeddings by
 * type, input_type required), `/v2/rerank`, `GET /v1/models`; errors as
 * `{"id":…,"message":…}` with Cohere's statuses (401 for a bad token).
 */
export class FakeCohere extends FakeServer {
  readonly name = 'cohere';
  private readonly apiKey: string | undefined;
  private readonly models: NonNullable<FakeCohereOptions['models']>;

  constructor(opts: FakeCohereOptions = {}) {
    super();
    this.apiKey = opts.apiKey;
    this.models = opts.models ?? [
      { name: 'command-a-03-2025', endpoints: ['chat'], context_length: 256000 },
      { name: 'command-r-plus-08-2024', endpoints: ['chat'], context_length: 128000 },
      { name: 'embed-v4.0', endpoints: ['embed'], context_length: 128000 },
      { name: 'rerank-v3.5', endpoints: ['rerank'], context_length: 4096 },
    ];
  }

  protected async handle(ctx: FakeHandlerContext): Promise<void> {
    const { req } = ctx;
    const url = new URL(req.url ?? '/', 'http://fake');
    if (this.apiKey !== undefined && req.headers.authorization !== `Bearer ${this.apiKey}`) return this.error(ctx, 401, 'invalid api token');
    if (req.method === 'GET' && url.pathname === '/v1/models') return this.json(ctx, 200, { models: this.models.map((m) => ({ ...m, finetuned: false, features: null, default_endpoints: m.endpoints })) });
    if (req.method === 'POST' && url.pathname === '/v2/chat') return this.chat(ctx);
    if (req.method === 'POST' && url.pathname === '/v2/embed') return this.embed(ctx);
    if (req.method === 'POST' && url.pathname === '/v2/rerank') return this.rerank(ctx);
    return this.error(ctx, 404, `invalid request: ${req.method} ${url.pathname} is not a valid endpoint`);
  }

  private async chat(ctx: FakeHandlerContext): Promise<void> {
    const body = ctx.recorded.body as Json | null;
    const invalid = validateChat(body);
    if (invalid) return this.error(ctx, 400, invalid);
    const model = String(body!.model);
    ctx.setModel(model);
    const s = ctx.scenarioFor(model);
    if (!(await preamble(ctx, s))) return;
    if (s.error) return this.error(ctx, s.error.status, s.error.message ?? `fake cohere error ${s.error.status}`, s.error.retryAfterS);

    const calls = (s.toolCalls ?? []).map((t, i) => ({ id: t.id ?? `${t.name}_${i}${randomUUID().slice(0, 8)}`, type: 'function', function: { name: t.name, arguments: JSON.stringify(t.arguments) } }));
    const text = s.text ?? (calls.length ? '' : `Hello from cohere model ${model}.`);
    const finish = FINISH[s.finish ?? (calls.length ? 'tool_calls' : 'stop')];
    const usage = usageOf(s, body!, text);
    const id = randomUUID();
    const plan = calls.length ? s.reasoning : undefined;
    const thinking = calls.length ? undefined : s.reasoning;
    if (body!.stream === true) return this.stream(ctx, s, { id, text, thinking, plan, calls, finish, usage });

    const message: Json = { role: 'assistant' };
    const content: Json[] = [];
    if (thinking) content.push({ type: 'thinking', thinking });
    if (text !== '') content.push({ type: 'text', text });
    if (content.length) message.content = content;
    if (plan) message.tool_plan = plan;
    if (calls.length) message.tool_calls = calls;
    const out: Json = { id, message, finish_reason: finish };
    if (usage) out.usage = usage;
    return this.json(ctx, 200, out);
  }

  private async stream(
    ctx: FakeHandlerContext,
    s: FakeScenario,
    m: { id: string; text: string; thinking?: string; plan?: string; calls: { id: string; function: { name: string; arguments: string } }[]; finish: string; usage: Json | undefined },
  ): Promise<void> {
    const { res } = ctx;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': m.id });
    const events: Json[] = [{ id: m.id, type: 'message-start', delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } } }];
    let index = 0;
    for (const [kind, value] of [['thinking', m.thinking], ['text', m.text]] as const) {
      if (!value) continue;
      events.push({ type: 'content-start', index, delta: { message: { content: { type: kind, [kind]: '' } } } });
      for (const w of words(value)) events.push({ type: 'content-delta', index, delta: { message: { content: { [kind]: w } } } });
      events.push({ type: 'content-end', index });
      index++;
    }
    for (const w of words(m.plan ?? '')) events.push({ type: 'tool-plan-delta', delta: { message: { tool_plan: w } } });
    for (const [i, c] of m.calls.entries()) {
      events.push({ type: 'tool-call-start', index: i, delta: { message: { tool_calls: { id: c.id, type: 'function', function: { name: c.function.name, arguments: '' } } } } });
      for (const piece of fragments(c.function.arguments)) events.push({ type: 'tool-call-delta', index: i, delta: { message: { tool_calls: { function: { arguments: piece } } } } });
      events.push({ type: 'tool-call-end', index: i });
    }
    const end: Json = { finish_reason: m.finish };
    if (m.usage) end.usage = m.usage;
    events.push({ type: 'message-end', delta: end });

    let sent = 0;
    for (const [i, e] of events.entries()) {
      if (ctx.closed()) return;
      if (s.resetAfterChunks !== undefined && sent >= s.resetAfterChunks) {
        // A TCP reset after the events already written have left: the client sees them, then a broken body.
        // A scripted reset is the fake's doing, not a client abort: keep it out of `aborts`.
        ctx.finished();
        res.socket?.resetAndDestroy();
        return;
      }
      if (i === 1 && s.firstTokenDelayMs) await ctx.sleep(s.firstTokenDelayMs);
      await new Promise<void>((resolve) => res.write(`event: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`, () => resolve()));
      sent++;
      if (s.chunkDelayMs && i < events.length - 1) await ctx.sleep(s.chunkDelayMs);
    }
    ctx.finished();
    res.end();
  }

  private async embed(ctx: FakeHandlerContext): Promise<void> {
    const body = ctx.recorded.body as Json | null;
    if (body === null || typeof body.model !== 'string') return this.error(ctx, 400, 'invalid request: model must be specified');
    const model = body.model;
    ctx.setModel(model);
    const texts = body.texts;
    if (!Array.isArray(texts) || texts.length === 0 || texts.some((t) => typeof t !== 'string')) return this.error(ctx, 400, 'invalid request: texts must be a non-empty list of strings');
    if (typeof body.input_type !== 'string' || !EMBED_INPUT_TYPES.has(body.input_type)) return this.error(ctx, 400, 'invalid request: valid input_type must be provided with the provided model');
    const s = ctx.scenarioFor(model);
    if (!(await preamble(ctx, s))) return;
    if (s.error) return this.error(ctx, s.error.status, s.error.message ?? `fake cohere error ${s.error.status}`, s.error.retryAfterS);
    const dims = typeof body.output_dimension === 'number' ? body.output_dimension : s.embeddingDims ?? 8;
    const types = Array.isArray(body.embedding_types) ? (body.embedding_types as string[]) : ['float'];
    const embeddings: Json = {};
    if (types.includes('float')) embeddings.float = (texts as string[]).map((t) => fakeEmbedding(t, dims));
    const tokens = (texts as string[]).reduce((n, t) => n + words(t).length, 0);
    return this.json(ctx, 200, { id: randomUUID(), embeddings, texts, meta: { api_version: { version: '2' }, billed_units: { input_tokens: tokens } }, response_type: 'embeddings_by_type' });
  }

  private async rerank(ctx: FakeHandlerContext): Promise<void> {
    const body = ctx.recorded.body as Json | null;
    if (body === null || typeof body.model !== 'string') return this.error(ctx, 400, 'invalid request: model must be specified');
    ctx.setModel(body.model);
    if (typeof body.query !== 'string' || body.query.trim() === '') return this.error(ctx, 400, 'invalid request: query must not be empty or be only whitespace');
    const docs = body.documents;
    if (!Array.isArray(docs) || docs.length === 0) return this.error(ctx, 400, 'invalid request: list of documents must not be empty');
    if (docs.some((d) => typeof d !== 'string')) return this.error(ctx, 400, 'invalid request: documents must be strings');
    const s = ctx.scenarioFor(body.model);
    if (!(await preamble(ctx, s))) return;
    if (s.error) return this.error(ctx, s.error.status, s.error.message ?? `fake cohere error ${s.error.status}`, s.error.retryAfterS);
    const ranked = (docs as string[]).map((d, index) => ({ index, relevance_score: relevance(body.query as string, d) })).sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index);
    const topN = typeof body.top_n === 'number' ? body.top_n : ranked.length;
    return this.json(ctx, 200, { id: randomUUID(), results: ranked.slice(0, topN), meta: { api_version: { version: '2' }, billed_units: { search_units: 1 } } });
  }

  private json(ctx: FakeHandlerContext, status: number, body: unknown, headers: Record<string, string> = {}): void {
    ctx.finished();
    ctx.res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': randomUUID(), ...headers });
    ctx.res.end(JSON.stringify(body));
  }

  private error(ctx: FakeHandlerContext, status: number, message: string, retryAfterS?: number): void {
    this.json(ctx, status, { id: randomUUID(), message }, retryAfterS !== undefined ? { 'retry-after': String(retryAfterS) } : {});
  }
}

/** The checks the real API makes that an adapter could get wrong; wording mirrors Cohere's. */
function validateChat(body: Json | null): string | undefined {
  if (body === null || typeof body !== 'object') return 'invalid request: body must be a JSON object';
  if (typeof body.model !== 'string' || body.model === '') return 'invalid request: model must be specified';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'invalid request: messages must not be empty';
  const calls = new Set<string>();
  for (const [i, m] of (body.messages as Json[]).entries()) {
    if (!ROLES.has(String(m.role))) return `invalid request: messages[${i}].role must be one of system, user, assistant, tool`;
    if (m.role === 'system' && i > 0) return 'system turn must be the first in the list';
    if (m.role === 'assistant') {
      for (const c of Array.isArray(m.tool_calls) ? (m.tool_calls as Json[]) : []) {
        const fn = c.function as Json | undefined;
        if (typeof fn?.arguments !== 'string') return `invalid request: messages[${i}].tool_calls.function.arguments must be a string`;
        calls.add(String(c.id));
      }
    }
    if (m.role === 'tool') {
      if (typeof m.tool_call_id !== 'string') return `invalid request: messages[${i}].tool_call_id is required`;
      if (!calls.has(m.tool_call_id)) return `invalid request: tool call id ${m.tool_call_id} not found in previous tool calls`;
      if (m.content === '' || (Array.isArray(m.content) && m.content.length === 0)) return 'invalid request: tool message content must not be empty';
    }
    if (m.role === 'user' && (m.content === '' || m.content === undefined)) return 'message must not be empty in a turn';
  }
  if (body.tool_choice !== undefined && body.tool_choice !== 'REQUIRED' && body.tool_choice !== 'NONE') return 'invalid request: tool_choice must be one of REQUIRED, NONE';
  if (body.tool_choice !== undefined && !Array.isArray(body.tools)) return 'invalid request: tool_choice requires tools';
  if (body.frequency_penalty !== undefined && body.presence_penalty !== undefined) return 'invalid request: cannot specify both frequency_penalty and presence_penalty.';
  if (typeof body.p === 'number' && (body.p < 0.01 || body.p > 0.99)) return 'invalid request: p must be between 0.01 and 0.99';
  return undefined;
}

function usageOf(s: FakeScenario, body: Json, text: string): Json | undefined {
  if (s.omitUsage) return undefined;
  const input = s.usage?.input ?? promptWords(body.messages) + 3;
  const output = s.usage?.output ?? words(text).length + words(s.reasoning ?? '').length + 5 * (s.toolCalls?.length ?? 0);
  const u: Json = { billed_units: { input_tokens: input, output_tokens: output }, tokens: { input_tokens: input + TEMPLATE_TOKENS, output_tokens: output + 2 } };
  if (s.usage?.cacheRead) u.cached_tokens = s.usage.cacheRead;
  return u;
}

function promptWords(messages: unknown): number {
  let n = 0;
  for (const m of Array.isArray(messages) ? (messages as Json[]) : []) {
    if (typeof m.content === 'string') n += words(m.content).length;
    else if (Array.isArray(m.content)) for (const c of m.content as Json[]) if (typeof c.text === 'string') n += words(c.text).length;
  }
  return n;
}

/** Share of query words found in the document, with a tiny length tie-break: deterministic and ordered. */
function relevance(query: string, doc: string): number {
  const q = query.toLowerCase().match(/\w+/g) ?? [];
  const d = new Set(doc.toLowerCase().match(/\w+/g) ?? []);
  const hits = q.filter((w) => d.has(w)).length;
  return Number((hits / Math.max(1, q.length) * 0.9 + 0.1 / (1 + doc.length)).toFixed(6));
}

/** Uneven JSON fragments (1, 5, 9 characters …) so reassembly is really tested. */
function fragments(json: string): string[] {
  const out: string[] = [];
  const sizes = [1, 5, 9];
  for (let i = 0, k = 0; i < json.length; k++) {
    const size = sizes[k % sizes.length]!;
    out.push(json.slice(i, i + size));
    i += size;
  }
  return out;
}
