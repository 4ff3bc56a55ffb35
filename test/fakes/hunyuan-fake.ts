import { createHash, createHmac, randomUUID } from 'node:crypto';
import { FakeServer, preamble, type FakeHandlerContext } from './fake-server.js';
import { words, type FakeScenario } from './scenario.js';
import { countWords, writeChunks } from './sse-writer.js';

type Json = Record<string, any>;

export interface FakeHunyuanOptions {
  /** SecretId → SecretKey pairs the fake accepts. */
  keys?: Record<string, string>;
}

/** Scripted HTTP statuses rendered as the Tencent error codes that mean them. */
const CODE_FOR_STATUS: Record<number, string> = {
  400: 'InvalidParameter',
  401: 'AuthFailure.SecretIdNotFound',
  403: 'UnauthorizedOperation',
  404: 'ResourceNotFound',
  429: 'RequestLimitExceeded',
  500: 'InternalError',
  503: 'ResourceUnavailable',
};

const REQUEST_FIELDS = new Set(['Model', 'Messages', 'Stream', 'StreamModeration', 'TopP', 'Temperature', 'EnableEnhancement', 'Tools', 'ToolChoice', 'CustomTool', 'SearchInfo', 'Citation', 'EnableSpeedSearch', 'EnableMultimedia', 'EnableDeepSearch', 'Seed', 'ForceSearchEnhancement', 'Stop', 'EnableRecommendedQuestions', 'EnableDeepRead', 'WebSearchOptions', 'TopicChoice', 'EnableThinking']);

/**
 * A fake Tencent Hunyuan (Cloud API 3.0, action ChatCompletions, version
 * 2023-09-01). Like Tencent it answers POST / only, checks X-TC-Action,
 * X-TC-Version and X-TC-Timestamp (5-minute window), recomputes the
 * TC3-HMAC-SHA256 signature from the signed headers and the body and rejects
 * a wrong one with AuthFailure.SignatureFailure, rejects unknown parameters,
 * and reports every failure as HTTP 200 with Response.Error. Streams are SSE
 * `data:` events with Choices[].Delta and the running Usage, no [DONE].
 */
export class FakeHunyuan extends FakeServer {
  readonly name = 'hunyuan';
  private readonly keys: Record<string, string>;

  constructor(opts: FakeHunyuanOptions = {}) {
    super();
    this.keys = opts.keys ?? { AKIDfakeSecretId: 'fakeSecretKey' };
  }

  protected async handle(ctx: FakeHandlerContext): Promise<void> {
    const { req, recorded } = ctx;
    const h = req.headers;
    if (req.method !== 'POST' || recorded.url.split('?')[0] !== '/') return this.error(ctx, 'InvalidAction', `The requested path ${recorded.url} is not supported.`);
    const authFailure = this.checkSignature(ctx);
    if (authFailure) return this.error(ctx, authFailure[0], authFailure[1]);
    if (h['x-tc-action'] !== 'ChatCompletions') return this.error(ctx, 'InvalidAction', `The action \`${String(h['x-tc-action'])}\` is not found.`);
    if (h['x-tc-version'] !== '2023-09-01') return this.error(ctx, 'NoSuchVersion', `The request version \`${String(h['x-tc-version'])}\` does not exist.`);
    const body = recorded.body as Json | null;
    if (body === null || typeof body !== 'object') return this.error(ctx, 'InvalidParameter', 'The request body is not valid JSON.');
    for (const k of Object.keys(body)) if (!REQUEST_FIELDS.has(k)) return this.error(ctx, 'UnknownParameter', `The parameter \`${k}\` is not recognized.`);
    if (typeof body.Model !== 'string' || !Array.isArray(body.Messages) || body.Messages.length === 0) return this.error(ctx, 'MissingParameter', 'The request is missing a required parameter `Model` or `Messages`.');
    const invalid = validateMessages(body.Messages as Json[]);
    if (invalid) return this.error(ctx, 'InvalidParameterValue', invalid);
    const model = body.Model;
    ctx.setModel(model);
    const s = ctx.scenarioFor(model);
    if (!(await preamble(ctx, s))) return;
    if (s.error) return this.error(ctx, CODE_FOR_STATUS[s.error.status] ?? 'InternalError', s.error.message ?? `fake hunyuan error ${s.error.status}`, s.error.retryAfterS);
    return body.Stream === true ? this.stream(ctx, s, body) : this.answer(ctx, s, body);
  }

  /** Returns [code, message] when the request is not signed right, as Tencent words it. */
  private checkSignature(ctx: FakeHandlerContext): [string, string] | undefined {
    const h = ctx.req.headers;
    const auth = String(h.authorization ?? '');
    const m = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m) return ['AuthFailure.InvalidAuthorization', 'Authorization is not a valid TC3-HMAC-SHA256 header.'];
    const [, secretId, date, service, signedHeaders, signature] = m as unknown as string[];
    const secretKey = this.keys[secretId!];
    if (secretKey === undefined) return ['AuthFailure.SecretIdNotFound', 'The SecretId is not found, please ensure that your SecretId is correct.'];
    const ts = Number(h['x-tc-timestamp']);
    if (!Number.isFinite(ts) || Math.abs(Date.now() / 1000 - ts) > 300) return ['AuthFailure.SignatureExpire', 'Signature expired. Timestamp is too far from the server time.'];
    if (new Date(ts * 1000).toISOString().slice(0, 10) !== date) return ['AuthFailure.SignatureFailure', 'The provided credentials could not be validated because of exceeding request date.'];
    const names = signedHeaders!.split(';');
    if (!names.includes('content-type') || !names.includes('host')) return ['AuthFailure.SignatureFailure', 'SignedHeaders must include content-type and host.'];
    const canonicalHeaders = names.map((n) => `${n}:${String(h[n] ?? '').trim().toLowerCase()}\n`).join('');
    const sha = (x: string) => createHash('sha256').update(x).digest('hex');
    const canonical = ['POST', '/', '', canonicalHeaders, signedHeaders, sha(ctx.recorded.rawBody)].join('\n');
    const toSign = ['TC3-HMAC-SHA256', String(ts), `${date}/${service}/tc3_request`, sha(canonical)].join('\n');
    const k = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
    const expected = createHmac('sha256', k(k(k(`TC3${secretKey}`, date!), service!), 'tc3_request')).update(toSign).digest('hex');
    if (expected !== signature) return ['AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.'];
    return undefined;
  }

  private answer(ctx: FakeHandlerContext, s: FakeScenario, body: Json): void {
    const r = reply(s, body.Model);
    const message: Json = { Role: 'assistant', Content: r.text };
    if (s.reasoning) message.ReasoningContent = s.reasoning;
    if (r.toolCalls.length > 0) message.ToolCalls = r.toolCalls.map((t, i) => ({ Id: t.id, Type: 'function', Function: { Name: t.name, Arguments: t.args }, Index: i }));
    this.json(ctx, { Response: { ...envelope(), Choices: [{ FinishReason: r.finish, Message: message, Index: 0 }], Usage: usage(s, body, r) } });
  }

  private async stream(ctx: FakeHandlerContext, s: FakeScenario, body: Json): Promise<void> {
    const r = reply(s, body.Model);
    const base = envelope();
    const u = usage(s, body, r);
    let out = 0;
    const event = (delta: Json, finish = ''): string => {
      const running = { PromptTokens: u.PromptTokens, CompletionTokens: Math.min(++out, u.CompletionTokens), TotalTokens: u.PromptTokens + Math.min(out, u.CompletionTokens) };
      const e: Json = { Note: base.Note, Choices: [{ Delta: { Role: 'assistant', ...delta }, FinishReason: finish, Index: 0 }], Created: base.Created, Id: base.Id };
      if (!s.omitUsage) e.Usage = finish ? u : running;
      return `data: ${JSON.stringify(e)}\n\n`;
    };
    const chunks: string[] = [];
    for (const w of words(s.reasoning ?? '')) chunks.push(event({ Content: '', ReasoningContent: w }));
    for (const w of words(r.text)) chunks.push(event({ Content: w }));
    r.toolCalls.forEach((t, i) => {
      for (const frag of thirds(t.args)) chunks.push(event({ Content: '', ToolCalls: [{ Id: t.id, Type: 'function', Function: { Name: t.name, Arguments: frag }, Index: i }] }));
    });
    chunks.push(event({ Content: '' }, r.finish));
    ctx.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-tc-requestid': base.Id });
    ctx.res.flushHeaders();
    if (!(await writeChunks(ctx, s, chunks))) return;
    ctx.finished();
    ctx.res.end();
  }

  private json(ctx: FakeHandlerContext, body: Json, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    ctx.finished();
    ctx.res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    ctx.res.end(text);
  }

  /** Tencent answers failures with HTTP 200. Retry-After is not Tencent's: sent only when a scenario scripts one. */
  private error(ctx: FakeHandlerContext, code: string, message: string, retryAfterS?: number): void {
    this.json(ctx, { Response: { Error: { Code: code, Message: message }, RequestId: randomUUID() } }, retryAfterS !== undefined ? { 'retry-after': String(retryAfterS) } : {});
  }
}

function validateMessages(messages: Json[]): string | undefined {
  for (const [i, m] of messages.entries()) {
    if (!['system', 'user', 'assistant', 'tool'].includes(m.Role)) return `Messages[${i}].Role \`${String(m.Role)}\` is invalid.`;
    if (m.Role === 'system' && i !== 0) return 'Messages: system must be the first message.';
    const hasContent = (typeof m.Content === 'string' && m.Content !== '') || Array.isArray(m.Contents) || Array.isArray(m.ToolCalls);
    if (!hasContent) return `Messages[${i}].Content must not be empty.`;
    if (m.Role === 'tool' && typeof m.ToolCallId !== 'string') return `Messages[${i}].ToolCallId is required for tool messages.`;
    for (const c of (m.ToolCalls ?? []) as Json[]) if (typeof c.Function?.Arguments !== 'string') return `Messages[${i}].ToolCalls[].Function.Arguments must be a string.`;
  }
  const last = messages[messages.length - 1];
  if (last?.Role !== 'user' && last?.Role !== 'tool') return 'Messages must end with a user or tool message.';
  return undefined;
}

interface Reply {
  text: string;
  toolCalls: { id: string; name: string; args: string }[];
  finish: string;
}

function reply(s: FakeScenario, model: string): Reply {
  const toolCalls = (s.toolCalls ?? []).map((t, i) => ({ id: t.id ?? `call_hy${i}`, name: t.name, args: JSON.stringify(t.arguments) }));
  const finish = s.finish === 'content_filter' ? 'sensitive' : s.finish === 'tool_calls' || (s.finish === undefined && toolCalls.length > 0) ? 'tool_calls' : s.finish ?? 'stop';
  const text = s.finish === 'content_filter' ? '' : s.text ?? (toolCalls.length > 0 ? '' : `Hello from hunyuan model ${model}.`);
  return { text, toolCalls, finish };
}

function usage(s: FakeScenario, body: Json, r: Reply): { PromptTokens: number; CompletionTokens: number; TotalTokens: number } {
  const prompt = s.usage?.input ?? (body.Messages as Json[]).reduce((n, m) => n + countWords(typeof m.Content === 'string' ? m.Content : ''), 0) + 3;
  const completion = s.usage?.output ?? words(r.text).length + words(s.reasoning ?? '').length + r.toolCalls.length * 3;
  return { PromptTokens: prompt, CompletionTokens: completion, TotalTokens: prompt + completion };
}

function envelope(): { Id: string; Created: number; Note: string; RequestId: string } {
  const id = randomUUID();
  return { Id: id, Created: Math.floor(Date.now() / 1000), Note: '以上内容为AI生成，不代表开发者立场，请勿删除或修改本标记', RequestId: id };
}

function thirds(s: string): string[] {
  const n = Math.max(1, Math.ceil(s.length / 3));
  const out: string[] = [];
  for (let i = 0; i < s.length; i += n) out.push(s.slice(i, i + n));
  return out;
}
