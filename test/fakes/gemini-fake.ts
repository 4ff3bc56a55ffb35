import { FakeServer, preamble, type FakeHandlerContext } from './fake-server.js';
import { fakeEmbedding, words, type FakeScenario } from './scenario.js';

export interface FakeGeminiOptions {
  /** When set, requests must carry it as `x-goog-api-key` or `?key=`. */
  apiKey?: string;
  /** Names served by `GET /v1beta/models` (without the `models/` prefix). */
  models?: string[];
}

/** Google's canonical status for each HTTP code the scenarios use. */
const STATUS_BY_HTTP: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const FINISH: Record<NonNullable<FakeScenario['finish']>, string> = {
  stop: 'STOP',
  length: 'MAX_TOKENS',
  // Gemini has no tool-call finish reason: a turn of function calls ends with STOP.
  tool_calls: 'STOP',
  content_filter: 'SAFETY',
};

// Field names the real API accepts; anything else is a 400 "Unknown name", like Google.
const REQUEST_KEYS = new Set(['contents', 'systemInstruction', 'tools', 'toolConfig', 'safetySettings', 'generationConfig', 'cachedContent']);
const GENERATION_KEYS = new Set([
  'stopSequences', 'responseMimeType', 'responseSchema', 'responseJsonSchema', 'responseModalities', 'candidateCount',
  'maxOutputTokens', 'temperature', 'topP', 'topK', 'seed', 'presencePenalty', 'frequencyPenalty', 'responseLogprobs',
  'logprobs', 'enableEnhancedCivicAnswers', 'speechConfig', 'thinkingConfig', 'mediaResolution', 'imageConfig',
]);
const PART_KEYS = new Set([
  'text', 'thought', 'thoughtSignature', 'inlineData', 'fileData', 'functionCall', 'functionResponse',
  'executableCode', 'codeExecutionResult', 'videoMetadata', 'partMetadata',
]);
const SCHEMA_KEYS = new Set([
  'type', 'format', 'title', 'description', 'nullable', 'enum', 'maxItems', 'minItems', 'properties', 'required',
  'minProperties', 'maxProperties', 'minLength', 'maxLength', 'pattern', 'example', 'anyOf', 'propertyOrdering',
  'default', 'items', 'minimum', 'maximum',
]);

type Part = Record<string, unknown>;
type Json = Record<string, unknown>;

/**
 * A fake Gemini (AI Studio, v1beta) API speaking the real wire format:
 * `/v1beta/models/{model}:generateContent`, `:streamGenerateContent?alt=sse`
 * (each `data:` event a GenerateContentResponse with only the new parts,
 * events separated by CRLF CRLF), embeddings, countTokens and the model list;
 * Google's error envelope `{error:{code,message,status,details}}` with
 * RetryInfo on 429; and Google's key errors (missing → 403, wrong → 400
 * API_KEY_INVALID). Unknown request fields are rejected as Google does, so
 * an adapter that sends a field Gemini lacks fails here, not in production.
 */
export class FakeGemini extends FakeServer {
  readonly name = 'gemini';
  private readonly apiKey: string | undefined;
  private readonly models: string[];

  constructor(opts: FakeGeminiOptions = {}) {
    super();
    this.apiKey = opts.apiKey;
    this.models = opts.models ?? ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.0-flash', 'gemini-embedding-001'];
  }

  protected async handle(ctx: FakeHandlerContext): Promise<void> {
    const { req } = ctx;
    const url = new URL(req.url ?? '/', 'http://fake');
    const keyError = this.checkKey(req.headers['x-goog-api-key'], url.searchParams.get('key'));
    if (keyError) return this.error(ctx, keyError.status, keyError.message, keyError.details);

    if (req.method === 'GET' && url.pathname === '/v1beta/models') return this.listModels(ctx, url);
    const m = /^\/v1beta\/models\/([^/:]+)(?::([A-Za-z]+))?$/.exec(url.pathname);
    if (m === null) return this.error(ctx, 404, `Method not found: ${req.method} ${url.pathname}`);
    const model = decodeURIComponent(m[1]!);
    const action = m[2];
    ctx.setModel(model);
    if (req.method === 'GET' && action === undefined) return this.json(ctx, 200, modelInfo(model));
    if (req.method !== 'POST') return this.error(ctx, 404, `Method not found: ${req.method} ${url.pathname}`);
    switch (action) {
      case 'generateContent':
        return this.generate(ctx, model, false);
      case 'streamGenerateContent':
        return this.generate(ctx, model, url.searchParams.get('alt') === 'sse');
      case 'batchEmbedContents':
        return this.batchEmbed(ctx, model);
      case 'embedContent':
        return this.embedOne(ctx, model);
      case 'countTokens':
        return this.json(ctx, 200, { totalTokens: promptWords(ctx.recorded.body?.contents ?? ctx.recorded.body?.generateContentRequest?.contents) });
      default:
        return this.error(ctx, 404, `Method not found: ${action}`);
    }
  }

  private checkKey(header: string | string[] | undefined, query: string | null): { status: number; message: string; details?: unknown[] } | undefined {
    if (this.apiKey === undefined) return undefined;
    const key = typeof header === 'string' ? header : query;
    if (key === null || key === '') {
      return { status: 403, message: "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API." };
    }
    if (key === this.apiKey) return undefined;
    const message = 'API key not valid. Please pass a valid API key.';
    return {
      status: 400,
      message,
      details: [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
        { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
      ],
    };
  }

  private async generate(ctx: FakeHandlerContext, model: string, sse: boolean): Promise<void> {
    const body = ctx.recorded.body as Json | null;
    const invalid = validateRequest(body);
    if (invalid) return this.error(ctx, 400, invalid);
    const s = ctx.scenarioFor(model);
    if (!(await preamble(ctx, s))) return;
    if (s.error) return this.scenarioError(ctx, s.error);

    const gen = (body!.generationConfig ?? {}) as Json;
    const n = typeof gen.candidateCount === 'number' ? gen.candidateCount : 1;
    const parts = buildParts(s, model);
    const finishReason = FINISH[s.finish ?? (s.toolCalls?.length ? 'tool_calls' : 'stop')];
    const usage = buildUsage(s, body, parts);
    const responseId = `fake-${Math.random().toString(36).slice(2, 12)}`;
    if (sse) return this.stream(ctx, s, { model, parts, finishReason, usage, n, responseId });

    const candidates = Array.from({ length: n }, (_, index) => candidate(index, finishReason === 'SAFETY' ? [] : parts, finishReason));
    const out: Json = { candidates, modelVersion: model, responseId };
    if (usage) out.usageMetadata = usage;
    return this.json(ctx, 200, out);
  }

  private async stream(
    ctx: FakeHandlerContext,
    s: FakeScenario,
    m: { model: string; parts: Part[]; finishReason: string; usage: Json | undefined; n: number; responseId: string },
  ): Promise<void> {
    const { res } = ctx;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
    if (s.firstTokenDelayMs) await ctx.sleep(s.firstTokenDelayMs);

    // Each piece becomes one event: text word by word, a function call whole.
    const pieces: Part[] = [];
    for (const p of m.finishReason === 'SAFETY' ? [] : m.parts) {
      if (typeof p.text === 'string') {
        const ws = words(p.text);
        ws.forEach((w, i) => pieces.push(i === 0 ? { ...p, text: w } : { ...p, text: w, thoughtSignature: undefined }));
      } else pieces.push(p);
    }
    const events: Json[] = pieces.map((p) => ({ candidates: Array.from({ length: m.n }, (_, index) => candidate(index, [clean(p)])) }));
    // The last event carries the finish reason (and any last piece), like the real API.
    const last = events.pop() ?? { candidates: Array.from({ length: m.n }, (_, index) => candidate(index, [{ text: '' }])) };
    for (const c of last.candidates as Json[]) {
      c.finishReason = m.finishReason;
      if (m.finishReason === 'SAFETY') {
        delete c.content;
        c.safetyRatings = safetyRatings(true);
      }
    }
    events.push(last);

    const promptOnly = m.usage ? { promptTokenCount: m.usage.promptTokenCount, totalTokenCount: m.usage.promptTokenCount } : undefined;
    let sent = 0;
    for (const [i, e] of events.entries()) {
      if (ctx.closed()) return;
      if (s.resetAfterChunks !== undefined && sent >= s.resetAfterChunks) {
        // A TCP reset after the events already written have left: the client sees them, then a broken body.
        ctx.finished(); // a scripted reset is the fake's doing, not a client abort
        res.socket?.resetAndDestroy();
        return;
      }
      const isLast = i === events.length - 1;
      const event: Json = { ...e, modelVersion: m.model, responseId: m.responseId };
      const u = isLast ? m.usage : promptOnly;
      if (u) event.usageMetadata = u;
      // Waiting for the flush keeps event timing real and makes a scripted reset land after the data.
      await new Promise<void>((resolve) => res.write(`data: ${JSON.stringify(event)}\r\n\r\n`, () => resolve()));
      sent++;
      if (s.chunkDelayMs && !isLast) await ctx.sleep(s.chunkDelayMs);
    }
    ctx.finished();
    res.end();
  }

  private async batchEmbed(ctx: FakeHandlerContext, model: string): Promise<void> {
    const body = ctx.recorded.body as Json | null;
    const requests = body?.requests;
    if (!Array.isArray(requests) || requests.length === 0) return this.error(ctx, 400, '* BatchEmbedContentsRequest.requests: at least one request is required');
    const s = ctx.scenarioFor(model);
    if (!(await preamble(ctx, s))) return;
    if (s.error) return this.scenarioError(ctx, s.error);
    const embeddings: Json[] = [];
    for (const [i, r] of (requests as Json[]).entries()) {
      if (r.model !== `models/${model}`) {
        return this.error(ctx, 400, `* BatchEmbedContentsRequest.requests[${i}].model: the model in the request must match the model in the URL (models/${model})`);
      }
      embeddings.push({ values: embedText(r, s) });
    }
    return this.json(ctx, 200, { embeddings });
  }

  private async embedOne(ctx: FakeHandlerContext, model: string): Promise<void> {
    const body = ctx.recorded.body as Json | null;
    if (body?.content === undefined) return this.error(ctx, 400, '* EmbedContentRequest.content: content is not specified');
    const s = ctx.scenarioFor(model);
    if (!(await preamble(ctx, s))) return;
    if (s.error) return this.scenarioError(ctx, s.error);
    return this.json(ctx, 200, { embedding: { values: embedText(body, s) } });
  }

  private listModels(ctx: FakeHandlerContext, url: URL): Promise<void> {
    const size = Number(url.searchParams.get('pageSize') ?? 50);
    const start = Number(url.searchParams.get('pageToken') ?? 0);
    const page = this.models.slice(start, start + size);
    const out: Json = { models: page.map(modelInfo) };
    if (start + size < this.models.length) out.nextPageToken = String(start + size);
    return this.json(ctx, 200, out);
  }

  private scenarioError(ctx: FakeHandlerContext, e: NonNullable<FakeScenario['error']>): Promise<void> {
    const status = e.type ?? STATUS_BY_HTTP[e.status] ?? 'UNKNOWN';
    const details: unknown[] = [];
    if (e.status === 429) {
      details.push({
        '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
        violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }],
      });
      if (e.retryAfterS !== undefined) details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${e.retryAfterS}s` });
    }
    const message = e.message ?? (e.status === 429 ? 'You exceeded your current quota, please check your plan and billing details.' : `fake gemini error ${e.status}`);
    return this.error(ctx, e.status, message, details.length > 0 ? details : undefined, status);
  }

  private error(ctx: FakeHandlerContext, code: number, message: string, details?: unknown[], status?: string): Promise<void> {
    const error: Json = { code, message, status: status ?? STATUS_BY_HTTP[code] ?? 'UNKNOWN' };
    if (details) error.details = details;
    return this.json(ctx, code, { error });
  }

  private async json(ctx: FakeHandlerContext, status: number, body: unknown): Promise<void> {
    ctx.finished();
    ctx.res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    ctx.res.end(JSON.stringify(body, null, 2));
  }
}

function buildParts(s: FakeScenario, model: string): Part[] {
  const parts: Part[] = [];
  if (s.reasoning) parts.push({ text: s.reasoning, thought: true });
  const text = s.text ?? (s.toolCalls?.length ? '' : `Hello from gemini model ${model}.`);
  if (text !== '') parts.push({ text });
  for (const t of s.toolCalls ?? []) parts.push({ functionCall: { name: t.name, args: t.arguments } });
  // Thinking models sign the first part after their thoughts; it must come back in later turns.
  const firstAnswer = parts.find((p) => p.thought !== true);
  if (s.reasoning && firstAnswer) firstAnswer.thoughtSignature = Buffer.from(`sig:${model}:${s.reasoning.length}`).toString('base64');
  return parts;
}

function candidate(index: number, parts: Part[], finishReason?: string): Json {
  const c: Json = { content: { parts, role: 'model' }, index };
  if (finishReason !== undefined) {
    c.finishReason = finishReason;
    if (finishReason === 'SAFETY') {
      delete c.content;
      c.safetyRatings = safetyRatings(true);
    }
  }
  return c;
}

function clean(p: Part): Part {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined));
}

function safetyRatings(blocked: boolean): Json[] {
  return [
    { category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' },
    { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: blocked ? 'HIGH' : 'NEGLIGIBLE', ...(blocked ? { blocked: true } : {}) },
  ];
}

function buildUsage(s: FakeScenario, body: Json | null, parts: Part[]): Json | undefined {
  if (s.omitUsage) return undefined;
  const u = s.usage ?? {};
  const prompt = u.input ?? promptWords(body?.contents) + promptWords([body?.systemInstruction]) + 3;
  const thoughtWords = parts.filter((p) => p.thought === true).reduce((n, p) => n + words(String(p.text)).length, 0);
  const answerWords = parts.reduce((n, p) => n + (p.thought === true ? 0 : typeof p.text === 'string' ? words(p.text).length : 5), 0);
  // Scenario usage is unified: `output` includes reasoning, which Gemini reports apart.
  const thoughts = u.reasoning ?? (thoughtWords > 0 ? thoughtWords : undefined);
  const candidates = u.output !== undefined ? Math.max(0, u.output - (thoughts ?? 0)) : answerWords;
  const usage: Json = { promptTokenCount: prompt, candidatesTokenCount: candidates, totalTokenCount: prompt + candidates + (thoughts ?? 0) };
  if (thoughts !== undefined) usage.thoughtsTokenCount = thoughts;
  if (u.cacheRead !== undefined) usage.cachedContentTokenCount = u.cacheRead;
  usage.promptTokensDetails = [{ modality: 'TEXT', tokenCount: prompt }];
  return usage;
}

function embedText(r: Json, s: FakeScenario): number[] {
  const content = r.content as { parts?: Part[] } | undefined;
  const text = (content?.parts ?? []).map((p) => String(p.text ?? '')).join('');
  const dims = typeof r.outputDimensionality === 'number' ? r.outputDimensionality : s.embeddingDims ?? 8;
  return fakeEmbedding(text, dims);
}

function modelInfo(name: string): Json {
  const embedding = name.includes('embedding');
  return {
    name: `models/${name}`,
    version: '001',
    displayName: name,
    inputTokenLimit: embedding ? 2048 : 1048576,
    outputTokenLimit: embedding ? 1 : 65536,
    supportedGenerationMethods: embedding ? ['embedContent', 'countTextTokens', 'countTokens'] : ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'],
  };
}

function promptWords(contents: unknown): number {
  let n = 0;
  for (const c of Array.isArray(contents) ? contents : []) {
    const parts = (c as { parts?: Part[] } | undefined)?.parts;
    for (const p of parts ?? []) if (typeof p.text === 'string') n += words(p.text).length;
  }
  return n;
}

/** Google's 400 wording for the mistakes an adapter is likely to make. */
function validateRequest(body: Json | null): string | undefined {
  if (body === null) return 'Invalid JSON payload received.';
  for (const k of Object.keys(body)) if (!REQUEST_KEYS.has(k)) return `Invalid JSON payload received. Unknown name "${k}": Cannot find field.`;
  if (!Array.isArray(body.contents) || body.contents.length === 0) return '* GenerateContentRequest.contents: contents is not specified';
  for (const [i, c] of (body.contents as Json[]).entries()) {
    if (c.role !== undefined && c.role !== 'user' && c.role !== 'model') return `* GenerateContentRequest.contents[${i}].role: Please use a valid role: user, model.`;
    if (!Array.isArray(c.parts) || c.parts.length === 0) return `* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.`;
    for (const [j, p] of (c.parts as Part[]).entries()) {
      for (const k of Object.keys(p)) if (!PART_KEYS.has(k)) return `Invalid JSON payload received. Unknown name "${k}" at 'contents[${i}].parts[${j}]': Cannot find field.`;
    }
  }
  for (const k of Object.keys((body.generationConfig ?? {}) as Json)) {
    if (!GENERATION_KEYS.has(k)) return `Invalid JSON payload received. Unknown name "${k}" at 'generation_config': Cannot find field.`;
  }
  const gen = (body.generationConfig ?? {}) as Json;
  if (gen.responseSchema !== undefined) {
    const bad = schemaError(gen.responseSchema, 'generation_config.response_schema');
    if (bad) return bad;
  }
  for (const [i, t] of (Array.isArray(body.tools) ? (body.tools as Json[]) : []).entries()) {
    for (const [j, d] of (Array.isArray(t.functionDeclarations) ? (t.functionDeclarations as Json[]) : []).entries()) {
      if (d.parameters !== undefined) {
        const bad = schemaError(d.parameters, `tools[${i}].function_declarations[${j}].parameters`);
        if (bad) return bad;
      }
    }
  }
  return undefined;
}

function schemaError(schema: unknown, at: string): string | undefined {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return undefined;
  const s = schema as Json;
  for (const k of Object.keys(s)) if (!SCHEMA_KEYS.has(k)) return `Invalid JSON payload received. Unknown name "${k}" at '${at}': Cannot find field.`;
  if (s.type === 'object' || s.type === 'OBJECT') {
    if (s.properties !== undefined && Object.keys(s.properties as Json).length === 0) return `* ${at}.properties: should be non-empty for OBJECT type`;
  }
  for (const [name, sub] of Object.entries((s.properties ?? {}) as Json)) {
    const bad = schemaError(sub, `${at}.properties[${name}].value`);
    if (bad) return bad;
  }
  if (s.items !== undefined) return schemaError(s.items, `${at}.items`);
  for (const [i, sub] of (Array.isArray(s.anyOf) ? s.anyOf : []).entries()) {
    const bad = schemaError(sub, `${at}.any_of[${i}]`);
    if (bad) return bad;
  }
  return undefined;
}
