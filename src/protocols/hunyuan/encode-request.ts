import { GatewayError, type ChatRequest, type Message, type Tool } from '../../spec/index.js';
import type { HunyuanContent, HunyuanMessage, HunyuanRequest, HunyuanTool } from './hunyuan-wire.js';

type Warn = (message: string) => void;

/**
 * Unified request → Hunyuan `ChatCompletions` parameters. Hunyuan has no
 * output-token cap, penalties, logprobs or n: those warn (or fail for n > 1).
 * `providerOptions.hunyuan` is Hunyuan's own vocabulary (EnableEnhancement,
 * SearchInfo, StreamModeration …) set on the body as given.
 */
export function encodeRequest(req: ChatRequest, model: string, stream: boolean, warn: Warn): HunyuanRequest {
  if (req.n !== undefined && req.n > 1) {
    throw new GatewayError('unsupported_parameter', { message: 'n: Hunyuan returns one choice per request; n > 1 is not supported', param: 'n' });
  }
  const body: HunyuanRequest = { Model: model, Messages: encodeMessages(req.messages, warn) };
  if (stream) body.Stream = true;
  if (req.tools !== undefined && req.tools.length > 0) {
    body.Tools = req.tools.map(encodeTool);
    const choice = req.toolChoice;
    if (choice?.type === 'none') body.ToolChoice = 'none';
    else if (choice?.type === 'tool') {
      const tool = req.tools.find((t) => t.name === choice.name);
      if (tool === undefined) throw new GatewayError('invalid_request', { message: `tool_choice names "${choice.name}", which is not among the tools`, param: 'tool_choice' });
      body.ToolChoice = 'custom';
      body.CustomTool = encodeTool(tool);
    } else if (choice?.type === 'required') {
      if (req.tools.length === 1) {
        body.ToolChoice = 'custom';
        body.CustomTool = encodeTool(req.tools[0] as Tool);
      } else {
        body.ToolChoice = 'auto';
        warn('hunyuan: tool_choice "required" has no Hunyuan equivalent with several tools; sent as auto');
      }
    } else if (choice?.type === 'auto') body.ToolChoice = 'auto';
  }
  if (req.temperature !== undefined) body.Temperature = req.temperature;
  if (req.topP !== undefined) body.TopP = req.topP;
  if (req.seed !== undefined) body.Seed = req.seed;
  if (req.stop !== undefined && req.stop.length > 0) {
    body.Stop = [...req.stop];
    warn('hunyuan: generation stops after a stop sequence, not before it as OpenAI does');
  }
  if (req.reasoningEffort === 'none') body.EnableThinking = false;
  else if (req.reasoningEffort !== undefined) body.EnableThinking = true;
  if (req.reasoningBudgetTokens !== undefined) warn('hunyuan: a thinking budget is not supported; only thinking on/off is');

  const ignored: [unknown, string][] = [
    [req.maxOutputTokens, 'max_tokens'],
    [req.topK, 'top_k'],
    [req.presencePenalty, 'presence_penalty'],
    [req.frequencyPenalty, 'frequency_penalty'],
    [req.logitBias, 'logit_bias'],
    [req.logprobs, 'logprobs'],
    [req.topLogprobs, 'top_logprobs'],
    [req.user, 'user'],
    [req.metadata, 'metadata'],
    [req.parallelToolCalls, 'parallel_tool_calls'],
  ];
  for (const [value, name] of ignored) if (value !== undefined) warn(`hunyuan: ${name} is not supported and was not sent`);
  if (req.responseFormat !== undefined && req.responseFormat.type !== 'text') warn('hunyuan: response_format is not supported; ask for JSON in the prompt');
  for (const key of Object.keys(req.extraBody ?? {})) warn(`hunyuan: unknown field \`${key}\` was not sent`);
  for (const [ns, values] of Object.entries(req.providerOptions ?? {})) {
    if (ns === 'hunyuan') Object.assign(body, values);
    else warn(`hunyuan: providerOptions.${ns} is for another provider and was ignored`);
  }
  return body;
}

function encodeTool(t: Tool): HunyuanTool {
  const fn: HunyuanTool['Function'] = { Name: t.name, Parameters: JSON.stringify(t.parameters ?? { type: 'object', properties: {} }) };
  if (t.description !== undefined) fn.Description = t.description;
  return { Type: 'function', Function: fn };
}

/** Hunyuan wants one leading system message; later ones are merged into it with a warning. */
function encodeMessages(messages: Message[], warn: Warn): HunyuanMessage[] {
  const system: string[] = [];
  const out: HunyuanMessage[] = [];
  messages.forEach((m, i) => {
    const at = `messages[${i}]`;
    switch (m.role) {
      case 'system':
        if (out.length > 0) warn(`hunyuan: system message at ${at} moved to the front (Hunyuan takes one, first)`);
        system.push(m.content.map((p) => p.text).join('\n'));
        return;
      case 'user': {
        if (m.content.every((p) => p.type === 'text')) {
          out.push({ Role: 'user', Content: m.content.map((p) => p.text).join('\n') });
          return;
        }
        const contents = m.content.map((p, j): HunyuanContent => {
          if (p.type === 'text') return { Type: 'text', Text: p.text };
          if (p.type === 'image') {
            const url = p.source.kind === 'url' ? p.source.url : `data:${p.source.mediaType};base64,${p.source.data}`;
            return { Type: 'image_url', ImageUrl: { Url: url } };
          }
          const param = `${at}.content[${j}]`;
          throw new GatewayError('unsupported_parameter', { message: `${param}: Hunyuan takes text and images, not ${p.type} parts`, param });
        });
        out.push({ Role: 'user', Contents: contents });
        return;
      }
      case 'assistant': {
        const msg: HunyuanMessage = { Role: 'assistant', Content: m.content.filter((p) => p.type === 'text').map((p) => p.text).join('') };
        const calls = m.content.filter((p) => p.type === 'tool-call');
        if (calls.length > 0) msg.ToolCalls = calls.map((c) => ({ Id: c.id, Type: 'function', Function: { Name: c.name, Arguments: c.arguments === '' ? '{}' : c.arguments } }));
        // Tencent documents that ReasoningContent must not be sent back.
        if (m.content.some((p) => p.type === 'reasoning')) warn('hunyuan: reasoning from earlier turns is not sent back (Hunyuan rejects it)');
        out.push(msg);
        return;
      }
      case 'tool': {
        if (m.content.some((p) => p.type === 'image')) warn(`hunyuan: ${at} image tool results are not supported; only the text was sent`);
        const text = m.content.filter((p) => p.type === 'text').map((p) => p.text).join('');
        out.push({ Role: 'tool', ToolCallId: m.toolCallId, Content: m.isError ? JSON.stringify({ error: text }) : text === '' ? '{}' : text });
        return;
      }
    }
  });
  return system.length > 0 ? [{ Role: 'system', Content: system.join('\n\n') }, ...out] : out;
}
