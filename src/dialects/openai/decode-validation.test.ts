import { describe, it, expect } from 'vitest';
import { GatewayError } from '../../spec/index.js';
import { decodeChatRequest, decodeCompletionRequest, decodeEmbeddingRequest } from './index.js';

const user = { role: 'user', content: 'hi' };

function errorOf(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GatewayError) return e;
    throw e;
  }
  throw new Error('expected a GatewayError');
}

/** [case, body, param, message fragment] */
type Case = [string, unknown, string | null, string];

const chatCases: Case[] = [
  ['body not an object', [1], null, 'must be a JSON object'],
  ['missing model', { messages: [user] }, 'model', "Missing required parameter: 'model'."],
  ['model not a string', { model: 3, messages: [user] }, 'model', "Invalid type for 'model': expected a string, but got an integer instead."],
  ['missing messages', { model: 'm' }, 'messages', "Missing required parameter: 'messages'."],
  ['messages not an array', { model: 'm', messages: 'hi' }, 'messages', "Invalid type for 'messages': expected an array, but got a string instead."],
  ['empty messages', { model: 'm', messages: [] }, 'messages', 'empty array'],
  ['message not an object', { model: 'm', messages: ['hi'] }, 'messages[0]', 'expected an object'],
  ['missing role', { model: 'm', messages: [{ content: 'x' }] }, 'messages[0].role', 'Missing required parameter'],
  ['bad role', { model: 'm', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role', "Invalid value for 'messages[0].role': 'robot'. Supported values are:"],
  ['user without content', { model: 'm', messages: [{ role: 'user' }] }, 'messages[0].content', "Missing required parameter: 'messages[0].content'."],
  ['user content number', { model: 'm', messages: [{ role: 'user', content: 5 }] }, 'messages[0].content', 'expected an array'],
  ['bad part type', { model: 'm', messages: [{ role: 'user', content: [{ type: 'video' }] }] }, 'messages[0].content[0].type', "'video'"],
  ['text part without text', { model: 'm', messages: [{ role: 'user', content: [{ type: 'text' }] }] }, 'messages[0].content[0].text', 'Missing'],
  ['bad image url', { model: 'm', messages: [user, { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'image_url', image_url: { url: 'ftp://x/y.png' } }] }] }, 'messages[1].content[1].image_url.url', 'expected a URL'],
  ['non-image data url', { model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:text/plain;base64,AA' } }] }] }, 'messages[0].content[0].image_url.url', 'image data URL'],
  ['bad image detail', { model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'ultra' } }] }] }, 'messages[0].content[0].image_url.detail', "'ultra'"],
  ['audio without format', { model: 'm', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x' } }] }] }, 'messages[0].content[0].input_audio.format', 'Missing'],
  ['file without data or id', { model: 'm', messages: [{ role: 'user', content: [{ type: 'file', file: { filename: 'a' } }] }] }, 'messages[0].content[0].file', "'file_data' or 'file_id'"],
  ['file_data not a data URL', { model: 'm', messages: [{ role: 'user', content: [{ type: 'file', file: { file_data: 'JVBE' } }] }] }, 'messages[0].content[0].file.file_data', 'data URL'],
  ['image in system message', { model: 'm', messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://x' } }] }] }, 'messages[0].content[0].type', "'text'"],
  ['empty assistant', { model: 'm', messages: [user, { role: 'assistant' }] }, 'messages[1].content', "must have 'content' or 'tool_calls'"],
  ['assistant null content, no tools', { model: 'm', messages: [user, { role: 'assistant', content: null }] }, 'messages[1].content', "must have 'content' or 'tool_calls'"],
  ['tool call without id', { model: 'm', messages: [user, { role: 'assistant', tool_calls: [{ type: 'function', function: { name: 'f', arguments: '{}' } }] }] }, 'messages[1].tool_calls[0].id', 'Missing'],
  ['tool call arguments object', { model: 'm', messages: [user, { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: {} } }] }] }, 'messages[1].tool_calls[0].function.arguments', 'expected a string, but got an object'],
  ['tool message without tool_call_id', { model: 'm', messages: [user, { role: 'tool', content: 'x' }] }, 'messages[1].tool_call_id', "Missing required parameter: 'messages[1].tool_call_id'."],
  ['function message without name', { model: 'm', messages: [user, { role: 'function', content: 'x' }] }, 'messages[1].name', 'Missing'],
  ['temperature string', { model: 'm', messages: [user], temperature: '1' }, 'temperature', "Invalid type for 'temperature': expected a number, but got a string instead."],
  ['temperature too high', { model: 'm', messages: [user], temperature: 3 }, 'temperature', "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead."],
  ['top_p negative', { model: 'm', messages: [user], top_p: -0.1 }, 'top_p', 'below minimum value'],
  ['max_tokens decimal', { model: 'm', messages: [user], max_tokens: 1.5 }, 'max_tokens', 'expected an integer, but got a decimal number'],
  ['max_tokens zero', { model: 'm', messages: [user], max_tokens: 0 }, 'max_tokens', 'Expected a value >= 1'],
  ['max_completion_tokens string', { model: 'm', messages: [user], max_completion_tokens: '5' }, 'max_completion_tokens', 'expected an integer'],
  ['n zero', { model: 'm', messages: [user], n: 0 }, 'n', 'below minimum value'],
  ['seed decimal', { model: 'm', messages: [user], seed: 1.2 }, 'seed', 'expected an integer'],
  ['presence_penalty', { model: 'm', messages: [user], presence_penalty: 2.5 }, 'presence_penalty', 'above maximum value'],
  ['frequency_penalty', { model: 'm', messages: [user], frequency_penalty: -3 }, 'frequency_penalty', 'below minimum value'],
  ['stop number', { model: 'm', messages: [user], stop: 5 }, 'stop', 'a string or an array of strings'],
  ['stop array item', { model: 'm', messages: [user], stop: ['a', 1] }, 'stop[1]', 'expected a string'],
  ['logit_bias value', { model: 'm', messages: [user], logit_bias: { '1': 'x' } }, 'logit_bias.1', 'expected a number'],
  ['logit_bias range', { model: 'm', messages: [user], logit_bias: { '1': 101 } }, 'logit_bias.1', 'above maximum value'],
  ['logprobs string', { model: 'm', messages: [user], logprobs: 'yes' }, 'logprobs', 'expected a boolean'],
  ['top_logprobs without logprobs', { model: 'm', messages: [user], top_logprobs: 3 }, 'top_logprobs', "'logprobs' must be set to true"],
  ['top_logprobs range', { model: 'm', messages: [user], logprobs: true, top_logprobs: 21 }, 'top_logprobs', 'Expected a value <= 20'],
  ['user number', { model: 'm', messages: [user], user: 1 }, 'user', 'expected a string'],
  ['reasoning_effort', { model: 'm', messages: [user], reasoning_effort: 'max' }, 'reasoning_effort', "'none', 'minimal', 'low', 'medium', 'high', and 'xhigh'"],
  ['metadata not object', { model: 'm', messages: [user], metadata: 'x' }, 'metadata', 'expected an object'],
  ['metadata.tags not array', { model: 'm', messages: [user], metadata: { tags: 'a' } }, 'metadata.tags', 'expected an array'],
  ['stream string', { model: 'm', messages: [user], stream: 'true' }, 'stream', 'expected a boolean'],
  ['stream_options without stream', { model: 'm', messages: [user], stream_options: { include_usage: true } }, 'stream_options', "only allowed when 'stream' is enabled"],
  ['include_usage string', { model: 'm', messages: [user], stream: true, stream_options: { include_usage: 'y' } }, 'stream_options.include_usage', 'expected a boolean'],
  ['tools not array', { model: 'm', messages: [user], tools: {} }, 'tools', 'expected an array'],
  ['non-function tool', { model: 'm', messages: [user], tools: [{ type: 'web_search' }] }, 'tools[0].type', "'web_search' tools are not supported"],
  ['tool without name', { model: 'm', messages: [user], tools: [{ type: 'function', function: { parameters: {} } }] }, 'tools[0].function.name', 'Missing'],
  ['tool parameters not object', { model: 'm', messages: [user], tools: [{ type: 'function', function: { name: 'f', parameters: [] } }] }, 'tools[0].function.parameters', 'expected an object'],
  ['tool_choice bad string', { model: 'm', messages: [user], tool_choice: 'any' }, 'tool_choice', "'none', 'auto', and 'required'"],
  ['tool_choice function without name', { model: 'm', messages: [user], tool_choice: { type: 'function', function: {} } }, 'tool_choice.function.name', 'Missing'],
  ['tool_choice allowed_tools', { model: 'm', messages: [user], tool_choice: { type: 'allowed_tools' } }, 'tool_choice.type', 'not supported'],
  ['function_call bad', { model: 'm', messages: [user], function_call: 'required' }, 'function_call', "'none', and 'auto'"],
  ['parallel_tool_calls', { model: 'm', messages: [user], parallel_tool_calls: 1 }, 'parallel_tool_calls', 'expected a boolean'],
  ['response_format type', { model: 'm', messages: [user], response_format: { type: 'xml' } }, 'response_format.type', "'xml'"],
  ['json_schema without name', { model: 'm', messages: [user], response_format: { type: 'json_schema', json_schema: { schema: {} } } }, 'response_format.json_schema.name', 'Missing'],
  ['json_schema missing', { model: 'm', messages: [user], response_format: { type: 'json_schema' } }, 'response_format.json_schema', 'Missing'],
  ['fallbacks not array', { model: 'm', messages: [user], fallbacks: 'x' }, 'fallbacks', 'expected an array'],
  ['num_retries negative', { model: 'm', messages: [user], num_retries: -1 }, 'num_retries', 'below minimum value'],
  ['timeout zero', { model: 'm', messages: [user], timeout: 0 }, 'timeout', 'greater than 0'],
  ['cache_control type', { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'forever' } }] }] }, 'messages[0].content[0].cache_control.type', "'ephemeral'"],
];

describe('decodeChatRequest validation', () => {
  it.each(chatCases)('%s', (_name, body, param, fragment) => {
    const err = errorOf(() => decodeChatRequest(body));
    expect(err.status).toBe(400);
    expect(err.param).toBe(param);
    expect(err.message).toContain(fragment);
    expect(err.type).toBe('invalid_request_error');
  });

  it('uses the unsupported_parameter code for tool types the gateway cannot serve', () => {
    const err = errorOf(() => decodeChatRequest({ model: 'm', messages: [user], tools: [{ type: 'code_interpreter' }] }));
    expect(err.code).toBe('unsupported_parameter');
    expect(err.toOpenAI().error.code).toBe('unsupported_parameter');
  });
});

const embeddingCases: Case[] = [
  ['missing model', { input: 'x' }, 'model', 'Missing'],
  ['missing input', { model: 'e' }, 'input', "Missing required parameter: 'input'."],
  ['empty string', { model: 'e', input: '' }, 'input', 'empty string'],
  ['empty array', { model: 'e', input: [] }, 'input', 'empty array'],
  ['mixed array', { model: 'e', input: ['a', 1] }, 'input[1]', 'expected a string'],
  ['bad token', { model: 'e', input: [1, -2] }, 'input[1]', 'token id'],
  ['bad token row', { model: 'e', input: [[1], 'a'] }, 'input[1]', 'array of token ids'],
  ['dimensions', { model: 'e', input: 'x', dimensions: 0 }, 'dimensions', 'below minimum value'],
  ['encoding_format', { model: 'e', input: 'x', encoding_format: 'int8' }, 'encoding_format', "'float', and 'base64'"],
];

describe('decodeEmbeddingRequest validation', () => {
  it.each(embeddingCases)('%s', (_name, body, param, fragment) => {
    const err = errorOf(() => decodeEmbeddingRequest(body));
    expect(err.status).toBe(400);
    expect(err.param).toBe(param);
    expect(err.message).toContain(fragment);
  });
});

const completionCases: Case[] = [
  ['missing model', { prompt: 'x' }, 'model', 'Missing'],
  ['missing prompt', { model: 'c' }, 'prompt', 'Missing'],
  ['prompt object', { model: 'c', prompt: { a: 1 } }, 'prompt', 'expected an array'],
  ['prompt item', { model: 'c', prompt: ['a', {}] }, 'prompt[1]', 'array of token ids'],
  ['temperature', { model: 'c', prompt: 'x', temperature: 9 }, 'temperature', 'above maximum value'],
  ['stream_options without stream', { model: 'c', prompt: 'x', stream_options: { include_usage: true } }, 'stream_options', "'stream' is enabled"],
  ['logprobs range', { model: 'c', prompt: 'x', logprobs: 6 }, 'logprobs', 'Expected a value <= 5'],
];

describe('decodeCompletionRequest validation', () => {
  it.each(completionCases)('%s', (_name, body, param, fragment) => {
    const err = errorOf(() => decodeCompletionRequest(body));
    expect(err.status).toBe(400);
    expect(err.param).toBe(param);
    expect(err.message).toContain(fragment);
  });
});
