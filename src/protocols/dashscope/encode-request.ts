import { GatewayError, type ChatRequest, type Message } from '../../spec/index.js';
import type { DashScopeMessage, DashScopeRequest } from './dashscope-wire.js';

type Warn = (message: string) => void;

/**
 * Unified request → DashScope text-generation body: messages under
 * `input`, everything else under `parameters`, always `result_format:
 * "message"` (choices with messages, tool calls) and, for streams,
 * `incremental_output: true` (deltas, not the whole text so far).
 * `providerOptions.dashscope` lands in `parameters` as given
 * (enable_search, repetition_penalty, translation_options …).
 */
export function encodeRequest(req: ChatRequest, model: string, stream: boolean, warn: Warn): DashScopeRequest {
  const p: Record<string, unknown> = { result_format: 'message' };
  if (stream) p.incremental_output = true;
  if (req.tools !== undefined && req.tools.length > 0) {
    p.tools = req.tools.map((t) => ({ type: 'function', function: { name: t.name, ...(t.description !== undefined && { description: t.description }), parameters: t.parameters ?? { type: 'object', properties: {} } } }));
  }
  const c = req.toolChoice;
  if (c !== undefined) {
    if (c.type === 'tool') p.tool_choice = { type: 'function', function: { name: c.name } };
    else if (c.type === 'required') {
      p.tool_choice = 'auto';
      warn('dashscope: tool_choice "required" is not supported; sent as auto');
    } else p.tool_choice = c.type;
  }
  set(p, 'parallel_tool_calls', req.parallelToolCalls);
  if (req.responseFormat?.type === 'json_object') p.response_format = { type: 'json_object' };
  else if (req.responseFormat?.type === 'json_schema') {
    p.response_format = { type: 'json_schema', json_schema: { name: req.responseFormat.name, schema: req.responseFormat.schema, ...(req.responseFormat.strict !== undefined && { strict: req.responseFormat.strict }) } };
  }
  set(p, 'temperature', req.temperature);
  set(p, 'top_p', req.topP);
  set(p, 'top_k', req.topK);
  set(p, 'max_tokens', req.maxOutputTokens);
  if (req.stop !== undefined && req.stop.length > 0) p.stop = [...req.stop];
  set(p, 'seed', req.seed);
  set(p, 'n', req.n);
  set(p, 'presence_penalty', req.presencePenalty);
  set(p, 'logprobs', req.logprobs);
  set(p, 'top_logprobs', req.topLogprobs);
  if (req.reasoningEffort === 'none' || req.reasoningBudgetTokens === 0) p.enable_thinking = false;
  else if (req.reasoningBudgetTokens !== undefined) {
    p.enable_thinking = true;
    p.thinking_budget = req.reasoningBudgetTokens;
  } else if (req.reasoningEffort !== undefined) p.enable_thinking = true;
  for (const [v, name] of [[req.frequencyPenalty, 'frequency_penalty'], [req.logitBias, 'logit_bias'], [req.user, 'user'], [req.metadata, 'metadata']] as const) {
    if (v !== undefined) warn(`dashscope: ${name} is not supported and was not sent`);
  }
  for (const key of Object.keys(req.extraBody ?? {})) warn(`dashscope: unknown field \`${key}\` was not sent (use providerOptions.dashscope for DashScope parameters)`);
  for (const [ns, values] of Object.entries(req.providerOptions ?? {})) {
    if (ns === 'dashscope') Object.assign(p, values);
    else warn(`dashscope: providerOptions.${ns} is for another provider and was ignored`);
  }
  return { model, input: { messages: encodeMessages(req.messages, warn) }, parameters: p };
}

function encodeMessages(messages: Message[], warn: Warn): DashScopeMessage[] {
  return messages.map((m, i): DashScopeMessage => {
    const at = `messages[${i}]`;
    switch (m.role) {
      case 'system':
        return { role: 'system', content: m.content.map((p) => p.text).join('\n') };
      case 'user':
        return {
          role: 'user',
          content: m.content
            .map((p, j) => {
              if (p.type === 'text') return p.text;
              const param = `${at}.content[${j}]`;
              // Images go to DashScope's separate multimodal-generation service; compatible mode takes them on one route.
              throw new GatewayError('unsupported_parameter', { message: `${param}: DashScope text-generation takes text only; send ${p.type} inputs through the dashscope (compatible-mode) provider`, param });
            })
            .join('\n'),
        };
      case 'assistant': {
        const out: DashScopeMessage = { role: 'assistant', content: m.content.filter((p) => p.type === 'text').map((p) => p.text).join('') };
        const calls = m.content.filter((p) => p.type === 'tool-call');
        if (calls.length > 0) out.tool_calls = calls.map((t) => ({ id: t.id, type: 'function', function: { name: t.name, arguments: t.arguments } }));
        if (m.content.some((p) => p.type === 'reasoning')) warn('dashscope: reasoning from earlier turns is not sent back');
        return out;
      }
      case 'tool':
        if (m.content.some((p) => p.type === 'image')) warn(`dashscope: ${at} image tool results are not supported; only the text was sent`);
        return { role: 'tool', tool_call_id: m.toolCallId, content: m.content.filter((p) => p.type === 'text').map((p) => p.text).join('') };
    }
  });
}

function set(o: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) o[key] = value;
}
