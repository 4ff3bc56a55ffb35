import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from './authenticator.js';

export interface MasterKeyState {
  /** SHA-256 hex of the master key: all the gateway keeps in memory. */
  hash: string;
  /** Set only on the start that generated the key: print it once, never again. */
  generated?: string;
  source: 'config' | 'env' | 'stored' | 'generated';
}

/**
 * The master key comes from config or SWITCHYARD_MASTER_KEY. Without one, a
 * key is generated on first start and only its digest is kept (in the data
 * directory, mode 0600) — there is no default credential anywhere.
 */
export function resolveMasterKey(opts: { configured?: string; fromEnv: boolean; dataDir: string }): MasterKeyState {
  if (opts.configured) return { hash: sha256Hex(opts.configured), source: opts.fromEnv ? 'env' : 'config' };
  const file = join(opts.dataDir, 'master-key.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { sha256?: string };
    if (typeof stored.sha256 === 'string' && /^[0-9a-f]{64}$/.test(stored.sha256)) return { hash: stored.sha256, source: 'stored' };
    throw new Error(`${file} is damaged: delete it to generate a new master key`);
  }
  const key = `sk-sy-master-${randomBytes(24).toString('base64url')}`;
  mkdirSync(opts.dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify({ sha256: sha256Hex(key), createdAt: new Date().toISOString() }) + '\n', { mode: 0o600 });
  return { hash: sha256Hex(key), generated: key, source: 'generated' };
}
