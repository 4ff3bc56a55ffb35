import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { fakeSpeechBytes, parseMultipart } from '../fakes/openai-fake-media.js';
import type { TestGateway } from './harness.js';
import { newKey, onlyRow, startPricedGateway } from './media-harness.js';

/** A PCM WAV file: 8 kHz, 16-bit mono (16,000 bytes a second), `seconds` long. */
function wav(seconds: number): Buffer {
  const data = Buffer.alloc(Math.round(seconds * 16_000), 7);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(8_000, 24);
  h.writeUInt32LE(16_000, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

/**
 * `/v1/audio/*` through the real server with the official `openai` client.
 * Prices: whisper-1 from the catalog ($0.36 an hour = $0.0001 a second),
 * gpt-4o-transcribe by tokens from the catalog ($6/M audio in, $10/M out),
 * tts-1 per character from model_info ($15 per million characters).
 */
describe('audio through switchyard (openai client)', () => {
  const fake = new FakeOpenAI({ apiKey: 'sk-upstream-audio' });
  let gw: TestGateway;

  beforeAll(async () => {
    await fake.start();
    const base = { protocol: 'openai', provider: 'openai', baseUrl: `${fake.url}/v1`, apiKey: 'sk-upstream-audio' };
    gw = await startPricedGateway({
      deployments: [
        { ...base, publicModel: 'whisper-1', model: 'whisper-1' },
        { ...base, publicModel: 'gpt-4o-transcribe', model: 'gpt-4o-transcribe' },
        { ...base, publicModel: 'tts-1', model: 'tts-1', modelInfo: { mode: 'audio_speech', costPerCharacter: 0.000015 } },
      ],
    });
  });
  afterAll(async () => {
    await gw?.close();
    await fake.stop();
  });
  beforeEach(() => fake.reset());

  async function keyed(): Promise<{ client: OpenAI; keyId: string }> {
    const key = await newKey(gw);
    return { client: new OpenAI({ apiKey: key.secret, baseURL: gw.baseURL, maxRetries: 0 }), keyId: key.id };
  }

  it('transcribes a WAV upload (json): the file reaches the upstream intact, billed by the reported seconds', async () => {
    const { client, keyId } = await keyed();
    const audio = wav(2.5);
    fake.script('whisper-1', { text: 'Hello from the meeting.' });
    const { data: res, response } = await client.audio.transcriptions.create({ model: 'whisper-1', file: await toFile(audio, 'meeting.wav', { type: 'audio/wav' }), language: 'en', temperature: 0.2 }).withResponse();
    expect(res.text).toBe('Hello from the meeting.');
    const sent = fake.requestsTo('/audio/transcriptions')[0]!;
    expect(sent.headers.authorization).toBe('Bearer sk-upstream-audio');
    const form = Object.fromEntries(parseMultipart(sent.bytes!, String(sent.headers['content-type']))!.map((p) => [p.name, p]));
    expect(form['file']?.data.equals(audio)).toBe(true);
    expect(form['file']?.filename).toBe('meeting.wav');
    expect(form['language']?.data.toString()).toBe('en');
    expect(form['temperature']?.data.toString()).toBe('0.2');
    // whisper reports usage {type: "duration", seconds: 3}: 3 s × $0.0001
    expect(response.headers.get('x-switchyard-cost')).toBe('0.0003');
    expect(await onlyRow(gw, keyId)).toMatchObject({ publicModel: 'whisper-1', costNanos: 300_000, status: 'success' });
  });

  it('bills verbose_json by its exact duration', async () => {
    const { client, keyId } = await keyed();
    const res = await client.audio.transcriptions.create({ model: 'whisper-1', file: await toFile(wav(2.5), 'a.wav'), response_format: 'verbose_json' });
    expect(res.duration).toBe(2.5);
    expect(res.segments?.[0]?.end).toBe(2.5);
    expect((await onlyRow(gw, keyId)).costNanos).toBe(250_000);
  });

  it('passes text formats through untouched and bills them from the WAV header', async () => {
    const { client, keyId } = await keyed();
    fake.script('whisper-1', { text: 'Plain words.' });
    const srt = await client.audio.transcriptions.create({ model: 'whisper-1', file: await toFile(wav(1.25), 'a.wav'), response_format: 'srt' });
    expect(srt).toBe('1\n00:00:00,000 --> 00:00:02,000\nPlain words.\n\n');
    expect((await onlyRow(gw, keyId)).costNanos).toBe(125_000);
  });

  it('says so when the duration cannot be known (compressed upload, text answer) instead of guessing', async () => {
    const { client, keyId } = await keyed();
    const mp3 = Buffer.concat([Buffer.from('ID3\u0003\u0000'), Buffer.alloc(3000, 0xff)]);
    const { data, response } = await client.audio.transcriptions.create({ model: 'whisper-1', file: await toFile(mp3, 'a.mp3', { type: 'audio/mpeg' }), response_format: 'text' }).withResponse();
    expect(data).toBe('Hello from the fake transcription.\n');
    expect(response.headers.get('x-switchyard-warning')).toContain('audio duration unknown');
    expect(await onlyRow(gw, keyId)).toMatchObject({ costNanos: 0, status: 'success' });
    expect((await onlyRow(gw, keyId)).warning).toContain('audio duration unknown');
  });

  it('bills gpt-4o-transcribe by its audio and output tokens', async () => {
    const { client, keyId } = await keyed();
    fake.script('gpt-4o-transcribe', { text: 'Token billed words here.', usage: { input: 50, output: 4 } });
    const res = await client.audio.transcriptions.create({ model: 'gpt-4o-transcribe', file: await toFile(wav(1), 'a.wav') });
    expect(res.text).toBe('Token billed words here.');
    // 50 audio tokens × $6/M + 4 output × $10/M
    expect(await onlyRow(gw, keyId)).toMatchObject({ costNanos: 340_000, inputTokens: 50, outputTokens: 4 });
  });

  it('translates on /audio/translations (and reports a language it did not send)', async () => {
    const { client, keyId } = await keyed();
    fake.script('whisper-1', { text: 'Good morning.' });
    const res = await client.audio.translations.create({ model: 'whisper-1', file: await toFile(wav(2), 'fr.wav'), response_format: 'json' });
    expect(res.text).toBe('Good morning.');
    expect(fake.requestsTo('/audio/translations')).toHaveLength(1);
    expect((await onlyRow(gw, keyId)).costNanos).toBe(200_000);
  });

  it('refuses stream=true with a 400 naming it, before any upstream call', async () => {
    const { client } = await keyed();
    const err = await client.audio.transcriptions.create({ model: 'whisper-1', file: await toFile(wav(1), 'a.wav'), stream: true }).catch((e: unknown) => e);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect((err as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ param: 'stream' });
    expect(fake.requests).toHaveLength(0);
  });

  it('streams speech bytes through as they arrive and bills the characters', async () => {
    const { client, keyId } = await keyed();
    const input = 'Hello streaming world';
    const release = fake.holdSpeech();
    const res = await client.audio.speech.create({ model: 'tts-1', input, voice: 'alloy', response_format: 'mp3' });
    expect(res.headers.get('content-type')).toBe('audio/mpeg');
    const reader = res.body!.getReader();
    const expected = fakeSpeechBytes(input, 'alloy');
    // The upstream holds everything after its first chunk: that chunk reaching us proves nothing is buffered.
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString()).toBe(expected[0]!.toString());
    release();
    const rest: Buffer[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest.push(Buffer.from(r.value));
    expect(Buffer.concat([Buffer.from(first.value!), ...rest]).equals(Buffer.concat(expected))).toBe(true);
    expect(fake.lastRequest()!.body).toEqual({ model: 'tts-1', input, voice: 'alloy', response_format: 'mp3' });
    // 21 characters × $15/M
    expect(await onlyRow(gw, keyId)).toMatchObject({ publicModel: 'tts-1', costNanos: 315_000, status: 'success' });
  });

  it('cuts the client connection when the upstream speech stream breaks, and records the failure', async () => {
    const { client, keyId } = await keyed();
    fake.script('tts-1', { resetAfterChunks: 2 });
    const res = await client.audio.speech.create({ model: 'tts-1', input: 'one two three four', voice: 'alloy' });
    const read = (async () => {
      const reader = res.body!.getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read());
    })();
    await expect(read).rejects.toThrow();
    expect(await onlyRow(gw, keyId)).toMatchObject({ status: 'error' });
  });
});
