import { z } from 'zod';
import type { ModelInfo } from '../router/deployment.js';
import { booleanish, nonNegativeNumber, positiveInt, stringList } from './values.js';

/** Modes the gateway serves; LiteLLM has more (video_generation, realtime …) that no route handles yet. */
export const SERVED_MODES = ['chat', 'embedding', 'completion', 'image_generation', 'audio_transcription', 'audio_speech', 'moderation', 'rerank'] as const;

/**
 * LiteLLM's `model_info`, used by both formats. Unknown keys are metadata
 * (LiteLLM stores anything there), kept in `extra` for the admin API.
 */
export const modelInfoSchema = z.looseObject({
  id: z.string().min(1).optional(),
  mode: z.string().min(1).optional(),
  max_tokens: positiveInt.optional(),
  max_input_tokens: positiveInt.optional(),
  max_output_tokens: positiveInt.optional(),
  input_cost_per_token: nonNegativeNumber.optional(),
  output_cost_per_token: nonNegativeNumber.optional(),
  cache_read_input_token_cost: nonNegativeNumber.optional(),
  cache_creation_input_token_cost: nonNegativeNumber.optional(),
  input_cost_per_request: nonNegativeNumber.optional(),
  output_cost_per_image: nonNegativeNumber.optional(),
  input_cost_per_second: nonNegativeNumber.optional(),
  input_cost_per_character: nonNegativeNumber.optional(),
  input_cost_per_query: nonNegativeNumber.optional(),
  access_groups: stringList.optional(),
  supports_vision: booleanish.optional(),
  supports_function_calling: booleanish.optional(),
});
export type RawModelInfo = z.infer<typeof modelInfoSchema>;

const MAPPED = new Set([
  'id', 'mode', 'max_tokens', 'max_input_tokens', 'max_output_tokens', 'input_cost_per_token', 'output_cost_per_token',
  'cache_read_input_token_cost', 'cache_creation_input_token_cost', 'input_cost_per_request', 'access_groups',
  'output_cost_per_image', 'input_cost_per_second', 'input_cost_per_character', 'input_cost_per_query',
  'supports_vision', 'supports_function_calling',
]);

/** Costs may also sit in litellm_params (LiteLLM accepts both); model_info wins. */
export function toModelInfo(raw: RawModelInfo | undefined, costs?: { input?: number; output?: number }): ModelInfo {
  const info: ModelInfo = {};
  if (raw?.mode !== undefined) info.mode = raw.mode as ModelInfo['mode'];
  if (raw?.max_input_tokens !== undefined) info.contextWindow = raw.max_input_tokens;
  // LiteLLM's legacy `max_tokens` in model_info means the output cap.
  const maxOut = raw?.max_output_tokens ?? raw?.max_tokens;
  if (maxOut !== undefined) info.maxOutputTokens = maxOut;
  const input = raw?.input_cost_per_token ?? costs?.input;
  const output = raw?.output_cost_per_token ?? costs?.output;
  if (input !== undefined) info.inputCostPerToken = input;
  if (output !== undefined) info.outputCostPerToken = output;
  if (raw?.cache_read_input_token_cost !== undefined) info.cacheReadCostPerToken = raw.cache_read_input_token_cost;
  if (raw?.cache_creation_input_token_cost !== undefined) info.cacheWriteCostPerToken = raw.cache_creation_input_token_cost;
  if (raw?.input_cost_per_request !== undefined) info.costPerRequest = raw.input_cost_per_request;
  if (raw?.output_cost_per_image !== undefined) info.costPerImage = raw.output_cost_per_image;
  if (raw?.input_cost_per_second !== undefined) info.costPerAudioSecond = raw.input_cost_per_second;
  if (raw?.input_cost_per_character !== undefined) info.costPerCharacter = raw.input_cost_per_character;
  if (raw?.input_cost_per_query !== undefined) info.costPerQuery = raw.input_cost_per_query;
  if (raw?.supports_vision !== undefined) info.supportsVision = raw.supports_vision;
  if (raw?.supports_function_calling !== undefined) info.supportsTools = raw.supports_function_calling;
  const extra = Object.fromEntries(Object.entries(raw ?? {}).filter(([k]) => !MAPPED.has(k)));
  if (Object.keys(extra).length > 0) info.extra = extra;
  return info;
}
