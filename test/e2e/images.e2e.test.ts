import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeAnthropic } from '../fakes/anthropic-fake.js';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { FAKE_PNG_B64, parseMultipart } from '../fakes/openai-fake-media.js';
import type { TestGateway } from './harness.js';
import { ledgerRows, newKey, onlyRow, startPricedGateway } from './media-harness.js';

/**
 * `/v1/images/generations` and `/v1/images/edits` through the real server
 * with the official `openai` client: answers as OpenAI shapes them, the
 * upload forwarded byte for byte, per-image prices from model_info and
 * token prices from the catalog (gpt-image-1: $5/M input, $40/M output).
 */
describe('images through switchyard (openai client)', () => {
  const openai = new FakeOpenAI({ apiKey: 'sk-upstream-images' });
  const anthropic = new FakeAnthropic();
  let gw: TestGateway;

  beforeAll(async () => {
    await Promise.all([openai.start(), anthropic.start()]);
    const base = { protocol: 'openai', provider: 'openai', baseUrl: `${openai.url}/v1`, apiKey: 'sk-upstream-images' };
    gw = await startPricedGateway({
      uploadLimitBytes: 64 * 1024,
      deployments: [
        { ...base, publicModel: 'dall-e-3', model: 'dall-e-3', modelInfo: { mode: 'image_generation', costPerImage: 0.04 } },
        { ...base, publicModel: 'dall-e-2', model: 'dall-e-2', modelInfo: { mode: 'image_generation', costPerImage: 0.018 } },
        { ...base, publicModel: 'gpt-image-1', model: 'gpt-image-1' },
        { publicModel: 'claude', protocol: 'anthropic', provider: 'anthropic', baseUrl: `${anthropic.url}/v1`, model: 'claude-sonnet-4-5' },
      ],
    });
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all([openai.stop(), anthropic.stop()]);
  });
  beforeEach(() => openai.reset());

  async function client(allowedModels?: string[]): Promise<{ client: OpenAI; keyId: string }> {
    const key = await newKey(gw, allowedModels ? { allowedModels } : {});
    return { client: new OpenAI({ apiKey: key.secret, baseURL: gw.baseURL, maxRetries: 0 }), keyId: key.id };
  }

  it('generates n images as URLs, priced per image from model_info, with one ledger row', async () => {
    const { client: c, keyId } = await client();
    const { data: res, response } = await c.images.generate({ model: 'dall-e-3', prompt: 'a lighthouse at dusk', n: 2, size: '1024x1024', quality: 'hd', style: 'vivid' }).withResponse();
    expect(res.data).toHaveLength(2);
    expect(res.data?.[0]?.url).toBe('https://fake-openai.example/images/dall-e-3/0.png');
    expect(res.data?.[0]?.revised_prompt).toBe('A picture of: a lighthouse at dusk');
    expect(response.headers.get('x-switchyard-cost')).toBe('0.08');
    const sent = openai.requestsTo('/images/generations')[0]!;
    expect(sent.headers.authorization).toBe('Bearer sk-upstream-images');
    expect(sent.body).toEqual({ model: 'dall-e-3', prompt: 'a lighthouse at dusk', n: 2, size: '1024x1024', quality: 'hd', style: 'vivid' });
    expect(await onlyRow(gw, keyId)).toMatchObject({ publicModel: 'dall-e-3', provider: 'openai', costNanos: 80_000_000, status: 'success' });
  });

  it('returns b64_json images and passes fields it does not know to the upstream', async () => {
    const { client: c } = await client();
    const res = await c.images.generate({ model: 'dall-e-3', prompt: 'a red square', response_format: 'b64_json', moderation: 'low' });
    expect(res.data?.[0]?.b64_json).toBe(FAKE_PNG_B64);
    expect(openai.lastRequest()!.body).toMatchObject({ response_format: 'b64_json', moderation: 'low' });
  });

  it('bills gpt-image-1 by its reported tokens at catalog prices', async () => {
    const { client: c, keyId } = await client();
    openai.script('gpt-image-1', { usage: { input: 10, output: 272 } });
    const res = await c.images.generate({ model: 'gpt-image-1', prompt: 'a blue circle' });
    expect(res.usage).toMatchObject({ input_tokens: 10, output_tokens: 272, total_tokens: 282 });
    expect(res.output_format).toBe('png');
    // 10 × $5/M + 272 × $40/M = $0.00005 + $0.01088
    expect(await onlyRow(gw, keyId)).toMatchObject({ costNanos: 10_930_000, inputTokens: 10, outputTokens: 272 });
  });

  it('edits an uploaded image: the file and mask reach the upstream byte for byte', async () => {
    const { client: c, keyId } = await client();
    const png = Buffer.from(FAKE_PNG_B64, 'base64');
    const mask = Buffer.concat([png, Buffer.from([0, 0xff, 0x80, 0x7f])]);
    const res = await c.images.edit({
      model: 'dall-e-2',
      prompt: 'add a moon',
      image: await toFile(png, 'scene.png', { type: 'image/png' }),
      mask: await toFile(mask, 'mask.png', { type: 'image/png' }),
      n: 1,
      size: '256x256',
    });
    expect(res.data?.[0]?.url).toBe('https://fake-openai.example/images/dall-e-2/0.png');
    const sent = openai.requestsTo('/images/edits')[0]!;
    const form = parseMultipart(sent.bytes!, String(sent.headers['content-type']))!;
    const byName = Object.fromEntries(form.map((p) => [p.name, p]));
    expect(byName['image']?.data.equals(png)).toBe(true);
    expect(byName['image']?.filename).toBe('scene.png');
    expect(byName['mask']?.data.equals(mask)).toBe(true);
    expect(byName['prompt']?.data.toString()).toBe('add a moon');
    expect(byName['model']?.data.toString()).toBe('dall-e-2');
    expect(byName['size']?.data.toString()).toBe('256x256');
    expect((await onlyRow(gw, keyId)).costNanos).toBe(18_000_000);
  });

  it('refuses an upload over the limit with a 413 naming the file, before any upstream call', async () => {
    const { client: c, keyId } = await client();
    const big = Buffer.alloc(65 * 1024, 1);
    const err = await c.images.edit({ model: 'dall-e-2', prompt: 'x', image: await toFile(big, 'big.png', { type: 'image/png' }) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(413);
    expect((err as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ param: 'file' });
    expect(openai.requestsTo('/images/edits')).toHaveLength(0);
    expect(await ledgerRows(gw, keyId)).toHaveLength(0);
  });

  it('answers 400 naming the model when its provider has no image operation', async () => {
    const { client: c } = await client();
    const err = await c.images.generate({ model: 'claude', prompt: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ param: 'model', code: 'unsupported_parameter' });
    expect(anthropic.requests).toHaveLength(0);
  });

  it('applies the same key checks as chat: a key without the model gets 403, and a bad body a 400 naming the field', async () => {
    const { client: c } = await client(['dall-e-2']);
    const denied = await c.images.generate({ model: 'dall-e-3', prompt: 'x' }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(OpenAI.PermissionDeniedError);
    const bad = await c.images.generate({ model: 'dall-e-2', prompt: 'x', n: 0 }).catch((e: unknown) => e);
    expect((bad as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ param: 'n' });
    expect(openai.requests).toHaveLength(0);
  });

  it('maps an upstream error to the OpenAI shape and records no cost', async () => {
    const { client: c, keyId } = await client();
    openai.script('dall-e-3', { error: { status: 400, message: 'Your request was rejected by the safety system.', type: 'content_policy_violation' } });
    const err = await c.images.generate({ model: 'dall-e-3', prompt: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).message).toContain('safety system');
    expect(await onlyRow(gw, keyId)).toMatchObject({ costNanos: 0, status: 'error' });
  });
});
