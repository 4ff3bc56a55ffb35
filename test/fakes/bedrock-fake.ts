import { randomBytes, randomUUID } from 'node:crypto';
import { verifySigV4, type FakeAwsKey } from './bedrock-fake-auth.js';
import { eventFrame, exceptionFrame } from './bedrock-fake-event-stream.js';
import { H2cFront } from './bedrock-fake-h2c.js';
import { FakeServer, preamble, type FakeHandlerContext } from './fake-server.js';
import { fakeEmbedding, words, type FakeScenario } from './scenario.js';

export interface FakeBedrockOptions {
  /** Access keys the fake accepts (SigV4). Default: one test key. */
  keys?: FakeAwsKey[];
  /** Bedrock API keys accepted as `Authorization: Bearer`. */
  apiKeys?: string[];
  /** The region signatures must be scoped to. */
  region?: string;
}

export const FAKE_AWS_KEY: FakeAwsKey = { accessKeyId: 'AKIDFAKEBEDROCK0001', secretAccessKey: 'fakeSecret/K7MDENG+bPxRfiCYEXAMPLEKEY' };
export const FAKE_BEDROCK_API_KEY = 'ABSKZmFrZS1iZWRyb2NrLWFwaS1rZXk=';

type Json = Record<string, unknown>;
type Block = { text: string } | { reasoningContent: { reasoningText: { text: string; signature: string } } } | { toolUse: { toolUseId: string; name: string; input: Json } };

/** AWS error types by HTTP status, as Bedrock's runtime answers them. */
const ERROR_BY_STATUS: Record<number, { status: number; type: string; message: string }> = {
  400: { status: 400, type: 'ValidationException', message: 'The provided request is not valid' },
  // Bedrock has no 401: an unknown or revoked key is a 403 UnrecognizedClientException.
  401: { status: 403, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' },
  403: { status: 403, type: 'AccessDeniedException', message: "You don't have access to the model with the specified model ID." },
  404: { status: 404, type: 'ResourceNotFoundException', message: 'Model not found.' },
  408: { status: 408, type: 'ModelTimeoutException', message: 'Model has timed out in processing the request.' },
  424: { status: 424, type: 'ModelErrorException', message: 'The model returned an error.' },
  429: { status: 429, type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' },
  500: { status: 500, type: 'InternalServerException', message: 'The server encountered an internal error while processing the request.' },
  503: { status: 503, type: 'ServiceUnavailableException', message: 'Bedrock is unable to process your request.' },
};

const STOP_REASON: Record<NonNullable<FakeScenario['finish']>, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'content_filtered',
};

/**
 * A fake Bedrock runtime: Converse, ConverseStream (binary event stream) and
 * InvokeModel for Titan and Cohere embeddings, behind SigV4 verification
 * (and Bedrock API keys), with errors in AWS's shape (`{"message"}` plus
 * `x-amzn-errortype`). It serves HTTP/1.1 and h2c on one port, since the AWS
 * SDK speaks HTTP/2 to `http://` endpoints.
 *
 * Scenario usage is unified (input = whole prompt); the fake reports
 * Bedrock's `inputTokens` without the cached part, as Bedrock does.
 */
export class FakeBedrock extends FakeServer {
  readonly name = 'bedrock';
  private front: H2cFront | undefined;
  private readonly keys: FakeAwsKey[];
  private readonly apiKeys: string[];
  readonly region: string;
  private readonly streamFailures = new Map<string, { afterEvents: number; type: string; message: string }>();

  constructor(opts: FakeBedrockOptions = {}) {
    super();
    this.keys = opts.keys ?? [FAKE_AWS_KEY];
    this.apiKeys = opts.apiKeys ?? [FAKE_BEDROCK_API_KEY];
    this.region = opts.region ?? 'us-east-1';
  }

  /** HTTP/2 streams served (the AWS SDK's), as opposed to HTTP/1.1 requests (the gateway's). */
  get h2Streams(): number {
    return this.front?.h2Streams ?? 0;
  }

  /** Makes the next streams for `model` end with an in-stream exception (e.g. `throttlingException`) after N events. */
  failStream(model: string, type: string, message: string, afterEvents = 2): this {
    this.streamFailures.set(model, { afterEvents, type, message });
    return this;
  }

  override reset(): void {
    super.reset();
    this.streamFailures.clear();
  }

  override async start(port = 0): Promise<string> {
    const inner = await super.start(0);
    this.front = new H2cFront(Number(new URL(inner).port));
    this.url = await this.front.start(port);
    return this.url;
  }

  override async stop(): Promise<void> {
    await this.front?.stop();
    await super.stop();
  }

  protected async handle(ctx: FakeHandlerContext): Promise<void> {
    const { req, recorded } = ctx;
    const m = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/.exec(recorded.url.split('?')[0] ?? '');
    if (req.method !== 'POST' || m === null) return this.error(ctx, 404, 'UnknownOperationException', `Unknown operation ${req.method} ${recorded.url}`);
    const denied = this.authenticate(ctx);
    if (denied) return this.error(ctx, denied.status, denied.type, denied.message);
    const modelId = decodeURIComponent(m[1]!);
    ctx.setModel(modelId);
    const body = recorded.body as Json | null;
    if (body === null || typeof body !== 'object') return this.error(ctx, 400, 'ValidationException', 'Malformed input request, please reformat your input and try again.');
    if (m[2] !== 'invoke') {
      const invalid = validateConverse(body);
      if (invalid) return this.error(ctx, 400, 'ValidationException', invalid);
    }
    const s = ctx.scenarioFor(modelId);
    if (!(await preamble(ctx, s))) return;
    if (s.error) {
      const known = ERROR_BY_STATUS[s.error.status] ?? { status: s.error.status, type: 'InternalServerException', message: 'Internal error' };
      const headers: Record<string, string> = s.error.retryAfterS !== undefined ? { 'retry-after': String(s.error.retryAfterS) } : {};
      return this.error(ctx, known.status, s.error.type ?? known.type, s.error.message ?? known.message, headers);
    }
    if (m[2] === 'invoke') return this.invoke(ctx, s, modelId, body);
    const blocks = buildBlocks(s, modelId);
    const stopReason = s.finish ? STOP_REASON[s.finish] : s.toolCalls?.length ? 'tool_use' : 'end_turn';
    const usage = buildUsage(s, body, blocks);
    if (m[2] === 'converse') {
      return this.json(ctx, 200, { output: { message: { role: 'assistant', content: blocks } }, stopReason, usage: usage ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 }, metrics: { latencyMs: 42 } });
    }
    return this.stream(ctx, s, modelId, blocks, stopReason, usage);
  }

  private authenticate(ctx: FakeHandlerContext): { status: number; type: string; message: string } | undefined {
    const auth = ctx.req.headers.authorization;
    if (auth === undefined) return { status: 403, type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
    if (auth.startsWith('Bearer ')) {
      return this.apiKeys.includes(auth.slice(7)) ? undefined : { status: 403, type: 'UnrecognizedClientException', message: 'Invalid API Key format: Must start with pre-defined prefix' };
    }
    return verifySigV4({ method: ctx.req.method ?? 'POST', url: ctx.recorded.url, headers: ctx.req.headers, rawBody: ctx.recorded.rawBody }, this.keys, this.region, 'bedrock');
  }

  private async stream(ctx: FakeHandlerContext, s: FakeScenario, modelId: string, blocks: Block[], stopReason: string, usage: Json | undefined): Promise<void> {
    const { res } = ctx;
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': randomUUID() });
    res.flushHeaders();
    const failure = this.streamFailures.get(modelId);
    let sent = 0;
    const emit = async (frame: Buffer): Promise<boolean> => {
      if (ctx.closed()) return false;
      if (s.resetAfterChunks !== undefined && sent >= s.resetAfterChunks) {
        // A TCP reset after the events already written have left.
        res.socket?.resetAndDestroy();
        return false;
      }
      if (sent > 0 && s.chunkDelayMs) await ctx.sleep(s.chunkDelayMs);
      if (ctx.closed()) return false;
      if (failure && sent === failure.afterEvents) {
        await new Promise<void>((resolve) => res.write(exceptionFrame(failure.type, failure.message), () => resolve()));
        ctx.finished();
        res.end();
        return false;
      }
      await new Promise<void>((resolve) => res.write(frame, () => resolve()));
      sent++;
      return true;
    };
    const ev = (type: string, body: Json): Promise<boolean> => emit(eventFrame(type, body, sent));
    if (!(await ev('messageStart', { role: 'assistant' }))) return;
    if (s.firstTokenDelayMs) await ctx.sleep(s.firstTokenDelayMs);
    for (const [contentBlockIndex, block] of blocks.entries()) {
      const delta = (d: Json): Promise<boolean> => ev('contentBlockDelta', { contentBlockIndex, delta: d });
      if ('text' in block) {
        for (const w of words(block.text)) if (!(await delta({ text: w }))) return;
      } else if ('reasoningContent' in block) {
        const r = block.reasoningContent.reasoningText;
        for (const w of words(r.text)) if (!(await delta({ reasoningContent: { text: w } }))) return;
        if (!(await delta({ reasoningContent: { signature: r.signature } }))) return;
      } else {
        const t = block.toolUse;
        if (!(await ev('contentBlockStart', { contentBlockIndex, start: { toolUse: { toolUseId: t.toolUseId, name: t.name } } }))) return;
        for (const piece of fragments(JSON.stringify(t.input))) if (!(await delta({ toolUse: { input: piece } }))) return;
      }
      if (!(await ev('contentBlockStop', { contentBlockIndex }))) return;
    }
    if (!(await ev('messageStop', { stopReason }))) return;
    const metadata: Json = { metrics: { latencyMs: 42 } };
    if (usage) metadata.usage = usage;
    if (!(await ev('metadata', metadata))) return;
    ctx.finished();
    res.end();
  }

  private invoke(ctx: FakeHandlerContext, s: FakeScenario, modelId: string, body: Json): void {
    const id = modelId.replace(/^(us|eu|apac|global)\./, '');
    if (id.startsWith('amazon.titan-embed')) {
      if (typeof body.inputText !== 'string') return this.error(ctx, 400, 'ValidationException', 'Malformed input request: #: required key [inputText] not found, please reformat your input and try again.');
      if (body.dimensions !== undefined && ![256, 512, 1024].includes(body.dimensions as number)) {
        return this.error(ctx, 400, 'ValidationException', `Malformed input request: #/dimensions: ${String(body.dimensions)} is not a valid enum value, please reformat your input and try again.`);
      }
      const dims = typeof body.dimensions === 'number' ? body.dimensions : (s.embeddingDims ?? 8);
      const tokens = s.usage?.input ?? words(body.inputText).length + 1;
      const embedding = fakeEmbedding(body.inputText, dims);
      return this.json(ctx, 200, { embedding, embeddingsByType: { float: embedding }, inputTextTokenCount: tokens }, { 'x-amzn-bedrock-input-token-count': String(tokens) });
    }
    if (id.startsWith('cohere.embed')) {
      const texts = body.texts;
      if (!Array.isArray(texts) || typeof body.input_type !== 'string') {
        return this.error(ctx, 400, 'ValidationException', 'Malformed input request: #: required key [input_type] not found, please reformat your input and try again.');
      }
      const dims = s.embeddingDims ?? 8;
      const embeddings = texts.map((t) => fakeEmbedding(String(t), dims));
      const tokens = s.usage?.input ?? texts.reduce((n: number, t) => n + words(String(t)).length, 0);
      return this.json(ctx, 200, { embeddings, id: randomUUID(), response_type: 'embeddings_floats', texts }, { 'x-amzn-bedrock-input-token-count': String(tokens) });
    }
    this.error(ctx, 400, 'ValidationException', `The fake serves InvokeModel for Titan and Cohere embeddings only, not ${modelId}`);
  }

  private json(ctx: FakeHandlerContext, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    ctx.finished();
    ctx.res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': randomUUID(), ...headers });
    ctx.res.end(text);
  }

  private error(ctx: FakeHandlerContext, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
    this.json(ctx, status, { message }, { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`, ...headers });
  }
}

/** The checks Bedrock makes that an adapter could get wrong; messages mirror Bedrock's. */
function validateConverse(body: Json): string | undefined {
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return 'A conversation must start with a user message. Try again with a conversation that starts with a user message.';
  let prev: unknown;
  let usesTools = false;
  for (const [i, m] of (messages as Json[]).entries()) {
    if (m.role !== 'user' && m.role !== 'assistant') return `1 validation error detected: Value '${String(m.role)}' at 'messages.${i + 1}.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]`;
    if (i === 0 && m.role !== 'user') return 'A conversation must start with a user message. Try again with a conversation that starts with a user message.';
    if (m.role === prev) return 'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.';
    if (!Array.isArray(m.content) || m.content.length === 0) return `The content field in the Message object at messages.${i}.content is empty. Add a ContentBlock object to the content field and try again.`;
    for (const [j, b] of (m.content as Json[]).entries()) {
      if (typeof b.text === 'string' && b.text.trim() === '') return `The text field in the ContentBlock object at messages.${i}.content.${j} is blank. Add text to the text field, and try again.`;
      if (b.toolUse !== undefined || b.toolResult !== undefined) usesTools = true;
    }
    prev = m.role;
  }
  if (usesTools && body.toolConfig === undefined) return 'The toolConfig field must be defined when using toolUse and toolResult content blocks.';
  const ic = body.inferenceConfig as Json | undefined;
  if (ic !== undefined && ic.maxTokens !== undefined && (typeof ic.maxTokens !== 'number' || ic.maxTokens < 1)) {
    return "1 validation error detected: Value at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1";
  }
  return undefined;
}

function buildBlocks(s: FakeScenario, model: string): Block[] {
  const blocks: Block[] = [];
  if (s.reasoning) blocks.push({ reasoningContent: { reasoningText: { text: s.reasoning, signature: `sig_${Buffer.from(s.reasoning).toString('base64').slice(0, 24)}` } } });
  const text = s.text ?? (s.toolCalls?.length ? '' : `Hello from bedrock model ${model}.`);
  if (text !== '') blocks.push({ text });
  for (const [i, t] of (s.toolCalls ?? []).entries()) {
    blocks.push({ toolUse: { toolUseId: t.id ?? `tooluse_${i}${randomBytes(8).toString('hex')}`, name: t.name, input: t.arguments } });
  }
  return blocks;
}

function buildUsage(s: FakeScenario, body: Json, blocks: Block[]): Json | undefined {
  if (s.omitUsage) return undefined;
  const u = s.usage ?? {};
  const cacheRead = u.cacheRead ?? 0;
  const cacheWrite = u.cacheWrite ?? 0;
  const input = u.input ?? promptWords(body) + 3;
  const output = u.output ?? blocks.reduce((n, b) => n + ('text' in b ? words(b.text).length : 'reasoningContent' in b ? words(b.reasoningContent.reasoningText.text).length : 5), 0);
  const usage: Json = { inputTokens: Math.max(0, input - cacheRead - cacheWrite), outputTokens: output, totalTokens: input + output };
  if (u.cacheRead !== undefined) usage.cacheReadInputTokens = cacheRead;
  if (u.cacheWrite !== undefined) usage.cacheWriteInputTokens = cacheWrite;
  return usage;
}

function promptWords(body: Json): number {
  let n = 0;
  const count = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(count);
    else if (v !== null && typeof v === 'object') {
      const o = v as Json;
      if (typeof o.text === 'string') n += words(o.text).length;
      if (o.content !== undefined) count(o.content);
    }
  };
  count(body.system);
  count(body.messages);
  return n;
}

/** Splits JSON text into uneven pieces (1, 5, 9, …) so reassembly is really tested. */
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
