import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { redactorFor, send } from '../../protocols/http/index.js';
import type { Deployment } from '../../router/index.js';
import { addWarning, GatewayError, toGatewayError, type AttemptRecord, type RequestContext } from '../../spec/index.js';
import { extractGeminiKey, extractKey } from '../auth/extract-key.js';
import { admit, outcomeBase } from '../pipeline/admission.js';
import type { Finish } from '../pipeline/interceptors.js';
import { gatewayHeaders } from '../respond/headers.js';
import { endStream, sendError } from '../respond/send-error.js';
import { writeWithBackpressure } from '../respond/write-sse.js';
import { createRequestContext } from '../request-context.js';
import type { GatewayRuntime } from '../runtime.js';
import { PASSTHROUGH_PROVIDERS, upstreamUrl, type OutgoingRequest, type PassthroughProvider } from './passthrough-providers.js';
import { PassthroughUsageTap } from './passthrough-usage.js';

/** Never forwarded: the caller's own credentials, hop-by-hop framing, and compression (the answer is scanned for usage). */
const DROP_REQUEST = new Set([
  'authorization', 'x-api-key', 'api-key', 'x-goog-api-key', 'cookie', 'host', 'content-length', 'connection', 'keep-alive',
  'transfer-encoding', 'te', 'upgrade', 'proxy-authorization', 'accept-encoding', 'x-request-id',
]);
const DROP_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te', 'trailer']);
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * `/openai/*`, `/anthropic/*`, `/gemini/*`, `/azure/*`, `/bedrock/*`,
 * `/vertex_ai/*`, `/cohere/*`: the provider's own API, for calls the
 * gateway does not model (files, batches, new endpoints). The caller's
 * virtual key is checked like everywhere else and replaced by the real
 * credential of a deployment of that provider the key may use; limits and
 * budgets are admitted; bodies pass through untouched both ways; and the
 * cost is recorded whenever the answer carries usage.
 *
 * Request bodies are read whole (up to the upload limit) before the call:
 * the model they name decides which deployment's credential is used.
 */
export function registerPassthroughRoutes(app: FastifyInstance, rt: GatewayRuntime, bodyLimitBytes: number): void {
  void app.register(async (scope) => {
    // Bodies are bytes here: forwarded as received, never re-serialised.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: bodyLimitBytes }, (_req, body, done) => done(null, body));
    for (const provider of PASSTHROUGH_PROVIDERS) {
      scope.route({ method: [...METHODS], url: `/${provider.prefix}/*`, config: { renderError: provider.render }, handler: passthroughHandler(rt, provider) });
    }
  });
}

function passthroughHandler(rt: GatewayRuntime, provider: PassthroughProvider) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const ctx = createRequestContext(req, reply, 'other', `passthrough-${provider.prefix}`);
    let finish: Finish | undefined;
    try {
      const secret = provider.clientKeyParams ? extractGeminiKey(req.headers, req.query) : extractKey(req.headers);
      ctx.identity = rt.auth.authenticate(secret, { ip: ctx.clientIp ?? '' });
      const raw = req.raw.url ?? '/';
      const q = raw.indexOf('?');
      const path = (q === -1 ? raw : raw.slice(0, q)).slice(provider.prefix.length + 1) || '/';
      const query = new URLSearchParams(q === -1 ? '' : raw.slice(q + 1));
      for (const k of provider.clientKeyParams ?? []) query.delete(k);
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const json = jsonObject(body, req.headers['content-type']);
      const model = provider.modelOf(path, json);
      const d = pickDeployment(rt, ctx, provider, model);
      ctx.publicModel = d.publicModel;
      ctx.stream = json?.['stream'] === true || path.includes(':streamGenerateContent') || path.endsWith('/converse-stream') || path.endsWith('/invoke-with-response-stream');
      finish = await admit(rt, ctx, { publicModel: d.publicModel, endpoint: 'other', stream: ctx.stream, estimatedInputTokens: Math.ceil(body.length / 4) });

      const record: AttemptRecord = { deployment: d.id, provider: d.provider, upstreamModel: model ?? d.target.model, startedAt: Date.now(), publicModel: d.publicModel };
      ctx.attempts.push(record);
      const out: OutgoingRequest = { method: req.method, url: upstreamUrl(provider.root(d.target), path, query), headers: forwardable(req.headers), body };
      await provider.authorize(d.target, out, ctx.signal);
      const res = await send({
        url: out.url.toString(),
        method: req.method as (typeof METHODS)[number],
        headers: out.headers,
        body: req.method === 'GET' || req.method === 'DELETE' ? (body.length > 0 ? body : null) : body,
        signal: ctx.signal,
        timeoutMs: d.target.timeoutMs,
        provider: d.provider,
      });
      record.answered = true;
      record.durationMs = Date.now() - record.startedAt;
      await relayAnswer(reply, ctx, provider, res, finish, record, d);
    } catch (err) {
      await finish?.({ status: ctx.signal.aborted ? 'aborted' : 'error', error: toGatewayError(err), ...outcomeBase(ctx) });
      sendError(reply, ctx, err, provider.render, rt.log);
    }
  };
}

/**
 * A deployment of this provider whose credential the call may use. With a
 * model named, only deployments serving it (by upstream or public name)
 * qualify, and a key must be allowed that model; without one, any
 * deployment of the provider the key may use. A key limited to some models
 * cannot reach an unlisted model through the side door.
 */
function pickDeployment(rt: GatewayRuntime, ctx: RequestContext, provider: PassthroughProvider, model: string | undefined): Deployment {
  const all = rt.registry.deployments().filter((d) => provider.providers.includes(d.provider));
  if (all.length === 0) {
    throw new GatewayError('not_found', { message: `No ${provider.prefix} deployment is configured on this gateway, so /${provider.prefix}/ has no credential to use.` });
  }
  const id = ctx.identity;
  const allowed = (d: Deployment): boolean => rt.registry.isAllowed(d.publicModel, id?.allowedModels) && rt.registry.isAllowed(d.publicModel, id?.teamAllowedModels);
  const restricted = (id?.allowedModels?.length ?? 0) > 0 || (id?.teamAllowedModels?.length ?? 0) > 0;
  const serving = model === undefined ? [] : all.filter((d) => d.target.model === model || d.publicModel === model);
  const pool = (serving.length > 0 ? serving : restricted && model !== undefined ? [] : all).filter(allowed);
  if (pool.length === 0) {
    throw new GatewayError('model_not_allowed', {
      message: model !== undefined ? `This key is not allowed to use '${model}' through /${provider.prefix}/.` : `This key may use no ${provider.prefix} model, so it cannot use /${provider.prefix}/.`,
      param: 'model',
    });
  }
  const now = Date.now();
  return pool.find((d) => rt.router.health.availability(d.id, now) !== 'unavailable') ?? (pool[0] as Deployment);
}

async function relayAnswer(
  reply: FastifyReply,
  ctx: RequestContext,
  provider: PassthroughProvider,
  res: Awaited<ReturnType<typeof send>>,
  finish: Finish,
  record: AttemptRecord,
  d: Deployment,
): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined && !DROP_RESPONSE.has(k)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  if (res.status < 200 || res.status >= 300) {
    // Error bodies are small and providers echo the credential in them: read whole and scrub (bodies pass untouched otherwise).
    const text = await res.body.text().catch(() => '');
    res.done();
    const clean = redactorFor(d.target)(text);
    delete headers['content-length'];
    delete headers['content-encoding'];
    await finish({ status: 'error', error: new GatewayError('upstream_error', { message: `Upstream ${provider.prefix} answered HTTP ${res.status}`, status: res.status, upstreamStatus: res.status }), ...outcomeBase(ctx) });
    void reply.code(res.status).headers({ ...headers, ...gatewayHeaders(ctx) }).send(clean);
    return;
  }
  const tap = new PassthroughUsageTap(provider.usage, headers['content-type'] ?? '');
  reply.hijack();
  const out = reply.raw;
  out.writeHead(res.status, { ...headers, ...gatewayHeaders(ctx) });
  let failure: unknown;
  try {
    for await (const chunk of res.body) {
      ctx.firstTokenAt ??= Date.now();
      tap.observe(chunk as Buffer);
      await writeWithBackpressure(out, chunk as Buffer);
      if (out.destroyed) break;
    }
  } catch (err) {
    failure = err;
  } finally {
    res.done();
  }
  const seen = tap.finish();
  if (seen.model !== undefined) record.upstreamModel = seen.model;
  const ok = res.status >= 200 && res.status < 300;
  if (ok && seen.usage === undefined) addWarning(ctx, `the ${provider.prefix} answer carried no usage; recorded at zero token cost`);
  const usage = ok ? (seen.usage ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 }) : seen.usage;
  const base = { usage, usageSource: usage ? ('upstream' as const) : undefined, ...outcomeBase(ctx) };
  if (ctx.signal.aborted) await finish({ status: 'aborted', ...base });
  else if (failure !== undefined) {
    await finish({ status: 'error', error: new GatewayError('upstream_connection', { message: `Upstream ${provider.prefix} answer broke: ${(failure as Error).message}` }), ...base });
    out.destroy();
    return;
  } else if (!ok) {
    await finish({ status: 'error', error: new GatewayError('upstream_error', { message: `Upstream ${provider.prefix} answered HTTP ${res.status}`, status: res.status, upstreamStatus: res.status }), ...base });
  } else await finish({ status: 'ok', ...base });
  endStream(out);
}

function forwardable(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || DROP_REQUEST.has(k) || k.startsWith('x-switchyard-')) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function jsonObject(body: Buffer, contentType: string | undefined): Record<string, unknown> | undefined {
  if (body.length === 0 || !(contentType ?? 'application/json').includes('json')) return undefined;
  try {
    const v: unknown = JSON.parse(body.toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
