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

/**
 * `providerOptions.vertex` is another name for Gemini's own options here.
 * The protocol declares it reads `anthropic` (for its Claude models), so an
 * Anthropic client's fields can arrive on a Gemini model too: its thinking
 * budget becomes the unified one, every other field is reported by name.
 */
export function withVertexOptions(req: ChatRequest, warn: (m: string) => void): ChatRequest {
  const { vertex, anthropic, ...others } = req.providerOptions ?? {};
  if (vertex === undefined && anthropic === undefined) return req;
  const out: ChatRequest = { ...req };
  const options: Record<string, Record<string, unknown>> = { ...others };
  if (vertex !== undefined) options['google'] = { ...others['google'], ...vertex };
  for (const [key, value] of Object.entries(anthropic ?? {})) {
    const thinking = key === 'thinking' && value !== null && typeof value === 'object' ? (value as { type?: unknown; budget_tokens?: unknown }) : undefined;
    if (thinking?.type === 'disabled') out.reasoningBudgetTokens = 0;
    else if (thinking?.type === 'enabled' && typeof thinking.budget_tokens === 'number') out.reasoningBudgetTokens = thinking.budget_tokens;
    else warn(`vertex: ${key} is an Anthropic field and ${req.model} is a Gemini model; not sent`);
  }
  if (Object.keys(options).length > 0) out.providerOptions = options;
  else delete out.providerOptions;
  return out;
}

export async function chatGemini(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatResponse> {
  return geminiProtocol.chat(withVertexOptions(req, opts.warn), await geminiTarget(target, opts), opts);
}

export async function streamGemini(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatStream> {
  return geminiProtocol.stream(withVertexOptions(req, opts.warn), await geminiTarget(target, opts), opts);
}
