import { describe, it, expect } from 'vitest';
import {
  countPromptTokens,
  countTextTokens,
  encodingForModel,
  estimateInputTokens,
  isTokenizerLoaded,
} from '../../src/accounting/count-tokens.js';
import type { ChatRequest } from '../../src/spec/index.js';

const request: ChatRequest = {
  model: 'gpt-4o',
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'You are a helpful assistant.' }] },
    { role: 'user', content: [{ type: 'text', text: 'What is the capital of France? Answer in one word.' }] },
  ],
};

describe('token counting', () => {
  it('picks cl100k for the GPT-3.5/4 generation and o200k for 4o and everything else', () => {
    expect(encodingForModel('gpt-4')).toBe('cl100k_base');
    expect(encodingForModel('gpt-4-turbo-2024-04-09')).toBe('cl100k_base');
    expect(encodingForModel('gpt-3.5-turbo')).toBe('cl100k_base');
    expect(encodingForModel('text-embedding-3-small')).toBe('cl100k_base');
    expect(encodingForModel('gpt-4o-mini')).toBe('o200k_base');
    expect(encodingForModel('gpt-4.1')).toBe('o200k_base');
    expect(encodingForModel('openai/gpt-4o')).toBe('o200k_base');
    expect(encodingForModel('claude-sonnet-4')).toBe('o200k_base');
    expect(encodingForModel(undefined)).toBe('o200k_base');
  });

  it('loads an encoder only when first needed', () => {
    expect(isTokenizerLoaded('cl100k_base')).toBe(false);
    expect(estimateInputTokens(request)).toBeGreaterThan(0);
    expect(isTokenizerLoaded('cl100k_base')).toBe(false);
    // OpenAI cookbook: "tiktoken is great!" is 6 tokens in cl100k_base.
    expect(countTextTokens('tiktoken is great!', 'gpt-4')).toBe(6);
    expect(isTokenizerLoaded('cl100k_base')).toBe(true);
  });

  it('counts text with o200k and does not choke on special-token text', () => {
    expect(countTextTokens('', 'gpt-4o')).toBe(0);
    expect(countTextTokens('Hello world', 'gpt-4o')).toBe(2);
    expect(countTextTokens('<|endoftext|>', 'gpt-4o')).toBeGreaterThan(1);
  });

  it('counts a chat prompt with per-message framing', () => {
    const sys = countTextTokens('You are a helpful assistant.', 'gpt-4o');
    const user = countTextTokens('What is the capital of France? Answer in one word.', 'gpt-4o');
    expect(countPromptTokens(request)).toBe(3 + (3 + sys) + (3 + user));
  });

  it('estimates within a factor of two of the real count for English text', () => {
    const long: ChatRequest = { model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'text', text: 'The quick brown fox jumps over the lazy dog. '.repeat(200) }] }] };
    const real = countPromptTokens(long);
    const est = estimateInputTokens(long);
    expect(est).toBeGreaterThan(real / 2);
    expect(est).toBeLessThan(real * 2);
  });

  it('gives images a flat size in the estimate instead of counting base64', () => {
    const img: ChatRequest = { model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'A'.repeat(400_000) } }] }] };
    expect(estimateInputTokens(img)).toBe(3 + 3 + 1000);
  });
});
