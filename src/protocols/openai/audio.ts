import { GatewayError, type CallOptions, type SpeechRequest, type SpeechResponse, type TranscriptionRequest, type TranscriptionResponse, type UpstreamTarget, type Usage } from '../../spec/index.js';
import { connectionError } from '../http/index.js';
import { applyQuirks } from './apply-quirks.js';
import { callMedia, num } from './media-call.js';
import { isRecord } from './wire-types.js';

/**
 * POST /audio/transcriptions or /audio/translations (multipart). The body
 * goes back in the format the client asked for, as the upstream wrote it;
 * only the billing facts are read from JSON answers: `duration`
 * (verbose_json) or `usage` (`{type:"duration",seconds}` from whisper,
 * `{type:"tokens",…}` from the gpt-4o transcribe models).
 */
export async function transcribe(req: TranscriptionRequest, target: UpstreamTarget, opts: CallOptions): Promise<TranscriptionResponse> {
  const fields: [string, string][] = [['model', target.model]];
  if (req.language !== undefined) {
    if (req.task === 'translate') opts.warn('language: translations always answer in English; not sent');
    else fields.push(['language', req.language]);
  }
  if (req.prompt !== undefined) fields.push(['prompt', req.prompt]);
  if (req.responseFormat !== undefined) fields.push(['response_format', req.responseFormat]);
  if (req.temperature !== undefined) fields.push(['temperature', String(req.temperature)]);
  for (const f of req.extraFields ?? []) fields.push(f);
  const path = req.task === 'translate' ? '/audio/translations' : '/audio/transcriptions';
  const res = await callMedia(target, opts, { path, form: { fields, files: [{ ...req.file, field: 'file' }] } });
  let body: Buffer;
  try {
    body = Buffer.from(await res.body.arrayBuffer());
  } catch (err) {
    throw connectionError(err, target.provider);
  } finally {
    res.done();
  }
  const contentType = headerOf(res.headers['content-type']) ?? (req.responseFormat === undefined || req.responseFormat.endsWith('json') ? 'application/json' : 'text/plain; charset=utf-8');
  const out: TranscriptionResponse = { body, contentType };
  if (contentType.includes('json')) Object.assign(out, billingFacts(body));
  return out;
}

function billingFacts(body: Buffer): Pick<TranscriptionResponse, 'durationSeconds' | 'usage'> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return {};
  }
  if (!isRecord(json)) return {};
  const out: Pick<TranscriptionResponse, 'durationSeconds' | 'usage'> = {};
  const duration = num(json.duration);
  if (duration !== undefined) out.durationSeconds = duration;
  const u = json.usage;
  if (isRecord(u)) {
    if (u.type === 'duration' && num(u.seconds) !== undefined) out.durationSeconds ??= num(u.seconds);
    if (u.type === 'tokens' || num(u.input_tokens) !== undefined) {
      const input = num(u.input_tokens) ?? 0;
      const output = num(u.output_tokens) ?? 0;
      const usage: Usage = { inputTokens: input, outputTokens: output, totalTokens: num(u.total_tokens) ?? input + output };
      const audio = isRecord(u.input_token_details) ? num(u.input_token_details.audio_tokens) : undefined;
      if (audio) usage.inputAudioTokens = audio;
      out.usage = usage;
    }
  }
  return out;
}

/** POST /audio/speech: resolves once the upstream answered 2xx; the audio is piped on as it arrives. */
export async function speech(req: SpeechRequest, target: UpstreamTarget, opts: CallOptions): Promise<SpeechResponse> {
  const body: Record<string, unknown> = { model: target.model, input: req.input, voice: req.voice };
  if (req.responseFormat !== undefined) body.response_format = req.responseFormat;
  if (req.speed !== undefined) body.speed = req.speed;
  if (req.instructions !== undefined) body.instructions = req.instructions;
  if (req.extraBody !== undefined) Object.assign(body, req.extraBody);
  applyQuirks(body, target.provider, target.quirks, opts.warn);
  const res = await callMedia(target, opts, { path: '/audio/speech', json: body, stream: true });
  const stream = res.body;
  const done = new Promise<{ error?: Error }>((resolve) => {
    let ended = false;
    stream.once('end', () => {
      ended = true;
      resolve({});
    });
    stream.once('error', (err: Error) => resolve({ error: err instanceof GatewayError ? err : connectionError(err, target.provider) }));
    stream.once('close', () => resolve(ended ? {} : { error: new GatewayError('client_closed', { message: 'Speech stream closed before the upstream finished', provider: target.provider }) }));
  });
  return { contentType: headerOf(res.headers['content-type']) ?? 'audio/mpeg', body: stream, done };
}

function headerOf(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
