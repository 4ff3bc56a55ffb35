/**
 * A `POST /v1/responses` body checked and split into what the core needs:
 * the chat options (everything but the messages, which depend on stored
 * history the server loads), this request's input items, the state
 * directives (`previous_response_id`, `store`), and the request fields the
 * response object echoes back. Every field maps, is reported in a warning,
 * or fails with a 400 naming it.
 */
import type { ChatRequest, ReasoningEffort } from '../../spec/index.js';
import {
  asArray,
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
  optStringMap,
  unsupported,
  type Json,
} from '../openai/json-checks.js';
import { decodeInput } from './decode-input-items.js';
import { decodeResponseToolChoice, decodeResponseTools, decodeTextFormat, type ToolNames } from './decode-response-tools.js';
import type { DecodedInputItem, ResponseObject } from './response-types.js';

const EFFORTS: readonly ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'];
const SUMMARIES = ['auto', 'concise', 'detailed'] as const;
const INCLUDABLE = [
  'reasoning.encrypted_content', 'message.output_text.logprobs', 'message.input_image.image_url',
  'file_search_call.results', 'web_search_call.results', 'web_search_call.action.sources',
  'computer_call_output.output.image_url', 'code_interpreter_call.outputs',
] as const;

/** Passed to OpenAI-compatible upstreams verbatim (chat completions knows them); other protocols report them. */
const PASS_THROUGH = new Set(['safety_identifier', 'prompt_cache_key', 'prompt_cache_retention', 'service_tier']);
/** Known Responses fields with no chat-completions meaning: reported, not sent. */
const REPORTED = new Set(['max_tool_calls', 'top_logprobs', 'client_metadata']);

/** The request fields a response object repeats back. */
export type ResponseEcho = Pick<
  ResponseObject,
  | 'instructions' | 'max_output_tokens' | 'parallel_tool_calls' | 'previous_response_id' | 'reasoning' | 'store' | 'temperature'
  | 'text' | 'tool_choice' | 'tools' | 'top_p' | 'truncation' | 'user' | 'metadata'
>;

export interface DecodedResponses {
  model: string;
  input: DecodedInputItem[];
  instructions?: string;
  previousResponseId?: string;
  store: boolean;
  stream: boolean;
  /** The client asked for `reasoning.encrypted_content` (how stateless clients keep reasoning across turns). */
  includeEncryptedReasoning: boolean;
  /** Show reasoning as summary text (the client set `reasoning.summary`). */
  reasoningSummary: boolean;
  toolNames: ToolNames;
  /** The unified request minus `messages`, which need the stored history. */
  options: Omit<ChatRequest, 'messages'>;
  echo: ResponseEcho;
  warnings: string[];
}

const HANDLED = new Set([
  'model', 'input', 'instructions', 'previous_response_id', 'store', 'stream', 'stream_options', 'include', 'tools', 'tool_choice',
  'parallel_tool_calls', 'temperature', 'top_p', 'max_output_tokens', 'reasoning', 'text', 'metadata', 'user', 'truncation',
  'background', 'conversation', 'prompt',
]);

export function decodeResponsesRequest(body: unknown): DecodedResponses {
  if (!isObject(body)) throw invalid('The request body must be a JSON object.', null);
  const warnings: string[] = [];
  const warn = (m: string): void => {
    if (!warnings.includes(m)) warnings.push(m);
  };
  refuseServerFeatures(body);

  const model = decodeModel(body['model']);
  const stream = optBoolean(body['stream'], 'stream') ?? false;
  if (!isAbsent(body['stream_options']) && !stream) throw invalid("The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options');
  const { tools, names } = decodeResponseTools(body['tools']);
  const toolChoice = decodeResponseToolChoice(body['tool_choice'], names);
  const textConfig = isAbsent(body['text']) ? {} : asObject(body['text'], 'text');
  const format = decodeTextFormat(textConfig['format']);
  const verbosity = optEnum(textConfig['verbosity'], 'text.verbosity', ['low', 'medium', 'high'] as const);
  const reasoning = isAbsent(body['reasoning']) ? {} : asObject(body['reasoning'], 'reasoning');
  const effort = optEnum(reasoning['effort'], 'reasoning.effort', EFFORTS);
  const summary = optEnum(reasoning['summary'], 'reasoning.summary', SUMMARIES) ?? optEnum(reasoning['generate_summary'], 'reasoning.generate_summary', SUMMARIES);
  const truncation = optEnum(body['truncation'], 'truncation', ['auto', 'disabled'] as const) ?? 'disabled';
  if (truncation === 'auto') warn("truncation 'auto' is not applied by this gateway: a conversation longer than the model's context fails instead of being cut");
  const include = decodeInclude(body['include'], warn);
  const metadata = optStringMap(body['metadata'], 'metadata');
  const instructions = optString(body['instructions'], 'instructions');
  const previousResponseId = optString(body['previous_response_id'], 'previous_response_id');
  const store = optBoolean(body['store'], 'store') ?? true;
  const user = optString(body['user'], 'user');

  const options: Omit<ChatRequest, 'messages'> = { model, stream };
  if (stream) options.includeUsage = true;
  if (tools && tools.length > 0) options.tools = tools;
  if (toolChoice) options.toolChoice = toolChoice;
  const parallel = optBoolean(body['parallel_tool_calls'], 'parallel_tool_calls');
  if (parallel !== undefined) options.parallelToolCalls = parallel;
  const temperature = optNumber(body['temperature'], 'temperature', 0, 2);
  if (temperature !== undefined) options.temperature = temperature;
  const topP = optNumber(body['top_p'], 'top_p', 0, 1);
  if (topP !== undefined) options.topP = topP;
  const maxOutput = optInteger(body['max_output_tokens'], 'max_output_tokens', 1);
  if (maxOutput !== undefined) options.maxOutputTokens = maxOutput;
  if (format) options.responseFormat = format;
  if (effort) options.reasoningEffort = effort;
  if (metadata && Object.keys(metadata).length > 0) options.metadata = metadata;
  if (user !== undefined) options.user = user;
  if (verbosity !== undefined) (options.extraBody ??= {})['verbosity'] = verbosity;

  for (const key in body) {
    if (HANDLED.has(key)) continue;
    if (PASS_THROUGH.has(key)) {
      if (!isAbsent(body[key])) (options.extraBody ??= {})[key] = body[key];
    } else if (REPORTED.has(key)) {
      if (!isAbsent(body[key])) warn(`'${key}' has no equivalent on this upstream and was ignored`);
    } else warn(`'${key}' is not a Responses API field this gateway knows and was ignored`);
  }

  const echo: ResponseEcho = {
    instructions: instructions ?? null,
    max_output_tokens: maxOutput ?? null,
    parallel_tool_calls: parallel ?? true,
    previous_response_id: previousResponseId ?? null,
    reasoning: { effort: effort ?? null, summary: summary ?? null },
    store,
    temperature: temperature ?? null,
    text: { format: isObject(textConfig['format']) ? textConfig['format'] : { type: 'text' }, ...(verbosity ? { verbosity } : {}) },
    tool_choice: body['tool_choice'] ?? 'auto',
    tools: Array.isArray(body['tools']) ? body['tools'] : [],
    top_p: topP ?? null,
    truncation,
    user: user ?? null,
    metadata: metadata ?? {},
  };

  const decoded: DecodedResponses = {
    model,
    input: decodeInput(body['input']),
    store,
    stream,
    includeEncryptedReasoning: include.includes('reasoning.encrypted_content'),
    reasoningSummary: summary !== undefined,
    toolNames: names,
    options,
    echo,
    warnings,
  };
  if (instructions !== undefined) decoded.instructions = instructions;
  if (previousResponseId !== undefined) decoded.previousResponseId = previousResponseId;
  return decoded;
}

function decodeModel(v: unknown): string {
  if (isAbsent(v)) throw missing('model');
  const name = asString(v, 'model');
  if (name === '') throw invalid("Invalid 'model': the model name must not be empty.", 'model');
  return name;
}

/** Features that live on OpenAI's servers: asking for them must not silently run without them. */
function refuseServerFeatures(body: Json): void {
  if (body['background'] === true) throw unsupported('background', "Background responses ('background': true) are not supported by this gateway.");
  if (!isAbsent(body['conversation'])) throw unsupported('conversation', "The Conversations API is not supported by this gateway; continue a conversation with 'previous_response_id'.");
  if (!isAbsent(body['prompt'])) throw unsupported('prompt', 'Stored prompt templates are not supported by this gateway; send the prompt as input.');
}

function decodeInclude(v: unknown, warn: (m: string) => void): string[] {
  if (isAbsent(v)) return [];
  const arr = asArray(v, 'include');
  const out: string[] = [];
  for (let i = 0; i < arr.length; i++) {
    const value = optEnum(arr[i], `include[${i}]`, INCLUDABLE);
    if (value === undefined) continue;
    out.push(value);
    if (value === 'message.output_text.logprobs') warn("include 'message.output_text.logprobs' is not supported by this gateway; no logprobs are returned");
    else if (value !== 'reasoning.encrypted_content' && value !== 'message.input_image.image_url') warn(`include '${value}' concerns built-in tools, which this gateway does not run`);
  }
  return out;
}
