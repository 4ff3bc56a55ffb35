import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { FakeServer, preamble, type FakeHandlerContext } from './fake-server.js';
import { words, type FakeScenario } from './scenario.js';

export interface FakeAnthropicOptions {
  /** When set, requests must carry it as `x-api-key` or `Authorization: Bearer`. */
  apiKey?: string;
  /** Ids served by `GET /v1/models`. */
  models?: string[];
}

const ERROR_TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

const STOP_REASON: Record<NonNullable<FakeScenario['finish']>, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
};

type Block =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/**
 * A fake Anthropic Messages API speaking the real wire format: the error
 * envelope `{type:"error",error:{type,message},request_id}`, `request-id`
 * headers, and the exact SSE event sequence (message_start, ping, per block
 * content_block_start/delta/stop, message_delta, message_stop).
 *
 * Scenario usage is in unified terms: `usage.input` is the WHOLE prompt, so
 * the fake reports `input_tokens = input - cacheRead - cacheWrite` the way
 * Anthropic counts, and the same script yields the same unified usage on
 * every fake.
 */
export class FakeAnthropic extends FakeServer {
  readonly name = 'anthropic';
  private readonly apiKey: string | undefined;
  private readonly models: string[];

  constructor(opts: FakeAnthropicOptions = {}) {
    super();
    this.apiKey = opts.apiKey;
    this.models = opts.models ?? ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-1'];
  }

  protected async handle(ctx: FakeHandlerContext): Promise<void> {
    const { req, recorded } = ctx;
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'HEAD' && path === '/') return this.end(ctx, 200, '');
    if (!this.authorized(req)) return this.error(ctx, 401, 'authentication_error', 'invalid x-api-key');
    if (req.headers['anthropic-version'] === undefined) {
      return this.error(ctx, 400, 'invalid_request_error', 'anthropic-version: header is required');
    }
    if (req.method === 'GET' && path === '/v1/models') return this.listModels(ctx);
    if (req.method === 'POST' && path === '/v1/messages/count_tokens') {
      const invalid = validate(recorded.body, false);
      if (invalid) return this.error(ctx, 400, 'invalid_request_error', invalid);
      return this.json(ctx, 200, { input_tokens: promptWords(recorded.body) + 3 });
    }
    if (req.method === 'POST' && path === '/v1/messages') return this.messages(ctx);
    return this.error(ctx, 404, 'not_found_error', `Not found: ${req.method} ${path}`);
  }

  private authorized(req: http.IncomingMessage): boolean {
    if (this.apiKey === undefined) return true;
    return req.headers['x-api-key'] === this.apiKey || req.headers.authorization === `Bearer ${this.apiKey}`;
  }

  private async messages(ctx: FakeHandlerContext): Promise<void> {
    const body = ctx.recorded.body as Record<string, unknown> | null;
    const invalid = validate(body, true);
    if (invalid) return this.error(ctx, 400, 'invalid_request_error', invalid);
    const model = String(body!.model);
    ctx.setModel(model);
    const s = ctx.scenarioFor(model);
    if (!(await preamble(ctx, s))) return;
    if (s.error) {
      const type = s.error.type ?? ERROR_TYPE_BY_STATUS[s.error.status] ?? 'api_error';
      const headers: Record<string, string> = s.error.retryAfterS !== undefined ? { 'retry-after': String(s.error.retryAfterS) } : {};
      return this.error(ctx, s.error.status, type, s.error.message ?? defaultMessage(type), headers);
    }
    const blocks = buildBlocks(s, model);
    const stopReason = s.finish ? STOP_REASON[s.finish] : s.toolCalls?.length ? 'tool_use' : 'end_turn';
    const usage = buildUsage(s, body, blocks);
    const id = `msg_${randomBytes(12).toString('hex')}`;
    if (body!.stream === true) return this.stream(ctx, s, { id, model, blocks, stopReason, usage });
    const message = { id, type: 'message', role: 'assistant', model, content: blocks, stop_reason: stopReason, stop_sequence: null, usage: usage ?? zeroUsage() };
    return this.json(ctx, 200, message);
  }

  private async stream(
    ctx: FakeHandlerContext,
    s: FakeScenario,
    m: { id: string; model: string; blocks: Block[]; stopReason: string; usage: Record<string, unknown> | undefined },
  ): Promise<void> {
    const { res } = ctx;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': requestId() });
    let sent = 0;
    const emit = async (type: string, data: Record<string, unknown>): Promise<boolean> => {
      if (ctx.closed()) return false;
      if (s.resetAfterChunks !== undefined && sent >= s.resetAfterChunks) {
        // A TCP reset after the events already written have left: the client sees them, then a broken body.
        ctx.finished(); // a scripted reset is the fake's doing, not a client abort
        res.socket?.resetAndDestroy();
        return false;
      }
      if (sent > 0 && s.chunkDelayMs) await ctx.sleep(s.chunkDelayMs);
      if (ctx.closed()) return false;
      // Waiting for the flush keeps event timing real and makes a scripted reset land after the data.
      await new Promise<void>((resolve) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`, () => resolve()));
      sent++;
      return true;
    };
    const startUsage = m.usage === undefined ? undefined : { ...m.usage, output_tokens: 1 };
    const message: Record<string, unknown> = { id: m.id, type: 'message', role: 'assistant', model: m.model, content: [], stop_reason: null, stop_sequence: null };
    if (startUsage) message.usage = startUsage;
    if (!(await emit('message_start', { message }))) return;
    if (!(await emit('ping', {}))) return;
    if (s.firstTokenDelayMs) await ctx.sleep(s.firstTokenDelayMs);
    for (const [index, block] of m.blocks.entries()) {
      if (!(await this.streamBlock(emit, index, block))) return;
      if (!(await emit('content_block_stop', { index }))) return;
    }
    const delta: Record<string, unknown> = { delta: { stop_reason: m.stopReason, stop_sequence: null } };
    if (m.usage) delta.usage = { output_tokens: m.usage.output_tokens };
    if (!(await emit('message_delta', delta))) return;
    if (!(await emit('message_stop', {}))) return;
    ctx.finished();
    res.end();
  }

  private async streamBlock(emit: (type: string, data: Record<string, unknown>) => Promise<boolean>, index: number, block: Block): Promise<boolean> {
    const delta = (d: Record<string, unknown>): Promise<boolean> => emit('content_block_delta', { index, delta: d });
    switch (block.type) {
      case 'thinking':
        if (!(await emit('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } }))) return false;
        for (const w of words(block.thinking)) if (!(await delta({ type: 'thinking_delta', thinking: w }))) return false;
        return delta({ type: 'signature_delta', signature: block.signature });
      case 'text':
        if (!(await emit('content_block_start', { index, content_block: { type: 'text', text: '' } }))) return false;
        for (const w of words(block.text)) if (!(await delta({ type: 'text_delta', text: w }))) return false;
        return true;
      case 'tool_use':
        if (!(await emit('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } }))) return false;
        // Real fragments cut JSON anywhere, including inside strings and escapes.
        for (const piece of fragments(JSON.stringify(block.input))) if (!(await delta({ type: 'input_json_delta', partial_json: piece }))) return false;
        return true;
    }
  }

  private listModels(ctx: FakeHandlerContext): void {
    const data = this.models.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' }));
    this.json(ctx, 200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null });
  }

  private json(ctx: FakeHandlerContext, status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.end(ctx, status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
  }

  private error(ctx: FakeHandlerContext, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
    const rid = requestId();
    this.end(ctx, status, JSON.stringify({ type: 'error', error: { type, message }, request_id: rid }), { 'content-type': 'application/json', ...headers }, rid);
  }

  private end(ctx: FakeHandlerContext, status: number, text: string, headers: Record<string, string> = {}, rid = requestId()): void {
    ctx.finished();
    ctx.res.writeHead(status, { 'request-id': rid, ...headers });
    ctx.res.end(text);
  }
}

/** The checks the real API makes that our adapter could get wrong; message text mirrors Anthropic's. */
function validate(body: Record<string, unknown> | null, needsMaxTokens: boolean): string | undefined {
  if (body === null || typeof body !== 'object') return 'Request body must be a JSON object';
  if (typeof body.model !== 'string' || body.model === '') return 'model: Field required';
  if (needsMaxTokens && typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
  if (!Array.isArray(body.messages)) return 'messages: Field required';
  let prev: string | undefined;
  for (const [i, m] of (body.messages as { role?: unknown; content?: unknown }[]).entries()) {
    if (m.role !== 'user' && m.role !== 'assistant') return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    if (m.role === prev) return `messages: roles must alternate between "user" and "assistant", but found multiple "${m.role}" roles in a row`;
    if (Array.isArray(m.content) && m.content.length === 0 && i < (body.messages as unknown[]).length - 1) {
      return `messages.${i}: all messages must have non-empty content except for the optional final assistant message`;
    }
    prev = m.role;
  }
  return undefined;
}

function buildBlocks(s: FakeScenario, model: string): Block[] {
  const blocks: Block[] = [];
  if (s.reasoning) blocks.push({ type: 'thinking', thinking: s.reasoning, signature: `sig_${Buffer.from(s.reasoning).toString('base64').slice(0, 24)}` });
  const text = s.text ?? (s.toolCalls?.length ? '' : `Hello from anthropic model ${model}.`);
  if (text !== '') blocks.push({ type: 'text', text });
  for (const [i, t] of (s.toolCalls ?? []).entries()) {
    blocks.push({ type: 'tool_use', id: t.id ?? `toolu_${String(i).padStart(2, '0')}${randomBytes(8).toString('hex')}`, name: t.name, input: t.arguments });
  }
  return blocks;
}

function buildUsage(s: FakeScenario, body: Record<string, unknown> | null, blocks: Block[]): Record<string, unknown> | undefined {
  if (s.omitUsage) return undefined;
  const u = s.usage ?? {};
  const cacheRead = u.cacheRead ?? 0;
  const cacheWrite = u.cacheWrite ?? 0;
  const input = u.input ?? promptWords(body) + 3;
  const output = u.output ?? blocks.reduce((n, b) => n + (b.type === 'text' ? words(b.text).length : b.type === 'thinking' ? words(b.thinking).length : 5), 0);
  const usage: Record<string, unknown> = {
    input_tokens: Math.max(0, input - cacheRead - cacheWrite),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    output_tokens: output,
    service_tier: 'standard',
  };
  if (u.reasoning !== undefined) usage.output_tokens_details = { thinking_tokens: u.reasoning };
  return usage;
}

function zeroUsage(): Record<string, number> {
  return { input_tokens: 0, output_tokens: 0 };
}

function promptWords(body: Record<string, unknown> | null): number {
  let n = 0;
  const count = (v: unknown): void => {
    if (typeof v === 'string') n += words(v).length;
    else if (Array.isArray(v)) v.forEach(count);
    else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.text === 'string') n += words(o.text).length;
      if (o.content !== undefined) count(o.content);
    }
  };
  count(body?.system);
  count(body?.messages);
  return n;
}

/** Splits JSON text into uneven pieces (sizes 1, 5, 9, 1, 5, …) so reassembly is really tested. */
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

function defaultMessage(type: string): string {
  if (type === 'overloaded_error') return 'Overloaded';
  if (type === 'rate_limit_error') return 'Number of request tokens has exceeded your per-minute rate limit';
  return `Fake ${type}`;
}

function requestId(): string {
  return `req_${randomBytes(12).toString('hex')}`;
}
