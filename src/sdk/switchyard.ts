import { randomUUID } from 'node:crypto';
import { createChatStreamEncoder, decodeChatRequest, decodeEmbeddingRequest, encodeChatResponse, encodeEmbeddingResponse } from '../dialects/openai/index.js';
import { getProtocol } from '../protocols/index.js';
import { ModelRegistry, Router, defaultRouterSettings, type Deployment, type RouterSettings } from '../router/index.js';
import { Cancellation, type ChatRequest, type ChatResponse, type ChatStream, type EmbeddingRequest, type EmbeddingResponse, type RequestContext } from '../spec/index.js';
import { deploymentFromName, deploymentFromSpec, type ModelSpec } from './resolve-models.js';

export interface SwitchyardOptions {
  /** Public model name → one or several ways to serve it (several = load balanced with retries). */
  models?: Record<string, ModelSpec | ModelSpec[]>;
  /** Where provider keys are looked up; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Router settings (retries, fallbacks between your model names). */
  router?: Partial<RouterSettings>;
}

export interface CallSettings {
  /** Cancels the upstream request at once. */
  signal?: AbortSignal;
  /** Told which deployment answered and which options an upstream could not honour. */
  onReport?: (report: CallReport) => void;
}

/** Warnings about options an upstream could not honour, per call. */
export interface CallReport {
  warnings: string[];
  deployment: string;
}

/**
 * Switchyard as a library: any provider, in the OpenAI format, with no
 * server. It runs the same dialect, router and protocols as the gateway.
 *
 *   const sy = new Switchyard();
 *   await sy.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', messages });
 */
export class Switchyard {
  private readonly env: Record<string, string | undefined>;
  private readonly registry: ModelRegistry;
  private readonly router: Router;
  constructor(opts: SwitchyardOptions = {}) {
    this.env = opts.env ?? process.env;
    const deployments: Deployment[] = [];
    for (const [name, specs] of Object.entries(opts.models ?? {})) {
      (Array.isArray(specs) ? specs : [specs]).forEach((s, i) => deployments.push(deploymentFromSpec(name, s, i, this.env)));
    }
    this.registry = new ModelRegistry(deployments);
    this.router = new Router({ registry: this.registry, settings: { ...defaultRouterSettings(), ...opts.router }, protocolFor: getProtocol });
  }

  /** OpenAI-shaped API: same request and response objects as the `openai` package. */
  readonly chat = {
    completions: {
      create: (body: Record<string, unknown>, settings: CallSettings = {}): Promise<any> => {
        const { request, gateway, warnings } = decodeChatRequest(body);
        const opts = { fallbacks: gateway.disableFallbacks ? (false as const) : gateway.fallbacks, numRetries: gateway.numRetries };
        if (request.stream) return this.streamChunks(request, { ...settings, warnings }, opts);
        return this.run((ctx) => this.router.chat(this.ensure(request.model), request, ctx, opts), { ...settings, warnings }).then(encodeChatResponse);
      },
    },
  };

  readonly embeddings = {
    create: (body: Record<string, unknown>, settings: CallSettings = {}): Promise<any> => {
      const { request, warnings } = decodeEmbeddingRequest(body);
      return this.run((ctx) => this.router.embed(this.ensure(request.model), request, ctx), { ...settings, warnings }).then((res) => encodeEmbeddingResponse(res, request.encodingFormat));
    },
  };

  /** Unified API: typed request and response, for code that wants more than the OpenAI shape. */
  generate(request: ChatRequest, settings: CallSettings = {}): Promise<ChatResponse> {
    return this.run((ctx) => this.router.chat(this.ensure(request.model), request, ctx), settings);
  }

  /** Unified stream of typed parts. */
  stream(request: ChatRequest, settings: CallSettings = {}): Promise<ChatStream> {
    return this.run((ctx) => this.router.stream(this.ensure(request.model), { ...request, stream: true }, ctx), settings);
  }

  embed(request: EmbeddingRequest, settings: CallSettings = {}): Promise<EmbeddingResponse> {
    return this.run((ctx) => this.router.embed(this.ensure(request.model), request, ctx), settings);
  }

  private async streamChunks(request: ChatRequest, settings: CallSettings & { warnings?: string[] }, opts: { fallbacks?: string[] | false; numRetries?: number }): Promise<AsyncIterable<any>> {
    const stream = await this.run((ctx) => this.router.stream(this.ensure(request.model), request, ctx, opts), settings);
    const encoder = createChatStreamEncoder({ includeUsage: request.includeUsage === true });
    return {
      async *[Symbol.asyncIterator]() {
        for await (const part of stream) yield* framesToChunks(encoder.encode(part));
        yield* framesToChunks(encoder.end());
      },
    };
  }

  /** Makes sure a name resolves: configured, or a `provider/model` built from the environment. */
  private ensure(model: string): string {
    if (this.registry.has(model)) return model;
    const d = deploymentFromName(model, this.env);
    if (d) this.registry.replace([...this.registry.deployments(), d]);
    return model;
  }

  private async run<T>(call: (ctx: RequestContext) => Promise<{ result: T }>, settings: CallSettings & { warnings?: string[] }): Promise<T> {
    const ctx: RequestContext = {
      requestId: `sdk_${randomUUID()}`,
      startedAt: Date.now(),
      signal: settings.signal ?? new Cancellation(),
      identity: null,
      endpoint: 'chat',
      dialect: 'sdk',
      stream: false,
      tags: [],
      warnings: [...(settings.warnings ?? [])],
      responseHeaders: {},
      attempts: [],
    };
    const { result } = await call(ctx);
    settings.onReport?.({ warnings: ctx.warnings, deployment: ctx.attempts.find((a) => a.answered)?.deployment ?? '' });
    return result;
  }
}

/** The dialect encodes SSE frames; SDK users want the chunk objects. */
function* framesToChunks(frames: string): Generator<any> {
  if (!frames) return;
  for (const frame of frames.split('\n\n')) {
    if (!frame.startsWith('data: ')) continue;
    const data = frame.slice(6);
    if (data === '[DONE]') continue;
    const parsed = JSON.parse(data) as { error?: { message: string } };
    if (parsed.error) throw Object.assign(new Error(parsed.error.message), { error: parsed.error });
    yield parsed;
  }
}
