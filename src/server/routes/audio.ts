import type { FastifyInstance, FastifyReply } from 'fastify';
import { OPENAI_DIALECT } from '../../dialects/openai/index.js';
import { addWarning, GatewayError, type Protocol, type RequestContext, type SpeechResponse, type TranscriptionRequest, type TranscriptionResponse } from '../../spec/index.js';
import { gatewayHeaders } from '../respond/headers.js';
import { endStream } from '../respond/send-error.js';
import { writeWithBackpressure } from '../respond/write-sse.js';
import type { GatewayRuntime } from '../runtime.js';
import { wavDurationSeconds } from './audio-duration.js';
import { decodeSpeech, decodeTranscription } from './audio-decode.js';
import { readMultipartForm } from './multipart-form.js';
import { textTokens, unaryHandler, type Settlement } from './unary-endpoint.js';

const ZERO = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };

/**
 * `POST /v1/audio/transcriptions` and `/translations` (multipart upload,
 * billed per audio second and/or tokens) and `/v1/audio/speech` (JSON in,
 * audio bytes streamed out as they arrive, billed per input character).
 */
export function registerAudioRoutes(app: FastifyInstance, rt: GatewayRuntime, uploadLimitBytes: number): void {
  const transcription = (task: TranscriptionRequest['task']) =>
    unaryHandler<TranscriptionResponse & { fileSeconds?: number }>(rt, {
      endpoint: 'audio',
      dialect: OPENAI_DIALECT,
      async decode(req) {
        const request = decodeTranscription(await readMultipartForm(req, uploadLimitBytes), task);
        const fileSeconds = wavDurationSeconds(request.file.data);
        return {
          model: request.model,
          estimatedInputTokens: textTokens(request.prompt ?? ''),
          attempt: async (d, p, o) => ({ ...(await operation(p, 'transcribe', d.provider, request.model).call(p, { ...request, model: d.target.model }, d.target, o)), ...(fileSeconds !== undefined ? { fileSeconds } : {}) }),
        };
      },
      respond: sendTranscription,
    });
  const speech = unaryHandler<SpeechResponse & { characters: number }>(rt, {
    endpoint: 'audio',
    dialect: OPENAI_DIALECT,
    decode(req, ctx) {
      const request = decodeSpeech(req.body);
      // The answer is a byte stream: framing, first-byte timing and aborts follow the stream rules.
      ctx.stream = true;
      return {
        model: request.model,
        estimatedInputTokens: textTokens(request.input),
        attempt: async (d, p, o) => ({ ...(await operation(p, 'speech', d.provider, request.model).call(p, { ...request, model: d.target.model }, d.target, o)), characters: [...request.input].length }),
      };
    },
    respond: sendSpeech,
  });
  for (const prefix of ['/v1', '']) {
    app.post(`${prefix}/audio/transcriptions`, transcription('transcribe'));
    app.post(`${prefix}/audio/translations`, transcription('translate'));
    app.post(`${prefix}/audio/speech`, speech);
  }
}

function operation<K extends 'transcribe' | 'speech'>(p: Protocol, op: K, provider: string, model: string): NonNullable<Protocol[K]> {
  const fn = p[op];
  if (fn === undefined) {
    const what = op === 'speech' ? 'text to speech' : 'transcription';
    throw new GatewayError('unsupported_parameter', { message: `Model '${model}' (${provider}) does not support ${what} through this gateway`, param: 'model' });
  }
  return fn as NonNullable<Protocol[K]>;
}

async function sendTranscription(reply: FastifyReply, ctx: RequestContext, res: TranscriptionResponse & { fileSeconds?: number }, settle: (s: Settlement) => Promise<void>): Promise<void> {
  const seconds = res.durationSeconds ?? res.fileSeconds;
  if (seconds === undefined && res.usage === undefined) {
    addWarning(ctx, 'audio duration unknown (the upstream reported none and the file is not WAV): per-second prices were not charged; ask for response_format=verbose_json to be billed exactly');
  }
  await settle({ usage: res.usage ?? ZERO, usageSource: 'upstream', ...(seconds !== undefined ? { units: { audioSeconds: seconds } } : {}) });
  void reply.headers({ ...gatewayHeaders(ctx), 'content-type': res.contentType }).send(res.body);
}

/** Pipes the audio through with backpressure; settles at the end (the bytes are the product, so an abort still bills the text). */
async function sendSpeech(reply: FastifyReply, ctx: RequestContext, res: SpeechResponse & { characters: number }, settle: (s: Settlement & { status?: 'ok' | 'error' | 'aborted'; error?: GatewayError }) => Promise<void>): Promise<void> {
  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, { 'content-type': res.contentType, 'cache-control': 'no-cache', ...gatewayHeaders(ctx) });
  out.flushHeaders();
  let failure: unknown;
  try {
    for await (const chunk of res.body) {
      ctx.firstTokenAt ??= Date.now();
      await writeWithBackpressure(out, chunk as Buffer);
      if (out.destroyed) break;
    }
  } catch (err) {
    failure = err;
  }
  if (out.destroyed && !res.body.destroyed) res.body.destroy();
  const ended = await res.done;
  const billing: Settlement = { usage: { inputTokens: textTokensOf(res.characters), outputTokens: 0, totalTokens: textTokensOf(res.characters) }, usageSource: 'estimated', units: { characters: res.characters } };
  if (ctx.signal.aborted) await settle({ ...billing, status: 'aborted' });
  else if (failure !== undefined || ended.error !== undefined) {
    const error = failure instanceof GatewayError ? failure : new GatewayError('upstream_connection', { message: `Upstream speech stream broke: ${String((failure as Error | undefined)?.message ?? ended.error?.message)}` });
    await settle({ ...billing, status: 'error', error });
    // Audio has no in-band error frame: a cut connection is the only signal a player understands.
    out.destroy();
    return;
  } else await settle(billing);
  endStream(out);
}

/** The accounting's chars/4 token estimate, for models priced per token rather than per character. */
function textTokensOf(characters: number): number {
  return Math.ceil(characters / 4);
}
