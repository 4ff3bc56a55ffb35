import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Encryption at rest for provider credentials: AES-256-GCM with a random
 * 12-byte IV per value. Stored form: `v1:<iv>:<tag>:<ciphertext>`, each part
 * base64url; the version lets the scheme or key change later. GCM's tag makes
 * any tampering (or the wrong key) a decryption error, never garbage.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new RangeError(`Encryption key must be 32 bytes, got ${key.length}`);
    this.#key = Buffer.from(key);
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return ['v1', iv.toString('base64url'), tag.toString('base64url'), data.toString('base64url')].join(':');
  }

  decrypt(box: string): string {
    const parts = box.split(':');
    if (parts.length !== 4 || parts[0] !== 'v1') throw new SecretBoxError('Unrecognised encrypted value format');
    const [, ivText, tagText, dataText] = parts as [string, string, string, string];
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (iv.length !== 12 || tag.length !== 16) throw new SecretBoxError('Malformed encrypted value');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, iv, { authTagLength: 16 });
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(dataText, 'base64url')), decipher.final()]).toString('utf8');
    } catch (e) {
      throw new SecretBoxError('Encrypted value failed authentication (tampered, or encrypted under another key)', e);
    }
  }
}

export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

export const ENCRYPTION_KEY_ENV = 'SWITCHYARD_ENCRYPTION_KEY';
export const ENCRYPTION_KEY_FILE = 'encryption.key';

/** Accepts 64 hex characters or base64/base64url of 32 bytes. */
export function parseEncryptionKey(text: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  const b = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (b.length === 32 && /^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) return b;
  throw new RangeError(`${ENCRYPTION_KEY_ENV} must be 32 bytes as 64 hex characters or base64`);
}

export interface LoadedSecretBox {
  box: SecretBox;
  source: 'env' | 'file' | 'generated';
  /** Set when the key was just generated: the caller should print it loudly (the store never prints). */
  notice?: string;
}

/**
 * The master encryption key: from SWITCHYARD_ENCRYPTION_KEY, else from
 * `<dataDir>/encryption.key`, else generated there (mode 0600) on first start.
 */
export function loadSecretBox(opts: { dataDir: string; env?: NodeJS.ProcessEnv }): LoadedSecretBox {
  const env = opts.env ?? process.env;
  const fromEnv = env[ENCRYPTION_KEY_ENV];
  if (fromEnv && fromEnv.trim() !== '') return { box: new SecretBox(parseEncryptionKey(fromEnv)), source: 'env' };
  const file = join(opts.dataDir, ENCRYPTION_KEY_FILE);
  if (existsSync(file)) return { box: new SecretBox(parseEncryptionKey(readFileSync(file, 'utf8'))), source: 'file' };
  mkdirSync(opts.dataDir, { recursive: true });
  const key = randomBytes(32);
  // 'wx' fails if another process created the file meanwhile, instead of overwriting its key.
  writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return {
    box: new SecretBox(key),
    source: 'generated',
    notice:
      `Generated a new encryption key in ${file}. Provider credentials stored in the database are ` +
      `encrypted with it: back it up, or set ${ENCRYPTION_KEY_ENV}. Losing it makes stored channel keys unreadable.`,
  };
}
