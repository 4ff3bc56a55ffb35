import type { ProviderEntry, TargetOptions } from '../../src/catalog/index.js';
import { FakeAnthropic } from '../fakes/anthropic-fake.js';
import { FakeAzure } from '../fakes/azure-fake.js';
import { FAKE_AWS_KEY, FakeBedrock } from '../fakes/bedrock-fake.js';
import { FakeCohere } from '../fakes/cohere-fake.js';
import { FakeDashScope } from '../fakes/dashscope-fake.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { FakeGemini } from '../fakes/gemini-fake.js';
import { FakeHunyuan } from '../fakes/hunyuan-fake.js';
import { FakeOllama } from '../fakes/ollama-fake.js';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { FakeQianfan } from '../fakes/qianfan-fake.js';
import { FakeVertex } from '../fakes/vertex-fake.js';
import { FakeWorkersAi } from '../fakes/workers-ai-fake.js';
import { testPublicKeyPem, testServiceAccount } from '../fixtures/protocols/vertex-credentials.js';

export const TC3_KEY = { secretId: 'AKIDcatalogTest01', secretKey: 'catalog-tc3-secret' };
export const BAIDU_KEY = { apiKey: 'catalog-qf-ak', secretKey: 'catalog-qf-sk' };
export const ZHIPU_KEY = 'catalogkeyid.catalogsecret';
const VERTEX_EMAIL = 'catalog-test@test-project.iam.gserviceaccount.com';

/** One fake per wire protocol; every catalog entry on that protocol is pointed at it. */
export class CatalogFakes {
  readonly openai = new FakeOpenAI();
  readonly anthropic = new FakeAnthropic();
  readonly gemini = new FakeGemini();
  readonly cohere = new FakeCohere();
  readonly ollama = new FakeOllama({ models: ['llama3.2:latest', 'test-model:latest'] });
  readonly vertex = new FakeVertex({ project: 'test-project', location: 'us-central1', serviceAccount: { clientEmail: VERTEX_EMAIL, publicKeyPem: testPublicKeyPem() } });
  readonly bedrock = new FakeBedrock();
  readonly azure = new FakeAzure({ deployments: ['gpt-4o-prod'] });
  readonly hunyuan = new FakeHunyuan({ keys: { [TC3_KEY.secretId]: TC3_KEY.secretKey } });
  readonly qianfan = new FakeQianfan({ clients: { [BAIDU_KEY.apiKey]: BAIDU_KEY.secretKey } });
  readonly dashscope = new FakeDashScope();
  readonly workersAi = new FakeWorkersAi();

  all(): FakeServer[] {
    return [this.openai, this.anthropic, this.gemini, this.cohere, this.ollama, this.vertex, this.bedrock, this.azure, this.hunyuan, this.qianfan, this.dashscope, this.workersAi];
  }

  async start(): Promise<void> {
    await Promise.all(this.all().map((f) => f.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.all().map((f) => f.stop()));
  }

  /** The fake an entry's protocol speaks. Azure AI Foundry is OpenAI-shaped with the model in the body, so the OpenAI fake serves it. */
  fakeFor(entry: ProviderEntry): FakeServer {
    if (entry.id === 'azure-ai') return this.openai;
    const byProtocol: Record<string, FakeServer> = {
      openai: this.openai,
      anthropic: this.anthropic,
      gemini: this.gemini,
      cohere: this.cohere,
      ollama: this.ollama,
      vertex: this.vertex,
      bedrock: this.bedrock,
      azure: this.azure,
      hunyuan: this.hunyuan,
      qianfan: this.qianfan,
      dashscope: this.dashscope,
      'workers-ai': this.workersAi,
    };
    const fake = byProtocol[entry.protocol];
    if (fake === undefined) throw new Error(`no fake for protocol ${entry.protocol} (entry ${entry.id})`);
    return fake;
  }
}

/** Bases that have no default URL: the shape a user writes for that provider. */
const REQUIRED_BASE_PATHS: Record<string, string> = {
  databricks: '/serving-endpoints',
  custom: '/v1',
  azure: '',
  'azure-ai': '/models',
};

/** The entry's own base path (placeholders kept, so buildTarget fills them), moved onto the fake's origin. */
export function apiBaseOnFake(entry: ProviderEntry, fake: FakeServer): string {
  const path = entry.apiBaseRequired ? (REQUIRED_BASE_PATHS[entry.id] ?? '') : entry.baseUrl.replace(/^https?:\/\/[^/]+/, '');
  return `${fake.url}${path}`;
}

/** The model a test request names: the entry's first model for the endpoint, else a stand-in the fake knows. */
export function modelFor(entry: ProviderEntry, endpoint: 'chat' | 'embeddings'): string {
  if (entry.protocol === 'azure' && entry.id === 'azure') return 'gpt-4o-prod';
  const listed = entry.models.find((m) => (endpoint === 'embeddings' ? m.mode === 'embedding' : m.mode !== 'embedding'));
  if (listed) return listed.id;
  if (entry.protocol === 'ollama') return 'llama3.2';
  return endpoint === 'embeddings' ? 'test-embedding-model' : 'test-model';
}

/** Everything beyond the base URL a deployment of this entry needs to reach its fake, by auth style and protocol. */
export function targetInputs(entry: ProviderEntry, fakes: CatalogFakes, endpoint: 'chat' | 'embeddings'): TargetOptions {
  const fake = fakes.fakeFor(entry);
  const opts: TargetOptions = { model: modelFor(entry, endpoint), apiBase: apiBaseOnFake(entry, fake), apiKey: `key-${entry.id}`, timeoutMs: 10_000 };
  const settings: Record<string, string> = {};
  for (const m of entry.baseUrl.replace(/^https?:\/\/[^/]+/, '').matchAll(/\{(\w+)\}/g)) settings[m[1]!] = `test-${m[1]!}`;
  switch (entry.auth.kind) {
    case 'zhipu-jwt':
      opts.apiKey = ZHIPU_KEY;
      break;
    case 'tencent-tc3':
      delete opts.apiKey;
      opts.credentials = { ...TC3_KEY };
      break;
    case 'baidu-access-token':
      opts.apiKey = BAIDU_KEY.apiKey;
      opts.credentials = { secretKey: BAIDU_KEY.secretKey };
      break;
    case 'aws-sigv4':
      delete opts.apiKey;
      opts.credentials = { ...FAKE_AWS_KEY };
      settings.region = fakes.bedrock.region;
      break;
    default:
      break;
  }
  if (entry.protocol === 'vertex') {
    delete opts.apiKey;
    opts.credentials = { serviceAccountJson: testServiceAccount(`${fake.url}/token`, VERTEX_EMAIL).json };
    Object.assign(settings, { project: 'test-project', location: 'us-central1' });
  }
  if (entry.id === 'azure') opts.apiVersion = '2024-10-21';
  if (Object.keys(settings).length > 0) opts.settings = settings;
  return opts;
}

/** The route each protocol calls below its base, for a chat (or embeddings) request. */
export function routePattern(entry: ProviderEntry, endpoint: 'chat' | 'embeddings'): RegExp {
  if (endpoint === 'embeddings') return /\/embeddings$/;
  if (entry.id === 'azure-ai') return /\/chat\/completions$/;
  const routes: Record<string, RegExp> = {
    openai: /\/chat\/completions$/,
    azure: /\/openai\/deployments\/[^/]+\/chat\/completions$/,
    anthropic: /\/messages$/,
    gemini: /\/models\/[^/]+:generateContent$/,
    vertex: /\/publishers\/google\/models\/[^/]+:generateContent$/,
    cohere: /\/v2\/chat$/,
    ollama: /\/api\/chat$/,
    bedrock: /\/model\/[^/]+\/converse$/,
    hunyuan: /^\/$/,
    qianfan: /\/chat\/[^/]+$/,
    dashscope: /\/services\/aigc\/text-generation\/generation$/,
    'workers-ai': /\/ai\/run\/.+$/,
  };
  return routes[entry.protocol] ?? /$^/;
}
