import { randomBytes } from 'node:crypto';

/**
 * Ids in OpenAI's style: a type prefix and random hex. Response ids are the
 * primary key of stored state, so they carry enough entropy (192 bits) that
 * guessing one is not a way into another key's conversation (scoping still
 * applies on every read).
 */
export function newResponseId(): string {
  return `resp_${randomBytes(24).toString('hex')}`;
}

export type ItemPrefix = 'msg' | 'fc' | 'fco' | 'rs';

export function newItemId(prefix: ItemPrefix): string {
  return `${prefix}_${randomBytes(16).toString('hex')}`;
}
