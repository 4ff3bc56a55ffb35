import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeResponse } from './decode-response.js';
import { mapStopReason } from './map-stop-reason.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

describe('decodeResponse', () => {
  it('decodes text and counts cache reads and writes inside inputTokens', () => {
    const warnings: string[] = [];
    const res = decodeResponse(fixture('anthropic-text-cache.json'), 'anthropic', (w) => warnings.push(w));
    expect(res).toMatchObject({
      id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
      model: 'claude-sonnet-4-5-20250929',
      choices: [{ index: 0, content: [{ type: 'text', text: 'Bonjour ! Comment puis-je vous aider ?' }], finishReason: { unified: 'stop', raw: 'end_turn' } }],
      serviceTier: 'standard',
    });
    expect(res.usage).toEqual({ inputTokens: 21 + 188 + 1024, outputTokens: 14, totalTokens: 21 + 188 + 1024 + 14, cacheReadTokens: 1024, cacheWriteTokens: 188 });
    expect(warnings).toEqual([]);
  });

  it('decodes thinking with its signature, redacted thinking and tool_use (input → JSON string)', () => {
    const warnings: string[] = [];
    const res = decodeResponse(fixture('anthropic-thinking-tool.json'), 'anthropic', (w) => warnings.push(w));
    expect(res.choices[0]!.content).toEqual([
      { type: 'reasoning', text: 'The user wants the weather in Paris. I should call get_weather.', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' },
      { type: 'reasoning', text: '', redactedData: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP' },
      { type: 'text', text: 'Let me check the weather.' },
      { type: 'tool-call', id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', arguments: '{"location":"Paris, France","unit":"celsius"}' },
    ]);
    expect(res.choices[0]!.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_use' });
    expect(res.usage).toMatchObject({ inputTokens: 472, outputTokens: 91, cacheReadTokens: 0, cacheWriteTokens: 0 });
    expect(warnings).toEqual(['Anthropic returned "server_tool_use" content that the unified response cannot carry; omitted']);
  });

  it('reports thinking tokens when Anthropic details them', () => {
    const body = JSON.stringify({ id: 'm', content: [], stop_reason: 'max_tokens', usage: { input_tokens: 5, output_tokens: 50, output_tokens_details: { thinking_tokens: 30 } } });
    const res = decodeResponse(body, 'anthropic', () => {});
    expect(res.usage).toEqual({ inputTokens: 5, outputTokens: 50, totalTokens: 55, reasoningTokens: 30 });
    expect(res.choices[0]!.finishReason).toEqual({ unified: 'length', raw: 'max_tokens' });
  });

  it('fails with upstream_bad_response on a body that is not a message', () => {
    expect(() => decodeResponse('<html>', 'anthropic', () => {})).toThrowError(expect.objectContaining({ code: 'upstream_bad_response', retryable: true }));
    expect(() => decodeResponse('{"ok":true}', 'anthropic', () => {})).toThrowError(expect.objectContaining({ code: 'upstream_bad_response' }));
  });
});

describe('mapStopReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool-calls'],
    ['refusal', 'content-filter'],
    ['pause_turn', 'other'],
    ['something_new', 'other'],
  ])('%s → %s, raw kept', (raw, unified) => {
    expect(mapStopReason(raw)).toEqual({ unified, raw });
  });
  it('null → other without raw', () => expect(mapStopReason(null)).toEqual({ unified: 'other' }));
});
