import { describe, expect, it } from 'vitest';
import { decodeMessagesRequest, translatedRequest } from './index.js';

/** What Claude Code sends (fields and headers from the recorded fixture). */
const claudeCodeBody = {
  model: 'claude-public',
  max_tokens: 32000,
  messages: [{ role: 'user', content: 'hi' }],
  thinking: { type: 'adaptive' },
  context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
  output_config: { effort: 'high' },
  tools: [{ type: 'web_search_20250305', name: 'web_search' }],
};
const headers = { 'anthropic-beta': 'claude-code-20250219,context-management-2025-06-27' };

function translate(body: unknown, readsAnthropicOptions: boolean) {
  const warnings: string[] = [];
  const request = translatedRequest(decodeMessagesRequest(body, headers), { provider: 'someprovider', readsAnthropicOptions }, (w) => warnings.push(w));
  return { request, warnings };
}

describe('translatedRequest', () => {
  it('for a protocol that does not read Anthropic options: maps what has meaning, reports every other field by name', () => {
    const { request, warnings } = translate(claudeCodeBody, false);
    expect(request.reasoningEffort).toBe('high');
    expect(request.providerOptions).toBeUndefined();
    expect(request.tools).toEqual([]);
    expect(warnings).toEqual([
      'tools.0: Anthropic server tool "web_search_20250305" cannot run on this upstream; omitted',
      'context_management: Anthropic-only field, not sent to someprovider',
      'thinking: Anthropic-only field, not sent to someprovider',
      'anthropic-beta (claude-code-20250219,context-management-2025-06-27): Anthropic beta flags do not apply to someprovider; not sent',
    ]);
  });

  it('for Claude through another cloud: the client Anthropic fields as sent, not their lossy mapping', () => {
    const { request, warnings } = translate({ ...claudeCodeBody, thinking: { type: 'enabled', budget_tokens: 2048 }, output_config: { effort: 'low', format: { type: 'json_schema', schema: { type: 'object' } } } }, true);
    expect(request.reasoningBudgetTokens).toBeUndefined();
    expect(request.reasoningEffort).toBeUndefined();
    expect(request.responseFormat).toBeUndefined();
    expect(request.providerOptions).toEqual({
      anthropic: {
        context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
        betas: ['claude-code-20250219', 'context-management-2025-06-27'],
        thinking: { type: 'enabled', budget_tokens: 2048 },
        output_config: { effort: 'low', format: { type: 'json_schema', schema: { type: 'object' } } },
      },
    });
    // Server tools still cannot travel through the unified request.
    expect(warnings).toEqual(['tools.0: Anthropic server tool "web_search_20250305" cannot run on this upstream; omitted']);
  });

  it('keeps another namespace and throws what only Anthropic can take', () => {
    const decoded = decodeMessagesRequest({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'f' } }] }] }, {});
    expect(() => translatedRequest(decoded, { provider: 'p', readsAnthropicOptions: false }, () => {})).toThrow(/Anthropic file id/);
    const plain = decodeMessagesRequest({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }, {});
    plain.request.providerOptions = { anthropic: { service_tier: 'auto' }, openai: { store: true } };
    expect(translatedRequest(plain, { provider: 'p', readsAnthropicOptions: false }, () => {}).providerOptions).toEqual({ openai: { store: true } });
  });
});
