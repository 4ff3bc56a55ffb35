import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';
import { GatewayError, invalidRequest, type UploadedFile } from '../../spec/index.js';

/** A multipart form as read: text fields in order (repeats kept) and the uploaded files. */
export interface MultipartForm {
  fields: [string, string][];
  files: UploadedFile[];
}

/** Default for `server.uploadLimitBytes`: OpenAI's own 25 MB upload limit. */
export const DEFAULT_UPLOAD_LIMIT_BYTES = 25 * 1024 * 1024;

/**
 * Reads a whole `multipart/form-data` body. Files are held in memory: each
 * is capped by the route's upload limit (a larger one is a 413 before the
 * rest is read), and the endpoints that take uploads forward them whole.
 */
export async function readMultipartForm(req: FastifyRequest, limitBytes: number): Promise<MultipartForm> {
  if (!req.isMultipart()) {
    throw new GatewayError('unsupported_media_type', { message: 'This endpoint takes a multipart/form-data upload.' });
  }
  const form: MultipartForm = { fields: [], files: [] };
  try {
    for await (const part of req.parts({ limits: { fileSize: limitBytes } })) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        form.files.push({ field: part.fieldname, filename: part.filename || part.fieldname, contentType: part.mimetype || 'application/octet-stream', data });
      } else {
        form.fields.push([part.fieldname, typeof part.value === 'string' ? part.value : String(part.value)]);
      }
    }
  } catch (err) {
    throw multipartError(err, limitBytes);
  }
  return form;
}

function multipartError(err: unknown, limitBytes: number): GatewayError {
  if (err instanceof GatewayError) return err;
  const code = (err as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') {
    return new GatewayError('payload_too_large', { message: `Uploaded file is larger than this gateway's upload limit of ${limitBytes} bytes.`, param: 'file' });
  }
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT') {
    return new GatewayError('payload_too_large', { message: `The form has too many parts: ${(err as Error).message}` });
  }
  return invalidRequest(`Could not read the multipart form: ${(err as Error).message}`);
}

/** The last value of a text field, or undefined. */
export function field(form: MultipartForm, name: string): string | undefined {
  let v: string | undefined;
  for (const [k, value] of form.fields) if (k === name) v = value;
  return v;
}

export function requiredField(form: MultipartForm, name: string): string {
  const v = field(form, name);
  if (v === undefined || v === '') throw invalidRequest(`Missing required parameter: '${name}'.`, name);
  return v;
}

export function numberField(form: MultipartForm, name: string, check: (n: number) => boolean, expected: string): number | undefined {
  const v = field(form, name);
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || !check(n)) throw invalidRequest(`Invalid '${name}': expected ${expected}, got '${v}'.`, name);
  return n;
}
