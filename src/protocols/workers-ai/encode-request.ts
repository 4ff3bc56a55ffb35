import { GatewayError, type ChatRequest } from '../../spec/index.js';
import { convertToWorkersAiMessages } from './convert-to-workers-ai-messages.js';
import type { WorkersAiChatRequest, WorkersAiTool } from './workers-ai-wire.js';

type Warn = (message: string) => void;

/**
 * Unified request → `POST …/ai/run/{model}` body. The model is in the path,
 * not the body. `providerOptions['workers-ai']` is Cloudflare's own
 * vocabulary (repetition_penalty, raw, lora …) and is sent as given.
 */
export function encodeRequest(req: ChatRequest, stream: boolean, warn: Warn): WorkersAiChatRequest {
  if (req.n !== undefined && req.n > 1) {
    throw new GatewayError('unsupported_parameter', { message: 'n: Workers AI returns one choice per request; n > 1 is not supported', param: 'n' });
  }
  const body: WorkersAiChatRequest = { messages: convertToWorkersAiMessages(req.messages, warn) };
  if (stream) body.stream = true;
  if (req.maxOutputTokens !== undefined) body.max_tokens = req.maxOutputTokens;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.topK !== undefined) body.top_k = req.topK;
  if (req.seed !== undefined) body.seed = req.seed;
  if (req.frequencyPenalty !== undefined) body.frequency_penalty = req.frequencyPenalty;
  if (req.presencePenalty !== undefined) body.presence_penalty = req.presencePenalty;

  encodeTools(req, body, warn);
  const rf = req.responseFormat;
  if (rf?.type === 'json_object') body.response_format = { type: 'json_object' };
  else if (rf?.type === 'json_schema') body.response_format = { type: 'json_schema', json_schema: rf.schema };

  if (req.stop !== undefined && req.stop.length > 0) warn('workers-ai: `stop` sequences are not supported by the run API and were not sent');
  if (req.logitBias !== undefined && Object.keys(req.logitBias).length > 0) warn('workers-ai: logit_bias is not supported and was ignored');
  if (req.logprobs === true || req.topLogprobs !== undefined) warn('workers-ai: logprobs are not supported and were not requested');
  if (req.reasoningEffort !== undefined || req.reasoningBudgetTokens !== undefined) warn('workers-ai: reasoning controls are not supported and were not sent');
  if (req.user !== undefined) warn('workers-ai: `user` is not supported and was ignored');
  if (req.metadata !== undefined && Object.keys(req.metadata).length > 0) warn('workers-ai: `metadata` is not supported and was ignored');
  if (req.parallelToolCalls === false) warn('workers-ai: parallel_tool_calls=false is not supported; the model may still call several tools at once');
  for (const key of Object.keys(req.extraBody ?? {})) warn(`workers-ai: unknown field \`${key}\` was ignored`);

  for (const [ns, value] of Object.entries(req.providerOptions ?? {})) {
    if (ns !== 'workers-ai') {
      warn(`workers-ai: providerOptions.${ns} is for another provider and was ignored`);
      continue;
    }
    Object.assign(body, value);
  }
  return body;
}

/**
 * Tools go in OpenAI's `{type, function}` wrapping, which the run schema
 * accepts beside the flat form and newer models require. A forced tool has
 * no direct spelling: only that tool is sent, with `required`.
 */
function encodeTools(req: ChatRequest, body: WorkersAiChatRequest, warn: Warn): void {
  if (req.tools === undefined || req.tools.length === 0) return;
  let tools = req.tools;
  const choice = req.toolChoice;
  if (choice?.type === 'tool') {
    tools = tools.filter((t) => t.name === choice.name);
    if (tools.length === 0) throw new GatewayError('invalid_request', { message: `tool_choice names "${choice.name}", which is not among the tools`, param: 'tool_choice' });
    body.tool_choice = 'required';
  } else if (choice !== undefined) body.tool_choice = choice.type;
  body.tools = tools.map((t): WorkersAiTool => {
    if (t.strict === true) warn(`workers-ai: strict mode for tool "${t.name}" is not supported; arguments are not schema-enforced`);
    const fn: WorkersAiTool['function'] = { name: t.name };
    if (t.description !== undefined) fn.description = t.description;
    fn.parameters = t.parameters ?? { type: 'object', properties: {} };
    return { type: 'function', function: fn };
  });
}
