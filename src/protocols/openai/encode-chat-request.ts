import type { CallOptions, ChatRequest, ResponseFormat, ToolChoice, UpstreamTarget } from '../../spec/index.js';
import { applyQuirks } from './apply-quirks.js';
import { encodeMessages } from './encode-messages.js';

type Json = Record<string, unknown>;

/**
 * Unified ChatRequest → the JSON body of POST /chat/completions. Every field
 * either maps, is reported through `opts.warn`, or fails with a 400 (quirks).
 */
export function encodeChatRequest(req: ChatRequest, target: UpstreamTarget, opts: Pick<CallOptions, 'warn'>): Json {
  const quirks = target.quirks;
  const body: Json = {
    model: target.model,
    messages: encodeMessages(req.messages, opts.warn, quirks?.singleSystemMessage === true),
  };
  if (req.tools !== undefined && req.tools.length > 0) {
    body.tools = req.tools.map((t) => ({
      type: 'function',
      function: dropUndefined({ name: t.name, description: t.description, parameters: t.parameters, strict: t.strict }),
    }));
  }
  if (req.toolChoice !== undefined) body.tool_choice = encodeToolChoice(req.toolChoice);
  set(body, 'parallel_tool_calls', req.parallelToolCalls);
  if (req.responseFormat !== undefined) body.response_format = encodeResponseFormat(req.responseFormat);
  set(body, 'temperature', req.temperature);
  set(body, 'top_p', req.topP);
  // Not an OpenAI field, but vLLM, Together, DeepSeek-compatible hosts take it;
  // catalog entries that reject it list it in quirks.unsupportedParams.
  set(body, 'top_k', req.topK);
  // OpenAI deprecated max_tokens (reasoning models reject it); catalog renames for older servers.
  set(body, 'max_completion_tokens', req.maxOutputTokens);
  if (req.stop !== undefined && req.stop.length > 0) body.stop = req.stop;
  set(body, 'seed', req.seed);
  set(body, 'n', req.n);
  set(body, 'presence_penalty', req.presencePenalty);
  set(body, 'frequency_penalty', req.frequencyPenalty);
  set(body, 'logit_bias', req.logitBias);
  set(body, 'logprobs', req.logprobs);
  set(body, 'top_logprobs', req.topLogprobs);
  set(body, 'user', req.user);
  set(body, 'reasoning_effort', req.reasoningEffort);
  set(body, 'metadata', req.metadata);
  if (req.reasoningBudgetTokens !== undefined) {
    opts.warn('reasoningBudgetTokens has no OpenAI equivalent; use reasoning_effort');
  }
  if (req.stream) {
    body.stream = true;
    // Accounting needs the usage chunk even when the client did not ask for it.
    if (!quirks?.noStreamOptions) body.stream_options = { include_usage: true };
  }
  if (req.extraBody !== undefined) Object.assign(body, req.extraBody);
  mergeProviderOptions(body, req.providerOptions, target.provider, opts.warn);
  applyQuirks(body, target.provider, quirks, opts.warn);
  return body;
}

/** `providerOptions.openai` (and the catalog id's own entry, e.g. `deepseek`) are merged verbatim; others are reported. */
function mergeProviderOptions(body: Json, po: ChatRequest['providerOptions'], provider: string, warn: (m: string) => void): void {
  if (po === undefined) return;
  for (const [ns, values] of Object.entries(po)) {
    if (ns === 'openai' || ns === provider) Object.assign(body, values);
    else warn(`providerOptions.${ns} is ignored by the OpenAI protocol`);
  }
}

function encodeToolChoice(c: ToolChoice): unknown {
  return c.type === 'tool' ? { type: 'function', function: { name: c.name } } : c.type;
}

function encodeResponseFormat(f: ResponseFormat): Json {
  if (f.type !== 'json_schema') return { type: f.type };
  return {
    type: 'json_schema',
    json_schema: dropUndefined({ name: f.name, description: f.description, schema: f.schema, strict: f.strict }),
  };
}

function set(body: Json, key: string, value: unknown): void {
  if (value !== undefined) body[key] = value;
}

function dropUndefined(o: Json): Json {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
