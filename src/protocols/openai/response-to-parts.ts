import type { ChatResponse, StreamPart } from '../../spec/index.js';

/**
 * A whole ChatResponse as stream parts, for upstreams that ignore
 * `stream: true` and answer with one JSON body.
 */
export function* responseToParts(res: ChatResponse): Generator<StreamPart> {
  const start: StreamPart = { type: 'start', id: res.id, model: res.model, created: res.created };
  if (res.systemFingerprint !== undefined) start.systemFingerprint = res.systemFingerprint;
  if (res.serviceTier !== undefined) start.serviceTier = res.serviceTier;
  yield start;
  for (const c of res.choices) {
    let toolIndex = 0;
    for (const p of c.content) {
      if (p.type === 'reasoning') yield { type: 'reasoning-delta', choice: c.index, text: p.text };
      else if (p.type === 'text') yield { type: 'text-delta', choice: c.index, text: p.text };
      else {
        yield { type: 'tool-call-start', choice: c.index, toolIndex, id: p.id, name: p.name };
        if (p.arguments !== '') yield { type: 'tool-call-delta', choice: c.index, toolIndex, argumentsDelta: p.arguments };
        toolIndex++;
      }
    }
    if (c.refusal !== undefined) yield { type: 'refusal-delta', choice: c.index, text: c.refusal };
    if (c.logprobs !== undefined) yield { type: 'logprobs', choice: c.index, content: c.logprobs };
    yield { type: 'finish', choice: c.index, finishReason: c.finishReason };
  }
  yield { type: 'usage', usage: res.usage };
}
