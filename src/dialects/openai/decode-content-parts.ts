/**
 * OpenAI content parts (`text`, `image_url`, `input_audio`, `file`) into
 * unified parts. URLs are checked here so a bad image fails with a 400 that
 * names the field instead of an opaque upstream error.
 */
import type { AudioPart, FilePart, ImagePart, TextPart, UserPart } from '../../spec/index.js';
import {
  asArray,
  asObject,
  asString,
  badValue,
  invalid,
  isAbsent,
  missing,
  optEnum,
  optString,
  requireString,
  type Json,
} from './json-checks.js';

const USER_PART_TYPES = ['text', 'image_url', 'input_audio', 'file'] as const;
const DETAILS = ['auto', 'low', 'high'] as const;

/** `data:<mime>[;params];base64,<data>` → parts, or undefined when not a base64 data URL. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  if (!url.startsWith('data:')) return undefined;
  const comma = url.indexOf(',');
  if (comma < 0) return undefined;
  const header = url.slice(5, comma).split(';');
  if (header[header.length - 1] !== 'base64') return undefined;
  const mediaType = header[0] || 'application/octet-stream';
  return { mediaType, data: url.slice(comma + 1) };
}

function isHttpUrl(url: string): boolean {
  return url.startsWith('https://') || url.startsWith('http://');
}

/** LiteLLM-style `cache_control` on a part; only `ephemeral` exists. */
export function decodeCacheControl(v: unknown, param: string): TextPart['cacheControl'] {
  if (isAbsent(v)) return undefined;
  const cc = asObject(v, param);
  const type = optEnum(cc['type'], `${param}.type`, ['ephemeral'] as const);
  if (type === undefined) throw missing(`${param}.type`);
  const ttl = optString(cc['ttl'], `${param}.ttl`);
  return ttl === undefined ? { type } : { type, ttl };
}

export function decodeTextPart(p: Json, param: string): TextPart {
  const part: TextPart = { type: 'text', text: requireString(p, 'text', `${param}.text`) };
  const cc = decodeCacheControl(p['cache_control'], `${param}.cache_control`);
  if (cc) part.cacheControl = cc;
  return part;
}

export function decodeImagePart(p: Json, param: string): ImagePart {
  const raw = p['image_url'];
  if (isAbsent(raw)) throw missing(`${param}.image_url`);
  // Some clients send the URL as a bare string; LiteLLM accepts it, so do we.
  const obj: Json = typeof raw === 'string' ? { url: raw } : asObject(raw, `${param}.image_url`);
  const urlParam = `${param}.image_url.url`;
  const url = requireString(obj, 'url', urlParam);
  const part: ImagePart = { type: 'image', source: { kind: 'url', url } };
  const data = parseDataUrl(url);
  if (data) {
    if (!data.mediaType.startsWith('image/')) {
      throw invalid(`Invalid '${urlParam}': expected an image data URL (data:image/...), but got '${data.mediaType}'.`, urlParam);
    }
    part.source = { kind: 'base64', mediaType: data.mediaType, data: data.data };
  } else if (!isHttpUrl(url)) {
    throw invalid(
      `Invalid '${urlParam}': expected a URL (http or https) or a base64 data URL (data:image/...;base64,...).`,
      urlParam,
    );
  }
  const detail = optEnum(obj['detail'], `${param}.image_url.detail`, DETAILS);
  if (detail) part.detail = detail;
  return part;
}

function decodeAudioPart(p: Json, param: string): AudioPart {
  const a = p['input_audio'];
  if (isAbsent(a)) throw missing(`${param}.input_audio`);
  const obj = asObject(a, `${param}.input_audio`);
  return {
    type: 'audio',
    data: requireString(obj, 'data', `${param}.input_audio.data`),
    format: requireString(obj, 'format', `${param}.input_audio.format`),
  };
}

function decodeFilePart(p: Json, param: string): FilePart {
  const f = p['file'];
  if (isAbsent(f)) throw missing(`${param}.file`);
  const obj = asObject(f, `${param}.file`);
  const filename = optString(obj['filename'], `${param}.file.filename`);
  const fileData = optString(obj['file_data'], `${param}.file.file_data`);
  const fileId = optString(obj['file_id'], `${param}.file.file_id`);
  // LiteLLM's extension: `format` names the MIME type of raw base64 data.
  const format = optString(obj['format'], `${param}.file.format`);
  let source: FilePart['source'];
  if (fileData !== undefined) {
    const parsed = parseDataUrl(fileData);
    if (parsed) source = { kind: 'base64', mediaType: parsed.mediaType, data: parsed.data };
    else if (format) source = { kind: 'base64', mediaType: format, data: fileData };
    else {
      throw invalid(
        `Invalid '${param}.file.file_data': expected a base64 data URL (data:<mime>;base64,...).`,
        `${param}.file.file_data`,
      );
    }
  } else if (fileId !== undefined) {
    // LiteLLM lets `file_id` carry a URL (Gemini/Vertex file URIs); keep that meaning.
    source = isHttpUrl(fileId) || fileId.startsWith('gs://') ? { kind: 'url', url: fileId } : { kind: 'file-id', fileId };
  } else {
    throw invalid(`Invalid '${param}.file': one of 'file_data' or 'file_id' is required.`, `${param}.file`);
  }
  const part: FilePart = { type: 'file', source };
  if (filename !== undefined) part.filename = filename;
  return part;
}

/** User message content: a string or an array of parts. */
export function decodeUserContent(content: unknown, param: string): UserPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (isAbsent(content)) throw missing(param);
  const arr = asArray(content, param);
  const out: UserPart[] = [];
  for (let i = 0; i < arr.length; i++) {
    const pp = `${param}[${i}]`;
    const p = asObject(arr[i], pp);
    const type = p['type'];
    if (type === 'text') out.push(decodeTextPart(p, pp));
    else if (type === 'image_url') out.push(decodeImagePart(p, pp));
    else if (type === 'input_audio') out.push(decodeAudioPart(p, pp));
    else if (type === 'file') out.push(decodeFilePart(p, pp));
    else if (isAbsent(type)) throw missing(`${pp}.type`);
    else throw badValue(`${pp}.type`, asString(type, `${pp}.type`), USER_PART_TYPES);
  }
  return out;
}

/** Content that may only hold text (system, developer). */
export function decodeTextContent(content: unknown, param: string): TextPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (isAbsent(content)) throw missing(param);
  const arr = asArray(content, param);
  const out: TextPart[] = [];
  for (let i = 0; i < arr.length; i++) {
    const pp = `${param}[${i}]`;
    const p = asObject(arr[i], pp);
    if (p['type'] !== 'text') throw badValue(`${pp}.type`, p['type'], ['text']);
    out.push(decodeTextPart(p, pp));
  }
  return out;
}

/** Tool results: text, and images where the upstream can take them. */
export function decodeToolContent(content: unknown, param: string): (TextPart | ImagePart)[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (isAbsent(content)) throw missing(param);
  const arr = asArray(content, param);
  const out: (TextPart | ImagePart)[] = [];
  for (let i = 0; i < arr.length; i++) {
    const pp = `${param}[${i}]`;
    const p = asObject(arr[i], pp);
    if (p['type'] === 'text') out.push(decodeTextPart(p, pp));
    else if (p['type'] === 'image_url') out.push(decodeImagePart(p, pp));
    else throw badValue(`${pp}.type`, p['type'], ['text', 'image_url']);
  }
  return out;
}
