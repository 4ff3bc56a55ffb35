/**
 * A `/v1/chat/completions` body into the unified ChatRequest plus the
 * gateway directives it carries. One pass over the body's keys: each known
 * field is checked and mapped, gateway directives are taken out, and every
 * other field goes to `extraBody` verbatim (the protocol forwards or warns).
 */
import type { ChatRequest, ReasoningEffort } from '../../spec/index.js';
import { decodeMessages } from './decode-messages.js';
import { decodeFunctionCall, decodeResponseFormat, decodeToolChoice, decodeTools } from './decode-tools.js';
import {
  decodeGatewayDirectives,
  isDirectiveKey,
  isUnsupportedGatewayKey,
  type GatewayDirectives,
} from './decode-gateway-directives.js';
import {
  asObject,
  asString,
  invalid,
  isAbsent,
  isObject,
  missing,
  optBoolean,
  optEnum,
  optInteger,
  optNumber,
  optString,
  wrongType,
  type Json,
} from './json-checks.js';

export interface DecodedChat {
  request: ChatRequest;
  gateway: GatewayDirectives;
  /** Fields dropped or mapped lossily while decoding; the server adds them to the request's warnings. */
  warnings: string[];
}

const REASONING_EFFORTS: readonly ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'];

/** Fields read in a second step (they depend on each other) and so skipped by the key loop. */
const GROUPED = new Set([
  'model', 'messages', 'tools', 'functions', 'tool_choice', 'function_call', 'max_tokens', 'max_completion_tokens',
  'logprobs', 'top_logprobs', 'stream', 'stream_options', 'metadata',
]);

export function decodeChatRequest(body: unknown): DecodedChat {
  if (!isObject(body)) throw invalid('The request body must be a JSON object.', null);
  const warnings: string[] = [];
  const warn = (m: string): void => {
    if (!warnings.includes(m)) warnings.push(m);
  };

  const req: ChatRequest = { model: decodeModel(body), messages: decodeMessages(body['messages'], warn) };
  let extra: Json | undefined;

  for (const key in body) {
    if (GROUPED.has(key)) continue;
    const v = body[key];
    switch (key) {
      case 'temperature':
        put(req, 'temperature', optNumber(v, key, 0, 2));
        break;
      case 'top_p':
        put(req, 'topP', optNumber(v, key, 0, 1));
        break;
      case 'stop':
        put(req, 'stop', decodeStop(v));
        break;
      case 'seed':
        put(req, 'seed', optInteger(v, key));
        break;
      case 'n':
        put(req, 'n', optInteger(v, key, 1, 128));
        break;
      case 'presence_penalty':
        put(req, 'presencePenalty', optNumber(v, key, -2, 2));
        break;
      case 'frequency_penalty':
        put(req, 'frequencyPenalty', optNumber(v, key, -2, 2));
        break;
      case 'logit_bias':
        put(req, 'logitBias', decodeLogitBias(v));
        break;
      case 'user':
        put(req, 'user', optString(v, key));
        break;
      case 'parallel_tool_calls':
        put(req, 'parallelToolCalls', optBoolean(v, key));
        break;
      case 'response_format':
        put(req, 'responseFormat', decodeResponseFormat(v));
        break;
      case 'reasoning_effort':
        put(req, 'reasoningEffort', optEnum(v, key, REASONING_EFFORTS));
        break;
      default:
        if (isDirectiveKey(key)) break;
        if (isUnsupportedGatewayKey(key)) {
          warn(`'${key}' is not supported by this gateway and was ignored`);
          break;
        }
        (extra ??= {})[key] = v;
    }
  }

  decodeToolFields(body, req, warn);
  decodeOutputLimits(body, req, warn);
  decodeLogprobs(body, req);
  const streamRest = decodeStreaming(body, req);
  if (streamRest) (extra ??= {})['stream_options'] = streamRest;
  const metadataTags = decodeMetadata(body['metadata'], req, warn);
  if (extra) req.extraBody = extra;

  return { request: req, gateway: decodeGatewayDirectives(body, metadataTags), warnings };
}

function decodeModel(body: Json): string {
  const model = body['model'];
  if (isAbsent(model)) throw missing('model');
  const name = asString(model, 'model');
  if (name === '') throw invalid("Invalid 'model': the model name must not be empty.", 'model');
  return name;
}

function decodeToolFields(body: Json, req: ChatRequest, warn: (m: string) => void): void {
  const tools = decodeTools(body['tools'], body['functions']);
  if (tools) req.tools = tools;
  const toolChoice = decodeToolChoice(body['tool_choice']);
  const functionCall = decodeFunctionCall(body['function_call']);
  if (toolChoice && functionCall) warn("'function_call' was ignored because 'tool_choice' is set");
  const choice = toolChoice ?? functionCall;
  if (choice) req.toolChoice = choice;
}

function decodeOutputLimits(body: Json, req: ChatRequest, warn: (m: string) => void): void {
  const maxTokens = optInteger(body['max_tokens'], 'max_tokens', 1);
  const maxCompletion = optInteger(body['max_completion_tokens'], 'max_completion_tokens', 1);
  if (maxTokens !== undefined && maxCompletion !== undefined && maxTokens !== maxCompletion) {
    warn("'max_tokens' was ignored because 'max_completion_tokens' is set");
  }
  const limit = maxCompletion ?? maxTokens;
  if (limit !== undefined) req.maxOutputTokens = limit;
}

function decodeLogprobs(body: Json, req: ChatRequest): void {
  const logprobs = optBoolean(body['logprobs'], 'logprobs');
  const top = optInteger(body['top_logprobs'], 'top_logprobs', 0, 20);
  if (top !== undefined && logprobs !== true) {
    throw invalid("Invalid value for 'top_logprobs': 'logprobs' must be set to true when 'top_logprobs' is used.", 'top_logprobs');
  }
  if (logprobs !== undefined) req.logprobs = logprobs;
  if (top !== undefined) req.topLogprobs = top;
}

/** Returns `stream_options` fields other than `include_usage`, which travel on in extraBody. */
function decodeStreaming(body: Json, req: ChatRequest): Json | undefined {
  const stream = optBoolean(body['stream'], 'stream');
  if (stream !== undefined) req.stream = stream;
  const so = body['stream_options'];
  if (isAbsent(so)) return undefined;
  if (stream !== true) {
    throw invalid("The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options');
  }
  const opts = asObject(so, 'stream_options');
  const includeUsage = optBoolean(opts['include_usage'], 'stream_options.include_usage');
  if (includeUsage !== undefined) req.includeUsage = includeUsage;
  let rest: Json | undefined;
  for (const k in opts) if (k !== 'include_usage') (rest ??= {})[k] = opts[k];
  return rest;
}

/**
 * OpenAI metadata is a string → string map. LiteLLM clients also put `tags`
 * (an array, a gateway directive) and richer values there; those cannot go
 * upstream as metadata, so non-string values are left out with a warning.
 */
function decodeMetadata(v: unknown, req: ChatRequest, warn: (m: string) => void): unknown {
  if (isAbsent(v)) return undefined;
  const obj = asObject(v, 'metadata');
  let tags: unknown;
  let out: Record<string, string> | undefined;
  for (const k in obj) {
    const val = obj[k];
    if (k === 'tags') tags = val;
    else if (typeof val === 'string') (out ??= {})[k] = val;
    else warn(`metadata.${k} is not a string and was not sent upstream`);
  }
  if (out) req.metadata = out;
  return tags;
}

function decodeStop(v: unknown): string[] | undefined {
  if (isAbsent(v)) return undefined;
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v)) throw wrongType('stop', 'a string or an array of strings', v);
  for (let i = 0; i < v.length; i++) asString(v[i], `stop[${i}]`);
  return v as string[];
}

function decodeLogitBias(v: unknown): Record<string, number> | undefined {
  if (isAbsent(v)) return undefined;
  const obj = asObject(v, 'logit_bias');
  for (const k in obj) optNumber(obj[k], `logit_bias.${k}`, -100, 100) ?? wrongTypeNull(`logit_bias.${k}`);
  return obj as Record<string, number>;
}

function wrongTypeNull(param: string): never {
  throw wrongType(param, 'a number', null);
}

/** Explicit nulls decode to undefined; only set what is present so the request serialises cleanly. */
function put<K extends keyof ChatRequest>(req: ChatRequest, key: K, value: ChatRequest[K] | undefined): void {
  if (value !== undefined) req[key] = value;
}
