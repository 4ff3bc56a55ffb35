import { describe, expect, it } from 'vitest';
import { GatewayError, type Message } from '../../spec/index.js';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';

function convert(messages: Message[]) {
  const warnings: string[] = [];
  const prompt = convertToAnthropicMessages(messages, (w) => warnings.push(w));
  return { ...prompt, warnings };
}

describe('convertToAnthropicMessages', () => {
  it('hoists every system and developer message into `system`, keeping cache_control', () => {
    const out = convert([
      { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'system', developer: true, content: [{ type: 'text', text: 'Long policy', cacheControl: { type: 'ephemeral' } }] },
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
      { role: 'system', content: [{ type: 'text', text: 'Late rule.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Again' }] },
    ]);
    expect(out.system).toEqual([
      { type: 'text', text: 'Be brief.' },
      { type: 'text', text: 'Long policy', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'Late rule.' },
    ]);
    // The two user turns around the hoisted system message merge into one.
    expect(out.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hi' }, { type: 'text', text: 'Again' }] }]);
    expect(out.warnings).toEqual(["messages[3]: a system message inside the conversation was moved into Anthropic's system prompt"]);
  });

  it('sends a single plain system message as a string', () => {
    const out = convert([
      { role: 'system', content: [{ type: 'text', text: 'Only rule.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
    ]);
    expect(out.system).toBe('Only rule.');
    expect(out.warnings).toEqual([]);
  });

  it('converts images (base64, URL, data URL) and documents', () => {
    const out = convert([
      {
        role: 'user',
        content: [
          { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' }, detail: 'high' },
          { type: 'image', source: { kind: 'url', url: 'data:image/jpeg;base64,/9j/4AAQ' } },
          { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0x' }, filename: 'report.pdf' },
          { type: 'file', source: { kind: 'url', url: 'https://example.com/paper.pdf' } },
          { type: 'file', source: { kind: 'base64', mediaType: 'text/plain', data: Buffer.from('plain notes').toString('base64') } },
          { type: 'file', source: { kind: 'file-id', fileId: 'file_011' } },
        ],
      },
    ]);
    expect(out.messages[0]!.content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0x' }, title: 'report.pdf' },
      { type: 'document', source: { type: 'url', url: 'https://example.com/paper.pdf' } },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain notes' } },
      { type: 'document', source: { type: 'file', file_id: 'file_011' } },
    ]);
    expect(out.warnings).toEqual(['messages[0].content[1].detail: Anthropic has no image detail setting; "high" ignored']);
  });

  it('refuses audio and unsupported document types with a 400 naming the part', () => {
    const audio = () => convert([{ role: 'user', content: [{ type: 'audio', data: 'AAAA', format: 'wav' }] }]);
    expect(audio).toThrowError(GatewayError);
    expect(audio).toThrowError(/messages\[0\]\.content\[0\]/);
    try {
      convert([{ role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'file', source: { kind: 'base64', mediaType: 'application/zip', data: 'UEs=' } }] }]);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ status: 415, param: 'messages[0].content[1]' });
    }
  });

  it('round-trips thinking with its signature, redacted thinking and tool calls, then tool results as a user turn', () => {
    const out = convert([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and time?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'Need two tools.', signature: 'sig-abc' },
          { type: 'reasoning', text: '', redactedData: 'opaque==' },
          { type: 'text', text: '' },
          { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { type: 'tool-call', id: 'toolu_2', name: 'get_time', arguments: '' },
        ],
      },
      { role: 'tool', toolCallId: 'toolu_1', content: [{ type: 'text', text: '18°C' }] },
      { role: 'tool', toolCallId: 'toolu_2', content: [{ type: 'text', text: 'tool crashed' }], isError: true },
      { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
    ]);
    expect(out.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and time?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Need two tools.', signature: 'sig-abc' },
          { type: 'redacted_thinking', data: 'opaque==' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_time', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: 'tool crashed', is_error: true },
          { type: 'text', text: 'Thanks' },
        ],
      },
    ]);
  });

  it('puts tool results first when a user message came before them in the merged turn', () => {
    const out = convert([
      { role: 'assistant', content: [{ type: 'tool-call', id: 't', name: 'f', arguments: '{}' }] },
      { role: 'user', content: [{ type: 'text', text: 'note' }] },
      { role: 'tool', toolCallId: 't', content: [{ type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AA==' } }] },
    ]);
    expect(out.messages[1]!.content).toEqual([
      { type: 'tool_result', tool_use_id: 't', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AA==' } }] },
      { type: 'text', text: 'note' },
    ]);
  });

  it('fails with a 400 naming the field when tool arguments are not a JSON object', () => {
    const bad = (args: string) => () =>
      convert([
        { role: 'user', content: [{ type: 'text', text: 'x' }] },
        { role: 'assistant', content: [{ type: 'tool-call', id: 't', name: 'f', arguments: args }] },
      ]);
    expect(bad('{"city": ')).toThrowError(/not valid JSON/);
    expect(bad('[1,2]')).toThrowError(/must be a JSON object/);
    try {
      bad('{oops')();
    } catch (e) {
      expect(e).toMatchObject({ status: 400, param: 'messages[1].content[0].arguments', code: 'invalid_request' });
    }
  });

  it('warns when reasoning has no Anthropic signature, and for participant names', () => {
    const out = convert([
      { role: 'user', name: 'alice', content: [{ type: 'text', text: 'x' }] },
      { role: 'assistant', content: [{ type: 'reasoning', text: 'from another model' }, { type: 'text', text: 'ok' }] },
    ]);
    expect(out.messages[1]).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'ok' }] });
    expect(out.warnings).toHaveLength(2);
    expect(out.warnings[1]).toMatch(/messages\[1\]\.content\[0\]: reasoning without an Anthropic signature/);
  });
});
