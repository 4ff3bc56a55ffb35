import type { FastifyInstance } from 'fastify';
import { asString, invalid, isAbsent, isObject, missing, optBoolean, optInteger } from '../../dialects/openai/json-checks.js';
import { GatewayError, type RerankRequest, type RerankResponse } from '../../spec/index.js';
import { gatewayHeaders } from '../respond/headers.js';
import type { GatewayRuntime } from '../runtime.js';
import { textTokens, unaryHandler } from './unary-endpoint.js';

const KNOWN = new Set(['model', 'query', 'documents', 'top_n', 'return_documents', 'max_tokens_per_doc']);

/**
 * `POST /v1/rerank` (also `/rerank` and Cohere's `/v2/rerank`) in the
 * Cohere/Jina shape, for protocols with a rerank operation (Cohere; Jina-
 * style hosts on the OpenAI protocol). Billed per search unit where the
 * upstream counts them (Cohere), per token, or per request where priced.
 */
export function registerRerankRoutes(app: FastifyInstance, rt: GatewayRuntime): void {
  const handler = unaryHandler<RerankResponse>(rt, {
    endpoint: 'rerank',
    dialect: 'rerank',
    decode(req) {
      const request = decodeRerank(req.body);
      return {
        model: request.model,
        estimatedInputTokens: textTokens(request.query) + request.documents.reduce((n, d) => n + textTokens(d), 0),
        attempt: (d, p, o) => {
          if (!p.rerank) throw new GatewayError('unsupported_parameter', { message: `Model '${request.model}' (${d.provider}) does not support rerank through this gateway`, param: 'model' });
          return p.rerank({ ...request, model: d.target.model }, d.target, o);
        },
      };
    },
    async respond(reply, ctx, res, settle) {
      // Only Cohere counts search units; other hosts bill tokens (or input_cost_per_request).
      const searchUnits = res.units?.['search_units'];
      await settle({ usage: res.usage, usageSource: 'upstream', ...(searchUnits !== undefined ? { units: { searchUnits } } : {}) });
      void reply.headers(gatewayHeaders(ctx)).send(encodeRerank(res, ctx.requestId, searchUnits));
    },
  });
  for (const path of ['/v1/rerank', '/rerank', '/v2/rerank']) app.post(path, handler);
}

export function decodeRerank(body: unknown): RerankRequest {
  if (!isObject(body)) throw invalid('The request body must be a JSON object.', null);
  for (const key of ['model', 'query', 'documents']) if (isAbsent(body[key])) throw missing(key);
  const docs = body['documents'];
  if (!Array.isArray(docs)) throw invalid("Invalid type for 'documents': expected an array of strings or {text} objects.", 'documents');
  const documents = docs.map((d: unknown, i) => {
    if (typeof d === 'string') return d;
    if (isObject(d) && typeof d['text'] === 'string') return d['text'];
    throw invalid(`Invalid 'documents[${i}]': expected a string or an object with a 'text' string.`, `documents[${i}]`);
  });
  const req: RerankRequest = { model: asString(body['model'], 'model'), query: asString(body['query'], 'query'), documents };
  const topN = optInteger(body['top_n'], 'top_n', 1);
  if (topN !== undefined) req.topN = topN;
  const returnDocuments = optBoolean(body['return_documents'], 'return_documents');
  if (returnDocuments !== undefined) req.returnDocuments = returnDocuments;
  const maxTokens = optInteger(body['max_tokens_per_doc'], 'max_tokens_per_doc', 1);
  if (maxTokens !== undefined) req.maxTokensPerDoc = maxTokens;
  for (const key of Object.keys(body)) if (!KNOWN.has(key) && body[key] !== undefined) (req.extraBody ??= {})[key] = body[key];
  return req;
}

/** Cohere's v2 answer with Jina's `model`/`usage` alongside, so clients of either read what they expect. */
function encodeRerank(res: RerankResponse, requestId: string, searchUnits: number | undefined): Record<string, unknown> {
  return {
    id: res.id ?? requestId,
    model: res.model,
    results: res.results.map((r) => ({ index: r.index, relevance_score: r.relevanceScore, ...(r.document !== undefined ? { document: { text: r.document } } : {}) })),
    meta: { api_version: { version: '2' }, billed_units: { ...(searchUnits !== undefined ? { search_units: searchUnits } : {}), ...(res.usage.inputTokens > 0 ? { input_tokens: res.usage.inputTokens } : {}) } },
    usage: { total_tokens: res.usage.totalTokens },
  };
}
