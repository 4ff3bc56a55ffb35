import {
  GatewayError,
  invalidRequest,
  type ChatRequest,
  type ReasoningEffort,
  type UpstreamTarget,
} from '../../spec/index.js';
import { authHeaders } from '../http/index.js';
import type { AnthropicRequestBody, AnthropicThinking, AnthropicTool, AnthropicToolChoice } from './anthropic-wire.js';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';

export const ANTHROPIC_VERSION = '2023-06-01';

/**
 * Anthropic requires `max_tokens`. When neither the client nor the deployment
 * sets one we send 4096: every Claude model accepts it (older ones cap output
 * there), it is LiteLLM's default too, and it keeps a forgotten cap from
 * reserving a model's whole 64k-token output budget.
 */
export const DEFAULT_MAX_TOKENS = 4096;

/** Anthropic's smallest accepted thinking budget. */
export const MIN_THINKING_BUDGET = 1024;

/**
 * OpenAI-style effort → thinking budget. Anthropic has no effort knob that
 * every model accepts, so effort becomes a budget: minimal is the API minimum
 * and each step roughly doubles-to-quadruples, the top step staying inside
 * what Claude 4 models can emit in one answer. `none` sends no thinking.
 */
export const EFFORT_BUDGETS: Record<Exclude<ReasoningEffort, 'none'>, number> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 32000,
};

export interface EncodedRequest {
  body: AnthropicRequestBody;
  headers: Record<string, string>;
}

type Warn = (message: string) => void;

/** Unified request → Anthropic Messages body and headers. Every option maps, warns or fails. */
export function encodeRequest(req: ChatRequest, target: UpstreamTarget, warn: Warn, stream: boolean): EncodedRequest {
  rejectUnsupported(req, warn);
  const own = { ...(req.providerOptions?.anthropic ?? {}) };
  const betas = takeBetas(own);

  const prompt = convertToAnthropicMessages(req.messages, warn);
  const thinking = resolveThinking(req, own);
  const body: AnthropicRequestBody = { model: req.model || target.model, max_tokens: 0, messages: prompt.messages };
  if (prompt.system !== undefined) body.system = prompt.system;
  const { maxTokens, thinking: fitted } = fitMaxTokens(req, target, thinking, warn);
  body.max_tokens = maxTokens;
  if (fitted !== undefined) body.thinking = fitted;
  const thinkingOn = fitted?.type === 'enabled' || fitted?.type === 'adaptive';

  encodeSampling(req, body, thinkingOn, warn);
  encodeTools(req, body);
  if (req.stop !== undefined && req.stop.length > 0) body.stop_sequences = [...req.stop];
  if (req.user !== undefined) body.metadata = { user_id: req.user };
  if (req.metadata !== undefined && Object.keys(req.metadata).length > 0) {
    warn('metadata: Anthropic accepts only metadata.user_id (set from `user`); other metadata not sent');
  }
  encodeResponseFormat(req, body, warn);

  // Provider-native options win over anything mapped above: the client asked for them by name.
  for (const [k, v] of Object.entries(own)) body[k] = v;
  if (stream) body.stream = true;

  return { body, headers: buildHeaders(target, betas) };
}

function rejectUnsupported(req: ChatRequest, warn: Warn): void {
  if (req.n !== undefined && req.n > 1) {
    throw new GatewayError('unsupported_parameter', { message: 'n: Anthropic returns one choice per request; n > 1 is not supported', param: 'n' });
  }
  if (req.seed !== undefined) warn('seed: Anthropic has no seed; not sent');
  if (req.logprobs === true || req.topLogprobs !== undefined) warn('logprobs: Anthropic does not return log probabilities; not sent');
  if (req.presencePenalty !== undefined && req.presencePenalty !== 0) warn('presence_penalty: not supported by Anthropic; not sent');
  if (req.frequencyPenalty !== undefined && req.frequencyPenalty !== 0) warn('frequency_penalty: not supported by Anthropic; not sent');
  if (req.logitBias !== undefined && Object.keys(req.logitBias).length > 0) warn('logit_bias: not supported by Anthropic; not sent');
  for (const key of Object.keys(req.extraBody ?? {})) warn(`${key}: unknown field, not sent to Anthropic`);
  for (const ns of Object.keys(req.providerOptions ?? {})) {
    if (ns !== 'anthropic') warn(`providerOptions.${ns}: ignored by the Anthropic protocol`);
  }
}

/** `providerOptions.anthropic.betas` become the `anthropic-beta` header, not a body field. */
function takeBetas(own: Record<string, unknown>): string[] {
  const raw = own.betas;
  delete own.betas;
  if (raw === undefined) return [];
  if (typeof raw === 'string') return [raw];
  if (Array.isArray(raw) && raw.every((b) => typeof b === 'string')) return raw as string[];
  throw invalidRequest('providerOptions.anthropic.betas must be a string or an array of strings', 'providerOptions.anthropic.betas');
}

function resolveThinking(req: ChatRequest, own: Record<string, unknown>): { value: AnthropicThinking; explicit: boolean } | undefined {
  if (own.thinking !== undefined) {
    const value = own.thinking as AnthropicThinking;
    delete own.thinking;
    return { value, explicit: true };
  }
  if (req.reasoningBudgetTokens !== undefined) {
    if (req.reasoningBudgetTokens === 0) return { value: { type: 'disabled' }, explicit: true };
    if (req.reasoningBudgetTokens < MIN_THINKING_BUDGET) {
      throw invalidRequest(`reasoning budget must be at least ${MIN_THINKING_BUDGET} tokens for Anthropic`, 'reasoning_budget_tokens');
    }
    return { value: { type: 'enabled', budget_tokens: req.reasoningBudgetTokens }, explicit: true };
  }
  if (req.reasoningEffort !== undefined && req.reasoningEffort !== 'none') {
    return { value: { type: 'enabled', budget_tokens: EFFORT_BUDGETS[req.reasoningEffort] }, explicit: false };
  }
  return undefined;
}

/**
 * Anthropic's `max_tokens` counts thinking too and must exceed the budget.
 * The client's own cap is kept as the total (budgets and reservations rely
 * on it): an explicit budget that does not fit is a 400; an effort-derived
 * one shrinks to fit, or thinking is dropped with a warning. Without a client
 * cap, the default leaves room for the whole budget on top.
 */
function fitMaxTokens(
  req: ChatRequest,
  target: UpstreamTarget,
  thinking: { value: AnthropicThinking; explicit: boolean } | undefined,
  warn: Warn,
): { maxTokens: number; thinking?: AnthropicThinking } {
  const budget = thinking?.value.type === 'enabled' ? thinking.value.budget_tokens : 0;
  if (req.maxOutputTokens === undefined) {
    return { maxTokens: (target.defaultMaxTokens ?? DEFAULT_MAX_TOKENS) + budget, thinking: thinking?.value };
  }
  const max = req.maxOutputTokens;
  if (budget === 0 || budget < max) return { maxTokens: max, thinking: thinking?.value };
  if (thinking?.explicit) {
    throw invalidRequest(`reasoning budget (${budget}) must be below max_tokens (${max}) for Anthropic`, 'reasoning_budget_tokens');
  }
  if (max - 1 >= MIN_THINKING_BUDGET) {
    warn(`reasoning_effort: thinking budget reduced to ${max - 1} tokens to fit max_tokens ${max}`);
    return { maxTokens: max, thinking: { type: 'enabled', budget_tokens: max - 1 } };
  }
  warn(`reasoning_effort: max_tokens ${max} leaves no room for Anthropic's minimum thinking budget; thinking not enabled`);
  return { maxTokens: max };
}

function encodeSampling(req: ChatRequest, body: AnthropicRequestBody, thinkingOn: boolean, warn: Warn): void {
  // Extended thinking fixes sampling upstream; sending these would be a 400 there.
  if (req.temperature !== undefined) {
    if (thinkingOn && req.temperature !== 1) warn('temperature: not adjustable while Anthropic thinking is enabled; not sent');
    else if (req.temperature > 1) {
      warn(`temperature: Anthropic accepts 0–1; ${req.temperature} sent as 1`);
      body.temperature = 1;
    } else body.temperature = req.temperature;
  }
  if (req.topP !== undefined) {
    if (thinkingOn && req.topP < 0.95) warn('top_p: must be at least 0.95 while Anthropic thinking is enabled; not sent');
    else body.top_p = req.topP;
  }
  if (req.topK !== undefined) {
    if (thinkingOn) warn('top_k: not adjustable while Anthropic thinking is enabled; not sent');
    else body.top_k = req.topK;
  }
}

function encodeTools(req: ChatRequest, body: AnthropicRequestBody): void {
  if (req.tools !== undefined && req.tools.length > 0) {
    body.tools = req.tools.map((t): AnthropicTool => {
      const tool: AnthropicTool = { name: t.name, input_schema: t.parameters ?? { type: 'object', properties: {} } };
      if (t.description !== undefined) tool.description = t.description;
      if (t.strict !== undefined) tool.strict = t.strict;
      return tool;
    });
  }
  let choice: AnthropicToolChoice | undefined;
  switch (req.toolChoice?.type) {
    case undefined:
      break;
    case 'auto':
      choice = { type: 'auto' };
      break;
    case 'required':
      choice = { type: 'any' };
      break;
    case 'none':
      choice = { type: 'none' };
      break;
    case 'tool':
      choice = { type: 'tool', name: req.toolChoice.name };
      break;
  }
  if (req.parallelToolCalls === false && body.tools !== undefined) {
    choice ??= { type: 'auto' };
    if (choice.type !== 'none') choice.disable_parallel_tool_use = true;
  }
  if (choice !== undefined) body.tool_choice = choice;
}

/**
 * `json_schema` uses Anthropic's native structured outputs
 * (`output_config.format`), which keeps tool use and thinking usable —
 * a forced tool would not. Anthropic has no schema-less JSON mode, so
 * `json_object` is reported rather than faked.
 */
function encodeResponseFormat(req: ChatRequest, body: AnthropicRequestBody, warn: Warn): void {
  const rf = req.responseFormat;
  if (rf === undefined || rf.type === 'text') return;
  if (rf.type === 'json_object') {
    warn('response_format: Anthropic has no JSON mode without a schema; json_object not enforced (use json_schema)');
    return;
  }
  body.output_config = { format: { type: 'json_schema', schema: rf.schema } };
}

function buildHeaders(target: UpstreamTarget, betas: string[]): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'anthropic-version': target.apiVersion ?? ANTHROPIC_VERSION,
    ...authHeaders(target),
  };
  for (const [k, v] of Object.entries(target.headers ?? {})) headers[k.toLowerCase()] = v;
  const allBetas = [...(headers['anthropic-beta']?.split(',').map((b) => b.trim()) ?? []), ...betas].filter((b) => b !== '');
  if (allBetas.length > 0) headers['anthropic-beta'] = [...new Set(allBetas)].join(',');
  return headers;
}
