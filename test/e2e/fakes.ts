import { FakeAnthropic } from '../fakes/anthropic-fake.js';
import { FakeGemini } from '../fakes/gemini-fake.js';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import type { FakeServer } from '../fakes/fake-server.js';
import type { DeploymentSpec } from './harness.js';

export type ProtocolName = 'openai' | 'anthropic' | 'gemini';

/** One fake per protocol and the base URL a deployment uses to reach it. */
export interface ProtocolFixture {
  protocol: ProtocolName;
  fake: FakeServer;
  baseUrl(): string;
  upstreamModel: string;
  embeddingModel?: string;
}

export function protocolFixtures(): ProtocolFixture[] {
  const openai = new FakeOpenAI();
  const anthropic = new FakeAnthropic();
  const gemini = new FakeGemini();
  return [
    { protocol: 'openai', fake: openai, baseUrl: () => `${openai.url}/v1`, upstreamModel: 'gpt-4o-mini', embeddingModel: 'text-embedding-3-small' },
    { protocol: 'anthropic', fake: anthropic, baseUrl: () => `${anthropic.url}/v1`, upstreamModel: 'claude-sonnet-4-5' },
    { protocol: 'gemini', fake: gemini, baseUrl: () => `${gemini.url}/v1beta`, upstreamModel: 'gemini-2.5-flash', embeddingModel: 'gemini-embedding-001' },
  ];
}

export function deploymentsFor(f: ProtocolFixture): DeploymentSpec[] {
  const list: DeploymentSpec[] = [{ publicModel: `chat-${f.protocol}`, protocol: f.protocol, baseUrl: f.baseUrl(), model: f.upstreamModel }];
  if (f.embeddingModel) list.push({ publicModel: `embed-${f.protocol}`, protocol: f.protocol, baseUrl: f.baseUrl(), model: f.embeddingModel });
  return list;
}
