/**
 * OpenAI's audio request shapes → unified requests: multipart forms for
 * `/audio/transcriptions` and `/audio/translations`, JSON for `/audio/speech`.
 */
import { asString, invalid, isAbsent, isObject, missing, optNumber, optString, unsupported } from '../../dialects/openai/json-checks.js';
import type { SpeechRequest, TranscriptionFormat, TranscriptionRequest } from '../../spec/index.js';
import { field, numberField, requiredField, type MultipartForm } from './multipart-form.js';

const FORMATS: readonly TranscriptionFormat[] = ['json', 'text', 'srt', 'verbose_json', 'vtt'];
const KNOWN = new Set(['model', 'language', 'prompt', 'response_format', 'temperature', 'stream']);

export function decodeTranscription(form: MultipartForm, task: TranscriptionRequest['task']): TranscriptionRequest {
  const file = form.files.find((f) => f.field === 'file');
  if (file === undefined) throw missing('file');
  const extra = form.files.find((f) => f.field !== 'file');
  if (extra !== undefined) throw invalid(`Unexpected file field '${extra.field}': audio uploads go in 'file'.`, extra.field);
  const req: TranscriptionRequest = { model: requiredField(form, 'model'), task, file };
  const language = field(form, 'language');
  if (language !== undefined && language !== '') req.language = language;
  const prompt = field(form, 'prompt');
  if (prompt !== undefined && prompt !== '') req.prompt = prompt;
  const format = field(form, 'response_format');
  if (format !== undefined && format !== '') {
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw invalid(`Invalid value for 'response_format': '${format}'. Supported values are: ${FORMATS.map((f) => `'${f}'`).join(', ')}.`, 'response_format');
    }
    req.responseFormat = format as TranscriptionFormat;
  }
  const temperature = numberField(form, 'temperature', (t) => t >= 0 && t <= 1, 'a number from 0 to 1');
  if (temperature !== undefined) req.temperature = temperature;
  if (field(form, 'stream') === 'true') throw unsupported('stream', 'Streamed transcriptions are not supported by this gateway yet; send the request without stream=true.');
  const rest = form.fields.filter(([k]) => !KNOWN.has(k));
  if (rest.length > 0) req.extraFields = rest;
  return req;
}

const SPEECH_KNOWN = new Set(['model', 'input', 'voice', 'response_format', 'speed', 'instructions']);

export function decodeSpeech(body: unknown): SpeechRequest {
  if (!isObject(body)) throw invalid('The request body must be a JSON object.', null);
  for (const key of ['model', 'input', 'voice']) if (isAbsent(body[key])) throw missing(key);
  const voice = body['voice'];
  if (typeof voice !== 'string' && !isObject(voice)) throw invalid("Invalid type for 'voice': expected a string or an object.", 'voice');
  const req: SpeechRequest = { model: asString(body['model'], 'model'), input: asString(body['input'], 'input'), voice };
  if (req.input === '') throw invalid("Invalid 'input': empty string.", 'input');
  const format = optString(body['response_format'], 'response_format');
  if (format !== undefined) req.responseFormat = format;
  const speed = optNumber(body['speed'], 'speed', 0.25, 4);
  if (speed !== undefined) req.speed = speed;
  const instructions = optString(body['instructions'], 'instructions');
  if (instructions !== undefined) req.instructions = instructions;
  for (const key of Object.keys(body)) if (!SPEECH_KNOWN.has(key) && body[key] !== undefined) (req.extraBody ??= {})[key] = body[key];
  return req;
}
