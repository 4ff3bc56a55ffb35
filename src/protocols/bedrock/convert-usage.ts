import type { Usage } from '../../spec/index.js';
import { isRecord, type ConverseUsage } from './bedrock-wire.js';

/**
 * Converse usage → unified. Like Anthropic's, Bedrock's `inputTokens` leaves
 * out the tokens read from or written to the prompt cache, so they are added
 * back: unified input is the whole prompt.
 */
export function convertUsage(u: unknown): Usage | undefined {
  if (!isRecord(u)) return undefined;
  const w = u as ConverseUsage;
  const cacheRead = num(w.cacheReadInputTokens);
  const cacheWrite = num(w.cacheWriteInputTokens);
  const input = num(w.inputTokens) + cacheRead + cacheWrite;
  const output = num(w.outputTokens);
  const usage: Usage = { inputTokens: input, outputTokens: output, totalTokens: input + output };
  if (w.cacheReadInputTokens !== undefined) usage.cacheReadTokens = cacheRead;
  if (w.cacheWriteInputTokens !== undefined) usage.cacheWriteTokens = cacheWrite;
  return usage;
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
