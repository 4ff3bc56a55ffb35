/**
 * OpenAI's image request shapes → unified image requests: JSON for
 * `/images/generations`, a multipart form for `/images/edits`. Validation
 * failures are 400s naming the field, worded like OpenAI's.
 */
import { asString, invalid, isAbsent, isObject, missing, optEnum, optInteger, optString } from '../../dialects/openai/json-checks.js';
import type { ImageEditRequest, ImageGenerationRequest } from '../../spec/index.js';
import { field, numberField, requiredField, type MultipartForm } from './multipart-form.js';

const FORMATS = ['url', 'b64_json'] as const;
const KNOWN = new Set(['model', 'prompt', 'n', 'size', 'quality', 'response_format', 'style', 'user']);

export function decodeImageGeneration(body: unknown): ImageGenerationRequest {
  if (!isObject(body)) throw invalid('The request body must be a JSON object.', null);
  if (isAbsent(body['model'])) throw missing('model');
  if (isAbsent(body['prompt'])) throw missing('prompt');
  const req: ImageGenerationRequest = { model: asString(body['model'], 'model'), prompt: asString(body['prompt'], 'prompt') };
  if (req.prompt === '') throw invalid("Invalid 'prompt': empty string.", 'prompt');
  const n = optInteger(body['n'], 'n', 1, 10);
  if (n !== undefined) req.n = n;
  const size = optString(body['size'], 'size');
  if (size !== undefined) req.size = size;
  const quality = optString(body['quality'], 'quality');
  if (quality !== undefined) req.quality = quality;
  const format = optEnum(body['response_format'], 'response_format', FORMATS);
  if (format !== undefined) req.responseFormat = format;
  const style = optString(body['style'], 'style');
  if (style !== undefined) req.style = style;
  const user = optString(body['user'], 'user');
  if (user !== undefined) req.user = user;
  for (const key of Object.keys(body)) {
    // Newer fields (background, output_format, moderation …) reach OpenAI-compatible upstreams as sent.
    if (!KNOWN.has(key) && body[key] !== undefined) (req.extraBody ??= {})[key] = body[key];
  }
  return req;
}

const EDIT_FIELDS = new Set(['model', 'prompt', 'n', 'size', 'quality', 'response_format', 'user']);

export function decodeImageEdit(form: MultipartForm): ImageEditRequest {
  const images = form.files.filter((f) => f.field === 'image' || f.field === 'image[]');
  if (images.length === 0) throw missing('image');
  const req: ImageEditRequest = { model: requiredField(form, 'model'), prompt: requiredField(form, 'prompt'), images };
  const mask = form.files.find((f) => f.field === 'mask');
  if (mask !== undefined) req.mask = mask;
  const other = form.files.find((f) => f.field !== 'mask' && !images.includes(f));
  if (other !== undefined) throw invalid(`Unexpected file field '${other.field}': image edits take 'image' (or 'image[]') and 'mask'.`, other.field);
  const n = numberField(form, 'n', (x) => Number.isInteger(x) && x >= 1 && x <= 10, 'an integer from 1 to 10');
  if (n !== undefined) req.n = n;
  const size = field(form, 'size');
  if (size !== undefined) req.size = size;
  const quality = field(form, 'quality');
  if (quality !== undefined) req.quality = quality;
  const format = field(form, 'response_format');
  if (format !== undefined) {
    if (!(FORMATS as readonly string[]).includes(format)) throw invalid(`Invalid value for 'response_format': '${format}'. Supported values are: 'url' and 'b64_json'.`, 'response_format');
    req.responseFormat = format as (typeof FORMATS)[number];
  }
  const user = field(form, 'user');
  if (user !== undefined) req.user = user;
  for (const [k, v] of form.fields) if (!EDIT_FIELDS.has(k)) (req.extraFields ??= {})[k] = v;
  return req;
}
