import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/index.js';

/** The config loaders wire each entry's extra inputs generically: these providers need nothing provider-specific there. */
describe('config files reach providers that need more than a key', () => {
  it('native config: Hunyuan (TC3), Qianfan legacy (AK/SK), Cloudflare (account id), Zhipu JWT', () => {
    const cfg = parseConfigText(
      `
models:
  hy:
    provider: hunyuan
    model: hunyuan-turbos-latest
    credentials: { secretId: env:TC_ID, secretKey: env:TC_KEY }
    settings: { region: ap-guangzhou }
  ernie:
    provider: qianfan-legacy
    model: ernie-4.0-8k
    api_key: env:QF_AK
    credentials: { secretKey: env:QF_SK }
  cf:
    provider: cloudflare
    model: "@cf/meta/llama-3.1-8b-instruct"
    api_key: cf-token
    settings: { accountId: acc-42 }
  glm:
    provider: zhipu-jwt
    model: glm-4.6
    api_key: id.secret
`,
      { path: 'switchyard.yaml', env: { TC_ID: 'AKIDx', TC_KEY: 'tck', QF_AK: 'ak', QF_SK: 'sk' } },
    );
    const t = Object.fromEntries(cfg.deployments.map((d) => [d.publicModel, d.target]));
    expect(t.hy).toMatchObject({ baseUrl: 'https://hunyuan.tencentcloudapi.com', auth: { kind: 'tencent-tc3', service: 'hunyuan' }, credentials: { secretId: 'AKIDx', secretKey: 'tck' }, settings: { region: 'ap-guangzhou' } });
    expect(t.ernie).toMatchObject({ apiKey: 'ak', credentials: { secretKey: 'sk' }, auth: { kind: 'baidu-access-token' } });
    expect(t.cf!.baseUrl).toBe('https://api.cloudflare.com/client/v4/accounts/acc-42/ai/v1');
    expect(t.glm).toMatchObject({ auth: { kind: 'zhipu-jwt' }, apiKey: 'id.secret', baseUrl: 'https://open.bigmodel.cn/api/paas/v4' });
    expect(cfg.deployments.find((d) => d.publicModel === 'hy')!.protocol).toBe('hunyuan');
  });

  it('LiteLLM config: prefixes of the new entries resolve, Cloudflare takes its account id from litellm_params', () => {
    const cfg = parseConfigText(
      `
model_list:
  - model_name: doubao
    litellm_params: { model: volcengine/doubao-seed-1-6-250615, api_key: ark-key }
  - model_name: cf
    litellm_params: { model: "cloudflare/@cf/meta/llama-3.1-8b-instruct", api_key: cf, cloudflare_account_id: acc-7 }
  - model_name: nim
    litellm_params: { model: nvidia_nim/meta/llama-3.1-8b-instruct, api_key: nv }
  - model_name: mm
    litellm_params: { model: minimax/MiniMax-M2, api_key: mm, api_base: https://api.minimax.io/anthropic/v1/messages }
`,
      { path: 'config.yaml', env: {} },
    );
    const by = Object.fromEntries(cfg.deployments.map((d) => [d.publicModel, d]));
    expect(by.doubao).toMatchObject({ provider: 'doubao', target: { baseUrl: 'https://ark.cn-beijing.volces.com/api/v3', model: 'doubao-seed-1-6-250615' } });
    expect(by.cf!.target.baseUrl).toBe('https://api.cloudflare.com/client/v4/accounts/acc-7/ai/v1');
    expect(by.nim).toMatchObject({ provider: 'nvidia-nim', target: { model: 'meta/llama-3.1-8b-instruct' } });
    expect(by.mm!.target.baseUrl).toBe('https://api.minimax.io/v1');
    expect(cfg.warnings).toEqual([]);
  });
});
