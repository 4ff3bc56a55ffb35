import type { CallOptions, ChatRequest, ChatResponse, ChatStream, Protocol, UpstreamTarget } from '../../spec/index.js';
import { chatAnthropic, streamAnthropic } from './anthropic-on-vertex.js';
import { embed } from './embed.js';
import { chatGemini, streamGemini } from './gemini-on-vertex.js';
import { publisherFor } from './vertex-url.js';

/**
 * Google Vertex AI: one protocol, two publishers. The model picks the
 * publisher (`claude-*` → Anthropic's Messages format at :rawPredict,
 * everything else → Gemini's GenerateContent), or `settings.publisher`
 * says so. One protocol rather than two because both share the host, the
 * project/location path and the OAuth credential, and LiteLLM's single
 * `vertex_ai/` prefix names both — so one catalog entry serves them.
 */
export const vertexProtocol: Protocol = {
  id: 'vertex',
  // Claude models read Anthropic's own fields; Gemini models read Google's (`vertex` is an alias of `google`).
  providerOptionNamespaces: ['anthropic', 'google', 'gemini', 'vertex'],
  chat(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatResponse> {
    return publisherFor(target) === 'anthropic' ? chatAnthropic(req, target, opts) : chatGemini(req, target, opts);
  },
  stream(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatStream> {
    return publisherFor(target) === 'anthropic' ? streamAnthropic(req, target, opts) : streamGemini(req, target, opts);
  },
  embed,
};

export { AccessTokenCache } from './access-token-cache.js';
export { VERTEX_ANTHROPIC_VERSION } from './anthropic-on-vertex.js';
