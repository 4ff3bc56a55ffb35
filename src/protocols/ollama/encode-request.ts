import { GatewayError, type ChatRequest } from '../../spec/index.js';
import { convertToOllamaMessages } from './convert-to-ollama-messages.js';
import type { OllamaChatRequest } from './ollama-wire.js';

type Warn = (message: string) => void;

/** Top-level `/api/chat` fields providerOptions.ollama may set; any other key there is a model option. */
const BODY_OPTIONS = new Set(['keep_alive', 'think', 'format', 'options', 'truncate', 'shift']);

/**
 * Unified request → `/api/chat` body. Sampling settings live in `options`
 * (Ollama's names: num_predict, top_k …); `providerOptions.ollama` is
 * Ollama's own vocabulary and wins, its `options` merged key by key.
 */
export function encodeRequest(req: ChatRequest, stream: boolean, warn: Warn): OllamaChatRequest {
  if (req.n !== undefined && req.n > 1) {
    throw new GatewayError('unsupported_parameter', { message: 'n: Ollama returns one choice per request; n > 1 is not supported', param: 'n' });
  }
  const body: OllamaChatRequest = { model: req.model, messages: convertToOllamaMessages(req.messages, warn), stream };
  const options: Record<string, unknown> = {};
  if (req.temperature !== undefined) options['temperature'] = req.temperature;
  if (req.topP !== undefined) options['top_p'] = req.topP;
  if (req.topK !== undefined) options['top_k'] = req.topK;
  if (req.maxOutputTokens !== undefined) options['num_predict'] = req.maxOutputTokens;
  if (req.stop !== undefined && req.stop.length > 0) options['stop'] = [...req.stop];
  if (req.seed !== undefined) options['seed'] = req.seed;
  if (req.presencePenalty !== undefined) options['presence_penalty'] = req.presencePenalty;
  if (req.frequencyPenalty !== undefined) options['frequency_penalty'] = req.frequencyPenalty;

  if (req.tools !== undefined && req.tools.length > 0) {
    body.tools = req.tools.map((t) => {
      if (t.strict === true) warn(`ollama: strict mode for tool "${t.name}" is not supported; arguments are not schema-enforced`);
      const fn: NonNullable<OllamaChatRequest['tools']>[number]['function'] = { name: t.name };
      if (t.description !== undefined) fn.description = t.description;
      fn.parameters = t.parameters ?? { type: 'object', properties: {} };
      return { type: 'function' as const, function: fn };
    });
  }
  encodeToolChoice(req, body, warn);

  const rf = req.responseFormat;
  if (rf?.type === 'json_object') body.format = 'json';
  else if (rf?.type === 'json_schema') body.format = rf.schema;

  if (req.reasoningEffort !== undefined || req.reasoningBudgetTokens !== undefined) {
    const off = req.reasoningEffort === 'none' || req.reasoningBudgetTokens === 0;
    body.think = !off;
    if (!off) warn('ollama: thinking is on/off only; the effort level or budget was not sent (gpt-oss levels: providerOptions.ollama.think)');
  }
  if (req.logprobs === true || req.topLogprobs !== undefined) {
    body.logprobs = true;
    if (req.topLogprobs !== undefined) body.top_logprobs = req.topLogprobs;
  }

  if (req.logitBias !== undefined && Object.keys(req.logitBias).length > 0) warn('ollama: logit_bias is not supported and was ignored');
  if (req.user !== undefined) warn('ollama: `user` is not supported and was ignored');
  if (req.metadata !== undefined && Object.keys(req.metadata).length > 0) warn('ollama: `metadata` is not supported and was ignored');
  if (req.parallelToolCalls === false) warn('ollama: parallel_tool_calls=false is not supported; the model may still call several tools at once');
  for (const key of Object.keys(req.extraBody ?? {})) warn(`ollama: unknown field \`${key}\` was ignored`);

  applyProviderOptions(body, options, req.providerOptions, warn);
  if (Object.keys(options).length > 0) body.options = options;
  return body;
}

/** Ollama has no tool_choice: `none` sends no tools, a forced choice is reported. */
function encodeToolChoice(req: ChatRequest, body: OllamaChatRequest, warn: Warn): void {
  const choice = req.toolChoice;
  if (choice === undefined || choice.type === 'auto') return;
  if (choice.type === 'none') {
    delete body.tools;
    return;
  }
  warn(`ollama: tool_choice "${choice.type === 'tool' ? choice.name : 'required'}" cannot be enforced; the model decides whether to call a tool`);
}

function applyProviderOptions(body: OllamaChatRequest, options: Record<string, unknown>, all: ChatRequest['providerOptions'], warn: Warn): void {
  for (const [ns, value] of Object.entries(all ?? {})) {
    if (ns !== 'ollama') {
      warn(`ollama: providerOptions.${ns} is for another provider and was ignored`);
      continue;
    }
    for (const [key, v] of Object.entries(value)) {
      if (key === 'options' && v !== null && typeof v === 'object' && !Array.isArray(v)) Object.assign(options, v);
      else if (BODY_OPTIONS.has(key)) body[key] = v;
      // Anything else is a model option by Ollama's own name (num_ctx, repeat_penalty, min_p …).
      else options[key] = v;
    }
  }
}
