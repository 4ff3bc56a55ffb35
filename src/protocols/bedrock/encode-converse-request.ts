import { GatewayError, invalidRequest, type ChatRequest, type ToolChoice, type UpstreamTarget } from '../../spec/index.js';
import { EFFORT_BUDGETS, MIN_THINKING_BUDGET } from '../anthropic/encode-request.js';
import type { ConverseRequestBody, ConverseToolChoice, ToolSpec } from './bedrock-wire.js';
import { isRecord } from './bedrock-wire.js';
import { convertToConverseMessages } from './convert-to-converse-messages.js';
import { modelFamily, type ModelFamily } from './model-family.js';

type Warn = (message: string) => void;

/** `providerOptions.bedrock` keys that are Converse request fields, sent as given. */
const PASS_THROUGH = ['guardrailConfig', 'additionalModelResponseFieldPaths', 'performanceConfig', 'promptVariables', 'serviceTier'] as const;

/** Claude needs room for the answer on top of the thinking budget; 4096 is what the Anthropic protocol defaults to as well. */
const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

/**
 * Unified request → Converse body. Every option maps, warns or fails:
 * maker-specific knobs (top_k, Claude thinking) go to
 * `additionalModelRequestFields`, and `providerOptions.bedrock` carries
 * guardrails and other Converse-only fields through unchanged.
 */
export function encodeConverseRequest(req: ChatRequest, target: UpstreamTarget, warn: Warn): ConverseRequestBody {
  const family = modelFamily(target.model);
  rejectUnsupported(req, warn);
  if (target.quirks?.noVision) rejectImages(req, target.model);
  const prompt = convertToConverseMessages(req.messages, warn);
  const body: ConverseRequestBody = { messages: prompt.messages };
  if (prompt.system) body.system = prompt.system;
  const extra: Record<string, unknown> = {};

  const thinking = family === 'anthropic' ? resolveThinking(req, warn) : noThinking(req, warn);
  const inference: NonNullable<ConverseRequestBody['inferenceConfig']> = {};
  const maxTokens = fitMaxTokens(req, target, thinking, extra, warn);
  if (maxTokens !== undefined) inference.maxTokens = maxTokens;
  const thinkingOn = extra.thinking !== undefined;
  if (req.temperature !== undefined) {
    if (thinkingOn && req.temperature !== 1) warn('temperature: not adjustable while Claude thinking is enabled; not sent');
    else inference.temperature = req.temperature;
  }
  if (req.topP !== undefined) {
    if (thinkingOn) warn('top_p: not adjustable while Claude thinking is enabled; not sent');
    else inference.topP = req.topP;
  }
  if (req.stop !== undefined && req.stop.length > 0) inference.stopSequences = req.stop;
  if (Object.keys(inference).length > 0) body.inferenceConfig = inference;
  if (req.topK !== undefined) encodeTopK(req.topK, family, thinkingOn, extra, warn);

  encodeTools(req, body, warn);
  if (req.metadata !== undefined && Object.keys(req.metadata).length > 0) body.requestMetadata = { ...req.metadata };
  mergeProviderOptions(req, body, extra, family, warn);
  if (Object.keys(extra).length > 0) body.additionalModelRequestFields = extra;
  return body;
}

function rejectUnsupported(req: ChatRequest, warn: Warn): void {
  if (req.n !== undefined && req.n > 1) {
    throw new GatewayError('unsupported_parameter', { message: `n=${req.n} is not supported by Bedrock (one choice per call)`, param: 'n' });
  }
  if (req.responseFormat?.type === 'json_schema') {
    throw new GatewayError('unsupported_parameter', {
      message: 'response_format json_schema is not supported by Bedrock Converse; describe the schema as a tool instead',
      param: 'response_format',
    });
  }
  if (req.responseFormat?.type === 'json_object') warn('response_format: Bedrock has no JSON mode; not sent (ask for JSON in the prompt)');
  const unmapped: [unknown, string][] = [
    [req.seed, 'seed'],
    [req.presencePenalty, 'presence_penalty'],
    [req.frequencyPenalty, 'frequency_penalty'],
    [req.logitBias, 'logit_bias'],
    [req.logprobs, 'logprobs'],
    [req.topLogprobs, 'top_logprobs'],
    [req.user, 'user'],
  ];
  for (const [value, name] of unmapped) if (value !== undefined) warn(`${name}: not supported by Bedrock Converse; not sent`);
  if (req.parallelToolCalls === false) warn('parallel_tool_calls: Bedrock cannot turn off parallel tool calls; not sent');
  for (const key of Object.keys(req.extraBody ?? {})) warn(`${key}: unknown field, not sent to Bedrock (use providerOptions.bedrock for Converse fields)`);
}

/** The catalog knows this model reads no images: fail before the call rather than pay for Bedrock's refusal. */
function rejectImages(req: ChatRequest, model: string): void {
  req.messages.forEach((m, i) => {
    if (m.role !== 'user' && m.role !== 'tool') return;
    m.content.forEach((p, j) => {
      if (p.type !== 'image') return;
      const param = `messages[${i}].content[${j}]`;
      throw new GatewayError('unsupported_parameter', { message: `${param}: ${model} does not accept image inputs`, param });
    });
  });
}

interface Thinking {
  budget: number;
  explicit: boolean;
}

function resolveThinking(req: ChatRequest, warn: Warn): Thinking | undefined {
  if (req.reasoningBudgetTokens !== undefined) {
    if (req.reasoningBudgetTokens === 0) return undefined;
    if (req.reasoningBudgetTokens < MIN_THINKING_BUDGET) {
      throw invalidRequest(`reasoning budget must be at least ${MIN_THINKING_BUDGET} tokens for Claude`, 'reasoning_budget_tokens');
    }
    return { budget: req.reasoningBudgetTokens, explicit: true };
  }
  if (req.reasoningEffort !== undefined && req.reasoningEffort !== 'none') return { budget: EFFORT_BUDGETS[req.reasoningEffort], explicit: false };
  if (req.reasoningEffort === 'none') warn('reasoning_effort: none is Claude\'s default on Bedrock; nothing sent');
  return undefined;
}

function noThinking(req: ChatRequest, warn: Warn): undefined {
  if (req.reasoningEffort !== undefined) warn('reasoning_effort: only Claude models on Bedrock take a reasoning setting here; not sent');
  if (req.reasoningBudgetTokens !== undefined) warn('reasoning_budget_tokens: only Claude models on Bedrock take a thinking budget here; not sent');
  return undefined;
}

/** Claude's maxTokens counts thinking too and must exceed the budget; the client's cap stays the total. */
function fitMaxTokens(req: ChatRequest, target: UpstreamTarget, thinking: Thinking | undefined, extra: Record<string, unknown>, warn: Warn): number | undefined {
  const enable = (budget: number): void => {
    extra.thinking = { type: 'enabled', budget_tokens: budget };
  };
  if (thinking === undefined) return req.maxOutputTokens ?? target.defaultMaxTokens;
  if (req.maxOutputTokens === undefined) {
    enable(thinking.budget);
    return (target.defaultMaxTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS) + thinking.budget;
  }
  const max = req.maxOutputTokens;
  if (thinking.budget < max) {
    enable(thinking.budget);
    return max;
  }
  if (thinking.explicit) throw invalidRequest(`reasoning budget (${thinking.budget}) must be below max_tokens (${max}) for Claude`, 'reasoning_budget_tokens');
  if (max - 1 >= MIN_THINKING_BUDGET) {
    warn(`reasoning_effort: thinking budget reduced to ${max - 1} tokens to fit max_tokens ${max}`);
    enable(max - 1);
  } else warn(`reasoning_effort: max_tokens ${max} leaves no room for Claude's minimum thinking budget; thinking not enabled`);
  return max;
}

function encodeTopK(topK: number, family: ModelFamily, thinkingOn: boolean, extra: Record<string, unknown>, warn: Warn): void {
  if (family === 'anthropic') {
    if (thinkingOn) warn('top_k: not adjustable while Claude thinking is enabled; not sent');
    else extra.top_k = topK;
  } else if (family === 'amazon') extra.inferenceConfig = { topK };
  else if (family === 'mistral' || family === 'cohere' || family === 'meta') extra.top_k = topK;
  else warn(`top_k: no known field for this Bedrock model's maker; not sent`);
}

function encodeTools(req: ChatRequest, body: ConverseRequestBody, warn: Warn): void {
  if (req.tools === undefined || req.tools.length === 0) {
    if (req.toolChoice !== undefined && req.toolChoice.type !== 'none' && req.toolChoice.type !== 'auto') {
      throw invalidRequest('tool_choice names a tool but no tools were given', 'tool_choice');
    }
    return;
  }
  const usesTools = req.messages.some((m) => m.role === 'tool' || (m.role === 'assistant' && m.content.some((p) => p.type === 'tool-call')));
  if (req.toolChoice?.type === 'none' && !usesTools) {
    // Converse has no "none": without tools in the request the model cannot call one.
    warn('tool_choice none: tools were not sent to Bedrock');
    return;
  }
  const tools: ToolSpec[] = req.tools.map((t) => {
    if (t.strict) warn(`tools.${t.name}.strict: Bedrock Converse has no strict schema mode; not sent`);
    const spec: ToolSpec['toolSpec'] = { name: t.name, inputSchema: { json: t.parameters ?? { type: 'object', properties: {} } } };
    if (t.description !== undefined) spec.description = t.description;
    return { toolSpec: spec };
  });
  body.toolConfig = { tools };
  if (req.toolChoice?.type === 'none') warn('tool_choice none: Bedrock has no such choice and the conversation uses tools; tools stay available');
  const choice = req.toolChoice ? encodeToolChoice(req.toolChoice) : undefined;
  if (choice) body.toolConfig.toolChoice = choice;
}

function encodeToolChoice(c: ToolChoice): ConverseToolChoice | undefined {
  switch (c.type) {
    case 'auto':
      return { auto: {} };
    case 'required':
      return { any: {} };
    case 'tool':
      return { tool: { name: c.name } };
    case 'none':
      return undefined;
  }
}

function mergeProviderOptions(req: ChatRequest, body: ConverseRequestBody, extra: Record<string, unknown>, family: ModelFamily, warn: Warn): void {
  for (const [ns, values] of Object.entries(req.providerOptions ?? {})) {
    if (ns === 'bedrock') {
      for (const [k, v] of Object.entries(values)) {
        if ((PASS_THROUGH as readonly string[]).includes(k)) (body as unknown as Record<string, unknown>)[k] = v;
        else if (k === 'additionalModelRequestFields' && isRecord(v)) Object.assign(extra, v);
        else if (k === 'requestMetadata' && isRecord(v)) body.requestMetadata = { ...body.requestMetadata, ...(v as Record<string, string>) };
        else warn(`providerOptions.bedrock.${k} is not a Converse request field; not sent`);
      }
    } else if (ns === 'anthropic' && family === 'anthropic') {
      // Claude's own request fields (thinking, anthropic_beta …) travel in additionalModelRequestFields.
      Object.assign(extra, values);
    } else warn(`providerOptions.${ns} is ignored by the Bedrock protocol`);
  }
}
