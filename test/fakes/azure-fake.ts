import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { FakeHandlerContext } from './fake-server.js';
import { preamble } from './fake-server.js';
import { FakeOpenAI } from './openai-fake.js';
import type { FakeScenario } from './scenario.js';

export interface FakeAzureOptions {
  /** The key accepted in the `api-key` header. */
  apiKey?: string;
  /** An Entra ID access token accepted as `Authorization: Bearer`. */
  adToken?: string;
  /** Deployments that exist besides every scripted model name. */
  deployments?: string[];
}

type Json = Record<string, unknown>;

const SAFE = { filtered: false, severity: 'safe' };
const FILTER_RESULTS = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE };
const PROMPT_FILTER = [{ prompt_index: 0, content_filter_results: FILTER_RESULTS }];

const AZURE_ERRORS: Record<number, { code: string; message: string }> = {
  400: { code: 'BadRequest', message: 'Invalid request.' },
  401: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.' },
  403: { code: '403', message: 'Public access is disabled. Please configure private endpoint.' },
  404: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.' },
  429: { code: '429', message: 'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 7 seconds.' },
  500: { code: 'InternalServerError', message: 'The server had an error while processing your request. Sorry about that!' },
  503: { code: 'ServiceUnavailable', message: 'The service is temporarily unable to process your request. Please try again later.' },
};

/**
 * A fake Azure OpenAI resource in front of the OpenAI fake: deployment URLs
 * (`/openai/deployments/{name}/…?api-version=…`) and the v1 API
 * (`/openai/v1/…`, deployment in the body's model), the `api-key` header or
 * an Entra ID bearer token, Azure's error envelope (`{"error":{"code",
 * "message"}}`, DeploymentNotFound, content_filter with `innererror`), and
 * the content-filter annotations Azure adds to answers and streams. The
 * scenario is looked up by deployment name.
 */
export class FakeAzure extends FakeOpenAI {
  // `name` stays the OpenAI fake's: Azure serves OpenAI's models, and default replies say so.
  private readonly known = new Set<string>();

  constructor(private readonly azure: FakeAzureOptions = {}) {
    super();
    for (const d of azure.deployments ?? []) this.known.add(d);
  }

  override script(model: string, scenario: FakeScenario): this {
    this.known.add(model);
    return super.script(model, scenario);
  }

  protected override async handle(ctx: FakeHandlerContext): Promise<void> {
    const { req, recorded } = ctx;
    const [path = '/', query = ''] = recorded.url.split('?');
    const params = new URLSearchParams(query);
    ctx.res.setHeader('apim-request-id', randomUUID());
    ctx.res.setHeader('x-ms-region', 'East US');
    if (!this.keyAccepted(req)) return azureError(ctx, 401, AZURE_ERRORS[401]!);
    const classic = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|completions|embeddings)$/.exec(path);
    const v1 = /^\/openai\/v1\/(chat\/completions|completions|embeddings|models)$/.exec(path);
    if (classic === null && v1 === null) return azureError(ctx, 404, { code: '404', message: 'Resource not found' });
    // Dated routes need an api-version; without one Azure answers a bare 404.
    if (classic !== null && !params.get('api-version')) return azureError(ctx, 404, { code: '404', message: 'Resource not found' });
    const body: Json = recorded.body !== null && typeof recorded.body === 'object' ? recorded.body : {};
    const op = (classic?.[2] ?? v1![1])!;
    if (op === 'models') return super.handle(ctx);
    const deployment = classic !== null ? decodeURIComponent(classic[1]!) : String(body.model ?? '');
    if (!this.known.has(deployment)) return azureError(ctx, 404, AZURE_ERRORS[404]!);

    ctx.setModel(deployment);
    const s = ctx.scenarioFor(deployment);
    if (!(await preamble(ctx, s))) return;
    if (s.error) return this.scriptedError(ctx, s.error);
    if (op === 'chat/completions') annotate(ctx.res, body.stream === true);
    // The OpenAI fake renders the answer; it sees the deployment as the model and a scenario already past its preamble.
    const scenario: FakeScenario = { ...s, latencyMs: undefined, hang: undefined };
    await super.handle({
      ...ctx,
      recorded: { ...recorded, url: `/v1/${op}`, body: { ...body, model: deployment } },
      scenarioFor: () => scenario,
    });
  }

  private keyAccepted(req: http.IncomingMessage): boolean {
    const key = this.azure.apiKey;
    const token = this.azure.adToken;
    if (key === undefined && token === undefined) return req.headers['api-key'] !== undefined || req.headers.authorization !== undefined;
    return (key !== undefined && req.headers['api-key'] === key) || (token !== undefined && req.headers.authorization === `Bearer ${token}`);
  }

  private scriptedError(ctx: FakeHandlerContext, e: NonNullable<FakeScenario['error']>): void {
    const headers: Record<string, string> = {};
    if (e.retryAfterS !== undefined) {
      headers['retry-after'] = String(e.retryAfterS);
      headers['retry-after-ms'] = String(e.retryAfterS * 1000);
    }
    if (e.type === 'content_filter') {
      return azureError(
        ctx,
        400,
        {
          code: 'content_filter',
          message: e.message ?? "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.",
          param: 'prompt',
          status: 400,
          innererror: { code: 'ResponsibleAIPolicyViolation', content_filter_result: { ...FILTER_RESULTS, violence: { filtered: true, severity: 'medium' } } },
        },
        headers,
      );
    }
    const known = AZURE_ERRORS[e.status] ?? { code: String(e.status), message: 'Error' };
    azureError(ctx, e.status, { code: e.type ?? known.code, message: e.message ?? known.message }, headers);
  }
}

function azureError(ctx: FakeHandlerContext, status: number, error: Json, headers: Record<string, string> = {}): void {
  const text = JSON.stringify({ error });
  ctx.finished();
  ctx.res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  ctx.res.end(text);
}

/**
 * Adds what Azure adds to OpenAI's chat answers: `prompt_filter_results` and
 * per-choice `content_filter_results`; a stream opens with a chunk that has
 * no choices, an empty id and model, and `created: 0`.
 */
function annotate(res: http.ServerResponse, stream: boolean): void {
  const write = res.write.bind(res) as (chunk: unknown, cb?: () => void) => boolean;
  const end = res.end.bind(res) as (chunk?: unknown, cb?: () => void) => http.ServerResponse;
  const writeHead = res.writeHead.bind(res) as (status: number, headers?: http.OutgoingHttpHeaders) => http.ServerResponse;
  if (stream) {
    let opened = false;
    const open = (): void => {
      if (opened) return;
      opened = true;
      write(`data: ${JSON.stringify({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: PROMPT_FILTER })}\n\n`);
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      open();
      return write(chunk, rest.find((r) => typeof r === 'function') as (() => void) | undefined);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      open();
      return end(chunk, rest.find((r) => typeof r === 'function') as (() => void) | undefined);
    }) as typeof res.end;
    return;
  }
  // The JSON answer grows, so the OpenAI fake's content-length no longer holds.
  res.writeHead = ((status: number, headers?: http.OutgoingHttpHeaders) => {
    const h = { ...headers };
    delete h['content-length'];
    return writeHead(status, h);
  }) as typeof res.writeHead;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    let out = chunk;
    if (typeof chunk === 'string' && res.statusCode === 200) {
      const json = JSON.parse(chunk) as Json;
      json.prompt_filter_results = PROMPT_FILTER;
      if (Array.isArray(json.choices)) json.choices = json.choices.map((c: Json) => ({ ...c, content_filter_results: FILTER_RESULTS }));
      out = JSON.stringify(json);
    }
    return end(out, rest.find((r) => typeof r === 'function') as (() => void) | undefined);
  }) as typeof res.end;
}
