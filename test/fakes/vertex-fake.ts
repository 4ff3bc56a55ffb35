import { createVerify, randomBytes } from 'node:crypto';
import type http from 'node:http';
import { FakeAnthropic } from './anthropic-fake.js';
import { FakeServer, preamble, type FakeHandlerContext } from './fake-server.js';
import { FakeGemini } from './gemini-fake.js';
import { fakeEmbedding, words, type FakeScenario } from './scenario.js';

export interface FakeVertexOptions {
  project: string;
  location: string;
  /** The service account whose signed JWTs `/token` accepts (its public key checks the RS256 signature). */
  serviceAccount?: { clientEmail: string; publicKeyPem: string };
  /** Access tokens accepted without an exchange (a ready `gcloud auth print-access-token`). */
  staticTokens?: string[];
  /** `expires_in` of issued tokens (s). Default 3599, like Google. */
  tokenLifetimeS?: number;
}

type Json = Record<string, unknown>;
type Handler = { handle(ctx: FakeHandlerContext): Promise<void> };

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const GOOGLE_STATUS: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };
/** Failures Vertex's front door answers itself (Google envelope); the rest come from the model server. */
const FRONT_DOOR = new Set([401, 403, 404, 429]);

/**
 * A fake Vertex AI endpoint plus its OAuth token endpoint, on one server:
 *
 * - `POST /token`: the JWT-bearer grant. It checks the assertion's RS256
 *   signature with the service account's public key and its claims (iss,
 *   aud = this URL, cloud-platform scope, lifetime ≤ 1 h), issues opaque
 *   tokens and counts exchanges, so caching and refresh can be tested.
 * - `/v1{,beta1}/projects/{p}/locations/{l}/publishers/google/models/{m}:
 *   generateContent | streamGenerateContent | predict` and
 *   `…/publishers/anthropic/models/{m}:rawPredict | streamRawPredict`, with
 *   Bearer auth, project/location checks and Google's error envelope.
 *
 * The model answers are rendered by the Gemini and Anthropic fakes (the
 * wire formats are those APIs' own), reached by delegation so the two stay
 * one implementation; the Vertex-only rules (no `model` in a Claude body,
 * `anthropic_version`, one instance per gemini-embedding request) live here.
 */
export class FakeVertex extends FakeServer {
  readonly name = 'vertex';
  /** Successful token exchanges so far (not cleared by `reset`: issued tokens outlive a test). */
  tokenExchanges = 0;
  /** Delay before answering `/token` (ms), to make concurrent refreshes overlap. */
  tokenDelayMs = 0;
  /** Answer this many upcoming exchanges with a 500. */
  tokenFailures = 0;
  private readonly issued = new Set<string>();
  private readonly opts: FakeVertexOptions;
  private readonly gemini = new FakeGemini();
  private readonly anthropic = new FakeAnthropic();

  constructor(opts: FakeVertexOptions) {
    super();
    this.opts = opts;
  }

  protected async handle(ctx: FakeHandlerContext): Promise<void> {
    const { req } = ctx;
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'POST' && url.pathname === '/token') return this.token(ctx);
    const m = /^\/(v1|v1beta1)\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/([^/]+)\/models\/([^/:]+):([A-Za-z]+)$/.exec(url.pathname);
    if (m === null) return this.googleError(ctx, 404, `The requested URL ${url.pathname} was not found on this server.`);
    const [, , project, location, publisher, rawModel, action] = m as unknown as [string, string, string, string, string, string, string];
    const model = decodeURIComponent(rawModel);
    ctx.setModel(model);
    const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    if (token === undefined || !(this.issued.has(token) || this.opts.staticTokens?.includes(token))) {
      return this.googleError(ctx, 401, 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.');
    }
    if (project !== this.opts.project || location !== this.opts.location) {
      return this.googleError(ctx, 403, `Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/projects/${project}/locations/${location}/publishers/${publisher}/models/${model}' (or it may not exist).`);
    }
    if (req.method !== 'POST') return this.googleError(ctx, 404, `Method not found: ${req.method}`);
    if (publisher === 'google' && (action === 'generateContent' || action === 'streamGenerateContent')) {
      const path = `/v1beta/models/${rawModel}:${action}${url.search}`;
      return (this.gemini as unknown as Handler).handle({ ...ctx, req: rewrite(req, path, {}) });
    }
    if (publisher === 'google' && action === 'predict') return this.predict(ctx, model);
    if (publisher === 'anthropic' && (action === 'rawPredict' || action === 'streamRawPredict')) return this.claude(ctx, model, action === 'streamRawPredict');
    return this.googleError(ctx, 404, `Publisher Model \`projects/${project}/locations/${location}/publishers/${publisher}/models/${model}\` not found.`);
  }

  private async claude(ctx: FakeHandlerContext, model: string, stream: boolean): Promise<void> {
    const body = ctx.recorded.body as Json | null;
    if (body === null) return this.anthropicError(ctx, 400, 'Request body must be a JSON object');
    if (body.model !== undefined) return this.anthropicError(ctx, 400, 'model: Extra inputs are not permitted');
    if (body.anthropic_version !== 'vertex-2023-10-16') return this.anthropicError(ctx, 400, 'anthropic_version: Input should be \'vertex-2023-10-16\'');
    if (stream !== (body.stream === true)) return this.anthropicError(ctx, 400, stream ? 'streamRawPredict requires "stream": true' : 'rawPredict does not stream; use streamRawPredict');
    const s = ctx.scenarioFor(model);
    if (s.error && FRONT_DOOR.has(s.error.status)) {
      if (!(await preamble(ctx, s))) return;
      return this.scenarioGoogleError(ctx, s.error);
    }
    const { anthropic_version: _v, ...rest } = body;
    const inner: FakeHandlerContext = {
      ...ctx,
      req: rewrite(ctx.req, '/v1/messages', { 'anthropic-version': '2023-06-01' }),
      recorded: { ...ctx.recorded, body: { ...rest, model } },
      // The scenario was already taken (failTimes counted once); hand the same one on.
      scenarioFor: () => s,
    };
    return (this.anthropic as unknown as Handler).handle(inner);
  }

  private async predict(ctx: FakeHandlerContext, model: string): Promise<void> {
    const body = ctx.recorded.body as Json | null;
    const instances = body?.instances;
    if (!Array.isArray(instances) || instances.length === 0) return this.googleError(ctx, 400, 'Invalid JSON payload: instances must be a non-empty list.');
    if (/^gemini-embedding/.test(model) && instances.length > 1) {
      return this.googleError(ctx, 400, `Model ${model} supports only one instance per request; received ${instances.length}.`);
    }
    for (const [i, inst] of (instances as Json[]).entries()) {
      if (typeof inst.content !== 'string') return this.googleError(ctx, 400, `Invalid JSON payload: instances[${i}].content must be a string.`);
    }
    const s = ctx.scenarioFor(model);
    if (!(await preamble(ctx, s))) return;
    if (s.error) return this.scenarioGoogleError(ctx, s.error);
    const params = (body!.parameters ?? {}) as Json;
    const dims = typeof params.outputDimensionality === 'number' ? params.outputDimensionality : s.embeddingDims ?? 8;
    const predictions = (instances as Json[]).map((inst) => ({
      embeddings: { statistics: { truncated: false, token_count: words(String(inst.content)).length }, values: fakeEmbedding(String(inst.content), dims) },
    }));
    const chars = (instances as Json[]).reduce((n, inst) => n + String(inst.content).replace(/\s/g, '').length, 0);
    return this.json(ctx, 200, { predictions, metadata: { billableCharacterCount: chars } });
  }

  private async token(ctx: FakeHandlerContext): Promise<void> {
    if (this.tokenDelayMs) await ctx.sleep(this.tokenDelayMs);
    if (!String(ctx.req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return this.json(ctx, 400, { error: 'invalid_request', error_description: 'Bad Request' });
    }
    if (this.tokenFailures > 0) {
      this.tokenFailures--;
      return this.json(ctx, 500, { error: 'internal_failure', error_description: 'Backend Error' });
    }
    const form = new URLSearchParams(ctx.recorded.rawBody);
    if (form.get('grant_type') !== JWT_BEARER) {
      return this.json(ctx, 400, { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${form.get('grant_type') ?? ''}` });
    }
    const problem = this.checkAssertion(form.get('assertion') ?? '');
    if (problem !== undefined) return this.json(ctx, 400, { error: 'invalid_grant', error_description: problem });
    const accessToken = `ya29.fake-${++this.tokenExchanges}-${randomBytes(12).toString('base64url')}`;
    this.issued.add(accessToken);
    return this.json(ctx, 200, { access_token: accessToken, expires_in: this.opts.tokenLifetimeS ?? 3599, token_type: 'Bearer' });
  }

  /** Google's checks on a JWT-bearer assertion, with its wording. */
  private checkAssertion(jwt: string): string | undefined {
    const sa = this.opts.serviceAccount;
    if (sa === undefined) return 'Invalid JWT Signature.';
    const [h, c, sig] = jwt.split('.');
    if (h === undefined || c === undefined || sig === undefined) return 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.';
    const header = decode(h);
    const claims = decode(c);
    if (header?.alg !== 'RS256') return 'Invalid JWT Signature.';
    if (!createVerify('RSA-SHA256').update(`${h}.${c}`).verify(sa.publicKeyPem, Buffer.from(sig, 'base64url'))) return 'Invalid JWT Signature.';
    if (claims?.iss !== sa.clientEmail) return 'Invalid JWT Signature.';
    if (claims.aud !== `${this.url}/token`) return `Invalid JWT: Failed audience check. The right audience is ${this.url}/token`;
    if (typeof claims.scope !== 'string' || !claims.scope.split(' ').includes('https://www.googleapis.com/auth/cloud-platform')) return 'Invalid OAuth scope or ID token audience provided.';
    const now = Date.now() / 1000;
    const iat = Number(claims.iat);
    const exp = Number(claims.exp);
    if (!(exp > now) || iat > now + 60 || exp - iat > 3600) return 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';
    return undefined;
  }

  private scenarioGoogleError(ctx: FakeHandlerContext, e: NonNullable<FakeScenario['error']>): void {
    const details: Json[] = [];
    if (e.status === 429 && e.retryAfterS !== undefined) details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${e.retryAfterS}s` });
    const message = e.message ?? (e.status === 429 ? 'Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model.' : `fake vertex error ${e.status}`);
    this.googleError(ctx, e.status, message, details);
  }

  private googleError(ctx: FakeHandlerContext, code: number, message: string, details: Json[] = []): void {
    const error: Json = { code, message, status: GOOGLE_STATUS[code] ?? 'UNKNOWN' };
    if (details.length > 0) error.details = details;
    this.json(ctx, code, { error });
  }

  private anthropicError(ctx: FakeHandlerContext, status: number, message: string): void {
    this.json(ctx, status, { type: 'error', error: { type: 'invalid_request_error', message } });
  }

  private json(ctx: FakeHandlerContext, status: number, body: unknown): void {
    ctx.finished();
    ctx.res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    ctx.res.end(JSON.stringify(body));
  }
}

/** The same request seen under another URL (and extra headers), for the delegated fake. */
function rewrite(req: http.IncomingMessage, url: string, headers: Record<string, string>): http.IncomingMessage {
  return Object.create(req, { url: { value: url }, headers: { value: { ...req.headers, ...headers } } }) as http.IncomingMessage;
}

function decode(part: string): Json | undefined {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Json;
  } catch {
    return undefined;
  }
}
