import { createHash } from 'node:crypto';
import { GatewayError, type ProviderQuirks } from '../../spec/index.js';
import { isRecord } from './wire-types.js';

/**
 * Applies a catalog entry's quirks to an OpenAI-shaped body, in place. Shared
 * by the encoder and the relay so both paths treat a provider the same way.
 * Removed fields are reported through `warn`; impossible requests fail with
 * a 400 naming the field before any upstream call.
 */
export function applyQuirks(body: Record<string, unknown>, provider: string, quirks: ProviderQuirks | undefined, warn: (m: string) => void): void {
  if (quirks === undefined) return;
  if (quirks.maxN !== undefined && typeof body.n === 'number' && body.n > quirks.maxN) {
    throw new GatewayError('unsupported_parameter', {
      message: `n=${body.n} is not supported by ${provider} (maximum ${quirks.maxN})`,
      param: 'n',
    });
  }
  if (quirks.noVision) rejectImages(body.messages, provider);
  if (quirks.toolCallIdFormat === 'alnum9') rewriteToolCallIds(body.messages);
  if (quirks.noStreamOptions && 'stream_options' in body) {
    delete body.stream_options;
    warn(`stream_options is not supported by ${provider} and was not sent`);
  }
  for (const p of quirks.unsupportedParams ?? []) {
    if (p in body) {
      delete body[p];
      warn(`${p} is not supported by ${provider} and was not sent`);
    }
  }
  for (const [from, to] of Object.entries(quirks.renameParams ?? {})) {
    if (from in body) {
      body[to] = body[from];
      delete body[from];
    }
  }
}

function rejectImages(messages: unknown, provider: string): void {
  if (!Array.isArray(messages)) return;
  messages.forEach((m: unknown, i) => {
    if (!isRecord(m) || !Array.isArray(m.content)) return;
    m.content.forEach((part: unknown, j) => {
      if (isRecord(part) && (part.type === 'image_url' || part.type === 'image')) {
        const param = `messages[${i}].content[${j}]`;
        throw new GatewayError('unsupported_parameter', { message: `${param}: ${provider} does not accept image inputs`, param });
      }
    });
  });
}

const ALNUM9 = /^[A-Za-z0-9]{9}$/;
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A nine-character alphanumeric id for `id` (Mistral rejects others). Ids
 * that already fit are kept, so the ids Mistral itself issued round-trip
 * unchanged; others are hashed, so a call and its result map alike.
 */
export function alnum9(id: string): string {
  if (ALNUM9.test(id)) return id;
  const digest = createHash('sha256').update(id).digest();
  let out = '';
  for (let i = 0; i < 9; i++) out += BASE62[(digest[i] as number) % 62];
  return out;
}

function rewriteToolCallIds(messages: unknown): void {
  if (!Array.isArray(messages)) return;
  for (const m of messages) {
    if (!isRecord(m)) continue;
    if (typeof m.tool_call_id === 'string') m.tool_call_id = alnum9(m.tool_call_id);
    if (!Array.isArray(m.tool_calls)) continue;
    for (const c of m.tool_calls) if (isRecord(c) && typeof c.id === 'string') c.id = alnum9(c.id);
  }
}
