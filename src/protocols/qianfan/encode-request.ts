import { GatewayError, type ChatRequest, type Message } from '../../spec/index.js';
import type { ErnieMessage, ErnieRequest } from './qianfan-wire.js';

type Warn = (message: string) => void;

/**
 * Unified request → ERNIE chat body. ERNIE takes system text in its own
 * `system` field, functions (no tool-call ids: a result names its function
 * instead), and messages that alternate user/assistant starting with user.
 * `providerOptions.qianfan` is merged as given (penalty_score,
 * disable_search, enable_citation …).
 */
export function encodeRequest(req: ChatRequest, stream: boolean, warn: Warn): ErnieRequest {
  if (req.n !== undefined && req.n > 1) throw new GatewayError('unsupported_parameter', { message: 'n: ERNIE returns one answer per request; n > 1 is not supported', param: 'n' });
  const system: string[] = [];
  const body: ErnieRequest = { messages: encodeMessages(req.messages, system, warn) };
  if (system.length > 0) body.system = system.join('\n\n');
  if (stream) body.stream = true;
  if (req.tools !== undefined && req.tools.length > 0) {
    body.functions = req.tools.map((t) => ({ name: t.name, ...(t.description !== undefined && { description: t.description }), parameters: t.parameters ?? { type: 'object', properties: {} } }));
    if (req.toolChoice?.type === 'tool') body.tool_choice = { type: 'function', function: { name: req.toolChoice.name } };
    else if (req.toolChoice !== undefined && req.toolChoice.type !== 'auto') warn(`qianfan: tool_choice "${req.toolChoice.type}" is not supported; ERNIE decides (auto)`);
  }
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.maxOutputTokens !== undefined) body.max_output_tokens = req.maxOutputTokens;
  if (req.stop !== undefined && req.stop.length > 0) body.stop = [...req.stop];
  if (req.user !== undefined) body.user_id = req.user;
  if (req.responseFormat?.type === 'json_object' || req.responseFormat?.type === 'json_schema') {
    body.response_format = 'json_object';
    if (req.responseFormat.type === 'json_schema') warn('qianfan: a JSON schema is not supported; JSON output requested without it');
  }
  for (const [v, name] of [
    [req.topK, 'top_k'],
    [req.seed, 'seed'],
    [req.presencePenalty, 'presence_penalty'],
    [req.frequencyPenalty, 'frequency_penalty (use providerOptions.qianfan.penalty_score)'],
    [req.logitBias, 'logit_bias'],
    [req.logprobs, 'logprobs'],
    [req.topLogprobs, 'top_logprobs'],
    [req.parallelToolCalls, 'parallel_tool_calls'],
    [req.reasoningEffort, 'reasoning_effort'],
    [req.reasoningBudgetTokens, 'reasoning budget'],
    [req.metadata, 'metadata'],
  ] as const) {
    if (v !== undefined) warn(`qianfan: ${name} is not supported and was not sent`);
  }
  for (const key of Object.keys(req.extraBody ?? {})) warn(`qianfan: unknown field \`${key}\` was not sent`);
  for (const [ns, values] of Object.entries(req.providerOptions ?? {})) {
    if (ns === 'qianfan') Object.assign(body, values);
    else warn(`qianfan: providerOptions.${ns} is for another provider and was ignored`);
  }
  return body;
}

function encodeMessages(messages: Message[], system: string[], warn: Warn): ErnieMessage[] {
  const names = new Map<string, string>();
  const out: ErnieMessage[] = [];
  messages.forEach((m, i) => {
    const at = `messages[${i}]`;
    switch (m.role) {
      case 'system':
        system.push(m.content.map((p) => p.text).join('\n'));
        return;
      case 'user':
        out.push({
          role: 'user',
          content: m.content
            .map((p, j) => {
              if (p.type === 'text') return p.text;
              const param = `${at}.content[${j}]`;
              throw new GatewayError('unsupported_parameter', { message: `${param}: ERNIE chat takes text only, not ${p.type} parts`, param });
            })
            .join('\n'),
        });
        return;
      case 'assistant': {
        const calls = m.content.filter((p) => p.type === 'tool-call');
        const text = m.content.filter((p) => p.type === 'text').map((p) => p.text).join('');
        if (calls.length > 1) warn(`qianfan: ${at} has ${calls.length} tool calls; ERNIE takes one per turn, only the first was sent`);
        const call = calls[0];
        if (call === undefined) {
          out.push({ role: 'assistant', content: text });
          return;
        }
        names.set(call.id, call.name);
        out.push({ role: 'assistant', content: text, function_call: { name: call.name, arguments: call.arguments === '' ? '{}' : call.arguments } });
        return;
      }
      case 'tool': {
        const name = m.toolName ?? names.get(m.toolCallId);
        if (name === undefined) {
          throw new GatewayError('invalid_request', { message: `${at}: ERNIE needs the function name of a tool result, and no earlier assistant turn called "${m.toolCallId}"`, param: at });
        }
        const text = m.content.filter((p) => p.type === 'text').map((p) => p.text).join('');
        out.push({ role: 'function', name, content: text === '' ? '{}' : text });
        return;
      }
    }
  });
  return out;
}
