import type { FinishReason } from '../../spec/index.js';

/** OpenAI finish_reason → {unified, raw}. Unknown values (compatible servers invent some) become "other". */
export function mapFinishReason(raw: string | null | undefined): FinishReason {
  if (raw === null || raw === undefined || raw === '') return { unified: 'other' };
  switch (raw) {
    case 'stop':
    case 'eos': // some vLLM/TGI builds
    case 'end_turn':
      return { unified: 'stop', raw };
    case 'length':
    case 'max_tokens':
      return { unified: 'length', raw };
    case 'tool_calls':
    case 'function_call':
      return { unified: 'tool-calls', raw };
    case 'content_filter':
      return { unified: 'content-filter', raw };
    case 'error':
    case 'insufficient_system_resource': // DeepSeek: generation cut off by the server
      return { unified: 'error', raw };
    default:
      return { unified: 'other', raw };
  }
}
