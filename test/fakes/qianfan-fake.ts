import { randomBytes } from 'node:crypto';
import { FakeServer, preamble, type FakeHandlerContext } from './fake-server.js';
import { fakeEmbedding, words } from './scenario.js';
import { countWords, writeChunks } from './sse-writer.js';

type Json = Record<string, any>;

export interface FakeQianfanOptions {
  /** API Key → Secret Key pairs the token endpoint accepts. */
  clients?: Record<string, string>;
  /** Token lifetime reported in expires_in (seconds). */
  expiresInS?: number;
}

/** Scripted statuses as the ERNIE error codes that mean them. */
const ERROR_FOR_STATUS: Record<number, number> = { 400: 336003, 401: 14, 403: 6, 404: 3, 429: 18, 500: 336000, 503: 2 };
// extra_parameters: Baidu's own SDKs send it on every call (request_source), so the real API accepts it.
const CHAT_FIELDS = new Set(['messages', 'extra_parameters', 'system', 'stream', 'temperature', 'top_p', 'penalty_score', 'stop', 'max_output_tokens', 'user_id', 'functions', 'tool_choice', 'response_format', 'disable_search', 'enable_citation', 'enable_trace', 'min_output_tokens', 'frequency_penalty', 'presence_penalty']);

/**
 * A fake Baidu Qianfan legacy API: `POST /oauth/2.0/token` (client
 * credentials in the query → access_token, or 401 invalid_client), and
 * `/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/{model}` and
 * `/embeddings/{model}` that demand a token it issued (`error_code` 110
 * otherwise), all failures as HTTP 200 with `error_code`/`error_msg` like
 * Baidu. ERNIE's rules are enforced: user first, user/assistant alternating,
 * an odd count, function results naming their function.
 */
export class FakeQianfan extends FakeServer {
  readonly name = 'qianfan';
  /** Token → API Key it was issued to. */
  private readonly tokens = new Map<string, string>();
  tokenRequests = 0;

  constructor(private readonly opts: FakeQianfanOptions = {}) {
    super();
  }

  /** Revokes every issued token, as if all expired. */
  expireTokens(): void {
    this.tokens.clear();
  }

  protected async handle(ctx: FakeHandlerContext): Promise<void> {
    const url = new URL(ctx.recorded.url, 'http://fake');
    if (url.pathname === '/oauth/2.0/token') return this.token(ctx, url);
    const m = /^\/rpc\/2\.0\/ai_custom\/v1\/wenxinworkshop\/(chat|embeddings)\/([^/]+)$/.exec(url.pathname);
    if (ctx.req.method !== 'POST' || !m) return this.json(ctx, { error_code: 3, error_msg: 'Unsupported openapi method' });
    const token = url.searchParams.get('access_token');
    if (token === null || !this.tokens.has(token)) return this.json(ctx, { error_code: 110, error_msg: 'Access token invalid or no longer valid' });
    const model = decodeURIComponent(m[2]!);
    return m[1] === 'chat' ? this.chat(ctx, model) : this.embeddings(ctx, model);
  }

  private token(ctx: FakeHandlerContext, url: URL): void {
    this.tokenRequests++;
    const clients = this.opts.clients ?? { 'qf-api-key': 'qf-secret-key' };
    const id = url.searchParams.get('client_id') ?? '';
    const secret = url.searchParams.get('client_secret') ?? '';
    if (ctx.req.method !== 'POST' && ctx.req.method !== 'GET') return this.json(ctx, { error: 'invalid_request', error_description: 'method not allowed' }, 400);
    if (url.searchParams.get('grant_type') !== 'client_credentials') return this.json(ctx, { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported' }, 400);
    if (!(id in clients)) return this.json(ctx, { error: 'invalid_client', error_description: 'unknown client id' }, 401);
    if (clients[id] !== secret) return this.json(ctx, { error: 'invalid_client', error_description: 'Client authentication failed' }, 401);
    const token = `24.${randomBytes(16).toString('hex')}.2592000.1732420000.282335-${id.length}`;
    this.tokens.set(token, id);
    this.json(ctx, { refresh_token: `25.${randomBytes(8).toString('hex')}`, expires_in: this.opts.expiresInS ?? 2_592_000, session_key: 'fake', access_token: token, scope: 'public brain_all_scope', session_secret: 'fake' });
  }

  private async chat(ctx: FakeHandlerContext, model: string): Promise<void> {
    const body = ctx.recorded.body as Json | null;
    const invalid = validateChat(body);
    if (invalid) return this.json(ctx, { error_code: 336003, error_msg: invalid });
    ctx.setModel(model);
    const s = ctx.scenarioFor(model);
    if (!(await preamble(ctx, s))) return;
    if (s.error) return this.json(ctx, { error_code: ERROR_FOR_STATUS[s.error.status] ?? 336000, error_msg: s.error.message ?? `fake qianfan error ${s.error.status}` }, 200, s.error.retryAfterS);
    const call = s.toolCalls?.[0];
    const text = s.finish === 'content_filter' ? '' : s.text ?? (call ? '' : `Hello from qianfan model ${model}.`);
    const finish = s.finish === 'content_filter' ? 'content_filter' : call ? 'function_call' : s.finish === 'length' ? 'length' : 'normal';
    const prompt = s.usage?.input ?? (body!.messages as Json[]).reduce((n, m) => n + countWords(m.content), 0) + countWords(body!.system ?? '') + 3;
    const output = s.usage?.output ?? words(text).length + (call ? 5 : 0);
    const usage = { prompt_tokens: prompt, completion_tokens: output, total_tokens: prompt + output };
    const id = `as-${randomBytes(5).toString('hex')}`;
    const created = Math.floor(Date.now() / 1000);
    const functionCall = call ? { name: call.name, arguments: JSON.stringify(call.arguments), ...(s.reasoning ? { thoughts: s.reasoning } : {}) } : undefined;
    if (body!.stream !== true) {
      return this.json(ctx, { id, object: 'chat.completion', created, result: text, is_truncated: false, need_clear_history: finish === 'content_filter', finish_reason: finish, usage, ...(functionCall && { function_call: functionCall }), ...(finish === 'content_filter' && { ban_round: -1 }) });
    }
    const pieces = words(text);
    const events: Json[] = pieces.map((w, i) => ({ id, object: 'chat.completion', created, sentence_id: i, is_end: false, is_truncated: false, result: w, need_clear_history: false, finish_reason: '', usage: s.omitUsage ? undefined : { prompt_tokens: prompt, completion_tokens: i + 1, total_tokens: prompt + i + 1 } }));
    events.push({ id, object: 'chat.completion', created, sentence_id: pieces.length, is_end: true, is_truncated: false, result: '', need_clear_history: finish === 'content_filter', finish_reason: finish, ...(functionCall && { function_call: functionCall }), ...(s.omitUsage ? {} : { usage }) });
    ctx.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    ctx.res.flushHeaders();
    if (!(await writeChunks(ctx, s, events.map((e) => `data: ${JSON.stringify(e)}\n\n`)))) return;
    ctx.finished();
    ctx.res.end();
  }

  private async embeddings(ctx: FakeHandlerContext, model: string): Promise<void> {
    const body = ctx.recorded.body as Json | null;
    if (!Array.isArray(body?.input) || body!.input.some((t: unknown) => typeof t !== 'string')) return this.json(ctx, { error_code: 336003, error_msg: 'input must be a list of strings' });
    ctx.setModel(model);
    const s = ctx.scenarioFor(model);
    if (!(await preamble(ctx, s))) return;
    if (s.error) return this.json(ctx, { error_code: ERROR_FOR_STATUS[s.error.status] ?? 336000, error_msg: s.error.message ?? 'error' }, 200, s.error.retryAfterS);
    const dims = s.embeddingDims ?? 8;
    const tokens = (body!.input as string[]).reduce((n, t) => n + countWords(t), 0);
    this.json(ctx, { id: `as-${randomBytes(5).toString('hex')}`, object: 'embedding_list', created: Math.floor(Date.now() / 1000), data: (body!.input as string[]).map((t, index) => ({ object: 'embedding', embedding: fakeEmbedding(t, dims), index })), usage: { prompt_tokens: tokens, total_tokens: tokens } });
  }

  /** Baidu answers API failures with HTTP 200; Retry-After is not Baidu's and is sent only when a scenario scripts it. */
  private json(ctx: FakeHandlerContext, body: Json, status = 200, retryAfterS?: number): void {
    const text = JSON.stringify(body);
    ctx.finished();
    ctx.res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...(retryAfterS !== undefined ? { 'retry-after': String(retryAfterS) } : {}) });
    ctx.res.end(text);
  }
}

function validateChat(body: Json | null): string | undefined {
  if (body === null || !Array.isArray(body.messages) || body.messages.length === 0) return 'the messages parameter is required';
  for (const k of Object.keys(body)) if (!CHAT_FIELDS.has(k)) return `the ${k} parameter is not supported`;
  const msgs = body.messages as Json[];
  if (msgs.length % 2 === 0) return 'the length of messages must be an odd number';
  for (const [i, m] of msgs.entries()) {
    const want = i % 2 === 0 ? ['user', 'function'] : ['assistant'];
    if (!want.includes(m.role)) return `the role of message with even index in the messages must be user or function`;
    if (typeof m.content !== 'string') return 'message content must be a string';
    if (m.role === 'function' && typeof m.name !== 'string') return 'the name of function message is required';
    if (m.function_call !== undefined && typeof m.function_call.arguments !== 'string') return 'function_call.arguments must be a string';
  }
  if (msgs[0]!.role !== 'user') return 'the first message must be from the user';
  return undefined;
}
