import type { CallOptions, ChatRequest, ChatResponse, ChatStream, EmbeddingRequest, EmbeddingResponse, Protocol, RelayRequest, RelayResponse, StreamPart, UpstreamTarget } from '../../spec/index.js';
import { openaiProtocol } from '../openai/index.js';
import { azureApiStyle, azureDeployment, toOpenAITarget } from './azure-target.js';

export { azureApiStyle, toOpenAITarget, DEFAULT_AZURE_API_VERSION } from './azure-target.js';

const openai = openaiProtocol as Required<Protocol>;

/**
 * Azure OpenAI (and Azure AI Foundry's OpenAI-shaped endpoints): the OpenAI
 * protocol's encoders, decoders, error mapping and fast-path relay, called on
 * Azure's URLs with Azure's credentials. Content-filter refusals arrive as
 * `code: content_filter` errors or `finish_reason: content_filter`, both of
 * which the OpenAI mapping already types.
 */
export const azureProtocol: Protocol = {
  id: 'azure',
  nativeDialect: openaiProtocol.nativeDialect,

  chat(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatResponse> {
    return openai.chat(req, toOpenAITarget(target), opts);
  },

  async stream(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatStream> {
    return withRealStart(await openai.stream(req, toOpenAITarget(target), opts));
  },

  embed(req: EmbeddingRequest, target: UpstreamTarget, opts: CallOptions): Promise<EmbeddingResponse> {
    return openai.embed(req, toOpenAITarget(target), opts);
  },

  relay(req: RelayRequest, target: UpstreamTarget, opts: CallOptions): Promise<RelayResponse> {
    return openai.relay(req, toOpenAITarget(target), opts);
  },

  // Azure serves OpenAI's media, moderation and rerank operations under the same deployment URL.
  generateImage: (req, target, opts) => openai.generateImage(req, toOpenAITarget(target), opts),
  editImage: (req, target, opts) => openai.editImage(req, toOpenAITarget(target), opts),
  transcribe: (req, target, opts) => openai.transcribe(req, toOpenAITarget(target), opts),
  speech: (req, target, opts) => openai.speech(req, toOpenAITarget(target), opts),
  moderate: (req, target, opts) => openai.moderate(req, toOpenAITarget(target), opts),

  /** The v1 API lists models; a classic deployment target serves exactly its deployment. */
  async listModels(target: UpstreamTarget, opts: CallOptions): Promise<string[]> {
    if (azureApiStyle(target) === 'deployments') return [azureDeployment(target)];
    return openai.listModels(toOpenAITarget(target), opts);
  },
};

/**
 * Azure opens a stream with a prompt-filter chunk whose id and model are
 * empty and whose `created` is 0; the start part keeps the decoder's
 * fallbacks but gets a real timestamp.
 */
async function* withRealStart(stream: ChatStream): AsyncGenerator<StreamPart> {
  for await (const part of stream) {
    if (part.type === 'start' && part.created === 0) yield { ...part, created: Math.floor(Date.now() / 1000) };
    else yield part;
  }
}
