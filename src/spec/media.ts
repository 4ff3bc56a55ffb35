import type { Readable } from 'node:stream';
import type { Usage } from './usage.js';

/**
 * Unified shapes for the non-chat endpoints: images, audio and moderation.
 * They follow OpenAI's APIs (the shape every gateway client already sends),
 * typed and normalised; fields a protocol cannot honour are reported through
 * `opts.warn` or refused with a 400 naming them, like chat options.
 */

/** A file a client uploaded (multipart), held in memory within the upload limit. */
export interface UploadedFile {
  /** Multipart field it came in (`image`, `image[]`, `mask`, `file`). */
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface ImageGenerationRequest {
  model: string;
  prompt: string;
  n?: number;
  /** "1024x1024", "auto" … as the client wrote it; providers validate their own sizes. */
  size?: string;
  quality?: string;
  responseFormat?: 'url' | 'b64_json';
  style?: string;
  user?: string;
  providerOptions?: Record<string, Record<string, unknown>>;
  /** Fields the dialect did not recognise (gpt-image-1's `background`, `output_format` …): sent as is to OpenAI-compatible upstreams. */
  extraBody?: Record<string, unknown>;
}

export interface ImageEditRequest {
  model: string;
  prompt: string;
  /** One or more source images (`image` / `image[]`). */
  images: UploadedFile[];
  mask?: UploadedFile;
  n?: number;
  size?: string;
  quality?: string;
  responseFormat?: 'url' | 'b64_json';
  user?: string;
  /** Other text fields of the form, forwarded as they came. */
  extraFields?: Record<string, string>;
}

export interface GeneratedImage {
  url?: string;
  b64Json?: string;
  revisedPrompt?: string;
}

export interface ImageResponse {
  created: number;
  data: GeneratedImage[];
  /** Token usage where the model reports it (gpt-image-1); absent for per-image models. */
  usage?: Usage;
  /** Other top-level fields of the answer (background, output_format, size, quality …), passed back as they came. */
  extra?: Record<string, unknown>;
}

export type TranscriptionFormat = 'json' | 'text' | 'srt' | 'verbose_json' | 'vtt';

export interface TranscriptionRequest {
  model: string;
  /** `transcribe` keeps the spoken language; `translate` answers in English. */
  task: 'transcribe' | 'translate';
  file: UploadedFile;
  language?: string;
  prompt?: string;
  responseFormat?: TranscriptionFormat;
  temperature?: number;
  /** Other text fields of the form (`timestamp_granularities[]`, `include[]` …), forwarded as they came. */
  extraFields?: [string, string][];
}

export interface TranscriptionResponse {
  /** The body in the format the client asked for, as the upstream produced it. */
  body: Buffer;
  contentType: string;
  /** Audio length, when the upstream said (verbose_json `duration`, `usage.seconds`). */
  durationSeconds?: number;
  /** Token usage, for token-priced models (gpt-4o-transcribe). */
  usage?: Usage;
}

export interface SpeechRequest {
  model: string;
  input: string;
  voice: string | Record<string, unknown>;
  responseFormat?: string;
  speed?: number;
  instructions?: string;
  extraBody?: Record<string, unknown>;
}

/** Audio bytes as they arrive from the upstream: piped to the client, never buffered whole. */
export interface SpeechResponse {
  contentType: string;
  body: Readable;
  /** Settles when the body ended, failed or was abandoned (then with the error). */
  done: Promise<{ error?: Error }>;
}

export interface ModerationRequest {
  model: string;
  /** A string, strings, or OpenAI's multimodal input parts: passed as given. */
  input: unknown;
  extraBody?: Record<string, unknown>;
}

export interface ModerationResponse {
  id: string;
  model: string;
  /** One result per input, OpenAI's shape (flagged, categories, category_scores …). */
  results: Record<string, unknown>[];
}
