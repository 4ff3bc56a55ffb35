import { GatewayError, invalidRequest, type CallOptions, type RerankRequest, type RerankResponse, type RerankResult, type UpstreamTarget } from '../../spec/index.js';
import { applyQuirks } from './apply-quirks.js';
import { callMedia, mergeProviderOptions, num, readObject } from './media-call.js';
import { isRecord } from './wire-types.js';

/**
 * POST /rerank in the shape OpenAI-compatible hosts share (Jina, and
 * Voyage with a `top_n → top_k` rename quirk): `{model, query, documents,
 * top_n, return_documents}` → `results` (Jina) or `data` (Voyage) of
 * `{index, relevance_score, document?}` with token usage.
 */
export async function rerank(req: RerankRequest, target: UpstreamTarget, opts: CallOptions): Promise<RerankResponse> {
  if (req.query.trim() === '') throw invalidRequest('query must not be empty', 'query');
  if (req.documents.length === 0) throw invalidRequest('documents must not be empty', 'documents');
  const body: Record<string, unknown> = { model: target.model, query: req.query, documents: req.documents };
  if (req.topN !== undefined) body.top_n = req.topN;
  if (req.returnDocuments !== undefined) body.return_documents = req.returnDocuments;
  if (req.maxTokensPerDoc !== undefined) opts.warn(`${target.provider}: max_tokens_per_doc is Cohere's; not sent`);
  if (req.extraBody !== undefined) Object.assign(body, req.extraBody);
  mergeProviderOptions(body, req.providerOptions, target.provider, opts.warn);
  applyQuirks(body, target.provider, target.quirks, opts.warn);
  const res = await callMedia(target, opts, { path: '/rerank', json: body });
  const json = await readObject(res, target.provider, 'a rerank answer');
  const list = Array.isArray(json.results) ? json.results : Array.isArray(json.data) ? json.data : undefined;
  if (list === undefined) throw new GatewayError('upstream_bad_response', { message: `Upstream ${target.provider} returned a rerank answer without results`, provider: target.provider });
  const results = list.filter(isRecord).map((r): RerankResult => {
    const index = num(r.index) ?? -1;
    if (index < 0 || index >= req.documents.length) {
      throw new GatewayError('upstream_bad_response', { message: `Upstream ${target.provider} ranked document index ${index}, outside the ${req.documents.length} sent`, provider: target.provider });
    }
    const out: RerankResult = { index, relevanceScore: num(r.relevance_score) ?? 0 };
    if (req.returnDocuments === true) out.document = req.documents[index] as string;
    return out;
  });
  const u = isRecord(json.usage) ? json.usage : {};
  const tokens = num(u.prompt_tokens) ?? num(u.total_tokens) ?? 0;
  const response: RerankResponse = { model: typeof json.model === 'string' ? json.model : target.model, results, usage: { inputTokens: tokens, outputTokens: 0, totalTokens: tokens } };
  if (typeof json.id === 'string') response.id = json.id;
  return response;
}
