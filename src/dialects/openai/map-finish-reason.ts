import type { FinishReason } from '../../spec/index.js';

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/**
 * Unified finish reasons into the four values OpenAI clients know.
 * `error` and `other` become `stop`: a failure that still produced a response
 * is reported through the error path (an error event or status), and SDKs and
 * agents treat any value outside the documented set as a bug, while `stop`
 * is the neutral "generation ended" they all handle.
 */
export function mapFinishReason(reason: FinishReason): OpenAIFinishReason {
  switch (reason.unified) {
    case 'length':
      return 'length';
    case 'tool-calls':
      return 'tool_calls';
    case 'content-filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}
