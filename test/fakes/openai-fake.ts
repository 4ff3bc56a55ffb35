import { FakeServer, preamble, type FakeHandlerContext } from './fake-server.js';
import * as media from './openai-fake-media.js';
import { fakeEmbedding, words, type FakeScenario, type FakeToolCall } from './scenario.js';

export interface FakeOpenAIOptions {
  /** When set, requests must carry `Authorization: Bearer <apiKey>` or get OpenAI's 401. */
  apiKey?: string;
  /** Ids listed by GET /models besides every scripted model. */
  models?: string[];
}

type Json = Record<string, unknown>;

/**
 * A fake OpenAI speaking the real wire format: chat completions (JSON and
 * SSE), legacy completions, embeddings (float and base64), the model list,
 * and the media endpoints of openai-fake-media.ts. Routes match by path suffix, so `/v1/chat/completions`,
 * `/chat/completions` or `/openai/v1/chat/completions` all work and catalog
 * entries with any base path can point here.
 */
export class FakeOpenAI extends FakeServer {
  readonly name = 'openai';
  private seq = 0;
  private readonly scripted = new Set<string>();

  constructor(private readonly options: FakeOpenAIOptions = {}) {
    super();
  }

  private gate: Promise<void> | undefined;

  /** The non-chat endpoints' hooks into this fake's scenarios and error shapes. */
  private readonly media: media.MediaHost = {
    begin: (ctx, body) => this.begin(ctx, body),
    sendJson: (ctx, body) => sendJson(ctx, body),
    sendError: (ctx, status, message, param) => sendError(ctx, status, { message, type: 'invalid_request_error', code: null, param: param ?? null }),
    speechGate: () => this.gate ?? Promise.resolve(),
  };

  /** Speech answers stop after their first chunk until the returned function is called (proves bytes stream through). */
  holdSpeech(): () => void {
    let release = (): void => {};
    this.gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      release();
      this.gate = undefined;
    };
  }

  override script(model: string, scenario: FakeScenario): this {
    this.scripted.add(model);
    return super.script(model, scenario);
  }

  protected async handle(ctx: FakeHandlerContext): Promise<void> {
    const { req, recorded } = ctx;
    const path = recorded.url.split('?')[0] ?? '/';
    const requestId = `req_fake${++this.seq}`;
    ctx.res.setHeader('x-request-id', requestId);
    if (!this.authorised(ctx)) return;
    const method = req.method ?? 'GET';
    const body: Json = recorded.body !== null && typeof recorded.body === 'object' ? recorded.body : {};
    if (method === 'POST' && path.endsWith('/chat/completions')) return this.chat(ctx, body);
    if (method === 'POST' && path.endsWith('/completions')) return this.completions(ctx, body);
    if (method === 'POST' && path.endsWith('/embeddings')) return this.embeddings(ctx, body);
    if (method === 'GET' && path.endsWith('/models')) return this.models(ctx);
    if (method === 'POST' && path.endsWith('/images/generations')) return media.imageGenerations(this.media, ctx, body);
    if (method === 'POST' && path.endsWith('/images/edits')) return media.imageEdits(this.media, ctx);
    if (method === 'POST' && path.endsWith('/audio/transcriptions')) return media.transcriptions(this.media, ctx, 'transcribe');
    if (method === 'POST' && path.endsWith('/audio/translations')) return media.transcriptions(this.media, ctx, 'translate');
    if (method === 'POST' && path.endsWith('/audio/speech')) return media.speech(this.media, ctx, body);
    if (method === 'POST' && path.endsWith('/moderations')) return media.moderations(this.media, ctx, body);
    if (method === 'POST' && path.endsWith('/rerank')) return media.rerank(this.media, ctx, body);
    sendError(ctx, 404, { message: `Invalid URL (${method} ${path})`, type: 'invalid_request_error', code: null });
  }

  private authorised(ctx: FakeHandlerContext): boolean {
    const key = this.options.apiKey;
    if (key === undefined) return true;
    const auth = ctx.req.headers.authorization;
    if (auth === `Bearer ${key}`) return true;
    const message =
      auth === undefined
        ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
        : `Incorrect API key provided: ${auth.replace(/^Bearer /, '').slice(0, 8)}****. You can find your API key at https://platform.openai.com/account/api-keys.`;
    sendError(ctx, 401, { message, type: 'invalid_request_error', code: 'invalid_api_key' });
    return false;
  }

  /** Common start of every model call: scenario, error, hang/latency. Returns null when already answered. */
  private async begin(ctx: FakeHandlerContext, body: Json): Promise<FakeScenario | null> {
    const model = typeof body.model === 'string' ? body.model : '';
    ctx.setModel(model);
    const s = ctx.scenarioFor(model);
    if (!(await preamble(ctx, s))) return null;
    if (s.error) {
      const headers: Record<string, string> = {};
      if (s.error.retryAfterS !== undefined) headers['retry-after'] = String(s.error.retryAfterS);
      sendError(ctx, s.error.status, errorFields(s.error), headers);
      return null;
    }
    return s;
  }

  private async chat(ctx: FakeHandlerContext, body: Json): Promise<void> {
    const s = await this.begin(ctx, body);
    if (s === null) return;
    const model = String(body.model);
    const reply = replyOf(s, this.name, model);
    const usage = usageOf(s, body, reply);
    const id = `chatcmpl-fake${this.seq}`;
    const created = Math.floor(Date.now() / 1000);
    const base = { id, object: 'chat.completion.chunk', created, model, service_tier: 'default', system_fingerprint: 'fp_fake' };
    if (body.stream !== true) {
      const n = typeof body.n === 'number' ? body.n : 1;
      const message: Json = { role: 'assistant', content: reply.text, refusal: null, annotations: [] };
      if (reply.reasoning !== undefined) message.reasoning_content = reply.reasoning;
      if (reply.toolCalls.length > 0) message.tool_calls = reply.toolCalls.map((t, i) => ({ id: t.id ?? callId(i), type: 'function', function: { name: t.name, arguments: JSON.stringify(t.arguments) } }));
      const choices = Array.from({ length: n }, (_, index) => ({ index, message, logprobs: body.logprobs === true ? logprobsOf(reply.text ?? '') : null, finish_reason: reply.finish }));
      return sendJson(ctx, { ...base, object: 'chat.completion', choices, usage });
    }
    const includeUsage = isObj(body.stream_options) && body.stream_options.include_usage === true && !s.omitUsage;
    const chunk = (delta: Json, finish: string | null = null, logprobs: unknown = null): Json => ({
      ...base,
      choices: [{ index: 0, delta, logprobs, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    });
    const events: Json[] = [chunk({ role: 'assistant', content: '', refusal: null })];
    for (const w of words(reply.reasoning ?? '')) events.push(chunk({ reasoning_content: w }));
    for (const w of words(reply.text ?? '')) events.push(chunk({ content: w }, null, body.logprobs === true ? logprobsOf(w) : null));
    reply.toolCalls.forEach((t, index) => {
      events.push(chunk({ tool_calls: [{ index, id: t.id ?? callId(index), type: 'function', function: { name: t.name, arguments: '' } }] }));
      for (const frag of fragments(JSON.stringify(t.arguments))) events.push(chunk({ tool_calls: [{ index, function: { arguments: frag } }] }));
    });
    events.push(chunk({}, reply.finish));
    if (includeUsage) events.push({ ...base, choices: [], usage });
    await streamEvents(ctx, s, events);
  }

  private async completions(ctx: FakeHandlerContext, body: Json): Promise<void> {
    const s = await this.begin(ctx, body);
    if (s === null) return;
    const model = String(body.model);
    const text = s.text ?? `Hello from ${this.name} model ${model}.`;
    const prompt = Array.isArray(body.prompt) ? body.prompt.join(' ') : String(body.prompt ?? '');
    const input = s.usage?.input ?? words(prompt).length + 3;
    const output = s.usage?.output ?? words(text).length;
    const usage = { prompt_tokens: input, completion_tokens: output, total_tokens: input + output };
    const finish = s.finish ?? 'stop';
    const base = { id: `cmpl-fake${this.seq}`, object: 'text_completion', created: Math.floor(Date.now() / 1000), model, system_fingerprint: 'fp_fake' };
    if (body.stream !== true) {
      return sendJson(ctx, { ...base, choices: [{ text, index: 0, logprobs: null, finish_reason: finish }], usage });
    }
    const includeUsage = isObj(body.stream_options) && body.stream_options.include_usage === true && !s.omitUsage;
    const events: Json[] = words(text).map((w) => ({ ...base, choices: [{ text: w, index: 0, logprobs: null, finish_reason: null }] }));
    events.push({ ...base, choices: [{ text: '', index: 0, logprobs: null, finish_reason: finish }] });
    if (includeUsage) events.push({ ...base, choices: [], usage });
    await streamEvents(ctx, s, events);
  }

  private async embeddings(ctx: FakeHandlerContext, body: Json): Promise<void> {
    const s = await this.begin(ctx, body);
    if (s === null) return;
    const inputs: unknown[] = Array.isArray(body.input) && (body.input.length === 0 || typeof body.input[0] !== 'number') ? body.input : [body.input];
    const dims = typeof body.dimensions === 'number' ? body.dimensions : (s.embeddingDims ?? 8);
    const base64 = body.encoding_format === 'base64';
    const data = inputs.map((inp, index) => {
      const vec = fakeEmbedding(typeof inp === 'string' ? inp : JSON.stringify(inp), dims);
      return { object: 'embedding', index, embedding: base64 ? float32Base64(vec) : vec };
    });
    const tokens = s.usage?.input ?? inputs.reduce<number>((n, inp) => n + (typeof inp === 'string' ? words(inp).length : Array.isArray(inp) ? inp.length : 1), 0);
    sendJson(ctx, { object: 'list', data, model: String(body.model), usage: { prompt_tokens: tokens, total_tokens: tokens } });
  }

  private async models(ctx: FakeHandlerContext): Promise<void> {
    const ids = new Set([...(this.options.models ?? ['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small']), ...this.scripted]);
    const data = [...ids].map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'openai' }));
    sendJson(ctx, { object: 'list', data });
  }
}

interface Reply {
  text: string | null;
  reasoning?: string;
  toolCalls: FakeToolCall[];
  finish: string;
}

function replyOf(s: FakeScenario, fake: string, model: string): Reply {
  const toolCalls = s.toolCalls ?? [];
  const text = s.text ?? (toolCalls.length > 0 ? null : `Hello from ${fake} model ${model}.`);
  const reply: Reply = { text, toolCalls, finish: s.finish ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop') };
  if (s.reasoning !== undefined) reply.reasoning = s.reasoning;
  return reply;
}

function usageOf(s: FakeScenario, body: Json, reply: Reply): Json {
  const promptWords = Array.isArray(body.messages) ? body.messages.reduce<number>((n, m: unknown) => n + words(messageText(m)).length, 0) : 0;
  const input = s.usage?.input ?? promptWords + 3;
  const reasoning = s.usage?.reasoning ?? words(reply.reasoning ?? '').length;
  const output =
    s.usage?.output ?? words(reply.text ?? '').length + words(reply.reasoning ?? '').length + reply.toolCalls.reduce((n, t) => n + words(JSON.stringify(t.arguments)).length + 1, 0);
  return {
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: input + output,
    prompt_tokens_details: { cached_tokens: s.usage?.cacheRead ?? 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function messageText(m: unknown): string {
  if (!isObj(m)) return '';
  if (typeof m.content === 'string') return m.content;
  if (Array.isArray(m.content)) return m.content.map((p: unknown) => (isObj(p) && typeof p.text === 'string' ? p.text : '')).join(' ');
  return '';
}

/** Writes `data: {json}\n\n` events, then `data: [DONE]`, honouring the scenario's timing and reset. */
async function streamEvents(ctx: FakeHandlerContext, s: FakeScenario, events: Json[]): Promise<void> {
  const { res } = ctx;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
  if (s.firstTokenDelayMs) await ctx.sleep(s.firstTokenDelayMs);
  let sent = 0;
  for (const ev of events) {
    if (ctx.closed()) return;
    if (s.resetAfterChunks !== undefined && sent >= s.resetAfterChunks) {
      ctx.finished(); // a scripted reset is the fake's doing, not a client abort
      ctx.req.socket.destroy();
      return;
    }
    if (sent > 0 && s.chunkDelayMs) await ctx.sleep(s.chunkDelayMs);
    res.write(`data: ${JSON.stringify(ev)}\n\n`);
    sent++;
  }
  if (ctx.closed()) return;
  ctx.finished();
  res.end('data: [DONE]\n\n');
}

function sendJson(ctx: FakeHandlerContext, body: Json): void {
  const text = JSON.stringify(body);
  ctx.finished();
  ctx.res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  ctx.res.end(text);
}

interface ErrorFields {
  message: string;
  type: string;
  code: string | null;
  param?: string | null;
}

function sendError(ctx: FakeHandlerContext, status: number, f: ErrorFields, headers: Record<string, string> = {}): void {
  const text = JSON.stringify({ error: { message: f.message, type: f.type, param: f.param ?? null, code: f.code } });
  ctx.finished();
  ctx.res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  ctx.res.end(text);
}

const OPENAI_TYPES = new Set(['invalid_request_error', 'authentication_error', 'permission_error', 'not_found_error', 'rate_limit_error', 'server_error', 'api_error', 'requests', 'tokens', 'insufficient_quota']);

/**
 * A scenario's `error.type` is OpenAI's `type` when it is one of OpenAI's
 * types, otherwise OpenAI's `code` (e.g. "context_length_exceeded").
 */
function errorFields(e: NonNullable<FakeScenario['error']>): ErrorFields {
  const d = defaultsFor(e.status);
  const f: ErrorFields = { message: e.message ?? d.message, type: d.type, code: d.code };
  if (e.type !== undefined && OPENAI_TYPES.has(e.type)) {
    f.type = e.type;
    if (e.type === 'insufficient_quota') f.code = 'insufficient_quota';
  } else if (e.type !== undefined) {
    f.code = e.type;
    if (e.type === 'context_length_exceeded') f.param = 'messages';
  }
  return f;
}

function defaultsFor(status: number): ErrorFields {
  if (status === 400) return { message: 'Invalid request.', type: 'invalid_request_error', code: null };
  if (status === 401) return { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' };
  if (status === 403) return { message: 'You are not allowed to sample from this model.', type: 'invalid_request_error', code: null };
  if (status === 404) return { message: 'The model does not exist or you do not have access to it.', type: 'invalid_request_error', code: 'model_not_found' };
  if (status === 429) return { message: 'Rate limit reached for requests. Please try again later.', type: 'requests', code: 'rate_limit_exceeded' };
  if (status === 503) return { message: 'The engine is currently overloaded, please try again later.', type: 'server_error', code: null };
  return { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', code: null };
}

function logprobsOf(text: string): Json {
  return { content: words(text).map((w) => ({ token: w, logprob: -0.25, bytes: [...Buffer.from(w)], top_logprobs: [] })), refusal: null };
}

/** Splits tool arguments in three, the way real streams fragment JSON mid-token. */
function fragments(s: string): string[] {
  const third = Math.max(1, Math.ceil(s.length / 3));
  const out: string[] = [];
  for (let i = 0; i < s.length; i += third) out.push(s.slice(i, i + third));
  return out;
}

function callId(i: number): string {
  return `call_fake${i}`;
}

function float32Base64(vec: number[]): string {
  const buf = Buffer.alloc(vec.length * 4);
  vec.forEach((v, i) => buf.writeFloatLE(v, i * 4));
  return buf.toString('base64');
}

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
