import type { FakeServer } from '../fakes/fake-server.js';
import { anthropicFixture } from '../fixtures/protocols/anthropic.js';
import { azureFixture } from '../fixtures/protocols/azure.js';
import { bedrockFixture } from '../fixtures/protocols/bedrock.js';
import { cohereFixture } from '../fixtures/protocols/cohere.js';
import { dashscopeFixture } from '../fixtures/protocols/dashscope.js';
import { geminiFixture } from '../fixtures/protocols/gemini.js';
import { hunyuanFixture } from '../fixtures/protocols/hunyuan.js';
import { ollamaFixture } from '../fixtures/protocols/ollama.js';
import { openaiFixture } from '../fixtures/protocols/openai.js';
import { qianfanFixture } from '../fixtures/protocols/qianfan.js';
import { vertexAnthropicFixture } from '../fixtures/protocols/vertex-anthropic.js';
import { vertexFixture } from '../fixtures/protocols/vertex.js';
import { workersAiFixture } from '../fixtures/protocols/workers-ai.js';
import type { UpstreamTarget } from '../../src/spec/index.js';
import type { DeploymentSpec } from './harness.js';

/**
 * One fake per protocol and how a deployment reaches it. Every protocol
 * registers a fixture in test/fixtures/protocols/ and one line below; the
 * conformance suite and the e2e suites then run against it unchanged.
 */
export interface ProtocolFixture {
  /** Protocol id as registered in src/protocols/index.ts. */
  protocol: string;
  /** Names the fixture in test titles when one protocol has several (e.g. Vertex's two publishers). */
  label?: string;
  fake: FakeServer;
  upstreamModel: string;
  embeddingModel?: string;
  /** The upstream target for `model` on this fake (base URL, credentials, settings). Call after the fake started. */
  target(model: string): UpstreamTarget;
  /** Shared cases that cannot apply to this protocol, each with the reason (the case is skipped, not weakened). */
  skip?: {
    contentFilter?: string;
    /** The upstream returns at most one tool call per turn. */
    multipleToolCalls?: string;
    /** The upstream streams no thinking text for a plain answer. */
    reasoning?: string;
  };
}

/** A fresh set of fixtures (fresh fakes), so test files never share servers. */
export function protocolFixtures(): ProtocolFixture[] {
  return [openaiFixture(), anthropicFixture(), geminiFixture(), ollamaFixture(), cohereFixture(), vertexFixture(), vertexAnthropicFixture(), bedrockFixture(), azureFixture(), hunyuanFixture(), dashscopeFixture(), qianfanFixture(), workersAiFixture()];
}

export function deploymentsFor(f: ProtocolFixture): DeploymentSpec[] {
  const list: DeploymentSpec[] = [{ publicModel: `chat-${f.protocol}`, protocol: f.protocol, target: f.target(f.upstreamModel) }];
  if (f.embeddingModel) list.push({ publicModel: `embed-${f.protocol}`, protocol: f.protocol, target: f.target(f.embeddingModel) });
  return list;
}
