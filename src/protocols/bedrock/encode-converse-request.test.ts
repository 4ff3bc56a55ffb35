import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GatewayError, type ChatRequest, type UpstreamTarget } from '../../spec/index.js';
import { encodeConverseRequest } from './encode-converse-request.js';

const target = (model = 'us.anthropic.claude-sonnet-4-20250514-v1:0'): UpstreamTarget => ({ provider: 'bedrock', baseUrl: 'https://bedrock-runtime.us-east-1.amazonaws.com', model, auth: { kind: 'aws-sigv4', service: 'bedrock' } });
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

function encode(req: Partial<ChatRequest>, model?: string): { body: unknown; warnings: string[] } {
  const warnings: string[] = [];
  const body = encodeConverseRequest({ model: 'x', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], ...req }, target(model), (m) => warnings.push(m));
  return { body, warnings };
}

describe('encodeConverseRequest', () => {
  it('encodes a full conversation exactly as the recorded request', () => {
    const { body, warnings } = encode({
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'You are terse.', cacheControl: { type: 'ephemeral' } }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture, and in report.pdf?' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG } },
            { type: 'file', filename: 'Q3 report (final).pdf', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0xLjQK' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'Look up the weather first.', signature: 'EqoBCkgIARAB' },
            { type: 'tool-call', id: 'tooluse_1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
          ],
        },
        { role: 'tool', toolCallId: 'tooluse_1', content: [{ type: 'text', text: '{"error":"timeout"}' }], isError: true },
        { role: 'user', content: [{ type: 'text', text: 'Try again.' }] },
      ],
      tools: [{ type: 'function', name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
      toolChoice: { type: 'tool', name: 'get_weather' },
      maxOutputTokens: 20000,
      reasoningBudgetTokens: 4096,
      stop: ['END'],
      metadata: { tenant: 'acme' },
      providerOptions: { bedrock: { guardrailConfig: { guardrailIdentifier: 'gr-1', guardrailVersion: '2', trace: 'enabled' }, performanceConfig: { latency: 'optimized' } } },
    });
    const expected: unknown = JSON.parse(readFileSync(new URL('./__fixtures__/encode-request-full.request.json', import.meta.url), 'utf8'));
    expect(body).toEqual(expected);
    expect(warnings).toEqual([]);
  });

  it('maps tool choices: auto → auto, required → any; none drops tools unless the history uses them', () => {
    const tools = [{ type: 'function' as const, name: 't', parameters: { type: 'object' } }];
    expect(encode({ tools, toolChoice: { type: 'auto' } }).body).toMatchObject({ toolConfig: { toolChoice: { auto: {} } } });
    expect(encode({ tools, toolChoice: { type: 'required' } }).body).toMatchObject({ toolConfig: { toolChoice: { any: {} } } });
    const none = encode({ tools, toolChoice: { type: 'none' } });
    expect(none.body).not.toHaveProperty('toolConfig');
    expect(none.warnings[0]).toContain('tool_choice none');
  });

  it('sends top_k where each maker reads it and warns where none does', () => {
    expect(encode({ topK: 5 }, 'anthropic.claude-3-haiku-20240307-v1:0').body).toMatchObject({ additionalModelRequestFields: { top_k: 5 } });
    expect(encode({ topK: 5 }, 'us.amazon.nova-pro-v1:0').body).toMatchObject({ additionalModelRequestFields: { inferenceConfig: { topK: 5 } } });
    const other = encode({ topK: 5 }, 'writer.palmyra-x5-v1:0');
    expect(other.body).not.toHaveProperty('additionalModelRequestFields');
    expect(other.warnings[0]).toContain('top_k');
  });

  it('turns reasoning effort into a Claude thinking budget with room for the answer, and drops sampling knobs thinking forbids', () => {
    const { body, warnings } = encode({ reasoningEffort: 'low', temperature: 0.2 });
    expect(body).toMatchObject({ inferenceConfig: { maxTokens: 4096 + 2048 }, additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 2048 } } });
    expect(body).not.toHaveProperty('inferenceConfig.temperature');
    expect(warnings[0]).toContain('temperature');
    expect(() => encode({ reasoningBudgetTokens: 5000, maxOutputTokens: 2000 })).toThrow(expect.objectContaining({ param: 'reasoning_budget_tokens' }));
    expect(encode({ reasoningEffort: 'high' }, 'meta.llama3-3-70b-instruct-v1:0').warnings[0]).toContain('reasoning_effort');
  });

  it('fails with a 400 naming the field for what Bedrock cannot do', () => {
    const err = (f: () => unknown): GatewayError => {
      try {
        f();
      } catch (e) {
        return e as GatewayError;
      }
      throw new Error('expected a failure');
    };
    expect(err(() => encode({ n: 2 }))).toMatchObject({ status: 400, param: 'n' });
    expect(err(() => encode({ responseFormat: { type: 'json_schema', name: 's', schema: {} } }))).toMatchObject({ status: 400, param: 'response_format' });
    expect(err(() => encode({ messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' } }] }] }))).toMatchObject({ param: 'messages[0].content[0]' });
    expect(err(() => encode({ messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'base64', mediaType: 'image/tiff', data: 'AA' } }] }] }))).toMatchObject({ code: 'unsupported_media_type' });
    expect(err(() => encode({ messages: [{ role: 'user', content: [{ type: 'audio', data: 'AA', format: 'wav' }] }] }))).toMatchObject({ status: 400 });
    const image = { role: 'user' as const, content: [{ type: 'image' as const, source: { kind: 'base64' as const, mediaType: 'image/png', data: PNG } }] };
    expect(err(() => encodeConverseRequest({ model: 'x', messages: [image] }, { ...target('amazon.nova-micro-v1:0'), quirks: { noVision: true } }, () => {}))).toMatchObject({ param: 'messages[0].content[0]' });
    expect(err(() => encode({ messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }, { role: 'assistant', content: [{ type: 'tool-call', id: 'a', name: 'b', arguments: '{oops' }] }] }))).toMatchObject({ param: 'messages[1].content[0].arguments' });
  });

  it('warns about every option it does not send, and keeps s3:// media as locations', () => {
    const { body, warnings } = encode({
      seed: 1,
      presencePenalty: 0.5,
      logprobs: true,
      user: 'u1',
      parallelToolCalls: false,
      responseFormat: { type: 'json_object' },
      extraBody: { foo: 1 },
      providerOptions: { openai: { store: true }, bedrock: { nonsense: 1 } },
      messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 's3://bucket/cat.jpeg' }, detail: 'high' }] }],
    });
    expect(body).toMatchObject({ messages: [{ role: 'user', content: [{ image: { format: 'jpeg', source: { s3Location: { uri: 's3://bucket/cat.jpeg' } } } }] }] });
    for (const word of ['seed', 'presence_penalty', 'logprobs', 'user', 'parallel_tool_calls', 'response_format', 'foo', 'providerOptions.openai', 'providerOptions.bedrock.nonsense', 'detail']) {
      expect(warnings.some((w) => w.includes(word)), word).toBe(true);
    }
  });

  it('merges consecutive tool results into one user turn, results first, and hoists late system messages', () => {
    const { body, warnings } = encode({
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'q' }] },
        { role: 'assistant', content: [{ type: 'tool-call', id: 'a', name: 't', arguments: '{}' }, { type: 'tool-call', id: 'b', name: 't', arguments: '' }] },
        { role: 'tool', toolCallId: 'a', content: [{ type: 'text', text: '1' }] },
        { role: 'tool', toolCallId: 'b', content: [{ type: 'text', text: '2' }] },
        { role: 'system', content: [{ type: 'text', text: 'late rule' }] },
        { role: 'user', content: [{ type: 'text', text: 'and?' }] },
      ],
      tools: [{ type: 'function', name: 't' }],
    });
    const b = body as { messages: { role: string; content: Record<string, unknown>[] }[]; system: unknown[] };
    expect(b.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(b.messages[2]!.content.map((c) => Object.keys(c)[0])).toEqual(['toolResult', 'toolResult', 'text']);
    expect(b.system).toEqual([{ text: 'late rule' }]);
    expect(warnings[0]).toContain('messages[4]');
  });
});
