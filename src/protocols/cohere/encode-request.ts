import { GatewayError, type ChatRequest } from '../../spec/index.js';
import type { CohereChatRequest } from './cohere-wire.js';
import { convertToCohereMessages } from './convert-to-cohere-messages.js';

type Warn = (message: string) => void;

/**
 * Unified request → `/v2/chat` body. Every field maps, warns or fails;
 * `providerOptions.cohere` is Cohere's own vocabulary (documents,
 * citation_options, safety_mode, priority …) set on the body as given.
 */
export function encodeRequest(req: ChatRequest, model: string, stream: boolean, warn: Warn): CohereChatRequest {
  if (req.n !== undefined && req.n > 1) {
    throw new GatewayError('unsupported_parameter', { message: 'n: Cohere returns one choice per request; n > 1 is not supported', param: 'n' });
  }
  const body: CohereChatRequest = { model, messages: convertToCohereMessages(req.messages, warn) };
  if (stream) body.stream = true;

  if (req.tools !== undefined && req.tools.length > 0) {
    // A forced single tool is expressed the one way Cohere can: offer only it, and require a call.
    const offered = req.toolChoice?.type === 'tool' ? req.tools.filter((t) => t.name === (req.toolChoice as { name: string }).name) : req.tools;
    if (req.toolChoice?.type === 'tool' && offered.length === 0) {
      throw new GatewayError('invalid_request', { message: `tool_choice names "${req.toolChoice.name}", which is not among the tools`, param: 'tool_choice' });
    }
    body.tools = offered.map((t) => {
      const fn: NonNullable<CohereChatRequest['tools']>[number]['function'] = { name: t.name, parameters: t.parameters ?? { type: 'object', properties: {} } };
      if (t.description !== undefined) fn.description = t.description;
      return { type: 'function' as const, function: fn };
    });
    if (req.tools.some((t) => t.strict === true)) body.strict_tools = true;
  }
  if (req.toolChoice?.type === 'required' || req.toolChoice?.type === 'tool') body.tool_choice = 'REQUIRED';
  else if (req.toolChoice?.type === 'none') body.tool_choice = 'NONE';
  if (req.parallelToolCalls === false) warn('cohere: parallel_tool_calls=false is not supported; the model may still call several tools at once');

  const rf = req.responseFormat;
  if (rf?.type === 'json_object') body.response_format = { type: 'json_object' };
  else if (rf?.type === 'json_schema') body.response_format = { type: 'json_object', json_schema: rf.schema };

  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.p = req.topP;
  if (req.topK !== undefined) body.k = req.topK;
  if (req.maxOutputTokens !== undefined) body.max_tokens = req.maxOutputTokens;
  if (req.stop !== undefined && req.stop.length > 0) body.stop_sequences = [...req.stop];
  if (req.seed !== undefined) body.seed = req.seed;
  if (req.frequencyPenalty !== undefined) body.frequency_penalty = req.frequencyPenalty;
  if (req.presencePenalty !== undefined) body.presence_penalty = req.presencePenalty;
  if (req.logprobs === true) body.logprobs = true;
  if (req.topLogprobs !== undefined) warn('cohere: top_logprobs is not supported; only the chosen tokens\' log probabilities are returned');

  if (req.reasoningEffort === 'none' || req.reasoningBudgetTokens === 0) body.thinking = { type: 'disabled' };
  else if (req.reasoningBudgetTokens !== undefined) body.thinking = { type: 'enabled', token_budget: req.reasoningBudgetTokens };
  else if (req.reasoningEffort !== undefined) {
    body.thinking = { type: 'enabled' };
    warn('cohere: reasoning effort has no Cohere equivalent; thinking enabled with the model\'s default budget');
  }

  if (req.logitBias !== undefined && Object.keys(req.logitBias).length > 0) warn('cohere: logit_bias is not supported and was ignored');
  if (req.user !== undefined) warn('cohere: `user` is not supported and was ignored');
  if (req.metadata !== undefined && Object.keys(req.metadata).length > 0) warn('cohere: `metadata` is not supported and was ignored');
  for (const key of Object.keys(req.extraBody ?? {})) warn(`cohere: unknown field \`${key}\` was ignored`);
  for (const [ns, value] of Object.entries(req.providerOptions ?? {})) {
    if (ns !== 'cohere') warn(`cohere: providerOptions.${ns} is for another provider and was ignored`);
    else for (const [key, v] of Object.entries(value)) body[key] = v;
  }
  return body;
}
