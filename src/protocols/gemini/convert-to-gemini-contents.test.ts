import { describe, expect, it } from 'vitest';
import { GatewayError, type Message } from '../../spec/index.js';
import { convertToGeminiContents, guessMimeType } from './convert-to-gemini-contents.js';

function convert(messages: Message[]) {
  const warnings: string[] = [];
  return { ...convertToGeminiContents(messages, (w) => warnings.push(w)), warnings };
}

const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });

describe('convertToGeminiContents', () => {
  it('puts system and developer messages into systemInstruction and warns about a late one', () => {
    const out = convert([
      { role: 'system', content: [{ type: 'text', text: 'Be terse.' }] },
      { role: 'system', developer: true, content: [{ type: 'text', text: 'Answer in French.' }] },
      user('Hi'),
      { role: 'system', content: [{ type: 'text', text: 'Late rule.' }] },
    ]);
    expect(out.systemInstruction).toEqual({ parts: [{ text: 'Be terse.' }, { text: 'Answer in French.' }, { text: 'Late rule.' }] });
    expect(out.contents).toEqual([{ role: 'user', parts: [{ text: 'Hi' }] }]);
    expect(out.warnings).toEqual(['gemini: system message at messages[3] moved into systemInstruction (Gemini has a single system instruction)']);
  });

  it('names tool results from the earlier call with the same id and merges the parallel answers into one user turn', () => {
    const out = convert([
      user('Weather and time in Paris?'),
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'Two tools.', signature: 'c2lnLXRob3VnaHQ=' },
          { type: 'reasoning', text: '', signature: 'c2lnLWNhbGw=' },
          { type: 'tool-call', id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { type: 'tool-call', id: 'call_b', name: 'get_time', arguments: '' },
        ],
      },
      { role: 'tool', toolCallId: 'call_a', content: [{ type: 'text', text: '{"temp":21}' }] },
      { role: 'tool', toolCallId: 'call_b', content: [{ type: 'text', text: '14:05' }] },
      user('Thanks!'),
    ]);
    expect(out.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather and time in Paris?' }] },
      {
        role: 'model',
        parts: [
          { text: 'Two tools.', thought: true, thoughtSignature: 'c2lnLXRob3VnaHQ=' },
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'c2lnLWNhbGw=' },
          { functionCall: { name: 'get_time', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { temp: 21 } } },
          { functionResponse: { name: 'get_time', response: { result: '14:05' } } },
          { text: 'Thanks!' },
        ],
      },
    ]);
    expect(out.warnings).toEqual([]);
  });

  it('prefers toolName on the message, finds the most recent call when ids repeat, and wraps errors', () => {
    const out = convert([
      user('a'),
      { role: 'assistant', content: [{ type: 'tool-call', id: 'call_0', name: 'old_tool', arguments: '{}' }] },
      { role: 'tool', toolCallId: 'call_0', content: [{ type: 'text', text: 'x' }] },
      { role: 'assistant', content: [{ type: 'tool-call', id: 'call_0', name: 'new_tool', arguments: '{}' }] },
      { role: 'tool', toolCallId: 'call_0', isError: true, content: [{ type: 'text', text: 'boom' }] },
      { role: 'tool', toolCallId: 'whatever', toolName: 'named_tool', content: [{ type: 'text', text: '[1,2]' }] },
    ]);
    const responses = out.contents.flatMap((c) => c.parts).filter((p) => p.functionResponse).map((p) => p.functionResponse);
    expect(responses).toEqual([
      { name: 'old_tool', response: { result: 'x' } },
      { name: 'new_tool', response: { error: 'boom' } },
      { name: 'named_tool', response: { result: [1, 2] } },
    ]);
  });

  it('fails with a 400 naming the field for an unknown tool call id or invalid arguments', () => {
    const orphan = () => convert([user('a'), { role: 'tool', toolCallId: 'nope', content: [{ type: 'text', text: 'x' }] }]);
    expect(orphan).toThrowError(GatewayError);
    try {
      orphan();
    } catch (e) {
      expect((e as GatewayError).status).toBe(400);
      expect((e as GatewayError).param).toBe('messages[1].tool_call_id');
    }
    const badArgs = () => convert([user('a'), { role: 'assistant', content: [{ type: 'tool-call', id: 'c', name: 'f', arguments: '{"city":' }] }]);
    expect(badArgs).toThrowError(/valid JSON/);
    try {
      badArgs();
    } catch (e) {
      expect((e as GatewayError).param).toBe('messages[1].tool_calls[0].function.arguments');
    }
  });

  it('sends inline images and files as inlineData and URLs as fileData with a guessed type', () => {
    const out = convert([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare' },
          { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.JPG?size=large' } },
          { type: 'image', source: { kind: 'url', url: 'data:image/webp;base64,UklGRg==' } },
          { type: 'file', source: { kind: 'url', url: 'https://example.com/report.pdf' }, filename: 'report.pdf' },
          { type: 'file', source: { kind: 'file-id', fileId: 'files/abc123' } },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/render' }, detail: 'high' },
          { type: 'audio', data: 'UklGRiQ=', format: 'wav' },
        ],
      },
    ]);
    expect(out.contents[0]!.parts).toEqual([
      { text: 'Compare' },
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
      { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/cat.JPG?size=large' } },
      { inlineData: { mimeType: 'image/webp', data: 'UklGRg==' } },
      { fileData: { mimeType: 'application/pdf', fileUri: 'https://example.com/report.pdf' } },
      { fileData: { fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc123' } },
      { fileData: { fileUri: 'https://example.com/render' } },
      { inlineData: { mimeType: 'audio/wav', data: 'UklGRiQ=' } },
    ]);
    expect(out.warnings).toEqual([
      'gemini: could not tell the media type of messages[0].content[5] from its URL; sent without mimeType',
      'gemini: image `detail` is not supported and was ignored',
      'gemini: could not tell the media type of messages[0].content[6] from its URL; sent without mimeType',
    ]);
  });

  it('guesses common media types and gives up on unknown ones', () => {
    expect(guessMimeType('https://x.test/a/b.webp')).toBe('image/webp');
    expect(guessMimeType('https://www.youtube.com/watch?v=abc')).toBe('video/*');
    expect(guessMimeType('https://x.test/blob')).toBeUndefined();
  });
});
