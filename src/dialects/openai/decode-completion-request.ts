/**
 * Legacy `/v1/completions`: only validated (it is relayed as-is to
 * OpenAI-protocol upstreams), so a malformed body fails here with a 400 that
 * names the field rather than somewhere upstream.
 */
import {
  asArray,
  asObject,
  asString,
  invalid,
  isAbsent,
  isObject,
  missing,
  optBoolean,
  optInteger,
  optNumber,
  optString,
  wrongType,
} from './json-checks.js';

export interface DecodedCompletion {
  model: string;
  stream: boolean;
  includeUsage: boolean;
}

export function decodeCompletionRequest(body: unknown): DecodedCompletion {
  if (!isObject(body)) throw invalid('The request body must be a JSON object.', null);
  const model = body['model'];
  if (isAbsent(model)) throw missing('model');
  checkPrompt(body['prompt']);
  optInteger(body['max_tokens'], 'max_tokens', 0);
  optNumber(body['temperature'], 'temperature', 0, 2);
  optNumber(body['top_p'], 'top_p', 0, 1);
  optInteger(body['n'], 'n', 1, 128);
  optInteger(body['best_of'], 'best_of', 0, 20);
  optInteger(body['logprobs'], 'logprobs', 0, 5);
  optBoolean(body['echo'], 'echo');
  optString(body['suffix'], 'suffix');
  optString(body['user'], 'user');
  optInteger(body['seed'], 'seed');
  optNumber(body['presence_penalty'], 'presence_penalty', -2, 2);
  optNumber(body['frequency_penalty'], 'frequency_penalty', -2, 2);
  const stop = body['stop'];
  if (!isAbsent(stop) && typeof stop !== 'string') {
    const arr = asArray(stop, 'stop');
    for (let i = 0; i < arr.length; i++) asString(arr[i], `stop[${i}]`);
  }
  const stream = optBoolean(body['stream'], 'stream') ?? false;
  let includeUsage = false;
  const so = body['stream_options'];
  if (!isAbsent(so)) {
    if (!stream) throw invalid("The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options');
    includeUsage = optBoolean(asObject(so, 'stream_options')['include_usage'], 'stream_options.include_usage') ?? false;
  }
  return { model: asString(model, 'model'), stream, includeUsage };
}

/** string | string[] | number[] | number[][] (token arrays). */
function checkPrompt(v: unknown): void {
  if (isAbsent(v)) throw missing('prompt');
  if (typeof v === 'string') return;
  const arr = asArray(v, 'prompt');
  for (let i = 0; i < arr.length; i++) {
    const item: unknown = arr[i];
    if (typeof item === 'string' || (typeof item === 'number' && Number.isInteger(item))) continue;
    if (Array.isArray(item) && item.every((t) => typeof t === 'number' && Number.isInteger(t))) continue;
    throw wrongType(`prompt[${i}]`, 'a string or an array of token ids', item);
  }
}
