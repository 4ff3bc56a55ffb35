import type { FakeHandlerContext } from './fake-server.js';
import { words, type FakeScenario } from './scenario.js';

/**
 * The OpenAI fake's non-chat endpoints, in OpenAI's wire format: image
 * generations (JSON) and edits (multipart), audio transcriptions and
 * translations (multipart; JSON with `usage`, verbose_json with `duration`,
 * or plain text/srt/vtt), speech (binary audio, chunked), moderations, and
 * a Jina-style `/rerank` as OpenAI-compatible hosts serve it.
 */

type Json = Record<string, unknown>;

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** A small multipart/form-data parser, independent of the gateway's, so the fake checks what really went over the wire. */
export function parseMultipart(body: Buffer, contentType: string | undefined): MultipartPart[] | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  const boundary = m?.[1] ?? m?.[2];
  if (!contentType?.startsWith('multipart/form-data') || boundary === undefined) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    const start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const headerEnd = body.indexOf('\r\n\r\n', start);
    const next = body.indexOf(delimiter, headerEnd);
    if (headerEnd === -1 || next === -1) return undefined;
    const headers = body.subarray(start + 2, headerEnd).toString('utf8');
    const name = /name="([^"]*)"/.exec(headers)?.[1] ?? '';
    const filename = /filename="([^"]*)"/.exec(headers)?.[1];
    const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1];
    const part: MultipartPart = { name, data: body.subarray(headerEnd + 4, next - 2) };
    if (filename !== undefined) part.filename = filename;
    if (type !== undefined) part.contentType = type.trim();
    parts.push(part);
    pos = next;
  }
  return parts;
}

/** The fake's hooks back into the OpenAI fake (scenario, errors, JSON). */
export interface MediaHost {
  begin(ctx: FakeHandlerContext, body: Json): Promise<FakeScenario | null>;
  sendJson(ctx: FakeHandlerContext, body: Json): void;
  sendError(ctx: FakeHandlerContext, status: number, message: string, param?: string): void;
  /** Resolves when a test lets a held speech stream continue (see FakeOpenAI.holdSpeech). */
  speechGate(): Promise<void>;
}

/** A 1×1 transparent PNG: real image bytes for b64_json answers. */
export const FAKE_PNG_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

export async function imageGenerations(host: MediaHost, ctx: FakeHandlerContext, body: Json): Promise<void> {
  if (typeof body.prompt !== 'string' || body.prompt === '') return host.sendError(ctx, 400, "Missing required parameter: 'prompt'.", 'prompt');
  const s = await host.begin(ctx, body);
  if (s === null) return;
  host.sendJson(ctx, imageAnswer(String(body.model), body.prompt, typeof body.n === 'number' ? body.n : 1, body.response_format, s));
}

export async function imageEdits(host: MediaHost, ctx: FakeHandlerContext): Promise<void> {
  const form = formOf(ctx);
  if (form === undefined) return host.sendError(ctx, 400, 'Invalid multipart body.');
  const text = fieldsOf(form);
  const images = form.filter((p) => (p.name === 'image' || p.name === 'image[]') && p.filename !== undefined);
  if (images.length === 0) return host.sendError(ctx, 400, "Missing required parameter: 'image'.", 'image');
  if (!text.prompt) return host.sendError(ctx, 400, "Missing required parameter: 'prompt'.", 'prompt');
  const s = await host.begin(ctx, { model: text.model ?? '' });
  if (s === null) return;
  host.sendJson(ctx, imageAnswer(text.model ?? '', text.prompt, text.n ? Number(text.n) : 1, text.response_format, s));
}

function imageAnswer(model: string, prompt: string, n: number, format: unknown, s: FakeScenario): Json {
  const tokenBilled = model.startsWith('gpt-image');
  const b64 = tokenBilled || format === 'b64_json';
  const data = Array.from({ length: n }, (_, i) => {
    const item: Json = b64 ? { b64_json: FAKE_PNG_B64 } : { url: `https://fake-openai.example/images/${model}/${i}.png` };
    if (model === 'dall-e-3') item.revised_prompt = `A picture of: ${prompt}`;
    return item;
  });
  const out: Json = { created: Math.floor(Date.now() / 1000), data };
  if (tokenBilled) {
    const input = s.usage?.input ?? words(prompt).length + 3;
    const output = s.usage?.output ?? 272 * n;
    Object.assign(out, { background: 'opaque', output_format: 'png', quality: 'low', size: '1024x1024' });
    out.usage = { input_tokens: input, output_tokens: output, total_tokens: input + output, input_tokens_details: { text_tokens: input, image_tokens: 0 } };
  }
  return out;
}

/** Seconds of audio the fake "heard": a WAV's own header, else 1 s per 4,000 bytes. */
function audioSeconds(data: Buffer): number {
  if (data.toString('ascii', 0, 4) === 'RIFF' && data.length >= 44) {
    const byteRate = data.readUInt32LE(28);
    const size = data.readUInt32LE(40);
    if (byteRate > 0) return Math.round((size / byteRate) * 100) / 100;
  }
  return Math.round((data.length / 4000) * 100) / 100;
}

export async function transcriptions(host: MediaHost, ctx: FakeHandlerContext, task: 'transcribe' | 'translate'): Promise<void> {
  const form = formOf(ctx);
  if (form === undefined) return host.sendError(ctx, 400, 'Invalid multipart body.');
  const text = fieldsOf(form);
  const file = form.find((p) => p.name === 'file' && p.filename !== undefined);
  if (file === undefined) return host.sendError(ctx, 400, "Missing required parameter: 'file'.", 'file');
  if (!text.model) return host.sendError(ctx, 400, "Missing required parameter: 'model'.", 'model');
  if (task === 'translate' && text.language !== undefined) return host.sendError(ctx, 400, "Unrecognized request argument supplied: language", 'language');
  const s = await host.begin(ctx, { model: text.model });
  if (s === null) return;
  const transcript = s.text ?? `Hello from the fake ${task === 'translate' ? 'translation' : 'transcription'}.`;
  const seconds = audioSeconds(file.data);
  const format = text.response_format ?? 'json';
  const tokenBilled = text.model.startsWith('gpt-4o');
  const usage: Json = tokenBilled
    ? { type: 'tokens', input_tokens: s.usage?.input ?? 50, input_token_details: { text_tokens: 0, audio_tokens: s.usage?.input ?? 50 }, output_tokens: s.usage?.output ?? words(transcript).length, total_tokens: (s.usage?.input ?? 50) + (s.usage?.output ?? words(transcript).length) }
    : { type: 'duration', seconds: Math.ceil(seconds) };
  ctx.finished();
  if (format === 'json') return host.sendJson(ctx, { text: transcript, usage });
  if (format === 'verbose_json') {
    const segments = [{ id: 0, seek: 0, start: 0, end: seconds, text: transcript, tokens: [50364, 2425], temperature: 0, avg_logprob: -0.2, compression_ratio: 0.9, no_speech_prob: 0.01 }];
    return host.sendJson(ctx, { task, language: task === 'translate' ? 'english' : (text.language ?? 'english'), duration: seconds, text: transcript, segments, usage });
  }
  const body = format === 'srt' ? `1\n00:00:00,000 --> 00:00:0${Math.min(9, Math.ceil(seconds))},000\n${transcript}\n\n` : format === 'vtt' ? `WEBVTT\n\n00:00:00.000 --> 00:00:0${Math.min(9, Math.ceil(seconds))}.000\n${transcript}\n\n` : `${transcript}\n`;
  ctx.res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  ctx.res.end(body);
}

const AUDIO_TYPES: Record<string, string> = { mp3: 'audio/mpeg', opus: 'audio/ogg', aac: 'audio/aac', flac: 'audio/flac', wav: 'audio/wav', pcm: 'audio/pcm' };

/** Deterministic "audio" for a text: the test can predict every byte. */
export function fakeSpeechBytes(input: string, voice: string): Buffer[] {
  return [Buffer.from(`ID3\u0004fake-speech:${voice}:`), ...words(input).map((w) => Buffer.from(`[${w.trim()}]`)), Buffer.from(':end')];
}

export async function speech(host: MediaHost, ctx: FakeHandlerContext, body: Json): Promise<void> {
  for (const k of ['model', 'input', 'voice']) if (body[k] === undefined) return host.sendError(ctx, 400, `Missing required parameter: '${k}'.`, k);
  const s = await host.begin(ctx, body);
  if (s === null) return;
  const format = typeof body.response_format === 'string' ? body.response_format : 'mp3';
  const chunks = fakeSpeechBytes(String(body.input), typeof body.voice === 'string' ? body.voice : 'custom');
  ctx.res.writeHead(200, { 'content-type': AUDIO_TYPES[format] ?? 'audio/mpeg', 'transfer-encoding': 'chunked' });
  ctx.res.flushHeaders();
  for (const [i, c] of chunks.entries()) {
    if (ctx.closed()) return;
    if (s.resetAfterChunks !== undefined && i >= s.resetAfterChunks) {
      ctx.finished();
      ctx.req.socket.destroy();
      return;
    }
    await new Promise<void>((resolve) => ctx.res.write(c, () => resolve()));
    if (i === 0) await host.speechGate();
    if (s.chunkDelayMs) await ctx.sleep(s.chunkDelayMs);
  }
  ctx.finished();
  ctx.res.end();
}

const CATEGORIES = ['harassment', 'harassment/threatening', 'hate', 'hate/threatening', 'illicit', 'illicit/violent', 'self-harm', 'self-harm/instructions', 'self-harm/intent', 'sexual', 'sexual/minors', 'violence', 'violence/graphic'];

export async function moderations(host: MediaHost, ctx: FakeHandlerContext, body: Json): Promise<void> {
  if (body.input === undefined) return host.sendError(ctx, 400, "Missing required parameter: 'input'.", 'input');
  const model = typeof body.model === 'string' ? body.model : 'omni-moderation-latest';
  const s = await host.begin(ctx, { ...body, model });
  if (s === null) return;
  const inputs = typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) && body.input.every((x) => typeof x === 'string') ? (body.input as string[]) : [JSON.stringify(body.input)];
  const results = inputs.map((text) => {
    const violent = /\b(kill|attack|violent)\b/i.test(text);
    const categories = Object.fromEntries(CATEGORIES.map((c) => [c, violent && c === 'violence']));
    const scores = Object.fromEntries(CATEGORIES.map((c) => [c, violent && c === 'violence' ? 0.91 : 0.0001]));
    return { flagged: violent, categories, category_scores: scores, category_applied_input_types: Object.fromEntries(CATEGORIES.map((c) => [c, ['text']])) };
  });
  host.sendJson(ctx, { id: `modr-fake${Date.now().toString(36)}`, model: `${model}-2024-09-26`, results });
}

/** Jina's /v1/rerank: `results` of {index, relevance_score, document:{text}} and token usage. */
export async function rerank(host: MediaHost, ctx: FakeHandlerContext, body: Json): Promise<void> {
  if (typeof body.query !== 'string' || !Array.isArray(body.documents)) return host.sendError(ctx, 400, 'query and documents are required');
  const s = await host.begin(ctx, body);
  if (s === null) return;
  const query = new Set(words(body.query).map((w) => w.trim().toLowerCase()));
  const docs = body.documents.map(String);
  const ranked = docs
    .map((d, index) => {
      const ws = words(d).map((w) => w.trim().toLowerCase());
      const score = ws.length === 0 ? 0 : Math.round((ws.filter((w) => query.has(w)).length / ws.length) * 1000) / 1000;
      return { index, relevance_score: score, ...(body.return_documents === true ? { document: { text: d } } : {}) };
    })
    .sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index);
  const topN = typeof body.top_n === 'number' ? body.top_n : ranked.length;
  const tokens = s.usage?.input ?? words(body.query).length + docs.reduce((n, d) => n + words(d).length, 0);
  host.sendJson(ctx, { model: String(body.model), usage: { total_tokens: tokens }, results: ranked.slice(0, topN) });
}

function formOf(ctx: FakeHandlerContext): MultipartPart[] | undefined {
  return parseMultipart(ctx.recorded.bytes ?? Buffer.from(ctx.recorded.rawBody), ctx.req.headers['content-type']);
}

function fieldsOf(form: MultipartPart[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of form) if (p.filename === undefined) out[p.name] = p.data.toString('utf8');
  return out;
}
