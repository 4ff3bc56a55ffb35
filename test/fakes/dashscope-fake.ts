import { randomUUID } from 'node:crypto';
import { FakeServer, preamble, type FakeHandlerContext } from './fake-server.js';
import { fakeEmbedding, words } from './scenario.js';
import { countWords, writeChunks } from './sse-writer.js';

type Json = Record<string, any>;

export interface FakeDashScopeOptions {
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
}

const CODE_FOR_STATUS: Record<number, string> = {
  400: 'InvalidParameter',
  401: 'InvalidApiKey',
  403: 'AccessDenied',
  404: 'ModelNotFound',
  429: 'Throttling.RateQuota',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

/**
 * A fake Alibaba Cloud DashScope (native API under /api/v1): text-generation
 * answering `result_format: "message"` JSON or, with `X-DashScope-SSE:
 * enable`, SSE frames `id:N` / `event:result` / `:HTTP_STATUS/200` /
 * `data:{…}` with incremental deltas, finish_reason "null" until the end and
 * cumulative usage in every frame; text-embedding; errors as `{code,
 * message, request_id}` (an `event:error` frame on streams). A content
 * filter hit is DashScope's 400 DataInspectionFailed.
 */
export class FakeDashScope extends FakeServer {
  readonly name = 'dashscope';

  constructor(private readonly opts: FakeDashScopeOptions = {}) {
    super();
  }

  protected async handle(ctx: FakeHandlerContext): Promise<void> {
    const { req, recorded } = ctx;
    const path = recorded.url.split('?')[0] ?? '/';
    const sse = req.headers['x-dashscope-sse'] === 'enable' || String(req.headers.accept ?? '').includes('text/event-stream');
    if (this.opts.apiKey !== undefined && req.headers.authorization !== `Bearer ${this.opts.apiKey}`) {
      return this.error(ctx, sse, 401, 'InvalidApiKey', 'Invalid API-key provided.');
    }
    const body = recorded.body as Json | null;
    if (req.method !== 'POST') return this.error(ctx, false, 405, 'MethodNotAllowed', 'Method not allowed.');
    if (path.endsWith('/services/aigc/text-generation/generation')) return this.generation(ctx, body, sse);
    if (path.endsWith('/services/embeddings/text-embedding/text-embedding')) return this.embedding(ctx, body);
    return this.error(ctx, false, 404, 'NotFound', `Url not found: ${path}`);
  }

  private async generation(ctx: FakeHandlerContext, body: Json | null, sse: boolean): Promise<void> {
    if (body === null || typeof body.model !== 'string') return this.error(ctx, sse, 400, 'InvalidParameter', 'Model not specified.');
    if (!Array.isArray(body.input?.messages)) return this.error(ctx, sse, 400, 'InvalidParameter', 'Input should be a dict with messages.');
    for (const m of body.input.messages as Json[]) {
      if (typeof m.content !== 'string') return this.error(ctx, sse, 400, 'InvalidParameter', 'Input content must be a string for text-generation models.');
      if (m.role === 'tool' && typeof m.tool_call_id !== 'string') return this.error(ctx, sse, 400, 'InvalidParameter', 'tool message needs tool_call_id.');
    }
    const params: Json = body.parameters ?? {};
    ctx.setModel(body.model);
    const s = ctx.scenarioFor(body.model);
    if (!(await preamble(ctx, s))) return;
    if (s.error) return this.error(ctx, sse, s.error.status, CODE_FOR_STATUS[s.error.status] ?? 'InternalError', s.error.message ?? `fake dashscope error ${s.error.status}`, s.error.retryAfterS);
    if (s.finish === 'content_filter') return this.error(ctx, sse, 400, 'DataInspectionFailed', 'Output data may contain inappropriate content.');
    const toolCalls = (s.toolCalls ?? []).map((t, i) => ({ id: t.id ?? `call_ds${i}`, name: t.name, args: JSON.stringify(t.arguments) }));
    const text = s.text ?? (toolCalls.length > 0 ? '' : `Hello from dashscope model ${body.model}.`);
    const finish = s.finish ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop');
    const input = s.usage?.input ?? (body.input.messages as Json[]).reduce((n, m) => n + countWords(m.content), 0) + 3;
    const output = s.usage?.output ?? words(text).length + words(s.reasoning ?? '').length + toolCalls.length * 3;
    const usage = (out: number): Json => ({ total_tokens: input + out, output_tokens: out, input_tokens: input, ...(s.reasoning ? { output_tokens_details: { reasoning_tokens: words(s.reasoning).length } } : {}) });
    const requestId = randomUUID();
    if (!sse) {
      const message: Json = { role: 'assistant', content: text };
      if (s.reasoning) message.reasoning_content = s.reasoning;
      if (toolCalls.length > 0) message.tool_calls = toolCalls.map((t, index) => ({ index, id: t.id, type: 'function', function: { name: t.name, arguments: t.args } }));
      return this.json(ctx, 200, { output: { choices: [{ finish_reason: finish, message }] }, usage: usage(output), request_id: requestId });
    }
    if (params.incremental_output !== true) return this.error(ctx, true, 400, 'InvalidParameter', 'The fake only streams incremental output.');
    const frames: Json[] = [];
    const frame = (message: Json, reason = 'null'): void => {
      frames.push({ output: { choices: [{ message: { role: 'assistant', content: '', ...message }, finish_reason: reason }] }, usage: usage(Math.min(frames.length + 1, output)), request_id: requestId });
    };
    for (const w of words(s.reasoning ?? '')) frame({ reasoning_content: w });
    for (const w of words(text)) frame({ content: w });
    toolCalls.forEach((t, index) => {
      frame({ tool_calls: [{ index, id: t.id, type: 'function', function: { name: t.name, arguments: '' } }] });
      for (const frag of thirds(t.args)) frame({ tool_calls: [{ index, id: '', type: 'function', function: { arguments: frag } }] });
    });
    frame({}, finish);
    const last = frames[frames.length - 1]!;
    last.usage = usage(output);
    if (s.omitUsage) for (const f of frames) delete f.usage;
    ctx.res.writeHead(200, { 'content-type': 'text/event-stream;charset=UTF-8', 'x-dashscope-call-gateway': 'true', 'req-cost-time': '120' });
    ctx.res.flushHeaders();
    const chunks = frames.map((f, i) => `id:${i + 1}\nevent:result\n:HTTP_STATUS/200\ndata:${JSON.stringify(f)}\n\n`);
    if (!(await writeChunks(ctx, s, chunks))) return;
    ctx.finished();
    ctx.res.end();
  }

  private async embedding(ctx: FakeHandlerContext, body: Json | null): Promise<void> {
    if (body === null || typeof body.model !== 'string') return this.error(ctx, false, 400, 'InvalidParameter', 'Model not specified.');
    const texts = body.input?.texts;
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) return this.error(ctx, false, 400, 'InvalidParameter', 'input.texts should be a list of strings.');
    ctx.setModel(body.model);
    const s = ctx.scenarioFor(body.model);
    if (!(await preamble(ctx, s))) return;
    if (s.error) return this.error(ctx, false, s.error.status, CODE_FOR_STATUS[s.error.status] ?? 'InternalError', s.error.message ?? 'error', s.error.retryAfterS);
    const dims = body.parameters?.dimension ?? s.embeddingDims ?? 8;
    const embeddings = (texts as string[]).map((t, text_index) => ({ text_index, embedding: fakeEmbedding(t, dims) })).reverse();
    const tokens = (texts as string[]).reduce((n, t) => n + countWords(t), 0);
    this.json(ctx, 200, { output: { embeddings }, usage: { total_tokens: tokens }, request_id: randomUUID() });
  }

  private json(ctx: FakeHandlerContext, status: number, body: Json, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    ctx.finished();
    ctx.res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    ctx.res.end(text);
  }

  /** A failed stream request gets its error as one `event:error` frame, with the HTTP status set. */
  private error(ctx: FakeHandlerContext, sse: boolean, status: number, code: string, message: string, retryAfterS?: number): void {
    const headers: Record<string, string> = retryAfterS !== undefined ? { 'retry-after': String(retryAfterS) } : {};
    const body = { code, message, request_id: randomUUID() };
    if (!sse) return this.json(ctx, status, body, headers);
    ctx.finished();
    ctx.res.writeHead(status, { 'content-type': 'text/event-stream;charset=UTF-8', ...headers });
    ctx.res.end(`id:1\nevent:error\n:HTTP_STATUS/${status}\ndata:${JSON.stringify(body)}\n\n`);
  }
}

function thirds(s: string): string[] {
  const n = Math.max(1, Math.ceil(s.length / 3));
  const out: string[] = [];
  for (let i = 0; i < s.length; i += n) out.push(s.slice(i, i + n));
  return out;
}
