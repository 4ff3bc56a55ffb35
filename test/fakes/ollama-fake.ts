import { FakeServer, preamble, type FakeHandlerContext } from './fake-server.js';
import { fakeEmbedding, words, type FakeScenario } from './scenario.js';

export interface FakeOllamaOptions {
  /** When set, requests must carry `Authorization: Bearer <key>` (ollama.com, a proxy). */
  apiKey?: string;
  /** Names served by `GET /api/tags`. */
  models?: string[];
}

type Json = Record<string, unknown>;

const DONE_REASON: Record<NonNullable<FakeScenario['finish']>, string> = {
  stop: 'stop',
  length: 'length',
  // Ollama has no tool-call reason: a turn of tool calls ends with "stop".
  tool_calls: 'stop',
  // Ollama has no content filter; the closest it says is an ordinary stop.
  content_filter: 'stop',
};

const CHAT_KEYS = new Set(['model', 'messages', 'tools', 'format', 'options', 'stream', 'keep_alive', 'think', 'logprobs', 'top_logprobs', 'truncate', 'shift']);
const MESSAGE_KEYS = new Set(['role', 'content', 'thinking', 'images', 'tool_calls', 'tool_name', 'tool_call_id']);

/**
 * A fake Ollama server speaking the native API: `/api/chat` streaming NDJSON
 * by default (one JSON object per line, `application/x-ndjson`, the last
 * with `done: true`, `done_reason` and the eval counts), `stream: false`
 * answers, `/api/embed`, `/api/tags`, `/api/version`; errors as
 * `{"error":"…"}` with Ollama's statuses (404 for a model not pulled). Like
 * the real server it rejects tool-call arguments sent as a JSON string.
 */
export class FakeOllama extends FakeServer {
  readonly name = 'ollama';
  private readonly apiKey: string | undefined;
  private readonly models: string[];

  constructor(opts: FakeOllamaOptions = {}) {
    super();
    this.apiKey = opts.apiKey;
    this.models = opts.models ?? ['llama3.2:latest', 'qwen3:8b', 'nomic-embed-text:latest'];
  }

  protected async handle(ctx: FakeHandlerContext): Promise<void> {
    const { req } = ctx;
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/') return this.text(ctx, 200, 'Ollama is running');
    if (this.apiKey !== undefined && req.headers.authorization !== `Bearer ${this.apiKey}`) return this.error(ctx, 401, 'unauthorized');
    if (req.method === 'GET' && path === '/api/version') return this.json(ctx, 200, { version: '0.12.6' });
    if (req.method === 'GET' && path === '/api/tags') return this.tags(ctx);
    if (req.method === 'POST' && path === '/api/chat') return this.chat(ctx);
    if (req.method === 'POST' && path === '/api/embed') return this.embed(ctx);
    return this.text(ctx, 404, '404 page not found');
  }

  private async chat(ctx: FakeHandlerContext): Promise<void> {
    const body = ctx.recorded.body as Json | null;
    const invalid = validateChat(body);
    if (invalid) return this.error(ctx, 400, invalid);
    const model = String(body!.model);
    ctx.setModel(model);
    if (!this.knows(model)) return this.error(ctx, 404, `model "${model}" not found, try pulling it first`);
    const s = ctx.scenarioFor(model);
    if (!(await preamble(ctx, s))) return;
    if (s.error) return this.error(ctx, s.error.status, s.error.message ?? `fake ollama error ${s.error.status}`, s.error.retryAfterS);

    const text = s.finish === 'content_filter' ? '' : s.text ?? (s.toolCalls?.length ? '' : `Hello from ollama model ${model}.`);
    const toolCalls = (s.toolCalls ?? []).map((t, index) => ({ id: t.id ?? `call_${index}`, function: { index, name: t.name, arguments: t.arguments } }));
    const doneReason = DONE_REASON[s.finish ?? (toolCalls.length ? 'tool_calls' : 'stop')];
    const counts = usageOf(s, body!, text);
    const createdAt = new Date().toISOString();
    if (body!.stream === false) {
      const message: Json = { role: 'assistant', content: text };
      if (s.reasoning) message.thinking = s.reasoning;
      if (toolCalls.length) message.tool_calls = toolCalls;
      return this.json(ctx, 200, { model, created_at: createdAt, message, done: true, done_reason: doneReason, ...durations(), ...counts });
    }

    const lines: Json[] = [];
    const line = (message: Json): Json => ({ model, created_at: new Date().toISOString(), message: { role: 'assistant', content: '', ...message }, done: false });
    for (const w of words(s.reasoning ?? '')) lines.push(line({ thinking: w }));
    for (const w of words(text)) lines.push(line({ content: w }));
    if (toolCalls.length) lines.push(line({ tool_calls: toolCalls }));
    lines.push({ model, created_at: new Date().toISOString(), message: { role: 'assistant', content: '' }, done: true, done_reason: doneReason, ...durations(), ...counts });
    return this.stream(ctx, s, lines);
  }

  private async stream(ctx: FakeHandlerContext, s: FakeScenario, lines: Json[]): Promise<void> {
    const { res } = ctx;
    res.writeHead(200, { 'content-type': 'application/x-ndjson', date: new Date().toUTCString() });
    if (s.firstTokenDelayMs) await ctx.sleep(s.firstTokenDelayMs);
    let sent = 0;
    for (const [i, l] of lines.entries()) {
      if (ctx.closed()) return;
      if (s.resetAfterChunks !== undefined && sent >= s.resetAfterChunks) {
        // A TCP reset after the lines already written have left: the client sees them, then a broken body.
        // A scripted reset is the fake's doing, not a client abort: keep it out of `aborts`.
        ctx.finished();
        res.socket?.resetAndDestroy();
        return;
      }
      await new Promise<void>((resolve) => res.write(`${JSON.stringify(l)}\n`, () => resolve()));
      sent++;
      if (s.chunkDelayMs && i < lines.length - 1) await ctx.sleep(s.chunkDelayMs);
    }
    ctx.finished();
    res.end();
  }

  private async embed(ctx: FakeHandlerContext): Promise<void> {
    const body = ctx.recorded.body as Json | null;
    if (body === null || typeof body.model !== 'string') return this.error(ctx, 400, 'model is required');
    const model = body.model;
    ctx.setModel(model);
    const input = typeof body.input === 'string' ? [body.input] : body.input;
    if (!Array.isArray(input) || input.some((t) => typeof t !== 'string')) return this.error(ctx, 400, 'invalid input type');
    if (!this.knows(model)) return this.error(ctx, 404, `model "${model}" not found, try pulling it first`);
    const s = ctx.scenarioFor(model);
    if (!(await preamble(ctx, s))) return;
    if (s.error) return this.error(ctx, s.error.status, s.error.message ?? `fake ollama error ${s.error.status}`, s.error.retryAfterS);
    const dims = typeof body.dimensions === 'number' ? body.dimensions : s.embeddingDims ?? 8;
    const embeddings = (input as string[]).map((t) => fakeEmbedding(t, dims));
    const tokens = (input as string[]).reduce((n, t) => n + words(t).length, 0);
    return this.json(ctx, 200, { model, embeddings, total_duration: 14143917, load_duration: 1019500, prompt_eval_count: tokens });
  }

  private tags(ctx: FakeHandlerContext): void {
    const models = this.models.map((name) => ({
      name,
      model: name,
      modified_at: '2025-05-01T10:00:00.000000000Z',
      size: 2019393189,
      digest: 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
      details: { parent_model: '', format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '3.2B', quantization_level: 'Q4_K_M' },
    }));
    this.json(ctx, 200, { models });
  }

  /** Only pulled models answer; Ollama names untagged models ":latest". */
  private knows(model: string): boolean {
    return this.models.includes(model) || this.models.includes(`${model}:latest`);
  }

  private json(ctx: FakeHandlerContext, status: number, body: unknown, headers: Record<string, string> = {}): void {
    ctx.finished();
    ctx.res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    ctx.res.end(JSON.stringify(body));
  }

  private error(ctx: FakeHandlerContext, status: number, message: string, retryAfterS?: number): void {
    this.json(ctx, status, { error: message }, retryAfterS !== undefined ? { 'retry-after': String(retryAfterS) } : {});
  }

  private text(ctx: FakeHandlerContext, status: number, text: string): void {
    ctx.finished();
    ctx.res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    ctx.res.end(text);
  }
}

/** The checks the real server makes that an adapter could get wrong; wording mirrors Ollama's Go errors. */
function validateChat(body: Json | null): string | undefined {
  if (body === null || typeof body !== 'object') return 'invalid request body';
  if (typeof body.model !== 'string' || body.model === '') return 'model is required';
  for (const k of Object.keys(body)) if (!CHAT_KEYS.has(k)) return `json: unknown field "${k}"`;
  if (!Array.isArray(body.messages)) return 'messages is required';
  for (const [i, m] of (body.messages as Json[]).entries()) {
    if (!['system', 'user', 'assistant', 'tool'].includes(String(m.role))) return `invalid role "${String(m.role)}" in messages[${i}]`;
    if (m.content !== undefined && typeof m.content !== 'string') {
      return 'json: cannot unmarshal array into Go struct field Message.messages.content of type string';
    }
    for (const k of Object.keys(m)) if (!MESSAGE_KEYS.has(k)) return `json: unknown field "${k}"`;
    if (m.images !== undefined && (!Array.isArray(m.images) || m.images.some((x) => typeof x !== 'string' || /^(data:|https?:)/.test(x)))) {
      return 'illegal base64 data at input byte 4';
    }
    for (const tc of Array.isArray(m.tool_calls) ? (m.tool_calls as Json[]) : []) {
      const args = (tc.function as Json | undefined)?.arguments;
      if (args === null || typeof args !== 'object' || Array.isArray(args)) {
        return 'json: cannot unmarshal string into Go struct field ToolCallFunction.messages.tool_calls.function.arguments of type api.ToolCallFunctionArguments';
      }
    }
  }
  const format = body.format;
  if (format !== undefined && format !== 'json' && format !== '' && (format === null || typeof format !== 'object')) return `invalid format: "${String(format)}"`;
  return undefined;
}

function usageOf(s: FakeScenario, body: Json, text: string): Json {
  if (s.omitUsage) return {};
  const prompt = s.usage?.input ?? promptWords(body.messages) + 3;
  const output = s.usage?.output ?? words(text).length + words(s.reasoning ?? '').length + 5 * (s.toolCalls?.length ?? 0);
  return { prompt_eval_count: prompt, prompt_eval_duration: 3_000_000, eval_count: output, eval_duration: 95_000_000 };
}

function durations(): Json {
  return { total_duration: 120_000_000, load_duration: 1_500_000 };
}

function promptWords(messages: unknown): number {
  return (Array.isArray(messages) ? (messages as Json[]) : []).reduce((n, m) => n + (typeof m.content === 'string' ? words(m.content).length : 0), 0);
}
