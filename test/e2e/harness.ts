import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GatewayConfig } from '../../src/config/types.js';
import { defaultRouterSettings, type Deployment, type RouterSettings } from '../../src/router/index.js';
import { createLogger } from '../../src/server/log.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/server/gateway.js';
import type { AuthStyle, ProviderQuirks, UpstreamTarget } from '../../src/spec/index.js';

export const TEST_MASTER_KEY = 'sk-test-master-0123456789';

export interface DeploymentSpec {
  publicModel: string;
  protocol: string;
  /** A complete target (fixtures build these); otherwise baseUrl + model + the protocol's default auth. */
  target?: UpstreamTarget;
  baseUrl?: string;
  model?: string;
  apiKey?: string;
  provider?: string;
  id?: string;
  weight?: number;
  order?: number;
  timeoutMs?: number;
  firstTokenTimeoutMs?: number;
  quirks?: ProviderQuirks;
}

const AUTH: Record<string, AuthStyle> = {
  openai: { kind: 'bearer' },
  anthropic: { kind: 'header', name: 'x-api-key' },
  gemini: { kind: 'header', name: 'x-goog-api-key' },
};

export function deployment(spec: DeploymentSpec, index = 0): Deployment {
  return {
    id: spec.id ?? `${spec.publicModel}#${index}`,
    publicModel: spec.publicModel,
    provider: spec.target?.provider ?? spec.provider ?? spec.protocol,
    protocol: spec.protocol,
    target: spec.target ?? {
      provider: spec.provider ?? spec.protocol,
      baseUrl: spec.baseUrl ?? '',
      model: spec.model ?? '',
      apiKey: spec.apiKey ?? 'sk-upstream-test',
      auth: AUTH[spec.protocol] ?? { kind: 'bearer' },
      timeoutMs: spec.timeoutMs,
      firstTokenTimeoutMs: spec.firstTokenTimeoutMs,
      quirks: spec.quirks,
    },
    weight: spec.weight ?? 1,
    order: spec.order ?? 1,
    tags: [],
    modelInfo: {},
    source: 'config',
  };
}

export interface TestGateway {
  gateway: Gateway;
  url: string;
  /** Base URL for the openai client (…/v1). */
  baseURL: string;
  key: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function startTestGateway(opts: {
  deployments: DeploymentSpec[];
  router?: Partial<RouterSettings>;
  bodyLimitBytes?: number;
  gatewayOptions?: GatewayOptions;
  config?: Partial<GatewayConfig>;
}): Promise<TestGateway> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-e2e-'));
  const config: GatewayConfig = {
    source: { format: 'native' },
    server: { host: '127.0.0.1', port: 0, bodyLimitBytes: opts.bodyLimitBytes ?? 1024 * 1024 },
    masterKey: TEST_MASTER_KEY,
    dataDir,
    deployments: opts.deployments.map((d, i) => deployment(d, i)),
    router: { ...defaultRouterSettings(), ...opts.router },
    accounting: { unknownPrice: 'zero' },
    accessGroups: {},
    warnings: [],
    ...opts.config,
  };
  const gateway = await createGateway(config, { log: createLogger('error'), ...opts.gatewayOptions });
  const url = await gateway.listen();
  return {
    gateway,
    url,
    baseURL: `${url}/v1`,
    key: TEST_MASTER_KEY,
    dataDir,
    async close() {
      await gateway.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
