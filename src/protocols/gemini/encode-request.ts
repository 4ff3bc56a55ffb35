import { invalidRequest, type ChatRequest, type ReasoningEffort, type Tool, type ToolChoice } from '../../spec/index.js';
import { convertJsonSchema } from './convert-json-schema.js';
import { convertToGeminiContents } from './convert-to-gemini-contents.js';
import type { GeminiFunctionDeclaration, GeminiGenerateContentRequest } from './gemini-wire.js';

type Warn = (message: string) => void;

/**
 * Budgets for the unified effort levels. Gemini 2.5 takes a token budget;
 * Gemini 3 prefers `thinkingLevel` but still honours a budget, and callers
 * who want the level pass `providerOptions.gemini.thinkingConfig`.
 */
const THINKING_BUDGET: Record<ReasoningEffort, number> = {
  none: 0,
  minimal: 512,
  low: 1024,
  medium: 8192,
  high: 24576,
  xhigh: 32768,
};

/** Fields of `generationConfig` a caller may give at the top of providerOptions.gemini for convenience. */
const GENERATION_CONFIG_KEYS = new Set([
  'thinkingConfig', 'responseModalities', 'mediaResolution', 'speechConfig', 'responseSchema',
  'responseJsonSchema', 'responseMimeType', 'enableEnhancedCivicAnswers', 'imageConfig',
]);

/** Which providerOptions namespaces this protocol reads. */
export const GEMINI_OPTION_KEYS = ['gemini', 'google'];

/** `/models/{model}:generateContent` or the SSE stream variant; tuned models keep their own prefix. */
export function modelPath(model: string, action: string): string {
  const name = model.includes('/') ? model : `models/${model}`;
  return `/${name}:${action}`;
}

export function encodeRequest(req: ChatRequest, warn: Warn): GeminiGenerateContentRequest {
  const { systemInstruction, contents } = convertToGeminiContents(req.messages, warn);
  if (contents.length === 0) throw invalidRequest('Gemini needs at least one user or assistant message', 'messages');
  const body: GeminiGenerateContentRequest = { contents };
  if (systemInstruction) body.systemInstruction = systemInstruction;

  if (req.tools !== undefined && req.tools.length > 0) {
    body.tools = [{ functionDeclarations: req.tools.map((t) => encodeTool(t, warn)) }];
  }
  if (req.toolChoice !== undefined) body.toolConfig = { functionCallingConfig: encodeToolChoice(req.toolChoice) };
  if (req.parallelToolCalls === false) warn('gemini: parallel_tool_calls=false is not supported; the model may still call several tools at once');

  const gen = generationConfig(req, warn);
  applyProviderOptions(body, gen, req.providerOptions, warn);
  if (Object.keys(gen).length > 0) body.generationConfig = gen;

  if (req.logitBias !== undefined && Object.keys(req.logitBias).length > 0) warn('gemini: logit_bias is not supported and was ignored');
  if (req.user !== undefined) warn('gemini: `user` is not supported and was ignored');
  if (req.metadata !== undefined && Object.keys(req.metadata).length > 0) warn('gemini: `metadata` is not supported and was ignored');
  for (const key of Object.keys(req.extraBody ?? {})) warn(`gemini: unknown field \`${key}\` was ignored`);
  return body;
}

function encodeTool(tool: Tool, warn: Warn): GeminiFunctionDeclaration {
  const decl: GeminiFunctionDeclaration = { name: tool.name };
  if (tool.description !== undefined) decl.description = tool.description;
  if (tool.strict === true) warn(`gemini: strict mode for tool "${tool.name}" is not supported; arguments are not schema-enforced`);
  if (tool.parameters !== undefined) {
    const { schema, dropped } = convertJsonSchema(tool.parameters);
    if (dropped.length > 0) warn(`gemini: tool "${tool.name}" schema keywords Gemini does not support were dropped: ${dropped.join(', ')}`);
    // Gemini rejects an OBJECT with empty `properties`; a tool without arguments sends none.
    if (schema !== undefined && schema['properties'] !== undefined) decl.parameters = schema;
  }
  return decl;
}

function encodeToolChoice(choice: ToolChoice): { mode: 'AUTO' | 'ANY' | 'NONE'; allowedFunctionNames?: string[] } {
  switch (choice.type) {
    case 'auto':
      return { mode: 'AUTO' };
    case 'none':
      return { mode: 'NONE' };
    case 'required':
      return { mode: 'ANY' };
    case 'tool':
      return { mode: 'ANY', allowedFunctionNames: [choice.name] };
  }
}

function generationConfig(req: ChatRequest, warn: Warn): Record<string, unknown> {
  const gen: Record<string, unknown> = {};
  if (req.temperature !== undefined) gen['temperature'] = req.temperature;
  if (req.topP !== undefined) gen['topP'] = req.topP;
  if (req.topK !== undefined) gen['topK'] = req.topK;
  if (req.maxOutputTokens !== undefined) gen['maxOutputTokens'] = req.maxOutputTokens;
  if (req.stop !== undefined && req.stop.length > 0) gen['stopSequences'] = req.stop;
  if (req.seed !== undefined) gen['seed'] = req.seed;
  if (req.n !== undefined && req.n !== 1) gen['candidateCount'] = req.n;
  if (req.presencePenalty !== undefined) gen['presencePenalty'] = req.presencePenalty;
  if (req.frequencyPenalty !== undefined) gen['frequencyPenalty'] = req.frequencyPenalty;
  if (req.logprobs === true || req.topLogprobs !== undefined) gen['responseLogprobs'] = true;
  if (req.topLogprobs !== undefined) gen['logprobs'] = req.topLogprobs;

  const format = req.responseFormat;
  if (format?.type === 'json_object') gen['responseMimeType'] = 'application/json';
  else if (format?.type === 'json_schema') {
    gen['responseMimeType'] = 'application/json';
    const { schema, dropped } = convertJsonSchema(format.schema);
    if (dropped.length > 0) warn(`gemini: response_format schema keywords Gemini does not support were dropped: ${dropped.join(', ')}`);
    if (schema !== undefined) gen['responseSchema'] = schema;
  }

  if (req.reasoningBudgetTokens !== undefined || req.reasoningEffort !== undefined) {
    const budget = req.reasoningBudgetTokens ?? THINKING_BUDGET[req.reasoningEffort as ReasoningEffort];
    // includeThoughts makes Gemini return its thinking, which we surface as reasoning.
    gen['thinkingConfig'] = budget === 0 ? { thinkingBudget: 0 } : { thinkingBudget: budget, includeThoughts: true };
  }
  return gen;
}

/**
 * `providerOptions.gemini` (or `.google`) is Gemini's own vocabulary and wins:
 * `generationConfig` and `thinkingConfig` merge key by key, extra `tools`
 * (googleSearch, codeExecution…) are appended, anything else is set on the
 * body as given (safetySettings, cachedContent, labels…).
 */
function applyProviderOptions(
  body: GeminiGenerateContentRequest,
  gen: Record<string, unknown>,
  options: ChatRequest['providerOptions'],
  warn: Warn,
): void {
  for (const [ns, value] of Object.entries(options ?? {})) {
    if (!GEMINI_OPTION_KEYS.includes(ns)) {
      warn(`gemini: providerOptions.${ns} is for another provider and was ignored`);
      continue;
    }
    for (const [key, v] of Object.entries(value)) {
      if (key === 'generationConfig' && isObject(v)) mergeGeneration(gen, v);
      else if (GENERATION_CONFIG_KEYS.has(key)) mergeGeneration(gen, { [key]: v });
      else if (key === 'tools' && Array.isArray(v)) body.tools = [...(body.tools ?? []), ...(v as NonNullable<typeof body.tools>)];
      else if (key === 'contents' || key === 'systemInstruction') throw invalidRequest(`providerOptions.${ns}.${key} cannot replace the conversation`, `providerOptions.${ns}.${key}`);
      else body[key] = v;
    }
  }
}

function mergeGeneration(gen: Record<string, unknown>, extra: Record<string, unknown>): void {
  for (const [key, v] of Object.entries(extra)) {
    const current = gen[key];
    if (key === 'thinkingConfig' && isObject(current) && isObject(v)) {
      const merged: Record<string, unknown> = { ...current, ...v };
      // Gemini 3 rejects a request that sets both a level and a budget; the explicit level wins.
      if (v['thinkingLevel'] !== undefined && v['thinkingBudget'] === undefined) delete merged['thinkingBudget'];
      gen[key] = merged;
    } else gen[key] = v;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
