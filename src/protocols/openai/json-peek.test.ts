import { describe, expect, it } from 'vitest';
import { peekLastObject, peekString } from './json-peek.js';

const USAGE = Buffer.from('"usage"');
const MODEL = Buffer.from('"model"');

describe('json-peek', () => {
  it('finds the top-level usage object and model without being fooled by string content', () => {
    const body = Buffer.from(
      JSON.stringify({
        id: 'x',
        model: 'gpt-4o',
        choices: [{ message: { content: 'the "usage": {"prompt_tokens": 999} and "model": "fake" and a } brace' } }],
        usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7, prompt_tokens_details: { cached_tokens: 1 } },
      }, null, 2),
    );
    expect(peekLastObject(body, USAGE)).toEqual({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7, prompt_tokens_details: { cached_tokens: 1 } });
    expect(peekString(body, MODEL)).toBe('gpt-4o');
  });

  it('returns undefined when the value is absent, null or not an object', () => {
    expect(peekLastObject(Buffer.from('{"usage":null}'), USAGE)).toBeUndefined();
    expect(peekLastObject(Buffer.from('{"content":"usage"}'), USAGE)).toBeUndefined();
    expect(peekLastObject(Buffer.from('{"usage":{"a":1'), USAGE)).toBeUndefined();
    expect(peekString(Buffer.from('{"model":5}'), MODEL)).toBeUndefined();
  });
});
