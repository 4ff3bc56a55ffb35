import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePools } from '../../src/protocols/http/index.js';
import { createLogger } from '../../src/server/log.js';
import { adminClient } from '../admin/admin-client.js';
import { deploymentsFor, protocolFixtures, type ProtocolFixture } from '../e2e/fakes.js';
import { startTestGateway, type TestGateway } from '../e2e/harness.js';
import { echoingMessage, expectNoSecrets, rawSecrets } from './leak-check.js';

/** Everything a client can see of a failed SDK call: message, parsed body and headers. */
function visible(err: unknown): string {
  const e = err as { message?: string; error?: unknown; headers?: Headers | Record<string, string>; status?: number };
  const headers = e.headers instanceof Headers ? Object.fromEntries(e.headers.entries()) : e.headers;
  return JSON.stringify({ status: e.status, message: e.message, error: e.error, headers });
}

/**
 * Every protocol's fake is scripted to fail with a body that echoes the
 * credential it was sent (as OpenAI, Google and AWS do); the gateway must
 * keep the upstream's words but never the secret — not in what the client
 * sees, not in its log, not in the ledger.
 */
describe('upstream errors that echo the credential', () => {
  const fixtures = protocolFixtures();
  const lines: string[] = [];
  let gw: TestGateway;
  let openai: OpenAI;
  let anthropic: Anthropic;
  const allSecrets: string[] = [];

  beforeAll(async () => {
    await Promise.all(fixtures.map((f) => f.fake.start()));
    for (const f of fixtures) allSecrets.push(...rawSecrets(f.target(f.upstreamModel)));
    gw = await startTestGateway({
      deployments: fixtures.flatMap((f) => deploymentsFor(f).slice(0, 1).map((d) => ({ ...d, publicModel: modelOf(f) }))),
      // Every failure must reach the client as is: no retries, no cooldown hiding the next case.
      router: { numRetries: 0, allowedFails: 10_000, cooldownTimeMs: 1 },
      gatewayOptions: { log: createLogger('debug', (l) => lines.push(l)), accessLog: true },
    });
    openai = new OpenAI({ apiKey: gw.key, baseURL: gw.baseURL, maxRetries: 0 });
    anthropic = new Anthropic({ apiKey: gw.key, baseURL: gw.url, maxRetries: 0 });
  });
  afterAll(async () => {
    await gw.close();
    await Promise.all(fixtures.map((f) => f.fake.stop()));
    await closePools();
  });

  function modelOf(f: ProtocolFixture): string {
    return `leak-${f.label ?? f.protocol}`.replace(/[^a-z0-9-]/gi, '-');
  }

  function script(f: ProtocolFixture, status: number): string[] {
    const target = f.target(f.upstreamModel);
    const secrets = rawSecrets(target);
    f.fake.script(f.upstreamModel, { error: { status, message: echoingMessage(secrets, target.baseUrl) } });
    return secrets;
  }

  for (const f of fixtures) {
    describe(f.label ?? f.protocol, () => {
      it.each([401, 400, 500])('HTTP %i through the openai client keeps the message, not the key', async (status) => {
        const secrets = script(f, status);
        const err = await openai.chat.completions.create({ model: modelOf(f), messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(OpenAI.APIError);
        expect((err as APIError).status).toBeGreaterThanOrEqual(400);
        expectNoSecrets(`${f.protocol} ${status} client error`, visible(err), secrets);
      });

      it('a streamed request refused before its first byte leaks nothing', async () => {
        const secrets = script(f, 401);
        const err = await (async () => {
          const s = await openai.chat.completions.create({ model: modelOf(f), stream: true, messages: [{ role: 'user', content: 'hi' }] });
          for await (const _ of s) void _;
        })().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(OpenAI.APIError);
        expectNoSecrets(`${f.protocol} stream client error`, visible(err), secrets);
      });

      it('the Anthropic client on /v1/messages sees no key either', async () => {
        const secrets = script(f, 400);
        const err = await anthropic.messages.create({ model: modelOf(f), max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(Anthropic.APIError);
        expectNoSecrets(`${f.protocol} anthropic client error`, visible(err), secrets);
      });
    });
  }

  it('the upstream\'s own words survive the scrubbing (the checks above are not vacuous)', async () => {
    const f = fixtures.find((x) => x.protocol === 'openai') as ProtocolFixture;
    script(f, 401);
    const err = (await openai.chat.completions.create({ model: modelOf(f), messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)) as APIError;
    expect(err.message).toContain('Incorrect API key provided: ****');
    expect(err.message).toContain('?key=****&alt=sse');
  });

  it('the log holds the failures but none of the keys', () => {
    const log = lines.join('');
    expect(log).toContain('Incorrect API key provided');
    expectNoSecrets('gateway log', log, allSecrets);
  });

  it('the ledger rows (error code, warnings) hold none of the keys', async () => {
    await gw.gateway.accounts.ledger.flush();
    const res = await adminClient(gw.url)('GET', '/admin/spend/logs?status=error&limit=500');
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeGreaterThan(fixtures.length);
    expectNoSecrets('ledger', res.text, allSecrets);
  });
});
