import { GatewayError, invalidRequest, type CallOptions, type RerankRequest, type RerankResponse, type UpstreamTarget } from '../../spec/index.js';
import { callCohere, readJson } from './cohere-http.js';
import type { CohereRerankResponse } from './cohere-wire.js';

/**
 * `POST /v2/rerank`. API v2 no longer echoes documents, so a caller asking
 * for them gets the request's own text back by index. Cohere bills rerank
 * in search units, reported as `units.search_units`.
 */
export async function rerank(req: RerankRequest, target: UpstreamTarget, opts: CallOptions): Promise<RerankResponse> {
  if (req.query.trim() === '') throw invalidRequest('query must not be empty', 'query');
  if (req.documents.length === 0) throw invalidRequest('documents must not be empty', 'documents');
  if (req.topN !== undefined && (!Number.isInteger(req.topN) || req.topN < 1)) throw invalidRequest('top_n must be a positive integer', 'top_n');
  const body: Record<string, unknown> = { model: target.model, query: req.query, documents: req.documents };
  if (req.topN !== undefined) body['top_n'] = req.topN;
  if (req.maxTokensPerDoc !== undefined) body['max_tokens_per_doc'] = req.maxTokensPerDoc;
  for (const [ns, value] of Object.entries(req.providerOptions ?? {})) {
    if (ns !== 'cohere') opts.warn(`cohere: providerOptions.${ns} is for another provider and was ignored`);
    else Object.assign(body, value);
  }
  for (const key of Object.keys(req.extraBody ?? {})) opts.warn(`cohere: unknown field \`${key}\` was ignored`);

  const res = await callCohere(target, { method: 'POST', path: '/v2/rerank', body }, opts);
  const json = await readJson<CohereRerankResponse>(res, target.provider);
  const results = (json.results ?? []).map((r) => {
    const index = r.index ?? -1;
    if (index < 0 || index >= req.documents.length) {
      throw new GatewayError('upstream_bad_response', { message: `Cohere ranked document index ${index}, outside the ${req.documents.length} sent`, provider: target.provider });
    }
    const out: RerankResponse['results'][number] = { index, relevanceScore: r.relevance_score ?? 0 };
    if (req.returnDocuments === true) out.document = req.documents[index] as string;
    return out;
  });
  const tokens = json.meta?.billed_units?.input_tokens ?? 0;
  const response: RerankResponse = { model: target.model, results, usage: { inputTokens: tokens, outputTokens: 0, totalTokens: tokens } };
  if (json.id !== undefined) response.id = json.id;
  const searchUnits = json.meta?.billed_units?.search_units;
  if (searchUnits !== undefined) response.units = { search_units: searchUnits };
  return response;
}
