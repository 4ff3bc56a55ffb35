import type { CallOptions, ChatRequest, ChatResponse, ChatStream, Protocol, StreamPart, UpstreamTarget } from '../../spec/index.js';
import { readText } from '../http/index.js';
import { firstByteTimer } from '../openai/call-upstream.js';
import { awsRequestId, callBedrock } from './bedrock-http.js';
import { decodeConverseResponse } from './decode-converse-response.js';
import { decodeConverseStream } from './decode-converse-stream.js';
import { embed } from './embed.js';
import { encodeConverseRequest } from './encode-converse-request.js';

export { encodeConverseRequest } from './encode-converse-request.js';
export { decodeConverseResponse } from './decode-converse-response.js';
export { decodeConverseStream } from './decode-converse-stream.js';
export { EventStreamDecoder } from './event-stream-decoder.js';
export { mapBedrockError, mapStreamException } from './map-bedrock-error.js';
export { signRequest } from './aws-sigv4.js';

/**
 * Amazon Bedrock: chat through Converse / ConverseStream (one request shape
 * for every model maker), embeddings through InvokeModel. Signed with SigV4
 * or called with a Bedrock API key.
 */
export const bedrockProtocol: Protocol = {
  id: 'bedrock',

  async chat(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatResponse> {
    const body = encodeConverseRequest(req, target, opts.warn);
    const res = await callBedrock(target, opts, { action: 'converse', body: JSON.stringify(body), stream: false, accept: 'application/json' });
    const text = await readText(res, target.provider);
    return decodeConverseResponse(text, target.provider, target.model, awsRequestId(res.headers), opts.warn);
  },

  /** Resolves once Bedrock accepted the request; later failures (exceptions in the event stream) arrive as an `error` part. */
  async stream(req: ChatRequest, target: UpstreamTarget, opts: CallOptions): Promise<ChatStream> {
    const body = encodeConverseRequest(req, target, opts.warn);
    const res = await callBedrock(target, opts, { action: 'converse-stream', body: JSON.stringify(body), stream: true, accept: 'application/vnd.amazon.eventstream' });
    const clearTimer = firstByteTimer(res.body, target);
    return (async function* parts(): AsyncGenerator<StreamPart> {
      try {
        for await (const part of decodeConverseStream(res.body, target.provider, target.model, awsRequestId(res.headers))) {
          clearTimer();
          yield part;
        }
      } finally {
        clearTimer();
        // A consumer that stops early must not leave the model generating.
        if (!res.body.readableEnded) res.body.destroy();
      }
    })();
  },

  embed,
};
