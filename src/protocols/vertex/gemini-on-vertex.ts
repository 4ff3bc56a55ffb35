import type { CallOptions, ChatRequest, ChatResponse, ChatStream, UpstreamTarget } from '../../spec/index.js';
import { geminiProtocol } from '../gemini/index.js';
import { vertexAuthorization } from './vertex-auth.js';
import { publisherBase } from './vertex-url.js';

/**
 * Gemini on Vertex is the Gemini API under another root: the same
 * GenerateContent bodies, SSE stream and Google error envelope, reached at
 * `…/publishers/google/models/{model}:generateContent` with an OAuth token.
 * So the Gemini protocol does all the work against a target rewritten to
 * that root, and nothing is copied.
 */
export async function geminiTarget(target: UpstreamTarget, opts: CallOptions): Promise<UpstreamTarget> {
  const authorization = await vertexAuthorization(target, opts.signal);
  const { apiKey: _key, credentials: _secret, ...rest } = target;
  return { ...rest, baseUrl: publisherBase(target, 'google'), auth: { kind: 'none' }, headers: { ...target.headers, authorization } };
}

/** `providerOptions.vertex` is accepted as another name for Gemini's own options here. */
function withVertexOptions(req: ChatRequest): ChatRequest {
  const vertex = req.providerOptions?.['vertex'];
  if (vertex === undefined) return req;
  const { vertex: _v, ...others } = req.providerOptions ?? {};
  return { ...req, providerOptions: { ...others, google: { ...others['google'], ...vertex } } };
}

export async function chatGemini(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatResponse> {
  return geminiProtocol.chat(withVertexOptions(req), await geminiTarget(target, opts), opts);
}

export async function streamGemini(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatStream> {
  return geminiProtocol.stream(withVertexOptions(req), await geminiTarget(target, opts), opts);
}
