import type { FinishReason } from '../../spec/index.js';

/**
 * Ollama's `done_reason` → unified. Ollama says "stop" after tool calls too,
 * so the caller says whether the turn made any. "load"/"unload" answer a
 * request that only (un)loaded the model: nothing was generated.
 */
export function mapDoneReason(raw: string | undefined, hadToolCalls: boolean): FinishReason {
  if (raw === undefined || raw === '') return { unified: hadToolCalls ? 'tool-calls' : 'stop' };
  if (raw === 'stop') return { unified: hadToolCalls ? 'tool-calls' : 'stop', raw };
  if (raw === 'length') return { unified: 'length', raw };
  return { unified: 'other', raw };
}
