import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { ProtocolFixture } from '../fakes.js';
import { deploymentsFor } from '../fakes.js';
import { startTestGateway, type TestGateway } from '../harness.js';

/**
 * Shared set-up for the third-party client suites (LangChain, Vercel AI SDK):
 * one fake per fixture behind a real gateway, no router retries so an
 * upstream error reaches the client as the upstream gave it.
 */
export interface FixtureGateway {
  readonly gw: TestGateway;
  /** Public chat model name for this fixture (`chat-<protocol>`). */
  readonly model: string;
  /** Public embedding model name, when the fixture has one. */
  readonly embedModel: string | undefined;
}

/** Registers beforeAll/afterAll/beforeEach hooks in the current describe block. */
export function useFixtureGateway(f: ProtocolFixture): FixtureGateway {
  let gw: TestGateway | undefined;
  beforeAll(async () => {
    await f.fake.start();
    gw = await startTestGateway({ deployments: deploymentsFor(f), router: { numRetries: 0 } });
  });
  afterAll(async () => {
    await gw?.close();
    await f.fake.stop();
  });
  beforeEach(() => f.fake.reset());
  return {
    get gw() {
      if (gw === undefined) throw new Error('gateway not started');
      return gw;
    },
    model: `chat-${f.protocol}`,
    embedModel: f.embeddingModel ? `embed-${f.protocol}` : undefined,
  };
}

/**
 * A real `fetch` that remembers the last response's headers, for clients
 * that hide them (LangChain) — the gateway reports unmapped options in
 * `x-switchyard-warning`.
 */
export function headerRecordingFetch(): { fetch: typeof fetch; last(): Headers | undefined } {
  let last: Headers | undefined;
  return {
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      last = res.headers;
      return res;
    },
    last: () => last,
  };
}

/** What the float32 round trip of a base64 embedding makes of an exact vector. */
export function asFloat32(vector: number[]): number[] {
  return Array.from(new Float32Array(vector));
}

const pick = (body: unknown, path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), body);

/** Where each protocol encoder puts a json_schema response_format (checked exactly for these three). */
const SCHEMA_PATH: Record<string, string[]> = {
  openai: ['response_format', 'json_schema', 'schema'],
  anthropic: ['output_config', 'format', 'schema'],
  gemini: ['generationConfig', 'responseSchema'],
};

/** The schema as the upstream received it, for protocols whose mapping the suites pin exactly. */
export function upstreamSchema(f: ProtocolFixture, body: unknown): { known: boolean; schema: unknown } {
  const path = SCHEMA_PATH[f.protocol];
  return path === undefined ? { known: false, schema: undefined } : { known: true, schema: pick(body, path) };
}
