import type { FinishReason } from '../../spec/index.js';

export type AnthropicStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'pause_turn' | 'refusal' | 'model_context_window_exceeded';

const NATIVE: ReadonlySet<string> = new Set<AnthropicStopReason>(['end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'pause_turn', 'refusal', 'model_context_window_exceeded']);

/**
 * Unified finish reason → Anthropic `stop_reason`. An Anthropic value kept in
 * `raw` wins (it says more, e.g. `stop_sequence` or `pause_turn`). A turn that
 * produced tool calls is `tool_use` even when the upstream said "stop" (some
 * OpenAI-compatible servers do): agents such as Claude Code loop on it.
 */
export function mapStopReason(f: FinishReason, calledTools: boolean): AnthropicStopReason {
  if (f.raw !== undefined && NATIVE.has(f.raw)) return f.raw as AnthropicStopReason;
  switch (f.unified) {
    case 'length':
      return 'max_tokens';
    case 'tool-calls':
      return 'tool_use';
    case 'content-filter':
      return 'refusal';
    default:
      return calledTools ? 'tool_use' : 'end_turn';
  }
}
