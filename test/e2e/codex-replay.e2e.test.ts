import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  checkResponsesStream,
  CODEX_MODEL,
  ConversationalCodexUpstream,
  FINAL_ANSWER,
  NOTE_TEXT,
  PLAIN_ANSWER,
  parseSse,
  SHELL_TOOL,
  TOOL_CALL_ID,
  UPSTREAM_MODEL,
  type RecordedCall,
} from '../fixtures/codex/codex-kit.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { deploymentsFor, protocolFixtures } from './fakes.js';
import { startTestGateway, type TestGateway } from './harness.js';

/**
 * Replays what Codex CLI 0.169.0 really sent (recorded by
 * codex-live.e2e.test.ts, prose redacted) so CI checks the CLI's traffic
 * without the CLI: `POST /v1/responses` streamed, `store: false` with the
 * whole conversation each turn, developer messages, a `namespace` tool
 * group beside function tools, `reasoning.summary`, `include:
 * ['reasoning.encrypted_content']`, `prompt_cache_key`, `client_metadata`,
 * and a shell call → function_call_output round trip.
 */
function fixture(name: string): RecordedCall[] {
  const raw = readFileSync(new URL(`../fixtures/codex/${name}.requests.json`, import.meta.url), 'utf8');
  return (JSON.parse(raw) as { calls: RecordedCall[] }).calls;
}

type Json = Record<string, any>;

async function send(gw: TestGateway, call: RecordedCall): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(`${gw.url}${call.url}`, {
    method: call.method,
    headers: { ...call.headers, authorization: `Bearer ${gw.key}` },
    body: call.body === null ? undefined : JSON.stringify(call.body),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Sends a recorded streamed call and returns the final response after checking the event grammar. */
async function replay(gw: TestGateway, call: RecordedCall): Promise<Json> {
  const res = await send(gw, call);
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  return checkResponsesStream(parseSse(res.text));
}

function textOf(response: Json): string {
  return (response.output as Json[]).filter((o) => o.type === 'message').flatMap((o) => (o.content as Json[]).map((c) => c.text ?? '')).join('');
}

describe('Codex traffic replayed against switchyard → OpenAI fake', () => {
  const fake = new ConversationalCodexUpstream();
  let gw: TestGateway;

  beforeAll(async () => {
    await fake.start();
    gw = await startTestGateway({ deployments: [{ publicModel: CODEX_MODEL, protocol: 'openai', baseUrl: `${fake.url}/v1`, model: UPSTREAM_MODEL }], router: { numRetries: 0 } });
  });
  afterAll(async () => {
    await gw?.close();
    await fake.stop();
  });
  beforeEach(() => fake.reset());

  it('the recorded requests are what Codex sends (guards the fixture)', () => {
    const [call] = fixture('plain');
    expect(call).toMatchObject({ method: 'POST', url: '/v1/responses', headers: { accept: 'text/event-stream' } });
    expect(call!.body).toMatchObject({ model: CODEX_MODEL, stream: true, store: false, include: ['reasoning.encrypted_content'], reasoning: { summary: 'auto' }, tool_choice: 'auto' });
    const types = (call!.body!.tools as Json[]).map((t) => t.type);
    expect(types).toContain('namespace');
    expect(types).not.toContain('web_search');
    expect((call!.body!.input as Json[]).map((i) => i.role)).toEqual(['developer', 'developer', 'user', 'user']);
  });

  it('answers the plain prompt with a valid event stream; developer messages and flattened namespace tools reach the upstream', async () => {
    const response = await replay(gw, fixture('plain')[0]!);
    expect(response.status).toBe('completed');
    expect(textOf(response)).toBe(PLAIN_ANSWER);
    expect(response.usage).toMatchObject({ input_tokens: 1000, output_tokens: 2, total_tokens: 1002 });
    expect(response.store).toBe(false);

    const upstream = fake.lastRequest()?.body as Json;
    expect(upstream.model).toBe(UPSTREAM_MODEL);
    expect((upstream.messages as Json[]).map((m) => m.role)).toEqual(['developer', 'developer', 'user', 'user']);
    const names = (upstream.tools as Json[]).map((t) => t.function.name);
    expect(names).toContain(SHELL_TOOL);
    expect(names).toContain('multi_agent_v1__close_agent');
    expect(upstream.prompt_cache_key).toBe('cache-key-redacted');
    // client_metadata has no chat-completions meaning: reported, not sent.
    expect(upstream.client_metadata).toBeUndefined();
  });

  it('replays the shell round trip: function_call out, function_call_output back, final answer', async () => {
    const [first, second] = fixture('tool-use');
    const r1 = await replay(gw, first!);
    const call = (r1.output as Json[]).find((o) => o.type === 'function_call');
    expect(call).toMatchObject({ name: SHELL_TOOL, call_id: TOOL_CALL_ID, status: 'completed' });
    expect(JSON.parse(call!.arguments as string)).toEqual({ cmd: 'cat note.txt' });

    const r2 = await replay(gw, second!);
    expect(textOf(r2)).toBe(FINAL_ANSWER);
    const messages = (fake.lastRequest()?.body as Json).messages as Json[];
    const assistant = messages.find((m) => m.role === 'assistant');
    expect(assistant?.tool_calls?.[0]).toMatchObject({ id: TOOL_CALL_ID, function: { name: SHELL_TOOL } });
    const tool = messages.find((m) => m.role === 'tool');
    expect(tool?.tool_call_id).toBe(TOOL_CALL_ID);
    expect(JSON.stringify(tool?.content)).toContain(NOTE_TEXT);
  });

  it('gives a call to a namespaced tool back with its namespace', async () => {
    const [call] = fixture('plain');
    // The conversational fake answers from the conversation, so send one whose answer is a call into the namespace group.
    fake.nextReply = { toolCalls: [{ id: 'call_ns_1', name: 'multi_agent_v1__close_agent', arguments: { target: 'agent-1' } }], finish: 'tool_calls' };
    const body = { ...call!.body, stream: false };
    const res = await send(gw, { ...call!, body, headers: { 'content-type': 'application/json' } });
    expect(res.status, res.text).toBe(200);
    const fc = ((JSON.parse(res.text) as Json).output as Json[]).find((o) => o.type === 'function_call');
    expect(fc).toMatchObject({ name: 'close_agent', namespace: 'multi_agent_v1', call_id: 'call_ns_1' });
  });
});

/** The same recorded turns in front of non-OpenAI upstreams: Codex's tools and history translate to valid calls there too. */
for (const f of protocolFixtures().filter((x) => x.protocol === 'anthropic' || x.protocol === 'gemini')) {
  describe(`Codex traffic replayed against switchyard → ${f.protocol} fake`, () => {
    let gw: TestGateway;
    const fake: FakeServer = f.fake;

    beforeAll(async () => {
      await fake.start();
      gw = await startTestGateway({ deployments: deploymentsFor(f).filter((d) => d.publicModel === `chat-${f.protocol}`).map((d) => ({ ...d, publicModel: CODEX_MODEL })), router: { numRetries: 0 } });
    });
    afterAll(async () => {
      await gw?.close();
      await fake.stop();
    });

    it('replays the shell round trip', async () => {
      const [first, second] = fixture('tool-use');
      fake.script(f.upstreamModel, { toolCalls: [{ id: TOOL_CALL_ID, name: SHELL_TOOL, arguments: { cmd: 'cat note.txt' } }], finish: 'tool_calls' });
      const r1 = await replay(gw, first!);
      expect((r1.output as Json[]).find((o) => o.type === 'function_call')).toMatchObject({ name: SHELL_TOOL });

      fake.script(f.upstreamModel, { text: FINAL_ANSWER });
      const r2 = await replay(gw, second!);
      expect(textOf(r2)).toBe(FINAL_ANSWER);
      const sent = fake.lastRequest()?.rawBody ?? '';
      expect(sent).toContain(NOTE_TEXT);
      expect(sent).toContain('multi_agent_v1__close_agent');
    });
  });
}
