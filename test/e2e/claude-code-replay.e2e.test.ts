import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  checkAnthropicStream,
  ConversationalOpenAI,
  FINAL_ANSWER,
  MAIN_MODEL,
  NOTE_TEXT,
  PLAIN_ANSWER,
  SMALL_MODEL,
  TOOL_CALL_ID,
  UPSTREAM_MAIN,
  UPSTREAM_SMALL,
  parseSse,
  type RecordedCall,
} from '../fixtures/claude-code/claude-code-kit.js';
import { FakeGemini } from '../fakes/gemini-fake.js';
import { startTestGateway, type TestGateway } from './harness.js';

/**
 * Replays what Claude Code 2.1.197 really sent (recorded by
 * claude-code-live.e2e.test.ts, prose redacted) against the gateway in front
 * of the OpenAI fake, so CI checks the CLI's traffic without the CLI:
 * `HEAD /`, `POST /v1/messages?beta=true` with adaptive thinking,
 * context_management, output_config, a system message inside `messages`,
 * beta headers, ~24 tools, and a tool_use → tool_result round trip.
 */
function fixture(name: string): RecordedCall[] {
  const raw = readFileSync(new URL(`../fixtures/claude-code/${name}.requests.json`, import.meta.url), 'utf8');
  return (JSON.parse(raw) as { calls: RecordedCall[] }).calls;
}

describe('Claude Code traffic replayed against switchyard → OpenAI fake', () => {
  const fake = new ConversationalOpenAI();
  let gw: TestGateway;

  beforeAll(async () => {
    await fake.start();
    gw = await startTestGateway({
      deployments: [
        { publicModel: MAIN_MODEL, protocol: 'openai', baseUrl: `${fake.url}/v1`, model: UPSTREAM_MAIN },
        { publicModel: SMALL_MODEL, protocol: 'openai', baseUrl: `${fake.url}/v1`, model: UPSTREAM_SMALL },
      ],
      router: { numRetries: 0 },
    });
  });
  afterAll(async () => {
    await gw?.close();
    await fake.stop();
  });
  beforeEach(() => fake.reset());

  function send(call: RecordedCall): Promise<Response> {
    return fetch(`${gw.url}${call.url}`, {
      method: call.method,
      headers: { ...call.headers, authorization: `Bearer ${gw.key}` },
      body: call.body === null ? undefined : JSON.stringify(call.body),
    });
  }

  async function replayMessages(call: RecordedCall) {
    const res = await send(call);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    const result = checkAnthropicStream(parseSse(await res.text()));
    return { res, ...result };
  }

  it('answers the recorded plain prompt with a well-formed stream', async () => {
    const calls = fixture('plain');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['HEAD /', 'POST /v1/messages?beta=true']);
    expect((await send(calls[0]!)).status).toBe(200);

    const { res, content, stopReason, usage } = await replayMessages(calls[1]!);
    expect(content).toEqual([{ type: 'text', text: PLAIN_ANSWER }]);
    expect(stopReason).toBe('end_turn');
    expect(usage).toMatchObject({ input_tokens: 700, output_tokens: 2 });

    // Every Anthropic-only field and header was reported, not silently dropped.
    const warning = res.headers.get('x-switchyard-warning') ?? '';
    for (const field of ['thinking: Anthropic-only field', 'context_management: Anthropic-only field', 'anthropic-beta (claude-code-20250219']) expect(warning).toContain(field);

    // What the OpenAI upstream received: the mapped request, in its own dialect.
    const sent = fake.lastRequest()!.body;
    const recorded = calls[1]!.body!;
    expect(sent).toMatchObject({ model: UPSTREAM_MAIN, stream: true, max_completion_tokens: recorded.max_tokens, reasoning_effort: recorded.output_config.effort });
    expect(sent.tools).toHaveLength(recorded.tools.length);
    expect(sent.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'system']);
    expect(sent).not.toHaveProperty('context_management');
    expect(sent).not.toHaveProperty('thinking');
  });

  it('round-trips the recorded Read tool call and its result', async () => {
    const calls = fixture('tool-use');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['HEAD /', 'POST /v1/messages?beta=true', 'POST /v1/messages?beta=true']);
    // The fake must name the same file the recording did, so the second request matches the first answer.
    const recordedCall = (calls[2]!.body!.messages as { role: string; content: unknown }[]).find((m) => m.role === 'assistant')!.content as { input: { file_path: string } }[];
    fake.notePath = recordedCall[0]!.input.file_path;

    const first = await replayMessages(calls[1]!);
    expect(first.stopReason).toBe('tool_use');
    expect(first.content).toEqual([{ type: 'tool_use', id: TOOL_CALL_ID, name: 'Read', input: { file_path: fake.notePath } }]);

    const second = await replayMessages(calls[2]!);
    expect(second.content).toEqual([{ type: 'text', text: FINAL_ANSWER }]);
    expect(second.stopReason).toBe('end_turn');
    const sent = fake.lastRequest()!.body;
    const roles = sent.messages.map((m: { role: string }) => m.role);
    expect(roles).toEqual(['system', 'user', 'system', 'assistant', 'tool']);
    expect(sent.messages[3].tool_calls).toEqual([{ id: TOOL_CALL_ID, type: 'function', function: { name: 'Read', arguments: JSON.stringify({ file_path: fake.notePath }) } }]);
    expect(sent.messages[4]).toMatchObject({ role: 'tool', tool_call_id: TOOL_CALL_ID });
    expect(sent.messages[4].content).toContain(NOTE_TEXT);
  });
});

describe('Claude Code traffic replayed against switchyard → Gemini fake', () => {
  const fake = new FakeGemini();
  let gw: TestGateway;

  beforeAll(async () => {
    await fake.start();
    gw = await startTestGateway({ deployments: [{ publicModel: MAIN_MODEL, protocol: 'gemini', baseUrl: `${fake.url}/v1beta`, model: 'gemini-2.5-flash' }], router: { numRetries: 0 } });
  });
  afterAll(async () => {
    await gw?.close();
    await fake.stop();
  });

  it('translates every recorded request (24 tools, mid-conversation system, tool results) into a valid Gemini call', async () => {
    fake.script('gemini-2.5-flash', { text: PLAIN_ANSWER });
    for (const call of [...fixture('plain'), ...fixture('tool-use')].filter((c) => c.method === 'POST')) {
      const res = await fetch(`${gw.url}${call.url}`, { method: 'POST', headers: { ...call.headers, authorization: `Bearer ${gw.key}` }, body: JSON.stringify(call.body) });
      expect(res.status).toBe(200);
      const { content, stopReason } = checkAnthropicStream(parseSse(await res.text()));
      expect(content).toEqual([{ type: 'text', text: PLAIN_ANSWER }]);
      expect(stopReason).toBe('end_turn');
      expect(res.headers.get('x-switchyard-warning')).toContain('context_management: Anthropic-only field, not sent to gemini');
    }
    const last = fake.lastRequest()!.body;
    expect(last.tools[0].functionDeclarations).toHaveLength(fixture('tool-use')[2]!.body!.tools.length);
    expect(JSON.stringify(last.contents)).toContain(NOTE_TEXT);
  });
});
