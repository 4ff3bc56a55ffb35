/**
 * A GenerateContentRequest → the unified ChatRequest.
 *
 * Fields with a unified meaning map (contents, systemInstruction, function
 * tools, toolConfig, the generationConfig basics, responseSchema,
 * thinkingConfig). Gemini-only fields (safetySettings, cachedContent, search
 * and code-execution tools, responseModalities, speechConfig …) go to
 * `providerOptions.gemini`, so a Gemini upstream still receives them; the
 * route reports each by name when the request is translated for anything
 * else. Fields that map lossily are also kept as sent (`native`), so a
 * Gemini upstream gets the client's own words rather than a round trip.
 */
import type { ChatRequest, FunctionTool, ReasoningEffort, ToolChoice } from '../../spec/index.js';
import { decodeContents, decodeSystemInstruction } from './decode-contents.js';
import { geminiSchemaToJsonSchema } from './decode-schema.js';
import type { Json } from './gemini-wire.js';
import { asArray, asObject, fieldError, invalid, isObject, optInteger, optNumber, optString } from './json-checks.js';

export interface DecodedGenerateContent {
  request: ChatRequest;
  /** Lossy mappings; they apply only when the request is translated for a non-Gemini upstream. */
  warnings: string[];
  /** Gemini fields as the client sent them that were ALSO mapped to unified fields. */
  native: Json;
  /** `thinkingConfig.includeThoughts`: Gemini returns thought parts only when asked. */
  includeThoughts: boolean;
}

const LEVELS: Record<string, ReasoningEffort> = { minimal: 'minimal', low: 'low', medium: 'medium', high: 'high' };

/** generationConfig keys with a unified meaning; any other one is Gemini's alone. */
const MAPPED_GENERATION = new Set([
  'temperature', 'topP', 'topK', 'candidateCount', 'maxOutputTokens', 'stopSequences', 'presencePenalty', 'frequencyPenalty',
  'seed', 'responseMimeType', 'responseSchema', 'responseJsonSchema', 'responseLogprobs', 'logprobs', 'thinkingConfig',
]);

export function decodeGenerateContent(body: unknown, model: string): DecodedGenerateContent {
  if (!isObject(body)) throw invalid(null, 'Invalid JSON payload received. The request body must be a JSON object.');
  const warnings: string[] = [];
  const warn = (m: string): void => void (warnings.includes(m) || warnings.push(m));
  const gemini: Json = {};
  const native: Json = {};

  const system = decodeSystemInstruction(body['systemInstruction'] ?? body['system_instruction']);
  const messages = decodeContents(body['contents'], warn);
  const request: ChatRequest = { model, messages: system.length > 0 ? [{ role: 'system', content: system }, ...messages] : messages };
  let includeThoughts = false;

  for (const [key, value] of Object.entries(body)) {
    if (value === undefined || value === null) continue;
    switch (key) {
      case 'contents':
      case 'systemInstruction':
      case 'system_instruction':
        break;
      case 'tools':
        decodeTools(value, request, gemini);
        break;
      case 'toolConfig':
        decodeToolConfig(value, request, warn);
        native['toolConfig'] = value;
        break;
      case 'generationConfig':
        includeThoughts = decodeGeneration(asObject(value, 'generation_config'), request, gemini, native);
        break;
      case 'model':
        // The URL names the model; the SDKs never send it in the body, some REST callers do.
        break;
      default:
        // safetySettings, cachedContent, labels, and fields newer than this gateway.
        gemini[key] = value;
    }
  }
  if (Object.keys(gemini).length > 0) request.providerOptions = { gemini };
  return { request, warnings, native, includeThoughts };
}

function decodeTools(v: unknown, req: ChatRequest, gemini: Json): void {
  const tools: FunctionTool[] = [];
  const others: Json[] = [];
  asArray(v, 'tools').forEach((raw, i) => {
    const tool = asObject(raw, `tools[${i}]`);
    const { functionDeclarations, ...rest } = tool;
    if (functionDeclarations !== undefined) {
      asArray(functionDeclarations, `tools[${i}].function_declarations`).forEach((d, j) => tools.push(decodeDeclaration(d, `tools[${i}].function_declarations[${j}]`)));
    }
    // googleSearch, codeExecution, urlContext …: tools only Gemini runs.
    if (Object.keys(rest).length > 0) others.push(rest);
  });
  if (tools.length > 0) req.tools = tools;
  if (others.length > 0) gemini['tools'] = others;
}

function decodeDeclaration(raw: unknown, param: string): FunctionTool {
  const d = asObject(raw, param);
  const name = d['name'];
  if (typeof name !== 'string' || name === '') throw fieldError(`${param}.name`, 'Name cannot be empty.');
  const tool: FunctionTool = { type: 'function', name };
  const description = optString(d['description'], `${param}.description`);
  if (description !== undefined) tool.description = description;
  if (isObject(d['parametersJsonSchema'])) tool.parameters = d['parametersJsonSchema'];
  else if (isObject(d['parameters'])) tool.parameters = geminiSchemaToJsonSchema(d['parameters']);
  return tool;
}

function decodeToolConfig(v: unknown, req: ChatRequest, warn: (m: string) => void): void {
  const { functionCallingConfig, ...rest } = asObject(v, 'tool_config');
  // retrievalConfig and the like reach a Gemini upstream with the native toolConfig.
  for (const k of Object.keys(rest)) warn(`toolConfig.${k}: Gemini-only option, not carried to this upstream`);
  if (functionCallingConfig === undefined) return;
  const fc = asObject(functionCallingConfig, 'tool_config.function_calling_config');
  const mode = optString(fc['mode'], 'tool_config.function_calling_config.mode') ?? 'AUTO';
  const names = fc['allowedFunctionNames'] === undefined ? [] : asArray(fc['allowedFunctionNames'], 'tool_config.function_calling_config.allowed_function_names').map(String);
  let choice: ToolChoice;
  switch (mode) {
    case 'AUTO':
    case 'MODE_UNSPECIFIED':
      choice = { type: 'auto' };
      break;
    case 'NONE':
      choice = { type: 'none' };
      break;
    case 'ANY':
      if (names.length === 1) choice = { type: 'tool', name: names[0] as string };
      else {
        if (names.length > 1) warn(`toolConfig.functionCallingConfig.allowedFunctionNames: a choice among ${names.length} functions is sent as "call any tool"`);
        choice = { type: 'required' };
      }
      break;
    case 'VALIDATED':
      warn('toolConfig.functionCallingConfig.mode VALIDATED is sent as AUTO');
      choice = { type: 'auto' };
      break;
    default:
      throw fieldError('tool_config.function_calling_config.mode', `Invalid value "${mode}" (expected AUTO, ANY, NONE or VALIDATED)`);
  }
  req.toolChoice = choice;
}

/** Maps generationConfig; returns includeThoughts. */
function decodeGeneration(gen: Json, req: ChatRequest, gemini: Json, native: Json): boolean {
  const p = (k: string): string => `generation_config.${k}`;
  const temperature = optNumber(gen['temperature'], p('temperature'));
  if (temperature !== undefined) req.temperature = temperature;
  const topP = optNumber(gen['topP'], p('top_p'));
  if (topP !== undefined) req.topP = topP;
  const topK = optNumber(gen['topK'], p('top_k'));
  if (topK !== undefined) req.topK = topK;
  const n = optInteger(gen['candidateCount'], p('candidate_count'), 1);
  if (n !== undefined && n !== 1) req.n = n;
  const max = optInteger(gen['maxOutputTokens'], p('max_output_tokens'), 1);
  if (max !== undefined) req.maxOutputTokens = max;
  if (gen['stopSequences'] !== undefined) {
    const stop = asArray(gen['stopSequences'], p('stop_sequences')).map((s, i) => optString(s, `${p('stop_sequences')}[${i}]`) ?? '');
    if (stop.length > 0) req.stop = stop;
  }
  const presence = optNumber(gen['presencePenalty'], p('presence_penalty'));
  if (presence !== undefined) req.presencePenalty = presence;
  const frequency = optNumber(gen['frequencyPenalty'], p('frequency_penalty'));
  if (frequency !== undefined) req.frequencyPenalty = frequency;
  const seed = optInteger(gen['seed'], p('seed'), Number.MIN_SAFE_INTEGER);
  if (seed !== undefined) req.seed = seed;
  if (gen['responseLogprobs'] === true) req.logprobs = true;
  const top = optInteger(gen['logprobs'], p('logprobs'), 0);
  if (top !== undefined) req.topLogprobs = top;

  const mime = optString(gen['responseMimeType'], p('response_mime_type'));
  const schema = isObject(gen['responseJsonSchema']) ? gen['responseJsonSchema'] : isObject(gen['responseSchema']) ? geminiSchemaToJsonSchema(gen['responseSchema']) : undefined;
  if (mime === 'application/json') req.responseFormat = schema ? { type: 'json_schema', name: 'response', schema } : { type: 'json_object' };
  for (const k of ['responseMimeType', 'responseSchema', 'responseJsonSchema'] as const) if (gen[k] !== undefined) native[k] = gen[k];

  let includeThoughts = false;
  if (gen['thinkingConfig'] !== undefined) {
    const t = asObject(gen['thinkingConfig'], p('thinking_config'));
    native['thinkingConfig'] = t;
    includeThoughts = t['includeThoughts'] === true;
    const budget = optInteger(t['thinkingBudget'], p('thinking_config.thinking_budget'), -1);
    const level = optString(t['thinkingLevel'], p('thinking_config.thinking_level'));
    if (budget === 0) req.reasoningEffort = 'none';
    else if (budget !== undefined && budget > 0) req.reasoningBudgetTokens = budget;
    else if (level !== undefined && LEVELS[level.toLowerCase()] !== undefined) req.reasoningEffort = LEVELS[level.toLowerCase()];
    // -1 is "dynamic": the provider's own default, nothing to send elsewhere.
  }

  const rest = Object.fromEntries(Object.entries(gen).filter(([k]) => !MAPPED_GENERATION.has(k)));
  if (Object.keys(rest).length > 0) gemini['generationConfig'] = rest;
  return includeThoughts;
}
